"""The Domestic Abuse Act 2021 Part 4 annual return of safe accommodation, and the
partnership's operational reports of it, counted from plain rows. Pure Python, no Django.

Sources: domain.md "Safe accommodation" (Domestic Abuse Act 2021 Part 4; seed 003 §13.2:
the council's annual return covers units commissioned by type; specialist services and
support types provided; people supported - women, men, trans adults, children - and their
specialist characteristics; households that could not be supported, by reason, no space
the commonest; households that moved on, and where to; quality; finance), references.md
"Domestic Abuse Act 2021 Part 4 annual return" (households that stopped receiving support
with reason, sanctuary schemes apart; commissioned bedspaces by type) and "Why placements
fail" (No Woman Turned Away 2024: the reasons and barriers counted here), domain.md
"Board reporting" (refuge occupancy, declined referrals and reasons) and seed 002 §5 (the
Council of Europe's one family place per 10,000 people: the partnership's setting
``refuge_places_per_10k_population``, which the planner uses too).

Every figure is a ``Line``: its section and its words, never a code, and how it is
counted. Decisions a commissioner may ask about:

- **The year** is the calendar year (1 January to 31 December); a **period** of the
  operational reports is any run of whole days. Stays are ``arrived_on`` to ``left_on``:
  the night of ``left_on`` is not stayed, so a stay from 1 to 3 March is two nights.
- **People supported** are the adults referred (one person however many stays she had in
  the year; her first stay in the year says whether she is a woman, a man or a trans
  adult, and her age is at that arrival), the other adults with her, and the children,
  of every stay in the area's own units that overlaps the year. A woman who stays twice
  is counted once, with the larger of her households. A family referred to a service
  outside the area is supported by that area's return, not this one.
- **Specialist characteristics** are of the adults referred, from her person record:
  Black and minoritised and LGBT+ as the MARAC return counts them
  (``carepath.marac.returns``: every ethnic group but White British and not stated; a
  sexual orientation other than straight or not stated, or trans), disabled when
  recorded yes; ages 16-17, 18-25 and 60 or over at her arrival; and the needs recorded
  on her referral (no recourse to public funds, mental health, substance use, a
  wheelchair) on any of her stays.
- **Households that could not be supported** are the referrals a provider declined in
  the year (the day it declined), by its reason, and, for "her needs cannot be met",
  which need. Vacancy searches that found no suitable unit available are counted apart
  (one family may search many times: they are searches, not households), by need.
- **Households that stopped receiving support** are stays that ended in the year, by
  why and where to; sanctuary schemes (her own home made safe) are reported apart, as
  the return asks, and left out of the length of stay, occupancy and voids.
- **Out of area**: of the referrals made in the period, those from outside the area (no
  home district) and those the area referred to a service elsewhere (no unit).
- **Family places** (sufficiency) are the units commissioned of refuge, specialist safe
  accommodation and dispersed accommodation: the kinds that are a specialist refuge
  place with support. Second-stage, sanctuary and other emergency accommodation are not.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from carepath.accommodation import matching
from carepath.core.ages import age_on
from carepath.marac.returns import is_lgbt, is_minoritised, percent

# The codes of ``carepath.accommodation.models`` and ``carepath.people.models`` this module
# reads (tests check they are still the models' codes).
SANCTUARY = "sanctuary"
FAMILY_PLACE_KINDS = frozenset({"refuge", "specialist", "dispersed"})
DECLINED = "declined"
NEEDS_NOT_MET = "needs_not_met"
NO_SPACE = "no_space"
AVAILABLE = matching.AVAILABLE
DISABLED = "yes"
ETHNICITY_NOT_STATED = "not_stated"
#: The needs on a referral the return counts as specialist characteristics (matching.NEEDS).
CHARACTERISTIC_NEEDS = ("no_recourse_to_public_funds", "mental_health", "substance_use", "wheelchair")
NOT_RECORDED = "Not recorded"

# What a figure is, for pages and files.
COUNT, PERCENT, NIGHTS, DECIMAL, MONEY, TEXT = "count", "percent", "nights", "decimal", "money", "text"


class YearError(ValueError):
    """A year that is not one a return can be for: the message says what to type."""


class PeriodError(ValueError):
    """A period that is not one: the message says what is wrong."""


def year_parse(text) -> int:
    """ "2026" as the year 2026; a ``YearError`` saying what to type for anything else."""
    text = str(text if text is not None else "").strip()
    if not re.fullmatch(r"\d{4}", text):
        raise YearError(f"{text!r} is not a year: give the calendar year in four figures, like 2026.")
    year = int(text)
    if not 2021 <= year <= 2100:
        # Part 4 of the Domestic Abuse Act 2021 began in 2021: there is no return before it.
        raise YearError(f"{year} is not a year a Part 4 return can be for: the duty began in 2021.")
    return year


@dataclass(frozen=True)
class Period:
    """Whole days from ``first`` to ``last``, both included."""

    first: date
    last: date

    def __post_init__(self):
        if self.last < self.first:
            raise PeriodError("The period ends before it starts: give the first day, then the last.")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def nights(self) -> int:
        return (self.last - self.first).days + 1

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.last

    def __str__(self) -> str:
        return f"{self.first:%-d %B %Y} to {self.last:%-d %B %Y}"


@dataclass(frozen=True)
class Words:
    """The words of every code, in the order the return lists them: (code, words) pairs
    of the models' choices, passed in so that this module needs no Django."""

    kinds: tuple[tuple[str, str], ...]
    groups: tuple[tuple[str, str], ...]
    support: tuple[tuple[str, str], ...]
    quality: tuple[tuple[str, str], ...]
    declines: tuple[tuple[str, str], ...]
    unmet_needs: tuple[tuple[str, str], ...]
    departures: tuple[tuple[str, str], ...]
    move_on: tuple[tuple[str, str], ...]


