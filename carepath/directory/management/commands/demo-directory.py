"""carepath demo-directory: for `make demo` only, the directory holds Hertfordshire's services
as seed 002 describes them (§2.1.3, Appendix 12 and Appendix 13 Tables 6 and 7): the eleven
helplines (the national one and Table 7's ten, the IDVA service among them), the six
refuges by their front-gate phone only, two outreach services, two women's centres, the
perpetrator programmes and the services for children and for complex needs.

Hours are Table 7's where it gives them ("office hours" as 9:00 to 17:00). Local numbers
are Ofcom's numbers reserved for drama (01632 960xxx, 0808 157 0xxx), so nobody rings a
real service from the demo; the national helpline's number is the real one, as the public
pages already give it. Each entry is kept by a demo account; two are due for checking and
one is hidden from the public as not checked in time, so demo-admin's queue has work.
Run again, it puts the same entries back as they were.
"""

from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from carepath.core.history import changed_by
from carepath.core.models import District, User
from carepath.directory.models import AccessRoute, Area, Entry, Kind, OpeningHours, WhoFor, who_for_field

W = WhoFor
ALL_RISKS = (W.STANDARD_RISK, W.MEDIUM_RISK, W.HIGH_RISK)
ADULT_VICTIMS = (*ALL_RISKS, W.WOMEN, W.MEN, W.TRANS_NON_BINARY, W.LGBT, W.BLACK_MINORITISED, W.DISABLED_DEAF)
WOMEN_SERVICE = (*ALL_RISKS, W.WOMEN, W.TRANS_NON_BINARY, W.BLACK_MINORITISED, W.DISABLED_DEAF, W.LGBT)
WEEKDAYS = range(5)
OFFICE = ((WEEKDAYS, time(9), time(17)),)


@dataclass(frozen=True)
class Demo:
    name: str
    kind: str
    description: str
    who_for: tuple
    districts: tuple = ()  # empty: all of the county
    national: bool = False
    hours: tuple = OFFICE  # (weekdays, opens, closes)
    always_open: bool = False
    bank_holidays: bool = False
    access_route: str = AccessRoute.BOTH
    phone: str = ""
    website: str = ""
    languages: str = "English"
    interpreters: bool = True
    accessibility: str = ""
    owner: str = "demo-admin"
    checked_days_ago: int = 20
    description_cy: str = ""


def drama(n: int) -> str:
    return f"01632 960{n:03d}"


