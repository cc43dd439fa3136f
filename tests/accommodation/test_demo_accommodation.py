"""`carepath demo-accommodation` on a small county: two of Table 11's refuges get their
units, vacancies and a year of history, demo-refuge has referrals to answer, victims the
IDVA service holds have stays, nobody gets an address, and a second run adds nothing."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from carepath.accommodation import selectors
from carepath.accommodation.models import (
    AccommodationKind,
    Hold,
    HoldStatus,
    Placement,
    PlacementStatus,
    SafeAccommodation,
    Unit,
    UnmetDemand,
    VacancyState,
)
from carepath.casework.models import Case, CaseSource, Service, ServiceKind, Worker
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, User
from carepath.core.services import staff_create
from carepath.people.models import Address, Person


@pytest.fixture
def demo_county(county, front_door, settings):
    settings.DEMO_MODE = True
    partnership, district = county["partnership"], county["district"]
    dacorum, watford = (
        Agency.objects.create(partnership=partnership, name=name, agency_type=AgencyType.REFUGE_PROVIDER)
        for name in ("Dacorum Women's Aid", "Watford Women's Refuge")
    )
    for provider, name, units in (
        (dacorum, "Dacorum Women's Aid Refuge", 6),
        (watford, "Watford Women's Refuge", 8),
    ):
        SafeAccommodation.objects.create(
            provider=provider,
            name=name,
            kind=AccommodationKind.REFUGE,
            district=district,
            units=units,
            confidential_address=f"{units} Hidden Lane",
        )
    agencies = county["agencies"]
    staff_create(username="demo-refuge", agency=dacorum, role=Role.REFUGE_WORKER, password=None)
    staff_create(username="demo-triage-worker", agency=front_door, role=Role.TRIAGE, password=None)
    idva = staff_create(username="demo-idva", agency=agencies["idva"], role=Role.IDVA, password=None)
    service = Service.objects.create(agency=agencies["idva"], name="Testshire IDVA Service", kind=ServiceKind.IDVA)
    worker = Worker.objects.create(user=idva, service=service)
    now = timezone.now()
    for n in range(30):
        victim = Person.objects.create(
            recorded_by=agencies["idva"],
            given_name=f"Victim{n}",
            family_name="Demo",
            date_of_birth=date(1985, 1, 1),
            sex="female",
        )
        Case.objects.create(
            service=service,
            victim=victim,
            source=CaseSource.AGENCY,
            worker=worker,
            referred_at=now - timedelta(days=360 - n * 11),
        )
    return {"dacorum": dacorum}


def demo() -> str:
    out = StringIO()
    call_command("demo-accommodation", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Unit, Hold, Placement, UnmetDemand, Person, Unit.history.model, Placement.history.model)
    }


def test_the_refuges_get_their_units_vacancies_a_year_of_history_and_stays(demo_county):
    addresses = Address.objects.count()
    assert "Refuges: 14 units in 2 refuges" in demo()
    for refuge in SafeAccommodation.objects.all():
        assert refuge.unit_set.count() == refuge.units
        assert refuge.specialist_for and refuge.support_types and refuge.quality_standard
        assert refuge.annual_funding > 0 and "Accommodation Solutions" in refuge.funded_by
    watford = SafeAccommodation.objects.get(name="Watford Women's Refuge")
    assert set(watford.unit_set.values_list("culturally_specific", flat=True)) == {"South Asian women"}
    assert watford.quality_standard == "imkaan"
    vacancies = set(Unit.objects.values_list("vacancy", flat=True))
    assert {VacancyState.OCCUPIED, VacancyState.AVAILABLE, VacancyState.ON_HOLD} <= vacancies
    ended = set(Hold.objects.values_list("status", flat=True))
    assert {HoldStatus.ACCEPTED, HoldStatus.DECLINED, HoldStatus.CANCELLED, HoldStatus.EXPIRED} <= ended
    assert (
        Hold.objects.exclude(decline_reason="").filter(status=HoldStatus.DECLINED).count()
        == Hold.objects.filter(status=HoldStatus.DECLINED).count()
    )
    assert UnmetDemand.objects.count() > 20
    statuses = set(Placement.objects.values_list("status", flat=True))
    assert {PlacementStatus.STAYING, PlacementStatus.LEFT, PlacementStatus.DECLINED} <= statuses
    left = Placement.objects.filter(status=PlacementStatus.LEFT)
    assert all(p.move_on and p.departure and p.nights >= 14 for p in left)
    assert Placement.objects.filter(person__casework_cases__isnull=False).count() >= 10
    assert Address.objects.count() == addresses  # nobody is given an address
    for unit in Unit.objects.all():  # one family at a time in a unit
        stays = sorted(
            (p.arrived_on, p.left_on or timezone.localdate()) for p in unit.placements.filter(arrived_on__isnull=False)
        )
        assert all(later[0] >= earlier[1] for earlier, later in zip(stays, stays[1:], strict=False))


def test_demo_refuge_has_referrals_to_answer_from_the_board(demo_county):
    demo()
    refuge = User.objects.get(username="demo-refuge")
    waiting = list(selectors.holds_to_decide(user=refuge))
    assert waiting and all(h.expires_at > timezone.now() and h.placement for h in waiting)
    assert Placement.objects.filter(status=PlacementStatus.REFERRED, referrer_elsewhere__gt="").exists()


def test_a_second_run_adds_nothing_and_the_demo_is_the_same_every_time(demo_county):
    demo()
    first = counts()
    units = list(Unit.objects.order_by("pk").values_list("name", "bedrooms", "children_spaces", "oldest_boy_age"))
    assert "nothing added" in demo()
    assert counts() == first
    assert (
        list(Unit.objects.order_by("pk").values_list("name", "bedrooms", "children_spaces", "oldest_boy_age")) == units
    )


def test_only_in_demo_mode_and_only_when_demo_refuge_provides_a_refuge(demo_county, settings, county):
    User.objects.filter(username="demo-refuge").update(agency=county["agencies"]["housing"])
    with pytest.raises(CommandError, match="provides none of the refuges"):
        demo()
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only for demo mode"):
        demo()
    assert not Unit.objects.exists()