# Rows: what the return needs of each record, codes and dates only - no names, no address.
@dataclass(frozen=True)
class ServiceRow:
    service_id: int
    kind: str
    district_id: int
    units: int  # the units commissioned (SafeAccommodation.units)
    specialist_for: tuple[str, ...] = ()
    support_types: tuple[str, ...] = ()
    quality_standard: str = ""
    annual_funding: Decimal | None = None
    funded_by: str = ""


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    service_id: int
    vacancy: str = ""


@dataclass(frozen=True)
class PlacementRow:
    placement_id: int
    person_id: int
    referred_on: date
    unit_id: int | None  # None: referred to a service outside the area
    home_district_id: int | None  # None: came from outside the area
    adult: str  # matching.WOMAN, MAN or TRANS_WOMAN
    adults: int = 1
    children: int = 0
    needs: tuple[str, ...] = ()
    arrived_on: date | None = None
    left_on: date | None = None
    departure: str = ""
    move_on: str = ""
    ethnicity: str = ETHNICITY_NOT_STATED
    sexual_orientation: str = "not_stated"
    trans: str = "not_known"
    disability: str = "not_known"
    born: date | None = None


@dataclass(frozen=True)
class DeclineRow:
    """A hold the provider declined, on the day it declined."""

    declined_on: date
    service_id: int
    reason: str
    unmet_need: str = ""


@dataclass(frozen=True)
class DemandRow:
    """A vacancy search that found no suitable unit available."""

    searched_on: date
    needs: tuple[str, ...] = ()
    children: int = 0
    available_units: int = 0


@dataclass(frozen=True)
class Line:
    section: str
    label: str
    value: int | Decimal | str | None  # None: not given (no figure to count it from)
    kind: str = COUNT
    counted: str = ""


@dataclass(frozen=True)
class Table:
    """An operational report: a title, its column headers and rows of words and numbers."""

    title: str
    columns: tuple[str, ...]
    #: Each row's cells as (value, kind): TEXT, COUNT, PERCENT, NIGHTS or MONEY.
    rows: tuple[tuple[tuple[object, str], ...], ...]
    note: str = ""


def _cells(values: Sequence, kinds: Sequence[str]) -> tuple[tuple[object, str], ...]:
    return tuple(zip(values, kinds, strict=True))


