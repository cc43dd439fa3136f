"""What the routing decision becomes once recorded: every task owned and due, the MARAC of
the victim's own area, and every child in the household notified and carried to MARAC."""

from datetime import UTC, date, datetime

from carepath.core.models import Agency, AgencyType, District, MaracArea, Role
from carepath.core.services import staff_create
from carepath.referrals.intake import ChildDetails, DashAnswer, PersonDetails, ReferralInput
from carepath.referrals.models import Destination
from carepath.referrals.services import marac_referral_create, referral_create
from carepath.risk.checklist import DASH_RIC_2009

MONDAY_10AM = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def referral(county, *, yes=2, consent="given", crime=True, district=None, children=()) -> ReferralInput:
    return ReferralInput(
        channel="professional",
        received_at=MONDAY_10AM,
        occurred_at=MONDAY_10AM,
        referring_agency_id=county["agencies"]["police"].pk,
        district_id=(district or county["district"]).pk,
        victim=PersonDetails(given_name="Imogen", family_name="Quatermass", date_of_birth=date(1990, 1, 1)),
        dash_answers={q: DashAnswer(answer="yes" if q <= yes else "no") for q in DASH_RIC_2009.numbers},
        consent=consent,
        consent_reason="" if consent == "given" else "Not safe to ask",
        crime_recorded=crime,
        children=children,
    )


def test_a_standard_risk_referral_has_an_owner_and_a_deadline_for_every_task(county, front_door):
    # No Victim Support agency is set up here: the front door owns the offer until it is passed on.
    made = referral_create(data=referral(county, crime=True)).referral
    tasks = {t.action_type: t for t in made.tasks.all()}
    assert set(tasks) == {"signpost_universal", "victim_support_offer"}
    assert tasks["signpost_universal"].owner_agency == front_door
    assert tasks["victim_support_offer"].owner_agency == front_door
    assert tasks["signpost_universal"].due_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 5 working days
    assert tasks["victim_support_offer"].due_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_consent_refused_at_standard_risk_still_has_an_owner_and_a_deadline(county, front_door):
    made = referral_create(data=referral(county, consent="refused")).referral
    [task] = made.tasks.all()
    assert task.action_type == "signpost_universal" and task.owner_agency == front_door and task.due_at


def coordinator_of(agency):
    return staff_create(
        username=f"coordinator-{agency.pk}",
        agency=agency,
        role=Role.MARAC_COORDINATOR,
        password="correct horse battery staple",
    )


def _second_area(county):
    area = MaracArea.objects.create(
        partnership=county["partnership"], name="South", population=50_000, women_16_plus=20_000
    )
    district = District.objects.create(marac_area=area, name="Southtown", population=50_000, women_16_plus=20_000)
    south_marac = Agency.objects.create(
        partnership=county["partnership"], name="A South MARAC", agency_type=AgencyType.MARAC, marac_area=area
    )
    return district, south_marac


def test_the_marac_referral_goes_to_the_marac_of_the_victims_area(county, front_door):
    southtown, south_marac = _second_area(county)
    county["agencies"]["marac"].marac_area = county["area"]
    county["agencies"]["marac"].save()
    north_marac = county["agencies"]["marac"]
    north = referral_create(data=referral(county, yes=15)).referral
    south = referral_create(data=referral(county, yes=15, district=southtown)).referral

    assert north.tasks.get(action_type="marac_referral").owner_agency == north_marac
    assert south.tasks.get(action_type="marac_referral").owner_agency == south_marac
    assert marac_referral_create(referral=south, user=coordinator_of(south_marac)).receiving_agency == south_marac
    assert marac_referral_create(referral=north, user=coordinator_of(north_marac)).receiving_agency == north_marac


def test_a_child_who_was_not_there_is_still_notified(county, front_door):
    away = ChildDetails(given_name="Kit", family_name="Quatermass", age=7, present=False)
    made = referral_create(data=referral(county, children=(away,))).referral
    kinds = set(made.tasks.values_list("action_type", flat=True))
    assert {"children_services_notification", "school_notification"} <= kinds


def test_the_marac_referral_keeps_the_children(county, front_door):
    coordinator = coordinator_of(county["agencies"]["marac"])
    children = (
        ChildDetails(given_name="Kit", family_name="Quatermass", age=7, present=False),
        ChildDetails(given_name="Bo", family_name="Quatermass", age=2, harmed=True, risk_level="high"),
    )
    made = referral_create(data=referral(county, yes=15, children=children)).referral
    marac = marac_referral_create(referral=made, user=coordinator)
    assert marac.destination == Destination.MARAC
    assert sorted(marac.children.values_list("child__given_name", "age", "present", "harmed", "risk_level")) == [
        ("Bo", 2, True, True, "high"),
        ("Kit", 7, False, False, ""),
    ]


def test_childrens_services_are_told_on_the_childrens_lawful_basis_even_with_the_adults_consent(county, front_door):
    made = referral_create(data=referral(county, children=(ChildDetails(age=7),))).referral
    share = made.shares.get(shared_with=county["agencies"]["childrens"])
    assert "Children Act 1989" in share.lawful_basis
    assert "Children Act 1989" in made.tasks.get(action_type="children_services_notification").lawful_basis
