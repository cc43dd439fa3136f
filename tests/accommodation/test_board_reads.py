"""The vacancy board reads only what matching needs of each available unit, and loads
whole only the units it shows: the same board as matching every unit loaded whole, in
two queries whatever the register's size, and never a service's address."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carepath.accommodation import matching, selectors
from carepath.accommodation.matching import BOY, Child, Family
from carepath.accommodation.models import Unit, VacancyState


@pytest.fixture
def register(refuges):
    """The refuges' units and a few dozen more of varied capabilities, most available."""
    haven = refuges["haven"]
    now = timezone.now()
    for n in range(40):
        Unit.objects.create(
            accommodation=haven,
            name=f"Room {n}",
            bedrooms=1 + n % 3,
            cots=n % 2,
            children_spaces=n % 4,
            oldest_boy_age=(None, 12, 16)[n % 3],
            wheelchair_accessible=n % 5 == 0,
            pets=n % 7 == 0,
            male_victims=n % 9 == 0,
            trans_women=n % 6 != 0,
            staff_languages=["Polish"] if n % 4 == 0 else ["urdu", "Punjabi"] if n % 4 == 1 else [],
            no_recourse_to_public_funds=n % 8 == 0,
            mental_health_support=n % 3 == 0,
            substance_use_support=n % 5 == 1,
            vacancy=VacancyState.OCCUPIED if n % 10 == 9 else VacancyState.AVAILABLE,
            confirmed_at=None if n % 11 == 0 else now - timedelta(hours=n),
        )
    return refuges


FAMILIES = [
    Family(),
    Family(children=(Child(age=14, sex=BOY), Child(age=1))),
    Family(wheelchair=True, pets=True, no_recourse_to_public_funds=True),
    Family(adult=matching.MAN, mental_health=True),
    Family(adult=matching.TRANS_WOMAN, languages=frozenset({"Urdu"}), substance_use=True),
]


def offer_of(unit: Unit) -> matching.UnitOffer:
    """The unit as matching reads it, from the whole model: the board's reference."""
    return matching.UnitOffer(
        unit_id=unit.pk,
        district_id=unit.accommodation.district_id,
        bedrooms=unit.bedrooms,
        cots=unit.cots,
        children_spaces=unit.children_spaces,
        oldest_boy_age=unit.oldest_boy_age,
        wheelchair_accessible=unit.wheelchair_accessible,
        pets=unit.pets,
        male_victims=unit.male_victims,
        trans_women=unit.trans_women,
        staff_languages=frozenset(unit.staff_languages),
        no_recourse_to_public_funds=unit.no_recourse_to_public_funds,
        mental_health_support=unit.mental_health_support,
        substance_use_support=unit.substance_use_support,
        vacancy=unit.vacancy,
        confirmed_at=unit.confirmed_at,
    )


@pytest.mark.parametrize("batch", [3, 200], ids=["batches of 3", "one batch"])
@pytest.mark.parametrize("family", FAMILIES)
def test_the_board_is_the_one_matching_every_unit_loaded_whole_gives(register, family, batch, monkeypatch):
    monkeypatch.setattr(selectors, "_BATCH", batch)
    monkeypatch.setattr(selectors, "MATCHES_SHOWN", 5)
    monkeypatch.setattr(selectors, "NEAR_SHOWN", 7)
    now = timezone.now()
    board = selectors.vacancy_board(family=family, now=now, stale_hours=24)
    expected = matching.search(family, [offer_of(u) for u in selectors.units_available()], now=now, stale_hours=24)
    matches, near = [r for r in expected if r.matches], [r for r in expected if not r.matches]
    shown = [(r.unit.pk, r.reasons, r.stale) for r in board.matches + board.near]
    assert shown == [(r.unit.unit_id, r.reasons, r.stale) for r in matches[:5] + near[:7]]
    assert (board.available, board.matched, board.nearly) == (len(expected), len(matches), len(near))


def test_the_board_reads_in_two_queries_and_never_loads_an_address(register, django_assert_num_queries):
    # One query for every available unit's capabilities (read in batches from one cursor),
    # one for the units shown.
    with django_assert_num_queries(2) as context:
        board = selectors.vacancy_board(family=Family(), now=timezone.now(), stale_hours=24)
        for row in board.matches + board.near:  # what the board's table shows of each
            assert row.unit.accommodation.district.name and row.unit.accommodation.provider.name
    assert board.available == Unit.objects.filter(vacancy=VacancyState.AVAILABLE).count() > 30
    sql = " ".join(q["sql"] for q in context.captured_queries)
    assert "confidential_address" not in sql
