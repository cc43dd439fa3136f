"""Unmet demand counts a family once: a worker re-running the same search for her (same
agency, same needs) within the partnership's window returns the earlier record; another
agency, other needs, or the same search after the window each count anew."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from carepath.accommodation import services
from carepath.accommodation.matching import BOY, Child, Family
from carepath.accommodation.models import UnmetDemand
from carepath.configuration.definitions import PartnershipSettings
from carepath.configuration.services import partnership_settings_update

FAMILY = Family(
    children=(Child(age=15, sex=BOY), Child(age=3)), wheelchair=True, languages=frozenset({"Tigrinya", "Amharic"})
)


def record(county, agency="idva", family=FAMILY, now=None, **kw):
    return services.unmet_demand_record(
        family=family,
        agency=county["agencies"][agency],
        district=county["district"],
        available_units=2,
        now=now or timezone.now(),
        **kw,
    )


def test_the_window_is_a_partnership_setting_of_an_hour_by_default():
    assert PartnershipSettings().accommodation_unmet_demand_window_minutes == 60


def test_the_same_search_by_the_same_agency_within_the_window_counts_once(county):
    now = timezone.now()
    first = record(county, now=now)
    again = record(county, now=now + timedelta(minutes=59), family=Family(**{**FAMILY.__dict__}))
    assert again == first and UnmetDemand.objects.count() == 1
    assert again.searched_at == now  # the first search is when her need was first unmet


def test_another_agency_other_needs_or_the_same_search_after_the_window_each_count(county):
    now = timezone.now()
    first = record(county, now=now)
    others = [
        record(county, agency="police", now=now),
        record(county, family=Family(children=FAMILY.children, wheelchair=True), now=now),  # no languages
        record(county, family=Family(children=(Child(age=15, sex=BOY),), wheelchair=True), now=now),
        record(county, family=Family(**{**FAMILY.__dict__, "pets": True}), now=now),
        record(county, now=now + timedelta(minutes=60)),
    ]
    assert len({first.pk, *(o.pk for o in others)}) == 6 == UnmetDemand.objects.count()


def test_a_window_of_nought_counts_every_search(county):
    now = timezone.now()
    record(county, now=now, window_minutes=0)
    record(county, now=now, window_minutes=0)
    assert UnmetDemand.objects.count() == 2


def test_the_partnership_changes_the_window(county, staff):
    partnership_settings_update(
        user=staff["admin"],
        values={"accommodation_unmet_demand_window_minutes": "15"},
        reason="Workers phone round for a quarter of an hour at most",
    )
    now = timezone.now()
    first = record(county, now=now)
    assert record(county, now=now + timedelta(minutes=14)) == first
    assert record(county, now=now + timedelta(minutes=16)) != first


def test_a_worker_searching_the_board_twice_for_the_same_family_is_recorded_once(refuges, staff, login):
    client = login(staff["idva"])
    query = {"adult": "woman", "adults": 1, "boys": "15", "needs": ["wheelchair", "no_recourse_to_public_funds"]}
    for _ in range(3):
        html = client.get(reverse("accommodation_vacancy_board"), query).content.decode()
        assert "No unit available now meets every need" in html
    assert UnmetDemand.objects.count() == 1
    client.get(reverse("accommodation_vacancy_board"), {**query, "boys": "16"})
    assert UnmetDemand.objects.count() == 2
