"""Matching a family to safe-accommodation units (carepath.accommodation.matching): each
unmet criterion named in words, stale vacancies, hold expiry, and the defaults in settings."""

from datetime import UTC, datetime, timedelta

import pytest

from carepath.accommodation import matching as m
from carepath.accommodation.matching import Child, Family, UnitOffer
from carepath.configuration.definitions import PartnershipSettings

pytestmark = pytest.mark.no_database
NOW = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
STEVENAGE, WATFORD = 1, 2


def unit(**kw) -> UnitOffer:
    """A roomy refuge unit in Stevenage that takes most families, available and fresh."""
    base = dict(
        unit_id=1,
        district_id=STEVENAGE,
        bedrooms=2,
        cots=1,
        children_spaces=3,
        vacancy=m.AVAILABLE,
        confirmed_at=NOW - timedelta(hours=1),
    )
    return UnitOffer(**(base | kw))


def test_a_woman_with_a_14_year_old_son_is_not_offered_a_unit_that_takes_boys_up_to_12_and_is_told_why():
    family = Family(children=(Child(age=14, sex=m.BOY), Child(age=9, sex=m.GIRL)))
    assert m.unmatched(family, unit(oldest_boy_age=12)) == ["Takes boys up to 12: her son is 14"]
    result = m.search(family, [unit(oldest_boy_age=12)], now=NOW, stale_hours=24)[0]
    assert not result.matches and result.reasons == ("Takes boys up to 12: her son is 14",)


def test_the_age_limit_is_for_boys_only_and_a_boy_of_the_limit_is_taken():
    assert m.unmatched(Family(children=(Child(age=12, sex=m.BOY),)), unit(oldest_boy_age=12)) == []
    assert m.unmatched(Family(children=(Child(age=16, sex=m.GIRL),)), unit(oldest_boy_age=12)) == []
    assert m.unmatched(Family(children=(Child(age=17, sex=m.BOY),)), unit(oldest_boy_age=None)) == []
    two = Family(children=(Child(age=15, sex=m.BOY), Child(age=13, sex=m.BOY)))
    assert m.unmatched(two, unit(oldest_boy_age=10)) == ["Takes boys up to 10: her sons are 13 and 15"]


@pytest.mark.parametrize(
    ("need", "reason"),
    [
        ("no_recourse_to_public_funds", "Does not accept no recourse to public funds"),
        ("wheelchair", "Not wheelchair accessible"),
        ("pets", "No pets"),
        ("mental_health", "No support for high mental health needs"),
        ("substance_use", "No support for substance use"),
    ],
)
def test_each_need_the_unit_does_not_meet_is_named_and_one_that_meets_it_matches(need, reason):
    family = Family(**{need: True})
    assert m.unmatched(family, unit()) == [reason]
    meets = {
        "no_recourse_to_public_funds": "no_recourse_to_public_funds",
        "wheelchair": "wheelchair_accessible",
        "pets": "pets",
        "mental_health": "mental_health_support",
        "substance_use": "substance_use_support",
    }[need]
    assert m.unmatched(family, unit(**{meets: True})) == []


def test_a_unit_in_a_district_she_must_avoid_says_so():
    family = Family(avoid_districts=frozenset({STEVENAGE}))
    assert m.unmatched(family, unit()) == ["In a district she must avoid"]
    assert m.unmatched(family, unit(district_id=WATFORD)) == []


def test_women_with_two_or_more_barriers_see_every_barrier_named():
    family = Family(no_recourse_to_public_funds=True, mental_health=True, children=(Child(14, m.BOY),))
    assert m.unmatched(family, unit(oldest_boy_age=12)) == [
        "Takes boys up to 12: her son is 14",
        "Does not accept no recourse to public funds",
        "No support for high mental health needs",
    ]


def test_room_for_the_children_cots_for_the_babies_and_bedrooms_for_the_adults():
    three = Family(children=(Child(1), Child(4), Child(6)))
    assert m.unmatched(three, unit(children_spaces=2)) == ["Room for 2 children: she has 3 children"]
    assert m.unmatched(Family(children=(Child(5),)), unit(children_spaces=0)) == ["Takes no children: she has 1 child"]
    assert m.unmatched(Family(children=(Child(0), Child(1))), unit(cots=1)) == ["1 cot: she has 2 babies"]
    assert m.unmatched(Family(children=(Child(0),)), unit(cots=0)) == ["No cots: she has 1 baby"]
    assert m.unmatched(Family(adults=2), unit(bedrooms=1)) == ["1 bedroom: the family has 2 adults"]


def test_male_victims_and_trans_women_are_taken_only_where_the_unit_says_so():
    man = Family(adult=m.MAN, children=(Child(14, m.BOY),))
    assert m.unmatched(man, unit(oldest_boy_age=12)) == [
        "Does not take male victims",
        "Takes boys up to 12: his son is 14",
    ]
    assert m.unmatched(Family(adult=m.MAN), unit(male_victims=True)) == []
    assert m.unmatched(Family(adult=m.TRANS_WOMAN), unit(trans_women=False)) == ["Does not take trans women"]
    assert m.unmatched(Family(adult=m.TRANS_WOMAN), unit()) == []


def test_one_language_staff_speak_is_enough_whatever_its_capitals():
    family = Family(languages=frozenset({"Urdu", "Punjabi"}))
    assert m.unmatched(family, unit(staff_languages=frozenset({"punjabi"}))) == []
    assert m.unmatched(family, unit(staff_languages=frozenset({"Polish"}))) == ["Staff do not speak Punjabi or Urdu"]
    assert m.unmatched(Family(), unit()) == []


def test_a_vacancy_not_confirmed_within_the_hours_is_stale_and_one_never_confirmed_is_too():
    assert not m.is_stale(NOW - timedelta(hours=23, minutes=59), NOW, 24)
    assert m.is_stale(NOW - timedelta(hours=24), NOW, 24)
    assert m.is_stale(None, NOW, 24)
    assert not m.is_stale(NOW - timedelta(hours=30), NOW, 48)


def test_a_hold_expires_after_the_configured_hours():
    assert m.hold_expires_at(NOW, 4) == NOW + timedelta(hours=4)
    assert m.hold_expires_at(NOW, 1) == NOW + timedelta(hours=1)


def test_the_defaults_are_partnership_settings_from_domain_md():
    settings = PartnershipSettings()
    assert settings.accommodation_vacancy_stale_hours == 24
    assert settings.accommodation_hold_hours == 4


def test_a_search_offers_only_available_units_matches_first_then_the_nearest_fresh_before_stale():
    family = Family(pets=True, wheelchair=True)
    units = [
        unit(unit_id=1, pets=True),  # one unmet: wheelchair
        unit(unit_id=2, pets=True, wheelchair_accessible=True, confirmed_at=NOW - timedelta(hours=30)),  # stale
        unit(unit_id=3, pets=True, wheelchair_accessible=True),
        unit(unit_id=4, pets=True, wheelchair_accessible=True, vacancy=m.ON_HOLD),
        unit(unit_id=5, pets=True, wheelchair_accessible=True, vacancy=m.TEMPORARILY_CLOSED),
        unit(unit_id=6, pets=True, wheelchair_accessible=True, vacancy=m.OCCUPIED),
        unit(unit_id=7),  # two unmet
    ]
    results = m.search(family, units, now=NOW, stale_hours=24)
    assert [(r.unit.unit_id, r.matches, r.stale) for r in results] == [
        (3, True, False),
        (2, True, True),
        (1, False, False),
        (7, False, False),
    ]
    assert results[-1].reasons == ("Not wheelchair accessible", "No pets")
