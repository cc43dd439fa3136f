"""carepath demo-training: for `make demo` only, a champions network for the demo county.

The agencies that refer most (the police, children's services, health, housing, ...)
each get a champion or two, named with their team and contact; the first in post two
years ago, more joining since, one having stood down, so the report shows the network
growing. Two years of training sessions (the foundation course monthly, DASH and the
refresher every other month, tier 2 each quarter) with their registers: most attended,
some did not, a few cancelled; staff trained on DASH over a year ago and not refreshed
since are overdue; the next month's sessions are booked. And the training co-ordinator's
account, demo-training. Once only: run again, it changes nothing.
"""

import random
from datetime import date, timedelta
from importlib import import_module

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from faker import Faker

from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, User
from carepath.core.services import staff_create
from carepath.training.models import AttendanceStatus, Booking, Champion, Course, CourseKind, Session, Trainee

USERNAME = "demo-training"
#: The demo accounts' one published password (README), from demo-accounts.
DEMO_PASSWORD = import_module("carepath.core.management.commands.demo-accounts").DEMO_PASSWORD
AGENCIES = 12  # the agencies that refer most
COURSES = (
    (
        CourseKind.FOUNDATION,
        "Domestic abuse awareness (one day)",
        "Recognising domestic abuse, asking about it safely, and where to refer: the one-day foundation course.",
        1,
    ),
    (
        CourseKind.DASH,
        "Using the DASH risk checklist",
        "Completing the DASH checklist with a victim, scoring it, "
        "professional judgement, and the MARAC referral criteria.",
        2,
    ),
    (
        CourseKind.TIER_TWO,
        "Tier 2: supporting victims at high risk",
        "For champions: safety planning, "
        "coercive control, children in the household, and working with the IDVA service.",
        3,
    ),
    (
        CourseKind.REFRESHER,
        "Champions' refresher",
        "What has changed: local services, the front door, MARAC practice, and cases from the network.",
        2,
    ),
)
VENUES = (
    "Farnham House, Stevenage",
    "County Hall, Hertford",
    "Watford Town Hall",
    "Civic Offices, St Albans",
    "Online (video call)",
)
TRAINERS = ("Helen Marsh", "Dev Patel", "Sunita Rao", "Gareth Lloyd")
TEAMS = {
    AgencyType.POLICE: ("Domestic Abuse Investigation Unit", "Response, East", "Public Protection"),
    AgencyType.CHILDRENS_SERVICES: ("Assessment team", "Family safeguarding", "Children looked after"),
    AgencyType.ACUTE_HOSPITAL: ("Emergency department", "Maternity", "Safeguarding team"),
    AgencyType.HOUSING: ("Housing options", "Tenancy sustainment"),
    AgencyType.GP: ("Practice team",),
    AgencyType.HEALTH_VISITING: ("Health visiting, North", "Health visiting, South"),
    AgencyType.MENTAL_HEALTH: ("Community mental health", "Crisis team"),
}
JOB_TITLES = ("Team leader", "Senior practitioner", "Practitioner", "Safeguarding lead", "Officer", "Nurse")


