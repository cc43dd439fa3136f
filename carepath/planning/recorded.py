"""The planner's inputs from the partnership's own records, beside the review's.

Pure Python, no Django. ``carepath.planning.live`` counts the figures below from
Carepath's records for one financial year; this module lays them over an input set (the
review's Hertfordshire 2014 set, or the partnership's upload) and compares the two, so
the board sees today's need against 2014's (issue 18).

What Carepath records replaces the input set's figure; everything it does not record
keeps the input set's (domain.md "Caseloads and capacity" and "Board reporting"):

| input | from the records | the review's (seed 002) |
|---|---|---|
| areas, their population and women aged 16+ | the MARAC areas and districts | Appendix 6 Table 1 |
| police incidents by area | events reported by police agencies in the year, by the MARAC area of the event's district | Appendix 6 Table 1 (12 months to July 2014) |
| high- and medium-risk police incidents by area | the same events graded high or medium | Appendix 6 Table 1 |
| police repeat rate by area | 1 - people behind those incidents / incidents (domain.md "Incident": 13,658 incidents were ~8,000 victims, 41%) | Appendix 6 Table 1 |
| visible high- and medium-risk victims | people (not incidents) on any agency's events in the year, at the highest grade any gave them | Table 9 (1,000 and 1,000) |
| IDVAs in post | full-time equivalents of the active IDVA and hospital IDVA workers today, managers apart (Appendix 3 costs managers separately) | §2.2 (6 + 3 + 2) |
| refuge places | family units commissioned today (refuge, specialist and dispersed: the accommodation return's family places) with their support workers, and the people who stayed in the year | Table 11 |

The input set keeps: every other assumption (prevalence, shares, caseloads), MARAC
cases and children (for an area of the same name; none for an area the input set does
not have), funding, costs and recommendations. Its published figures are dropped: they
check the review's own arithmetic, not a partnership's year.

A person is a linked identity (``Person.identity``): records linked as one person count
once. Carepath keeps who is in post and what is commissioned, not since when, so posts
and places are today's; incidents, victims and stays are the year's.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from carepath.planning.inputs import Area, District, FundedPost, PlanInputs, Refuge
from carepath.planning.rounding import round_half_up

#: The review's money runs by financial year, April to March (seed 002 Appendix 9: "funded to
#: March 2015"; seeds 000 and 001 count incidents "during 2013/14"), and so do a council's
#: commissioning and its Part 4 grant (seed 003: "the 2022/23 financial year").
FIRST_MONTH = 4
IDVA_SERVICE = "idva"  # FundedPost.service of IDVA posts (inputs.SERVICES)


@dataclass(frozen=True, order=True)
class FinancialYear:
    """April of ``start`` to March of the next year."""

    start: int

    @property
    def first(self) -> date:
        return date(self.start, FIRST_MONTH, 1)

    @property
    def after(self) -> date:
        """The day after the year's last."""
        return date(self.start + 1, FIRST_MONTH, 1)

    def __str__(self) -> str:
        return f"April {self.start} to March {self.start + 1}"


def financial_year_of(day: date) -> FinancialYear:
    return FinancialYear(day.year if day.month >= FIRST_MONTH else day.year - 1)


@dataclass(frozen=True)
class AreaFigures:
    """One MARAC area's year of police incidents, from the records."""

    name: str
    population: int
    female_16_plus: int
    districts: tuple[str, ...]
    police_incidents: int = 0
    police_victims: int = 0  # people behind the police incidents, each once
    incidents_high: int = 0
    incidents_medium: int = 0


@dataclass(frozen=True)
class PostFigures:
    """IDVAs in post in one service: the MARAC area it covers wholly, or ``COUNTY_WIDE``."""

    service: str
    area: str
    fte: Decimal


@dataclass(frozen=True)
class RefugeFigures:
    """One safe-accommodation service of family places, as commissioned today, and the
    people who stayed in it in the year (each once)."""

    name: str
    provider: str
    district: str
    places: int
    support_worker_fte: Decimal
    victims: int


@dataclass(frozen=True)
class RecordedFigures:
    """Everything ``live.recorded_figures`` counts for one year: aggregates, no names."""

    partnership: str
    year: FinancialYear
    events: int  # every agency's, in the year
    areas: tuple[AreaFigures, ...]
    police_incidents_without_area: int
    visible_high: int
    visible_medium: int
    posts: tuple[PostFigures, ...]
    refuges: tuple[RefugeFigures, ...]

    @property
    def name(self) -> str:
        return f"{self.partnership}'s records, {self.year}"


def _repeat_rate(incidents: int, people: int) -> Decimal:
    """Share of incidents that were a victim's second or later in the year, to 1%."""
    if not incidents:
        return Decimal(0)
    return round_half_up(Decimal(incidents - people) / incidents, Decimal("0.01"))


