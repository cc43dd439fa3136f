"""Matching a family to safe-accommodation units (issue 15, item 2). Pure Python, no Django.

A unit matches a family when it can take every one of them and meets every need; else each
criterion it does not meet is named in words ("Takes boys up to 12: her son is 14"), so
that the worker sees how near a unit is and the partnership learns which needs go unmet.

Sources: domain.md "Safe accommodation" and "Defaults for the pathway beyond the front door"
(a vacancy not confirmed for 24 hours is stale; a referral's hold on a unit expires after 4
hours unless the provider extends it: both partnership settings, never constants here);
references.md "Why placements fail" (No Woman Turned Away 2024: no recourse to public funds,
mental health, disability and a teenage son are the barriers that keep women out of refuge;
culturally specific services, disabled access) and "Finding A Bed Tonight" (a shelter's
constraints as data: pets, wheelchair access, languages; availability with its data age and
a stale badge; a "temporarily closed" state; holds that expire).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# The adult's sex or gender, as the units' admission rules need it.
WOMAN, MAN, TRANS_WOMAN = "woman", "man", "trans_woman"
ADULT_WORDS = {WOMAN: "A woman", MAN: "A man", TRANS_WOMAN: "A trans woman"}
# A child's sex: only boys meet an age limit.
GIRL, BOY = "female", "male"
# Vacancy states (models.VacancyState holds the same codes with their words).
AVAILABLE, ON_HOLD, TEMPORARILY_CLOSED, OCCUPIED = "available", "on_hold", "temporarily_closed", "occupied"
#: The needs a family may have (``Family``'s flags of the same names), with their words.
NEEDS = {
    "wheelchair": "Uses a wheelchair",
    "pets": "Has a pet coming with her",
    "no_recourse_to_public_funds": "No recourse to public funds",
    "mental_health": "High support needs: mental health",
    "substance_use": "High support needs: substance use",
}
#: A baby sleeps in a cot: children younger than this need one each. Carepath's assumption
#: (a cot is for a child under two), not a partnership's choice.
COT_UNDER_AGE = 2


@dataclass(frozen=True)
class Child:
    age: int
    sex: str = ""


@dataclass(frozen=True)
class Family:
    """Who needs a place and what they need; no names, no address."""

    adults: int = 1
    adult: str = WOMAN
    children: tuple[Child, ...] = ()
    wheelchair: bool = False
    pets: bool = False
    no_recourse_to_public_funds: bool = False
    mental_health: bool = False
    substance_use: bool = False
    #: Languages she needs staff to speak (one of them is enough); empty when English will do.
    languages: frozenset[str] = frozenset()
    #: Districts she must avoid because the perpetrator is there (district ids).
    avoid_districts: frozenset[int] = frozenset()


@dataclass(frozen=True)
class UnitOffer:
    """A unit's capabilities, where it is and its vacancy as last confirmed."""

    unit_id: int
    district_id: int
    bedrooms: int = 1
    cots: int = 0
    children_spaces: int = 0
    #: The oldest boy accepted, in years; None for any age.
    oldest_boy_age: int | None = None
    wheelchair_accessible: bool = False
    pets: bool = False
    male_victims: bool = False
    trans_women: bool = True
    staff_languages: frozenset[str] = field(default_factory=frozenset)
    no_recourse_to_public_funds: bool = False
    mental_health_support: bool = False
    substance_use_support: bool = False
    vacancy: str = OCCUPIED
    confirmed_at: datetime | None = None