ENTRIES = [
    # The eleven helplines (§2.1.3; Table 7).
    Demo(
        "National Domestic Abuse Helpline",
        Kind.HELPLINE,
        "Free, confidential support and advice for anyone experiencing domestic abuse, and for the people "
        "worried about them. Trained advisers can help you make a plan to stay safe and find a refuge.",
        ADULT_VICTIMS + (W.AGED_16_17, W.COMPLEX_NEEDS),
        national=True,
        always_open=True,
        access_route=AccessRoute.SELF,
        phone="0808 2000 247",
        languages="English; interpreters for other languages; British Sign Language by video call",
        accessibility="Text relay and BSL video calls.",
        description_cy="Cymorth a chyngor am ddim a chyfrinachol i unrhyw un sy'n profi cam-drin domestig.",
    ),
    Demo(
        "Hertfordshire Domestic Abuse Helpline",
        Kind.HELPLINE,
        "Trained volunteers listen, talk through your options and tell you about services near you. You do not "
        "have to give your name. Victims, people worried about their own behaviour and professionals can call.",
        ADULT_VICTIMS + (W.AGED_16_17, W.COMPLEX_NEEDS, W.PERPETRATORS),
        hours=((WEEKDAYS, time(10), time(22)),),
        access_route=AccessRoute.SELF,
        phone="0808 157 0100",
        checked_days_ago=165,  # due for checking
    ),
    Demo(
        "Safer Places 24-hour helpline",
        Kind.HELPLINE,
        "Emergency support at any time of day or night, and help to find a safe place to stay.",
        WOMEN_SERVICE + (W.MEN, W.COMPLEX_NEEDS),
        districts=("Broxbourne", "East Hertfordshire"),
        always_open=True,
        access_route=AccessRoute.SELF,
        phone=drama(101),
    ),
    Demo(
        "St Albans and Hertsmere Women's Refuge helpline",
        Kind.HELPLINE,
        "Advice and support from the refuge's staff, and how to ask for a refuge place.",
        WOMEN_SERVICE,
        districts=("St Albans", "Hertsmere"),
        access_route=AccessRoute.SELF,
        phone=drama(102),
    ),
    Demo(
        "Welwyn Hatfield Women's Refuge helpline",
        Kind.HELPLINE,
        "Advice and support from the refuge's staff, and how to ask for a refuge place.",
        WOMEN_SERVICE,
        districts=("Welwyn Hatfield",),
        access_route=AccessRoute.SELF,
        phone=drama(103),
    ),
    Demo(
        "Victim Support (regional victim care)",
        Kind.HELPLINE,
        "Support after any crime, whether or not it was reported to the police: someone to talk to, practical "
        "help and a volunteer who can meet you.",
        ADULT_VICTIMS + (W.AGED_16_17,),
        hours=((WEEKDAYS, time(8), time(20)), ((5,), time(9), time(17))),
        phone=drama(104),
    ),
    Demo(
        "Hertfordshire IDVA service",
        Kind.IDVA,
        "Independent domestic violence advisers support people at high risk of serious harm: safety planning, "
        "courts, housing and MARAC. Professionals can call for advice.",
        (W.HIGH_RISK, W.WOMEN, W.MEN, W.TRANS_NON_BINARY, W.LGBT, W.BLACK_MINORITISED, W.DISABLED_DEAF, W.AGED_16_17),
        access_route=AccessRoute.BOTH,
        phone=drama(105),
        owner="demo-idva-manager",
    ),
    Demo(
        "Sexual Assault Referral Centre (SARC) helpline",
        Kind.HELPLINE,
        "Help after rape or sexual assault, for women and men, including medical care and an ISVA.",
        (*ALL_RISKS, W.WOMEN, W.MEN, W.TRANS_NON_BINARY, W.LGBT, W.AGED_16_17),
        hours=((WEEKDAYS, time(9), time(16)),),
        phone=drama(106),
    ),
    Demo(
        "Watford Rape Crisis and Sexual Abuse Helpline",
        Kind.HELPLINE,
        "Listening and support for anyone who has been raped or sexually abused, at any time in their life.",
        (*ALL_RISKS, W.WOMEN, W.MEN, W.AGED_16_17, W.DISABLED_DEAF),
        districts=("Watford", "Three Rivers"),
        hours=((range(6), time(10), time(12)),),
        access_route=AccessRoute.SELF,
        phone=drama(107),
    ),
    Demo(
        "Herts Area Rape Crisis and Sexual Abuse Helpline",
        Kind.HELPLINE,
        "An evening helpline for anyone affected by rape or sexual abuse.",
        (*ALL_RISKS, W.WOMEN, W.MEN),
        hours=(((3,), time(19, 30), time(21, 30)),),
        access_route=AccessRoute.SELF,
        phone=drama(108),
        checked_days_ago=200,  # hidden from the public until checked
    ),
    Demo(
        "Herts Women's Centre rape crisis line",
        Kind.HELPLINE,
        "Support for women and girls who have been raped or sexually abused.",
        (*ALL_RISKS, W.WOMEN, W.AGED_16_17, W.BLACK_MINORITISED),
        hours=((WEEKDAYS, time(9), time(16)),),
        access_route=AccessRoute.SELF,
        phone=drama(109),
        owner="demo-caseworker",
    ),
    # The six refuges (§2.2.2; Table 11): a front-gate phone, never an address.
    *(
        Demo(
            name,
            Kind.REFUGE,
            "Safe, confidential housing with support for women and their children who need to leave home. "
            "Call to ask about a place; the address is given only when a place is offered.",
            WOMEN_SERVICE + ((W.CHILDREN,) if children else ()),
            districts=districts,
            always_open=always,
            access_route=AccessRoute.BOTH,
            phone=drama(n),
            owner="demo-refuge",
            checked_days_ago=checked,
            accessibility=access,
        )
        for name, districts, n, children, always, checked, access in (
            ("Watford Women's Refuge", ("Watford", "Three Rivers"), 110, True, False, 30, ""),
            ("Dacorum Women's Aid refuge", ("Dacorum",), 111, True, False, 45, ""),
            (
                "St Albans and Hertsmere Women's Refuge",
                ("St Albans", "Hertsmere"),
                112,
                True,
                False,
                10,
                "One ground-floor unit with step-free access.",
            ),
            ("Welwyn Hatfield Women's Refuge", ("Welwyn Hatfield",), 113, True, False, 60, ""),
            ("Safer Places refuges", ("Broxbourne", "East Hertfordshire"), 114, True, True, 170, ""),
            ("Stevenage Women's Refuge", ("Stevenage", "North Hertfordshire"), 115, True, False, 5, ""),
        )
    ),
    # Outreach and women's centres (§2.1.3; Table 6).
    Demo(
        "Safer Places outreach",
        Kind.OUTREACH,
        "Support in your own home and community: one-to-one support, safety planning and the Freedom Programme.",
        WOMEN_SERVICE + (W.MEN, W.COMPLEX_NEEDS),
        districts=("Broxbourne", "East Hertfordshire"),
        phone=drama(116),
        owner="demo-refuge",
    ),
    Demo(
        "St Albans and Hertsmere Women's Refuge outreach",
        Kind.OUTREACH,
        "Support in the community for women who are not in refuge, and for women after they leave refuge.",
        WOMEN_SERVICE,
        districts=("St Albans", "Hertsmere"),
        phone=drama(117),
        owner="demo-refuge",
    ),
    Demo(
        "Watford Women's Centre",
        Kind.WOMENS_CENTRE,
        "Drop-in sessions, one-to-one support, counselling and recovery groups for women. Just come along on a "
        "drop-in day or call first.",
        WOMEN_SERVICE + (W.AGED_16_17,),
        districts=("Watford", "Three Rivers", "Dacorum"),
        hours=(((0, 1, 2, 3), time(9, 30), time(16, 30)),),
        access_route=AccessRoute.SELF,
        phone=drama(118),
        languages="English, Urdu, Polish",
        owner="demo-caseworker",
    ),
    Demo(
        "Herts Women's Centre",
        Kind.WOMENS_CENTRE,
        "Drop-in sessions, advice, counselling and recovery groups for women in the north of the county.",
        WOMEN_SERVICE,
        districts=("Stevenage", "North Hertfordshire"),
        hours=(((1, 2, 3), time(10), time(15)),),
        access_route=AccessRoute.SELF,
        phone=drama(119),
        owner="demo-caseworker",
    ),
    # Children, complex needs and perpetrators (Appendix 12).
    Demo(
        "One Herts One Family",
        Kind.CHILDREN,
        "Practical and emotional support for parents and children aged 5 to 11 living with domestic abuse or "
        "drug and alcohol use, including play therapy.",
        (W.STANDARD_RISK, W.MEDIUM_RISK, W.CHILDREN, W.WOMEN, W.MEN, W.COMPLEX_NEEDS),
        access_route=AccessRoute.PROFESSIONAL,
        phone=drama(120),
    ),
    Demo(
        "Safer Places alcohol and domestic abuse project",
        Kind.OTHER,
        "Support for families where there is both domestic abuse and alcohol use.",
        (*ALL_RISKS, W.WOMEN, W.MEN, W.COMPLEX_NEEDS),
        districts=("Broxbourne",),
        phone=drama(121),
        owner="demo-refuge",
    ),
    Demo(
        "Hertfordshire Change",
        Kind.PERPETRATOR,
        "A group programme for men who want to change how they behave in relationships, with support for their "
        "partners and ex-partners.",
        (W.MEN, W.PERPETRATORS),
        hours=(((1,), time(18), time(20, 30)),),
        phone=drama(122),
    ),
    Demo(
        "Caring Dads",
        Kind.PERPETRATOR,
        "A parenting programme for fathers who have been abusive, about the effect on their children. "
        "Usually through a children's social worker.",
        (W.MEN, W.PERPETRATORS, W.CHILDREN),
        access_route=AccessRoute.PROFESSIONAL,
        phone=drama(123),
    ),
    Demo(
        "The Hideout",
        Kind.CHILDREN,
        "A website for children and young people to understand domestic abuse and how to get help.",
        (W.CHILDREN, W.AGED_16_17),
        national=True,
        always_open=True,
        access_route=AccessRoute.SELF,
        website="https://www.thehideout.org.uk/",
        interpreters=False,
    ),
]