def inputs_from_records(base: PlanInputs, figures: RecordedFigures) -> PlanInputs:
    """``base`` with every input Carepath records replaced by ``figures`` (the table in
    the module docstring), named for the partnership and the year."""
    marac = {a.name: a for a in base.areas}
    source = f"Carepath's records, {figures.year}"
    areas = tuple(
        Area(
            name=a.name,
            population=a.population,
            female_16_plus=a.female_16_plus,
            police_incidents=a.police_incidents,
            repeat_rate=_repeat_rate(a.police_incidents, a.police_victims),
            incidents_high=a.incidents_high,
            incidents_medium=a.incidents_medium,
            marac_cases=marac[a.name].marac_cases if a.name in marac else 0,
            marac_children=marac[a.name].marac_children if a.name in marac else 0,
            marac_repeat_rate=marac[a.name].marac_repeat_rate if a.name in marac else Decimal(0),
            source=f"{source}; MARAC cases from {base.name}" if a.name in marac else source,
        )
        for a in figures.areas
    )
    posts = tuple(
        FundedPost(p.area, IDVA_SERVICE, p.fte, p.service, f"{source}: IDVAs in post today") for p in figures.posts
    )
    refuges = tuple(
        Refuge(
            r.name,
            r.provider,
            r.district,
            r.victims,
            r.places,
            r.support_worker_fte,
            f"{source}: places commissioned today",
        )
        for r in figures.refuges
    )
    # The funding register names the input set's districts: one the records do not have
    # keeps its area from the input set, so its money is still placed.
    districts = tuple(District(d, a.name) for a in figures.areas for d in a.districts)
    assumptions = replace(base.assumptions, visible_high=figures.visible_high, visible_medium=figures.visible_medium)
    visible_source = f"{source}: people on any agency's events graded %s risk in the year, each once"
    return replace(
        base,
        name=f"{figures.name}, over {base.name}",
        assumptions=assumptions,
        areas=areas,
        districts=districts + tuple(d for d in base.districts if d.name not in {x.name for x in districts}),
        refuges=refuges,
        funded_posts=tuple(p for p in base.funded_posts if p.service != IDVA_SERVICE) + posts,
        published=(),
        assumption_sources={
            **base.assumption_sources,
            "visible_high": visible_source % "high",
            "visible_medium": visible_source % "medium",
        },
    )


@dataclass(frozen=True)
class Comparison:
    """One input, the input set's figure beside the records' (None: the one has no such figure)."""

    label: str
    area: str  # "" for the whole partnership
    base: Decimal | None
    recorded: Decimal | None
    kind: str = "count"  # "count", "fte" or "percent"

    @property
    def difference(self) -> Decimal | None:
        if self.base is None or self.recorded is None:
            return None
        return self.recorded - self.base


_AREA_FIGURES = (
    ("Population", "population", "count"),
    ("Women aged 16 and over", "female_16_plus", "count"),
    ("Police incidents", "police_incidents", "count"),
    ("High-risk police incidents", "incidents_high", "count"),
    ("Medium-risk police incidents", "incidents_medium", "count"),
    ("Police incidents that were a repeat", "repeat_rate", "percent"),
)


def _idva_fte(posts) -> Decimal:
    return sum((p.fte for p in posts if p.service == IDVA_SERVICE), Decimal(0))


def inputs_compared(base: PlanInputs, recorded: PlanInputs) -> list[Comparison]:
    """Each input the records replace, ``base``'s beside ``recorded``'s (made by
    ``inputs_from_records``): per MARAC area, in the records' order then any area only
    ``base`` has, and for the whole partnership."""
    rows: list[Comparison] = []
    base_areas = {a.name: a for a in base.areas}
    recorded_areas = {a.name: a for a in recorded.areas}
    names = list(recorded_areas) + [n for n in base_areas if n not in recorded_areas]

    def value(area, attribute):
        if area is None:
            return None
        return Decimal(getattr(area, attribute))

    for name in names:
        for label, attribute, kind in _AREA_FIGURES:
            rows.append(
                Comparison(
                    label,
                    name,
                    value(base_areas.get(name), attribute),
                    value(recorded_areas.get(name), attribute),
                    kind,
                )
            )
    for label, attribute in (
        ("High-risk victims visible to services", "visible_high"),
        ("Medium-risk victims visible to services", "visible_medium"),
    ):
        rows.append(
            Comparison(
                label,
                "",
                Decimal(getattr(base.assumptions, attribute)),
                Decimal(getattr(recorded.assumptions, attribute)),
            )
        )
    # The review has IDVA posts only for the whole county (seed 002 §2.2: one county-wide
    # service), so posts are compared in total.
    rows.append(
        Comparison(
            "IDVAs in post (full-time equivalent)",
            "",
            _idva_fte(base.funded_posts),
            _idva_fte(recorded.funded_posts),
            "fte",
        )
    )
    rows.append(
        Comparison(
            "Refuge places (family units)",
            "",
            Decimal(sum(r.beds for r in base.refuges)),
            Decimal(sum(r.beds for r in recorded.refuges)),
        )
    )
    rows.append(
        Comparison(
            "Victims accommodated in refuges in a year",
            "",
            Decimal(sum(r.victims for r in base.refuges)),
            Decimal(sum(r.victims for r in recorded.refuges)),
        )
    )
    return rows