@dataclass(frozen=True)
class AnnualReturn:
    year: int
    lines: tuple[Line, ...]
    notes: tuple[str, ...] = ()

    @property
    def sections(self) -> list[tuple[str, list[Line]]]:
        """The lines grouped by section, in order."""
        found: dict[str, list[Line]] = {}
        for line in self.lines:
            found.setdefault(line.section, []).append(line)
        return list(found.items())

    def value(self, section: str, label: str):
        return next(line.value for line in self.lines if line.section == section and line.label == label)

    def as_dict(self) -> dict:
        """The return as JSON-able data: its sections with their lines, by their words."""
        return {
            "return": "Domestic Abuse Act 2021 Part 4 annual return of safe accommodation",
            "year": self.year,
            "period": str(Period.year(self.year)),
            "sections": [
                {
                    "section": name,
                    "lines": [{"line": line.label, "value": json_value(line.value)} for line in lines],
                }
                for name, lines in self.sections
            ],
            "notes": list(self.notes),
        }


def json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


# Sections of the return, in its order.
UNITS = "Units commissioned by type"
SPECIALIST = "Specialist services"
SUPPORT = "Support types provided"
PEOPLE = "People supported"
CHARACTERISTICS = "Specialist characteristics of the adults referred"
NOT_SUPPORTED = "Households that could not be supported"
UNMET = "Vacancy searches that found no suitable unit"
STOPPED = "Households that stopped receiving support"
MOVED_TO = "Where households moved on to"
SANCTUARY_STOPPED = "Sanctuary schemes: households that stopped receiving support"
STAY = "Length of stay and out of area"
QUALITY = "Quality"
FINANCE = "Finance"


def stay_overlaps(row: PlacementRow, period: Period) -> bool:
    """A stay that began by the period's last day and had not ended before its first."""
    return row.arrived_on is not None and row.arrived_on <= period.last and (row.left_on or period.last) >= period.first


def nights_in(row: PlacementRow, period: Period) -> int:
    """Nights of the stay inside the period (the night of ``left_on`` is not stayed)."""
    if row.arrived_on is None:
        return 0
    start = max(row.arrived_on, period.first)
    end = min(row.left_on or period.last + timedelta(days=1), period.last + timedelta(days=1))
    return max(0, (end - start).days)