class Command(BaseCommand):
    help = "A champions network with two years of training for the demo county (demo mode only)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo training is only for demo mode: set CAREPATH_DEMO=1 (never with real data).")
        partnership = Agency.objects.filter(agency_type=AgencyType.PARTNERSHIP).order_by("name").first()
        if partnership is None:
            raise CommandError("No partnership office yet: run `carepath synth` first.")
        self._account(partnership)
        if Session.objects.exists():
            self.stdout.write("The champions network is already there: nothing changed.")
            return
        agencies = list(
            Agency.objects.exclude(agency_type__in=(AgencyType.PARTNERSHIP, AgencyType.MARAC, AgencyType.FRONT_DOOR))
            .annotate(made=Count("referrals_made"))
            .order_by("-made", "name")[:AGENCIES]
        )
        if not agencies:
            raise CommandError("No agencies yet: run `carepath synth` first.")
        rng, fake = random.Random(16), Faker("en_GB")  # nosec B311 - a repeatable demo, not security
        fake.seed_instance(16)
        today = timezone.localdate()
        start = today - relativedelta(years=2)
        joined = self._champions(agencies, rng, fake, start, today)
        courses = self._courses()
        sessions, bookings = self._sessions(joined, courses, rng, fake, start, today)
        self.stdout.write(
            f"Champions network: {Champion.objects.count()} champions in {len(agencies)} agencies, "
            f"{sessions} sessions, "
            f"{bookings} places booked. The training co-ordinator signs in as {USERNAME}."
        )

    def _account(self, partnership: Agency) -> None:
        """The training co-ordinator: a commissioner at the partnership office (they run the
        network and read its report), a demo account like demo-accounts' ones."""
        user = User.objects.filter(username=USERNAME).first()
        if user is None:
            staff_create(
                username=USERNAME,
                agency=partnership,
                role=Role.COMMISSIONER,
                password=DEMO_PASSWORD,
                is_demo_account=True,
            )
        else:
            user.agency, user.role, user.is_demo_account = partnership, Role.COMMISSIONER, True
            user.set_password(DEMO_PASSWORD)
            user.save()

    def _champions(self, agencies, rng, fake, start: date, today: date) -> dict[Agency, date]:
        """Each agency's champions, and the day it joined the network."""
        joined_on = {}
        for n, agency in enumerate(agencies):
            teams = TEAMS.get(agency.agency_type, ("",))
            # The first few agencies had champions from the start; the others joined since,
            # one every couple of months: the network grows over the two years.
            joined = start + timedelta(days=0 if n < 3 else 60 * (n - 2) + rng.randrange(30))
            joined_on[agency] = joined
            for k in range(1 if len(teams) == 1 else 2):
                name = _name(fake)
                until = None
                if n == 1 and k == 0:  # one champion stood down and was replaced
                    until = joined + timedelta(days=300)
                    successor = _name(fake)
                    Champion.objects.create(
                        agency=agency,
                        team=teams[k],
                        name=successor,
                        job_title=rng.choice(JOB_TITLES),
                        email=_email(successor, agency),
                        champion_from=until + timedelta(days=1),
                    )
                Champion.objects.create(
                    agency=agency,
                    team=teams[k],
                    name=name,
                    job_title=rng.choice(JOB_TITLES),
                    email=_email(name, agency),
                    phone=f"01707 {rng.randrange(100000, 999999)}",
                    champion_from=min(today, joined + timedelta(days=120 * k)),
                    champion_until=until,
                )
        return joined_on

    def _courses(self) -> dict[str, tuple[Course, int]]:
        courses = {}
        for kind, name, description, every in COURSES:
            course, _ = Course.objects.get_or_create(name=name, defaults={"kind": kind, "description": description})
            courses[kind] = (course, every)
        return courses

    def _sessions(self, joined: dict, courses, rng, fake, start: date, today: date) -> tuple[int, int]:
        """Monthly sessions from two years ago to next month. A first course takes staff of
        the agencies in the network by then who have not done it; a refresher, a few who
        trained before: fewer than need one, so some DASH training lapses unrefreshed."""
        staff: list[Trainee] = []
        done: dict[int, set[str]] = {}  # trainee -> kinds of course attended
        sessions = bookings = 0
        month = start.replace(day=1)
        while month <= today + relativedelta(months=1):
            index = (month.year - start.year) * 12 + month.month - start.month
            for kind, (course, every) in courses.items():
                if index % every:
                    continue
                held_on = month + timedelta(days=rng.randrange(4, 24))
                session = Session.objects.create(
                    course=course,
                    held_on=held_on,
                    venue=rng.choice(VENUES),
                    trainer=rng.choice(TRAINERS),
                    places=rng.choice((12, 16, 20)),
                )
                sessions += 1
                if kind == CourseKind.REFRESHER:
                    pool = [t for t in staff if done.get(t.pk)]
                    chosen = rng.sample(pool, min(len(pool), rng.randrange(3, 7)))
                else:
                    # Before the network's first day, nobody (the first month's sessions).
                    members = [a for a, day in joined.items() if day <= held_on]
                    wanted = session.places - rng.randrange(1, 6) if members else 0
                    pool = [t for t in staff if t.agency in members and kind not in done.get(t.pk, ())]
                    chosen = rng.sample(pool, min(len(pool), wanted // 3))
                    chosen += [self._trainee(rng.choice(members), rng, fake) for _ in range(wanted - len(chosen))]
                    staff += [t for t in chosen if t not in staff]
                for trainee in chosen:
                    roll = rng.random()
                    if held_on > today:
                        status = AttendanceStatus.BOOKED
                    elif roll < 0.8:
                        status = AttendanceStatus.ATTENDED
                        done.setdefault(trainee.pk, set()).add(kind)
                    elif roll < 0.9:
                        status = AttendanceStatus.ABSENT
                    else:
                        status = AttendanceStatus.CANCELLED
                    Booking.objects.create(session=session, trainee=trainee, status=status)
                    bookings += 1
            month += relativedelta(months=1)
        return sessions, bookings

    def _trainee(self, agency: Agency, rng, fake) -> Trainee:
        name = _name(fake)
        return Trainee.objects.create(
            name=name,
            agency=agency,
            team=rng.choice(TEAMS.get(agency.agency_type, ("",))),
            job_title=rng.choice(JOB_TITLES),
            email=_email(name, agency),
        )


def _name(fake) -> str:
    """A first name and surname, without the titles (Dr, Mr) Faker sometimes adds."""
    return f"{fake.first_name()} {fake.last_name()}"


def _email(name: str, agency: Agency) -> str:
    """An address at example.org: never a real person's or organisation's."""
    local = ".".join(part.lower() for part in name.replace("'", "").split() if part.isalpha())
    return f"{local}@{agency.agency_type.replace('_', '-')}.example.org"