class Command(BaseCommand):
    help = "Fill the directory with Hertfordshire's services (demo mode only)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("The demo directory is only for demo mode: set CAREPATH_DEMO=1.")
        districts = {d.name: d for d in District.objects.all()}
        owners = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
        today = timezone.localdate()
        for demo in ENTRIES:
            owner = owners.get(demo.owner)
            if owner is None:
                raise CommandError(f"No demo account {demo.owner}: run `carepath demo-accounts` first.")
            missing = [name for name in demo.districts if name not in districts]
            if missing:
                raise CommandError(f"No district {missing[0]}: run `carepath synth` first.")
            values = {
                "kind": demo.kind,
                "description": demo.description,
                "description_cy": demo.description_cy,
                "area": Area.NATIONAL if demo.national else Area.DISTRICTS if demo.districts else Area.COUNTY,
                "open_24_hours": demo.always_open,
                "open_bank_holidays": demo.always_open or demo.bank_holidays,
                "access_route": demo.access_route,
                "phone": demo.phone,
                "website": demo.website,
                "languages": demo.languages,
                "interpreters": demo.interpreters,
                "accessibility": demo.accessibility,
                "owner": owner,
                "last_checked_on": today - timedelta(days=demo.checked_days_ago),
                **{who_for_field(code): code in demo.who_for for code in WhoFor.values},
            }
            entry = Entry.objects.filter(name=demo.name).first() or Entry(name=demo.name)
            for name, value in values.items():
                setattr(entry, name, value)
            changed_by(entry, owner, reason="Demo directory").save()
            entry.districts.set([districts[name] for name in demo.districts])
            entry.hours.all().delete()
            if not demo.always_open:
                OpeningHours.objects.bulk_create(
                    OpeningHours(entry=entry, weekday=day, opens=opens, closes=closes)
                    for days, opens, closes in demo.hours
                    for day in days
                )
        self.stdout.write(f"{len(ENTRIES)} directory entries ready.")