def _one_place(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _by_code(counts: Counter, pairs: Sequence[tuple[str, str]], section: str, counted: str = "") -> list[Line]:
    """A line per code in the models' order, then one for codes not recorded (blank) or no
    longer known, so that every row counted is on a line."""
    lines = [Line(section, words, counts.get(code, 0), counted=counted) for code, words in pairs]
    known = {code for code, _ in pairs}
    other = sum(n for code, n in counts.items() if code not in known)
    if other:
        lines.append(Line(section, NOT_RECORDED, other, counted="Rows with no code recorded, or one no longer used."))
    return lines


def _service_kind(units: Mapping[int, int], services: Mapping[int, ServiceRow], unit_id: int | None) -> str | None:
    service_id = units.get(unit_id) if unit_id is not None else None
    return services[service_id].kind if service_id in services else None


def units_lines(services: Sequence[ServiceRow], units: Sequence[UnitRow], words: Words) -> list[Line]:
    by_service = Counter(u.service_id for u in units)
    lines = []
    for code, label in words.kinds:
        of_kind = [s for s in services if s.kind == code]
        lines += [
            Line(UNITS, f"{label}: services", len(of_kind)),
            Line(
                UNITS,
                f"{label}: units commissioned",
                sum(s.units for s in of_kind),
                counted="The family units (bedspaces) each service is commissioned for.",
            ),
            Line(
                UNITS,
                f"{label}: units recorded in Carepath",
                sum(by_service[s.service_id] for s in of_kind),
                counted="The units its provider keeps a vacancy for; fewer than commissioned means some are not set up.",
            ),
        ]
    lines += [
        Line(UNITS, "All services", len(services)),
        Line(UNITS, "All units commissioned", sum(s.units for s in services)),
        Line(UNITS, "All units recorded in Carepath", len(units)),
    ]
    return lines


def _people_lines(stays: Sequence[PlacementRow], units: Mapping[int, int], services) -> list[Line]:
    """People supported, one adult referred per person: her first stay in the period says who
    she is; other adults and children are the most of any of her stays."""
    first: dict[int, PlacementRow] = {}
    others: Counter = Counter()
    children: Counter = Counter()
    needs: dict[int, set[str]] = {}
    for row in sorted(stays, key=lambda r: (r.arrived_on, r.placement_id)):
        first.setdefault(row.person_id, row)
        others[row.person_id] = max(others[row.person_id], max(row.adults - 1, 0))
        children[row.person_id] = max(children[row.person_id], row.children)
        needs.setdefault(row.person_id, set()).update(row.needs)
    adults = list(first.values())
    by_kind = Counter(r.adult for r in adults)
    other_adults, all_children = sum(others.values()), sum(children.values())
    sanctuary = sum(1 for r in stays if _service_kind(units, services, r.unit_id) == SANCTUARY)
    lines = [
        Line(
            PEOPLE,
            "Households supported (stays)",
            len(stays),
            counted="Stays in the area's units that overlap the year: a household that stayed twice counts twice.",
        ),
        Line(PEOPLE, "Of which in sanctuary schemes", sanctuary),
        Line(PEOPLE, "Women", by_kind.get(matching.WOMAN, 0), counted="Adults referred, each counted once."),
        Line(PEOPLE, "Men", by_kind.get(matching.MAN, 0), counted="Adults referred, each counted once."),
        Line(PEOPLE, "Trans adults", by_kind.get(matching.TRANS_WOMAN, 0), counted="Adults referred, each once."),
        Line(PEOPLE, "Other adults in the households", other_adults, counted="The other adults with her."),
        Line(PEOPLE, "Children", all_children, counted="The children with her (the most of any of her stays)."),
        Line(PEOPLE, "All people supported", len(adults) + other_adults + all_children),
    ]

    def count(test) -> int:
        return sum(1 for r in adults if test(r))

    def aged(low: int, high: int | None):
        def test(r: PlacementRow) -> bool:
            age = age_on(r.born, r.arrived_on)
            return age is not None and age >= low and (high is None or age <= high)

        return test

    n = len(adults)
    characteristics = [
        ("Black and minoritised", count(lambda r: is_minoritised(r.ethnicity)), "Every ethnic group but White British "
         "and not stated, as the MARAC return counts it."),
        ("Ethnicity not recorded", count(lambda r: r.ethnicity == ETHNICITY_NOT_STATED), ""),
        ("LGBT+", count(lambda r: is_lgbt(r.sexual_orientation, r.trans)), "A sexual orientation other than straight "
         "or not stated, or trans."),
        ("Disabled", count(lambda r: r.disability == DISABLED), ""),
        ("Aged 16 or 17", count(aged(16, 17)), "Age on arrival."),
        ("Aged 18 to 25", count(aged(18, 25)), "Age on arrival."),
        ("Aged 60 or over", count(aged(60, None)), "Age on arrival."),
        ("Age not known", count(lambda r: r.born is None), ""),
    ] + [
        (matching.NEEDS[code], sum(1 for p in first if code in needs[p]), "Recorded on her referral.")
        for code in CHARACTERISTIC_NEEDS
    ]  # fmt: skip
    for label, value, counted in characteristics:
        lines.append(Line(CHARACTERISTICS, label, value, counted=counted))
        lines.append(Line(CHARACTERISTICS, f"{label}: percentage of adults referred", percent(value, n), PERCENT))
    return lines


def declines_lines(declines: Sequence[DeclineRow], words: Words) -> list[Line]:
    lines = [
        Line(
            NOT_SUPPORTED,
            "Referrals declined",
            len(declines),
            counted="Referrals a provider declined, on the day it declined.",
        )
    ]
    lines += _by_code(Counter(d.reason for d in declines), words.declines, NOT_SUPPORTED)
    needs = Counter(d.unmet_need for d in declines if d.reason == NEEDS_NOT_MET)
    lines += [
        Line(NOT_SUPPORTED, f"Her needs cannot be met: {line.label[0].lower()}{line.label[1:]}", line.value)
        for line in _by_code(needs, words.unmet_needs, NOT_SUPPORTED)
    ]
    return lines


def demand_lines(demand: Sequence[DemandRow]) -> list[Line]:
    lines = [
        Line(
            UNMET,
            "No suitable unit available",
            len(demand),
            counted="Vacancy searches that found no unit available to meet the family's needs: searches, not "
            "households (one family may search many times).",
        ),
        Line(UNMET, "Of which no unit available at all", sum(1 for d in demand if d.available_units == 0)),
        Line(UNMET, "With children", sum(1 for d in demand if d.children)),
    ]
    needs = Counter(code for d in demand for code in set(d.needs))
    lines += [Line(UNMET, words, needs.get(code, 0)) for code, words in matching.NEEDS.items()]
    return lines


def _ended_lines(ended: Sequence[PlacementRow], words: Words, section: str, moved: str | None) -> list[Line]:
    lines = [Line(section, "Households whose stay ended", len(ended), counted="Stays that ended in the year.")]
    lines += _by_code(Counter(r.departure for r in ended), words.departures, section)
    if moved:
        lines += _by_code(Counter(r.move_on for r in ended), words.move_on, moved)
    return lines


def stay_lines(ended: Sequence[PlacementRow], referred: Sequence[PlacementRow], section: str = STAY) -> list[Line]:
    nights = [(r.left_on - r.arrived_on).days for r in ended if r.arrived_on and r.left_on]
    from_outside = sum(1 for r in referred if r.home_district_id is None)
    referred_out = sum(1 for r in referred if r.unit_id is None)
    return [
        Line(
            section,
            "Median length of stay",
            _one_place(statistics.median(nights)) if nights else None,
            NIGHTS,
            "Nights, of stays in accommodation that ended in the period (sanctuary schemes apart).",
        ),
        Line(section, "Mean length of stay", _one_place(statistics.fmean(nights)) if nights else None, NIGHTS),
        Line(section, "Referrals made", len(referred), counted="Referrals made in the period, wherever to."),
        Line(section, "From outside the area", from_outside, counted="Referrals with no home district in the area."),
        Line(section, "From outside the area: percentage", percent(from_outside, len(referred)), PERCENT),
        Line(section, "Referred to a service outside the area", referred_out, counted="Referrals to no unit here."),
        Line(section, "Referred outside the area: percentage", percent(referred_out, len(referred)), PERCENT),
    ]


def finance_lines(services: Sequence[ServiceRow], words: Words) -> list[Line]:
    funded = [s for s in services if s.annual_funding is not None]
    lines = [
        Line(FINANCE, "Annual funding of all services", sum((s.annual_funding for s in funded), Decimal(0)), MONEY),
        Line(FINANCE, "Services whose funding is not recorded", len(services) - len(funded)),
    ]
    for code, label in words.kinds:
        total = sum((s.annual_funding for s in funded if s.kind == code), Decimal(0))
        lines.append(Line(FINANCE, f"Annual funding: {label}", total, MONEY))
    funders = Counter(s.funded_by.strip() for s in services if s.funded_by.strip())
    lines += [Line(FINANCE, f"Funded by {name}", n, counted="Services") for name, n in sorted(funders.items())]
    return lines


@dataclass
class _Split:
    """The placement rows sorted once by what each figure needs of them."""

    stays: list[PlacementRow] = field(default_factory=list)
    ended: list[PlacementRow] = field(default_factory=list)
    ended_sanctuary: list[PlacementRow] = field(default_factory=list)
    referred: list[PlacementRow] = field(default_factory=list)


def _split(placements: Iterable[PlacementRow], units: Mapping[int, int], services, period: Period) -> _Split:
    split = _Split()
    for row in placements:
        if row.referred_on in period:
            split.referred.append(row)
        if row.unit_id is None or not stay_overlaps(row, period):
            continue
        split.stays.append(row)
        if row.left_on in period:
            kind = _service_kind(units, services, row.unit_id)
            (split.ended_sanctuary if kind == SANCTUARY else split.ended).append(row)
    return split


def annual_return(
    *,
    year: int,
    services: Sequence[ServiceRow],
    units: Sequence[UnitRow],
    placements: Iterable[PlacementRow],
    declines: Iterable[DeclineRow],
    demand: Iterable[DemandRow],
    words: Words,
) -> AnnualReturn:
    """The Part 4 annual return for a calendar year. Rows outside the year may be passed:
    each figure takes only those of the year, as the module's docstring says."""
    period = Period.year(year)
    by_id = {s.service_id: s for s in services}
    unit_service = {u.unit_id: u.service_id for u in units}
    split = _split(placements, unit_service, by_id, period)
    declined = [d for d in declines if d.declined_on in period]
    searched = [d for d in demand if d.searched_on in period]
    groups = Counter(code for s in services for code in set(s.specialist_for))
    support = Counter(code for s in services for code in set(s.support_types))
    lines = (
        units_lines(services, units, words)
        + _by_code(groups, words.groups, SPECIALIST, counted="Services specialising in the group.")
        + _by_code(support, words.support, SUPPORT, counted="Services giving the support.")
        + _people_lines(split.stays, unit_service, by_id)
        + declines_lines(declined, words)
        + demand_lines(searched)
        + _ended_lines(split.ended, words, STOPPED, MOVED_TO)
        + _ended_lines(split.ended_sanctuary, words, SANCTUARY_STOPPED, None)
        + stay_lines(split.ended, split.referred)
        + _by_code(Counter(s.quality_standard for s in services), words.quality, QUALITY, counted="Services.")
        + finance_lines(services, words)
    )
    notes = (
        "Services, units, quality and funding are as recorded now; people, households and searches are of the year.",
    )
    return AnnualReturn(year=year, lines=tuple(lines), notes=notes)


# --- Operational reports (domain.md "Board reporting": refuge occupancy, declined
# referrals and reasons; seed 002 §5: sufficiency against the Council of Europe's rate).


def occupancy_table(
    *, services: Sequence[ServiceRow], units: Sequence[UnitRow], placements: Iterable[PlacementRow],
    period: Period, words: Words,
) -> Table:  # fmt: skip
    """Unit-nights occupied of unit-nights available, by kind of service, and the voids:
    units available now and unit-nights with no stay. Sanctuary schemes are left out: her
    own home has no nights to fill."""
    by_id = {s.service_id: s for s in services}
    unit_kind = {u.unit_id: by_id[u.service_id].kind for u in units if u.service_id in by_id}
    occupied = Counter()
    for row in placements:
        kind = unit_kind.get(row.unit_id)
        if kind and kind != SANCTUARY:
            occupied[kind] += nights_in(row, period)
    rows, total = [], [0, 0, 0, 0]
    for code, label in words.kinds:
        if code == SANCTUARY:
            continue
        of_kind = [u for u in units if unit_kind.get(u.unit_id) == code]
        available = len(of_kind) * period.nights
        # A stay recorded on more nights than the unit has (overlapping stays) cannot make a void negative.
        filled = min(occupied[code], available)
        now = sum(1 for u in of_kind if u.vacancy == AVAILABLE)
        rows.append((label, len(of_kind), available, filled, percent(filled, available), available - filled, now))
        total = [total[0] + len(of_kind), total[1] + available, total[2] + filled, total[3] + now]
    rows.append(("All kinds", total[0], total[1], total[2], percent(total[2], total[1]), total[1] - total[2], total[3]))
    return Table(
        title="Occupancy and voids",
        columns=(
            "Kind of service",
            "Units",
            "Unit-nights available",
            "Unit-nights occupied",
            "Occupancy",
            "Unit-nights empty (voids)",
            "Units available now",
        ),
        rows=tuple(_cells(r, (TEXT, COUNT, COUNT, COUNT, PERCENT, COUNT, COUNT)) for r in rows),
        note=f"{period}: {period.nights} nights. Occupied nights are those of stays recorded in the units; "
        "sanctuary schemes are left out.",
    )


def lines_table(title: str, lines: Sequence[Line], note: str = "") -> Table:
    """Lines of the return as a two-column table: the figure in words, and its number."""
    return Table(
        title=title,
        columns=("Figure", "Number"),
        rows=tuple(((line.label, TEXT), (line.value, line.kind)) for line in lines),
        note=note,
    )


def sufficiency_table(
    *, services: Sequence[ServiceRow], districts: Sequence[tuple[int, str, int]], places_per_10k: Decimal,
    district_id: int | None = None,
) -> Table:  # fmt: skip
    """Family places (units commissioned of refuge kinds) by district and for the county,
    against ``places_per_10k`` family places per 10,000 people (the Council of Europe's one:
    the partnership's setting the planner also uses). ``districts`` are (id, name,
    population)."""
    places = Counter()
    for s in services:
        if s.kind in FAMILY_PLACE_KINDS:
            places[s.district_id] += s.units
    rows = []

    def row(name: str, population: int, have: int):
        expected = _one_place(Decimal(population) * Decimal(places_per_10k) / 10_000) if population else None
        gap = None if expected is None else _one_place(Decimal(have) - expected)
        return (name, population or None, have, expected, gap, percent(have, expected) if expected else None)

    for pk, name, population in sorted(districts, key=lambda d: d[1]):
        if district_id is None or pk == district_id:
            rows.append(row(name, population, places.get(pk, 0)))
    rows.append(row("County", sum(p for _, _, p in districts), sum(places.values())))
    return Table(
        title="Sufficiency: family places against the population",
        columns=("Area", "Population", "Family places", "Places recommended", "More (or fewer) than recommended",
                 "Of the recommended"),
        rows=tuple(_cells(r, (TEXT, COUNT, COUNT, DECIMAL, DECIMAL, PERCENT)) for r in rows),
        note=f"Family places are the units commissioned of refuges, specialist safe accommodation and dispersed "
        f"accommodation; recommended is {places_per_10k} per 10,000 people (the Council of Europe's recommendation).",
    )  # fmt: skip


def operational_reports(
    *,
    period: Period,
    services: Sequence[ServiceRow],
    county_services: Sequence[ServiceRow],
    units: Sequence[UnitRow],
    placements: Sequence[PlacementRow],
    declines: Sequence[DeclineRow],
    demand: Sequence[DemandRow],
    districts: Sequence[tuple[int, str, int]],
    places_per_10k: Decimal,
    words: Words,
    district_id: int | None = None,
) -> list[Table]:
    """The partnership's reports for a period: occupancy and voids, declines by reason,
    unmet demand by need, length of stay and out of area, move-on destinations, and
    sufficiency. The rows are those of the district chosen (the selector filters them),
    but ``county_services`` are every service, for the county's line of sufficiency."""
    by_id = {s.service_id: s for s in services}
    unit_service = {u.unit_id: u.service_id for u in units}
    split = _split(placements, unit_service, by_id, period)
    moved = _by_code(Counter(r.move_on for r in split.ended), words.move_on, MOVED_TO)
    departed = _by_code(Counter(r.departure for r in split.ended), words.departures, STOPPED)
    return [
        occupancy_table(services=services, units=units, placements=split.stays, period=period, words=words),
        lines_table("Declined referrals by reason", declines_lines([d for d in declines if d.declined_on in period],
                                                                    words)),
        lines_table("Unmet demand by need", demand_lines([d for d in demand if d.searched_on in period]),
                    note="Searches, not households: one family may search many times."),
        lines_table("Length of stay and out of area", stay_lines(split.ended, split.referred)),
        lines_table("Why stays ended", departed, note="Stays in accommodation that ended in the period; sanctuary "
                    "schemes apart."),
        lines_table("Where households moved on to", moved),
        sufficiency_table(services=county_services, districts=districts, places_per_10k=places_per_10k,
                          district_id=district_id),
    ]  # fmt: skip


def in_words(value, kind: str = COUNT) -> str:
    """A figure as a page shows it: 1,234; 12.5%; 23.5 nights; £1,200; "Not given"."""
    if value is None:
        return "Not given"
    if kind == TEXT or isinstance(value, str):
        return str(value)
    if kind == PERCENT:
        return f"{value}%"
    if kind == MONEY:
        return f"£{value:,.0f}"
    if kind == NIGHTS:
        return f"{value:,} nights"
    return f"{value:,}"