def _ages(ages: list[int]) -> str:
    words = [str(a) for a in sorted(ages)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def unmatched(family: Family, unit: UnitOffer) -> list[str]:
    """Each criterion of the family the unit does not meet, in words; empty for a match.
    The vacancy is not a criterion here (``available_now`` says whether it can be offered)."""
    her = "his" if family.adult == MAN else "her"
    she = "he" if family.adult == MAN else "she"
    reasons: list[str] = []
    if unit.district_id in family.avoid_districts:
        reasons.append(f"In a district {she} must avoid")
    if family.adult == MAN and not unit.male_victims:
        reasons.append("Does not take male victims")
    if family.adult == TRANS_WOMAN and not unit.trans_women:
        reasons.append("Does not take trans women")
    if family.adults > unit.bedrooms:
        reasons.append(f"{_count(unit.bedrooms, 'bedroom').capitalize()}: the family has {family.adults} adults")
    children = len(family.children)
    if children > unit.children_spaces:
        room = (
            f"Room for {_count(unit.children_spaces, 'child', 'children')}"
            if unit.children_spaces
            else "Takes no children"
        )
        reasons.append(f"{room}: {she} has {_count(children, 'child', 'children')}")
    babies = sum(1 for c in family.children if c.age < COT_UNDER_AGE)
    if babies > unit.cots:
        reasons.append(f"{_count(unit.cots, 'cot').capitalize()}: {she} has {_count(babies, 'baby', 'babies')}")
    if unit.oldest_boy_age is not None:
        too_old = [c.age for c in family.children if c.sex == BOY and c.age > unit.oldest_boy_age]
        if too_old:
            sons = f"{her} son is" if len(too_old) == 1 else f"{her} sons are"
            reasons.append(f"Takes boys up to {unit.oldest_boy_age}: {sons} {_ages(too_old)}")
    if family.wheelchair and not unit.wheelchair_accessible:
        reasons.append("Not wheelchair accessible")
    if family.pets and not unit.pets:
        reasons.append("No pets")
    if family.no_recourse_to_public_funds and not unit.no_recourse_to_public_funds:
        reasons.append("Does not accept no recourse to public funds")
    if family.mental_health and not unit.mental_health_support:
        reasons.append("No support for high mental health needs")
    if family.substance_use and not unit.substance_use_support:
        reasons.append("No support for substance use")
    if family.languages:
        spoken = {language.casefold() for language in unit.staff_languages}
        if not any(language.casefold() in spoken for language in family.languages):
            reasons.append(f"Staff do not speak {' or '.join(sorted(family.languages))}")
    return reasons


def _count(n: int, one: str, many: str = "") -> str:
    """``2 bedrooms``, ``1 child``, ``no cots``."""
    return f"{n or 'no'} {one if n == 1 else (many or one + 's')}"


def available_now(unit: UnitOffer) -> bool:
    """Whether the unit can be offered tonight: its provider says it is available."""
    return unit.vacancy == AVAILABLE


def is_stale(confirmed_at: datetime | None, now: datetime, stale_hours: int) -> bool:
    """A vacancy not confirmed within ``stale_hours`` (domain.md: 24 by default) is stale;
    one never confirmed is stale."""
    return confirmed_at is None or now - confirmed_at >= timedelta(hours=stale_hours)


def hold_expires_at(placed_at: datetime, hold_hours: int) -> datetime:
    """When a referral's hold on a unit lapses unless the provider extends it (domain.md:
    4 hours by default)."""
    return placed_at + timedelta(hours=hold_hours)


@dataclass(frozen=True)
class Result:
    unit: UnitOffer
    reasons: tuple[str, ...]
    stale: bool

    @property
    def matches(self) -> bool:
        return not self.reasons


def search(family: Family, units: Iterable[UnitOffer], *, now: datetime, stale_hours: int) -> list[Result]:
    """Every unit available now, with what it does not meet: matches first, then the nearest
    (fewest unmet criteria); freshly confirmed before stale within each."""
    results = [
        Result(unit=u, reasons=tuple(unmatched(family, u)), stale=is_stale(u.confirmed_at, now, stale_hours))
        for u in units
        if available_now(u)
    ]
    return sorted(results, key=lambda r: (len(r.reasons), r.stale, r.unit.unit_id))
