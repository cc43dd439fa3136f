"""The board's measures: every figure the partnership board reads, defined once.

Pure Python, no Django: a board member or a data-protection officer can read here how each
figure is counted. The dashboard, the board pack (PDF and Excel) and the trend charts all
take their figures from these functions; the statutory returns keep their own modules and
are read through them (``MEASURES`` names the module each figure comes from):

- the SafeLives MARAC return's volume and repeat rate: ``carepath.marac.returns``;
- a casework service's engagement, time to first contact, caseloads and outcomes:
  ``carepath.casework.measures``;
- refuge occupancy and declined referrals: ``carepath.accommodation.returns``;
- children's services' outcomes: ``carepath.referrals.children_selectors``.

Sources: seed 002 §4.1 (the six measures the board asked for, by area and period, and a
common dataset), Appendix 7 (referrals by source agency), Table 3 (access by diverse
groups against the population); seed 004 (engagement and its levels); domain.md "Board
reporting" and "Caseloads and capacity".

Decisions a board may ask about:

- **People are counted as people.** Every row carries the person's key (``identity_key``
  or the record's own id, ``Person.identity``): records linked as one person count once.
  An incident is counted as an incident; "victims" are people.
- **A victim's risk level** in a period is the highest any of her incidents in it was
  assessed at (high, then medium, then standard, then not assessed).
- **Percentages** are to one decimal place, halves up, of the column the table names.
- **Small numbers** (``suppress``): where a table may be seen outside the partnership (the
  board pack, and the dashboard's published view), a count from 1 to one less than the
  configured threshold (default 5) is shown as "fewer than 5", and every percentage worked
  out from it too; 0 is shown, as it identifies no one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from carepath.core.ages import age_on
from carepath.core.codes import AgencyType
from carepath.marac.returns import is_lgbt, is_male, is_minoritised

# The codes of ``carepath.people.models``, ``referrals.models`` and ``triage.routing`` this
# module reads (tests check that they still exist).
HIGH, MEDIUM, STANDARD = "high", "medium", "standard"
RISK_ORDER = (HIGH, MEDIUM, STANDARD, "")
RISK_WORDS = {HIGH: "High risk", MEDIUM: "Medium risk", STANDARD: "Standard risk", "": "Not assessed"}
MARAC, IDVA = "marac", "idva"
SELF, FRIENDS_FAMILY = "self", "friends_family"
YES = "yes"
#: MARAC criteria that rest on her history, not on the assessment of this incident.
HISTORY_CRITERIA = frozenset({"potential_escalation", "repeat"})
ASSESSED_CRITERIA = frozenset({"visible_high_risk", "professional_judgement"})
HEALTH_AGENCIES = (
    AgencyType.GP,
    AgencyType.HEALTH_VISITING,
    AgencyType.MENTAL_HEALTH,
    AgencyType.ACUTE_HOSPITAL,
)

# What a cell holds, and so how it is shown and whether small numbers hide it.
COUNT, PERCENT, DECIMAL, MONEY, TEXT = "count", "percent", "decimal", "money", "text"
SUPPRESSED = "fewer than {threshold}"


@dataclass(frozen=True)
class Measure:
    """One figure the board reads: its title, what it counts, and where the board's request
    for it and its benchmark come from, in words the board reads (the module docstring
    gives the documents)."""

    key: str
    title: str
    counts: str
    source: str


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure(
            "incidents_by_risk",
            "Police incidents by risk level",
            "Domestic abuse incidents the police recorded in the period, by the victim's assessed risk, and the "
            "victims (people) behind them at their highest risk in the period.",
            "The 2014 review, section 4.1: the board's first measure.",
        ),
        Measure(
            "police_referrals",
            "MARAC and IDVA referrals from the police",
            "Police incidents referred to MARAC or to the IDVA service in the period (people), by risk level, and "
            "the MARAC referrals by the criterion met: her history (repeat or escalation) or the assessment.",
            "The 2014 review, section 4.1: the board's second measure; the SafeLives MARAC referral criteria.",
        ),
        Measure(
            "serial_repeat_perpetrators",
            "Serial and repeat perpetrators",
            "Perpetrators (people) of the period's incidents, and how many are serial or repeat perpetrators by "
            "the panel's definitions, by the seriousness of the incident and the victim's risk.",
            "The 2014 review, section 4.1: the board's third measure; serial and repeat as the perpetrator panel defines them.",
        ),
        Measure(
            "children_outcomes",
            "Children and the statutory threshold",
            "Children (people) in domestic abuse referrals of the period whose outcome children's services "
            "recorded: those reaching the statutory threshold, those who do not, and of those the ones given "
            "other support.",
            "The 2014 review, section 4.1: the board's fourth and fifth measures.",
        ),
        Measure(
            "health_referrals",
            "Victims referred to MARAC and IDVA by health agencies",
            "Victims (people) referred to MARAC or the IDVA service in the period by GPs, health visitors, mental "
            "health and acute hospital staff.",
            "The 2014 review, section 4.1: the board's sixth measure.",
        ),
        Measure(
            "referrals_by_source",
            "Referrals by source",
            "Referrals the front door received in the period by the agency that made them (or the victim herself, "
            "or a friend or family member), and the victims (people) behind them.",
            "The 2014 review, Appendix 7 (referrals by agency).",
        ),
        Measure(
            "diverse_access",
            "Access by diverse groups",
            "Victims (people) referred in the period who are Black, Asian or minoritised, LGBT+, disabled, male or "
            "aged 16 or 17, as a share of the victims referred, beside the population's share.",
            "The 2014 review, Table 3 (diverse groups against the population). The population's shares are the partnership's settings.",
        ),
        Measure(
            "marac_volume",
            "MARAC volume and repeats",
            "Cases discussed at MARAC in the period against the volume expected for the women aged 16 and over "
            "living in the area, and the share that were repeats.",
            "SafeLives' national MARAC dataset: 40 cases a year per 10,000 women aged 16 and over. Counted as in the MARAC return.",
        ),
        Measure(
            "idva_caseload",
            "IDVA caseloads against safe",
            "Each IDVA service's high- and medium-risk cases in the year per full-time worker, against the safe "
            "caseload.",
            "The 2014 review, Appendix 6 (safe caseloads). Counted as in service performance.",
        ),
        Measure(
            "engagement",
            "Engagement and time to first contact",
            "Of the victims referred to casework services in the period: contacted, engaged, the level of "
            "engagement, and first contact within the deadline.",
            "SafeLives' engagement measures, as the partnership's settings give them. Counted as in service "
            "performance.",
        ),
        Measure(
            "outcomes",
            "Outcomes at closure",
            "Of the cases closed in the period, the share in which the abuse ceased, reduced, did not change or "
            "increased.",
            "SafeLives Insights outcome measures. Counted as in service performance.",
        ),
        Measure(
            "refuge",
            "Refuge occupancy and declined referrals",
            "Nights of the period's refuge places that were occupied, and referrals declined by reason.",
            "The 2014 review, section 2.2. Counted as in the safe-accommodation reports.",
        ),
        Measure(
            "spend_per_incident",
            "Spending per police incident",
            "What the partnership spends on domestic abuse services (the planner's funding register, a year's, "
            "shared over the period's days) per police incident in the period, against its peers.",
            "The 2014 review, section 2.3: £120 per incident in Hertfordshire, against £146 to £236 in comparable "
            "areas.",
        ),
    )
}


@dataclass(frozen=True)
class Cell:
    """A value and its kind (``COUNT``, ``PERCENT``, ``DECIMAL`` or ``TEXT``)."""

    value: object
    kind: str = COUNT


@dataclass(frozen=True)
class Table:
    """A measure's figures as the board reads them: column headers and rows (the first cell
    of each row its label), a headline figure for the trend chart, and a benchmark."""

    measure: Measure
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    headline: str = ""
    headline_value: Decimal | int | None = None
    headline_kind: str = COUNT
    #: The count a percentage headline is worked out from: hiding it hides the headline.
    headline_part: int | None = None
    benchmark: str = ""
    #: Drawn as dashed lines on the trend chart (one value, or a band's two ends).
    benchmark_values: tuple[Decimal, ...] = ()
    note: str = ""
    title: str = ""

    @property
    def heading(self) -> str:
        return self.title or self.measure.title

    def value(self, row_label: str, column: str):
        """A cell's value by its row's label and its column's header (tests and the pack)."""
        index = self.columns.index(column)
        row = next(r for r in self.rows if r[0].value == row_label)
        return row[index].value


def percent(part, whole) -> Decimal | None:
    """A percentage to one decimal place, halves up; None when there is no whole."""
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


#: A cell with nothing to say (a share of the total row itself; an IDVA column of a MARAC criterion).
NOT_APPLICABLE = Cell("", TEXT)


def _label(text: str) -> Cell:
    return Cell(text, TEXT)


def _count_and_share(count: int, whole: int) -> tuple[Cell, Cell]:
    return Cell(count), Cell(percent(count, whole), PERCENT)


def suppress(table: Table, threshold: int) -> Table:
    """The table as it may be seen outside the partnership: each count from 1 to
    ``threshold - 1`` hidden, and every percentage and rate in a row with a hidden count (a
    rate can give a small count away). The headline is hidden when it is such a count, or a
    percentage of one."""
    if threshold <= 1:
        return table

    def small(cell: Cell) -> bool:
        return cell.kind == COUNT and isinstance(cell.value, int) and 0 < cell.value < threshold

    hidden = SUPPRESSED.format(threshold=threshold)
    rows = []
    for row in table.rows:
        any_small = any(small(cell) for cell in row)
        rows.append(
            tuple(
                replace(cell, value=hidden, kind=TEXT)
                if small(cell) or (any_small and cell.kind in (PERCENT, DECIMAL) and cell.value is not None)
                else cell
                for cell in row
            )
        )
    count = table.headline_value if table.headline_kind == COUNT else table.headline_part
    headline_small = isinstance(count, int) and 0 < count < threshold
    return replace(
        table,
        rows=tuple(rows),
        headline_value=hidden if headline_small else table.headline_value,
        headline_kind=TEXT if headline_small else table.headline_kind,
    )


# --- Rows: what the measures need of each record; keys, codes and dates, never names. ---


@dataclass(frozen=True)
class IncidentRow:
    """A police-recorded incident."""

    on: date
    victim: int
    risk_level: str
    is_crime: bool
    perpetrator: int | None = None


@dataclass(frozen=True)
class VictimRow:
    """What the diverse-groups measure needs of a victim (a person)."""

    ethnicity: str
    sexual_orientation: str
    trans: str
    disability: str
    sex: str
    gender_identity: str
    born: date | None


@dataclass(frozen=True)
class ReferralRow:
    """A referral the front door received: who made it (an agency type, or the channel for
    self-referrals and friends and family), where it went, the risk and, for a MARAC
    referral, the criteria met."""

    on: date
    victim: int
    source: str
    destinations: frozenset[str]
    risk_level: str
    criteria: frozenset[str] = frozenset()


def highest_risk(levels: Iterable[str]) -> str:
    """The highest of the levels (high, medium, standard, then not assessed)."""
    ranks = [RISK_ORDER.index(level) if level in RISK_ORDER else len(RISK_ORDER) - 1 for level in levels]
    return RISK_ORDER[min(ranks)] if ranks else ""


def _highest_by_person(pairs: Iterable[tuple[int, str]]) -> dict[int, str]:
    levels: dict[int, list[str]] = {}
    for person, level in pairs:
        levels.setdefault(person, []).append(level)
    return {person: highest_risk(found) for person, found in levels.items()}


def incidents_by_risk(rows: Sequence[IncidentRow]) -> Table:
    """Measure 1: incidents by the victim's risk level, as % of all incidents; and victims
    (people) at their highest level in the period, as % of all victims."""
    incidents = Counter(r.risk_level if r.risk_level in RISK_ORDER else "" for r in rows)
    victims = Counter(_highest_by_person((r.victim, r.risk_level) for r in rows).values())
    n_incidents, n_victims = len(rows), sum(victims.values())
    body = [
        (_label(RISK_WORDS[level]),)
        + _count_and_share(incidents[level], n_incidents)
        + _count_and_share(victims[level], n_victims)
        for level in RISK_ORDER
    ]
    body.append((_label("All"), Cell(n_incidents), NOT_APPLICABLE, Cell(n_victims), NOT_APPLICABLE))
    high_share = percent(incidents[HIGH], n_incidents)
    return Table(
        MEASURES["incidents_by_risk"],
        ("Risk level", "Incidents", "% of incidents", "Victims (people)", "% of victims"),
        tuple(body),
        headline="Incidents assessed high risk (% of incidents)",
        headline_value=high_share,
        headline_kind=PERCENT,
        headline_part=incidents[HIGH],
    )


def police_referrals(rows: Sequence[ReferralRow]) -> Table:
    """Measure 2: of the referrals from the police, the victims (people) referred to MARAC
    and to the IDVA service, by risk level; MARAC referrals also by the criterion met (her
    history, the assessment, or both)."""
    police = [r for r in rows if r.source == AgencyType.POLICE]
    body = []
    for level in RISK_ORDER:
        at_level = [r for r in police if r.risk_level == level]
        body.append(
            (
                _label(RISK_WORDS[level]),
                Cell(len({r.victim for r in at_level if MARAC in r.destinations})),
                Cell(len({r.victim for r in at_level if IDVA in r.destinations})),
            )
        )
    to_marac = [r for r in police if MARAC in r.destinations]
    by_criterion = {
        "MARAC: on her history only (repeat or escalation)": lambda c: c and c <= HISTORY_CRITERIA,
        "MARAC: on the assessment only (score or judgement)": lambda c: c and c <= ASSESSED_CRITERIA,
        "MARAC: on both": lambda c: bool(c & HISTORY_CRITERIA) and bool(c & ASSESSED_CRITERIA),
    }
    for words, test in by_criterion.items():
        body.append((_label(words), Cell(len({r.victim for r in to_marac if test(r.criteria)})), NOT_APPLICABLE))
    marac_people = len({r.victim for r in to_marac})
    body.append((_label("All"), Cell(marac_people), Cell(len({r.victim for r in police if IDVA in r.destinations}))))
    return Table(
        MEASURES["police_referrals"],
        ("Risk level or criterion", "Referred to MARAC (people)", "Referred to an IDVA (people)"),
        tuple(body),
        headline="Victims the police referred to MARAC",
        headline_value=marac_people,
    )


def health_referrals(rows: Sequence[ReferralRow], agency_words: dict[str, str]) -> Table:
    """Measure 6: victims (people) referred to MARAC and to the IDVA service by each kind of
    health agency."""
    body = []
    total_marac, total_idva = set(), set()
    for agency in HEALTH_AGENCIES:
        theirs = [r for r in rows if r.source == agency]
        marac = {r.victim for r in theirs if MARAC in r.destinations}
        idva = {r.victim for r in theirs if IDVA in r.destinations}
        total_marac |= marac
        total_idva |= idva
        body.append((_label(agency_words[agency]), Cell(len(marac)), Cell(len(idva))))
    body.append((_label("All health agencies"), Cell(len(total_marac)), Cell(len(total_idva))))
    return Table(
        MEASURES["health_referrals"],
        ("Health agency", "Referred to MARAC (people)", "Referred to an IDVA (people)"),
        tuple(body),
        headline="Victims health agencies referred to MARAC or an IDVA",
        headline_value=len(total_marac | total_idva),
    )


def source_words(agency_words: dict[str, str]) -> dict[str, str]:
    """Every source of a referral in words: each agency type, and the two channels that are
    not agencies."""
    return {**agency_words, SELF: "The victim herself (self-referral)", FRIENDS_FAMILY: "A friend or family member"}


def referrals_by_source(rows: Sequence[ReferralRow], agency_words: dict[str, str]) -> Table:
    """Referrals received by source, as % of all, and the victims (people) behind them;
    sources that made none are left out, in the order of the list of agency types."""
    words = source_words(agency_words)
    referrals = Counter(r.source for r in rows)
    victims: dict[str, set[int]] = {}
    for r in rows:
        victims.setdefault(r.source, set()).add(r.victim)
    body = [
        (_label(words.get(source, "Not recorded")),)
        + _count_and_share(referrals[source], len(rows))
        + (Cell(len(victims[source])),)
        for source in sorted(referrals, key=lambda s: (list(words).index(s) if s in words else len(words), s))
    ]
    everyone = len({r.victim for r in rows})
    body.append((_label("All"), Cell(len(rows)), NOT_APPLICABLE, Cell(everyone)))
    partners = len(rows) - referrals[AgencyType.POLICE]
    return Table(
        MEASURES["referrals_by_source"],
        ("Source", "Referrals", "% of referrals", "Victims (people)"),
        tuple(body),
        headline="Referrals from sources other than the police (% of referrals)",
        headline_value=percent(partners, len(rows)),
        headline_kind=PERCENT,
        headline_part=partners,
    )


@dataclass(frozen=True)
class PopulationShares:
    """The share of the partnership's population in each group (seed 002 Table 3's
    "Population" column by default; the partnership's settings)."""

    minoritised: Decimal | None
    lgbt: Decimal | None
    disabled: Decimal | None
    male: Decimal | None
    aged_16_17: Decimal | None


def diverse_access(victims: dict[int, VictimRow], referred: dict[int, date], population: PopulationShares) -> Table:
    """Of the victims (people) referred in the period, each group's number and share, beside
    its share of the population. Ages are at her first referral in the period."""
    groups = (
        ("Black, Asian or minoritised", "minoritised", lambda v, on: is_minoritised(v.ethnicity)),
        ("LGBT+", "lgbt", lambda v, on: is_lgbt(v.sexual_orientation, v.trans)),
        ("Disabled", "disabled", lambda v, on: v.disability == YES),
        ("Male", "male", lambda v, on: is_male(v.sex, v.gender_identity)),
        ("Aged 16 or 17", "aged_16_17", lambda v, on: age_on(v.born, on) in (16, 17)),
    )
    n = len(referred)
    body = []
    for words, key, test in groups:
        count = sum(1 for person, on in referred.items() if person in victims and test(victims[person], on))
        body.append(
            (_label(words),)
            + _count_and_share(count, n)
            + (Cell(getattr(population, key), PERCENT if getattr(population, key) is not None else TEXT),)
        )
    body.append((_label("All victims referred"), Cell(n), NOT_APPLICABLE, NOT_APPLICABLE))
    return Table(
        MEASURES["diverse_access"],
        ("Group", "Victims referred (people)", "% of victims referred", "% of the population"),
        tuple(body),
        headline="Black, Asian or minoritised victims (% of victims referred)",
        headline_value=body[0][2].value,
        headline_kind=PERCENT,
        headline_part=body[0][1].value,
        benchmark="Population share",
        benchmark_values=(population.minoritised,) if population.minoritised is not None else (),
    )


def serial_repeat_perpetrators(rows: Sequence[IncidentRow], flagged: Callable[[int], tuple[bool, bool]]) -> Table:
    """Measure 3: the perpetrators (people) of the period's incidents, and of them the
    serial and the repeat perpetrators, by the seriousness of the incident (a crime or a
    non-crime incident) and by the victim's risk. ``flagged`` gives a perpetrator's
    (serial, repeat) by the panel's rules (``carepath.perpetrators.ranking``) over the
    look-back ending on the period's last day. A man is in every row one of his incidents
    is in."""
    severity = ("A crime", "A non-crime incident")
    risk = {level: f"Victim at {RISK_WORDS[level].lower()}" for level in RISK_ORDER}
    everyone = "All incidents"
    men: dict[str, set[int]] = {words: set() for words in (*severity, *risk.values(), everyone)}
    # One pass: a national year is 1.5 million incidents.
    for r in rows:
        if r.perpetrator is not None:
            men[severity[0] if r.is_crime else severity[1]].add(r.perpetrator)
            men[risk.get(r.risk_level, risk[""])].add(r.perpetrator)
            men[everyone].add(r.perpetrator)
    flags = {man: flagged(man) for man in men[everyone]}
    body = []
    for words, theirs in men.items():
        serial = sum(1 for m in theirs if flags[m][0])
        repeat = sum(1 for m in theirs if flags[m][1])
        either = sum(1 for m in theirs if flags[m][0] or flags[m][1])
        body.append(
            (_label(words), Cell(len(theirs)))
            + _count_and_share(serial, len(theirs))
            + _count_and_share(repeat, len(theirs))
            + _count_and_share(either, len(theirs))
        )
    return Table(
        MEASURES["serial_repeat_perpetrators"],
        (
            "Incidents",
            "Perpetrators (people)",
            "Serial",
            "% serial",
            "Repeat",
            "% repeat",
            "Serial or repeat",
            "% serial or repeat",
        ),
        tuple(body),
        headline="Perpetrators who are serial or repeat (% of the period's perpetrators)",
        headline_value=body[-1][7].value,
        headline_kind=PERCENT,
        headline_part=body[-1][6].value,
    )


def children_outcomes(*, statutory: int, early_help: int, no_further_action: int, awaiting: int) -> Table:
    """Measures 4 and 5: the children's outcomes (counted by
    ``referrals.children_selectors.children_outcomes``: a child in several referrals once,
    at the most serious outcome). The statutory share is of those decided; other support is
    of those below the threshold."""
    decided = statutory + early_help + no_further_action
    below = early_help + no_further_action
    body = (
        (_label("Reach the statutory threshold"),) + _count_and_share(statutory, decided),
        (_label("Below the threshold"),) + _count_and_share(below, decided),
        (_label("Below the threshold, given other support (early help)"),) + _count_and_share(early_help, below),
        (_label("Below the threshold, no further action"),) + _count_and_share(no_further_action, below),
        (_label("Awaiting children's services' decision"), Cell(awaiting), NOT_APPLICABLE),
    )
    return Table(
        MEASURES["children_outcomes"],
        ("Children (people)", "Children", "%"),
        body,
        headline="Children below the threshold given other support (%)",
        headline_value=percent(early_help, below),
        headline_kind=PERCENT,
        headline_part=early_help,
        note="The statutory threshold's share is of the children decided; other support and no further action "
        "are shares of the children below the threshold.",
    )


@dataclass(frozen=True)
class MaracVolume:
    """One MARAC's figures for the period, summed over its quarters' returns."""

    marac: str
    discussed: int
    repeats: int
    expected: Decimal | None


def marac_volume(maracs: Sequence[MaracVolume], *, repeat_low: int, repeat_high: int) -> Table:
    """Cases discussed against expected, and the repeat rate, each MARAC and all together;
    the benchmark is the expected repeat rate's band (the partnership's settings)."""
    body = []
    for m in [*maracs, MaracVolume(
        "All MARACs",
        sum(m.discussed for m in maracs),
        sum(m.repeats for m in maracs),
        sum((m.expected for m in maracs if m.expected is not None), Decimal(0)) or None,
    )]:  # fmt: skip
        body.append(
            (
                _label(m.marac),
                Cell(m.discussed),
                Cell(m.expected, DECIMAL),
                Cell(percent(m.discussed, m.expected) if m.expected else None, PERCENT),
            )
            + _count_and_share(m.repeats, m.discussed)
        )
    return Table(
        MEASURES["marac_volume"],
        ("MARAC", "Cases discussed", "Cases expected", "% of expected", "Repeat cases", "Repeat rate"),
        tuple(body),
        headline="MARAC cases discussed (% of expected)",
        headline_value=body[-1][3].value,
        headline_kind=PERCENT,
        headline_part=body[-1][1].value,
        benchmark=f"Expected: 100% of the expected volume; repeat rate {repeat_low}-{repeat_high}%",
        benchmark_values=(Decimal(100),),
    )


@dataclass(frozen=True)
class ServiceCaseload:
    service: str
    fte: float
    high_this_year: int
    medium_this_year: int
    open_cases: int
    year_share: float
    open_limit: float


def idva_caseload(services: Sequence[ServiceCaseload], *, safe_high: int, safe_open: int) -> Table:
    """Each IDVA service's year of high- and medium-risk cases and its open cases against
    safe for its full-time workers (``casework.rules.load``: the year's cases weighted by
    their own safe limits)."""
    body = tuple(
        (
            _label(s.service),
            Cell(Decimal(str(s.fte)).quantize(Decimal("0.1")), DECIMAL),
            Cell(s.high_this_year),
            Cell(s.medium_this_year),
            Cell(percent(s.year_share, 1), PERCENT),
            Cell(s.open_cases),
            Cell(Decimal(str(s.open_limit)).quantize(Decimal("0.1")), DECIMAL),
        )
        for s in services
    )
    worst = max((s.year_share for s in services), default=None)
    return Table(
        MEASURES["idva_caseload"],
        (
            "IDVA service",
            "Full-time workers",
            "High-risk cases in the year",
            "Medium-risk cases in the year",
            "The year's cases as % of safe",
            "Open cases",
            "Safe open cases",
        ),
        body,
        headline="The busiest IDVA service's year of cases (% of safe)",
        headline_value=percent(worst, 1) if worst is not None else None,
        headline_kind=PERCENT,
        benchmark=f"Safe: 100% ({safe_high} high-risk victims a year, or {safe_open} open cases, per full-time IDVA)",
        benchmark_values=(Decimal(100),),
    )


@dataclass(frozen=True)
class ServiceEngagement:
    service: str
    referred: int
    contacted: int
    engaged: int
    levels: dict[int, int]
    deadline_met: int
    deadline_missed: int
    median_working_days: float | None


def engagement(
    services: Sequence[ServiceEngagement], *, level_words: dict[int, str], expected_idva: int, expected_caseworker: int
) -> Table:
    """Referred -> contacted -> engaged for each casework service (``casework.measures``),
    the engaged by level (1-3), and first contact within its deadline; the benchmark is the
    engagement SafeLives reports (seed 004: IDVA services 49%, caseworker services 21%; the
    partnership's settings)."""
    body = []
    for s in services:
        body.append(
            (_label(s.service), Cell(s.referred))
            + _count_and_share(s.contacted, s.referred)
            + _count_and_share(s.engaged, s.referred)
            + tuple(Cell(s.levels.get(level, 0)) for level in level_words)
            + _count_and_share(s.deadline_met, s.deadline_met + s.deadline_missed)
            + (Cell(None if s.median_working_days is None else Decimal(str(s.median_working_days)), DECIMAL),)
        )
    referred = sum(s.referred for s in services)
    engaged = sum(s.engaged for s in services)
    return Table(
        MEASURES["engagement"],
        ("Service", "Referred", "Contacted", "% contacted", "Engaged", "% engaged")
        + tuple(f"Engaged at level {level}" for level in level_words)
        + ("First contact in time", "% in time", "Median working days to first contact"),
        tuple(body),
        headline="Referred victims who engaged (%)",
        headline_value=percent(engaged, referred),
        headline_kind=PERCENT,
        headline_part=engaged,
        benchmark=f"SafeLives: {expected_idva}% for IDVA services, {expected_caseworker}% for caseworker services",
        benchmark_values=(Decimal(expected_idva), Decimal(expected_caseworker)),
        note="; ".join(level_words.values()) + ".",
    )


def outcomes(
    by_abuse: dict[str, dict[str, int]], *, abuse_words: dict[str, str], outcome_words: dict[str, str]
) -> Table:
    """Of the cases closed in the period with an outcome recorded, for each kind of abuse,
    the share in which it ceased, reduced, did not change or increased."""
    body = []
    for abuse, words in abuse_words.items():
        counts = by_abuse.get(abuse, {})
        recorded = sum(counts.values())
        body.append(
            (_label(words), Cell(recorded))
            + tuple(Cell(percent(counts.get(o, 0), recorded), PERCENT) for o in outcome_words)
        )
    ceased_or_reduced = sum(by_abuse.get(a, {}).get(o, 0) for a in abuse_words for o in ("ceased", "reduced"))
    recorded = sum(sum(by_abuse.get(a, {}).values()) for a in abuse_words)
    return Table(
        MEASURES["outcomes"],
        ("Kind of abuse", "Closed cases with an outcome") + tuple(f"% {w.lower()}" for w in outcome_words.values()),
        tuple(body),
        headline="Outcomes where the abuse ceased or reduced (% of outcomes recorded)",
        headline_value=percent(ceased_or_reduced, recorded),
        headline_kind=PERCENT,
        headline_part=ceased_or_reduced,
    )


@dataclass(frozen=True)
class ScoreTotals:
    """One score (safety, wellbeing, quality of life: 1-10) over the cases closed in the
    period that were scored at intake and at exit."""

    scored: int
    intake_total: float
    exit_total: float
    improved: int


def _mean(total: float, n: int) -> Decimal | None:
    return (Decimal(str(total)) / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if n else None


def wellbeing(scores: dict[str, ScoreTotals], *, score_words: dict[str, str]) -> Table:
    """Safety and wellbeing at closure (SafeLives Insights' scores, as service performance
    counts them): the mean at intake and at exit, and the cases that improved."""
    body = tuple(
        (
            _label(words),
            Cell(scores[key].scored),
            Cell(_mean(scores[key].intake_total, scores[key].scored), DECIMAL),
            Cell(_mean(scores[key].exit_total, scores[key].scored), DECIMAL),
        )
        + _count_and_share(scores[key].improved, scores[key].scored)
        for key, words in score_words.items()
    )
    return Table(
        MEASURES["outcomes"],
        ("Score (1 to 10)", "Cases scored at intake and exit", "Mean at intake", "Mean at exit", "Improved",
         "% improved"),
        body,
        title="Safety and wellbeing at closure",
    )  # fmt: skip


def spend_per_incident(*, yearly: Decimal | None, incidents: int, days: int, peers: tuple[Decimal, Decimal]) -> Table:
    """The year's spending shared over the period's days (a quarter's is about a quarter of
    a year's), per police incident in the period, rounded down to the pound as the review
    rounds it (£1.64m / 13,658 = £120). None without a funding register or incidents."""
    spent = None if yearly is None else (yearly * days / 365).quantize(Decimal(1), rounding=ROUND_DOWN)
    each = None if spent is None or not incidents else (spent / incidents).quantize(Decimal(1), rounding=ROUND_DOWN)
    low, high = peers
    return Table(
        MEASURES["spend_per_incident"],
        ("Figure", "Value"),
        (
            (_label("Spending on domestic abuse services in the period"), Cell(spent, MONEY)),
            (_label("Police incidents in the period"), Cell(incidents)),
            (_label("Spending per police incident"), Cell(each, MONEY)),
        ),
        headline="Spending per police incident (£)",
        headline_value=each,
        headline_kind=MONEY,
        benchmark=f"Comparable areas: £{low:,} to £{high:,} per incident",
        benchmark_values=(low, high),
        note="Spending is the whole partnership's: for an area or a district, it is not given."
        if yearly is None
        else "",
    )


def from_report(measure: str, title: str, columns: Sequence[str], rows, note: str = "") -> Table:
    """Another module's report table (rows of (value, kind) pairs) as a board table."""
    return Table(
        MEASURES[measure],
        tuple(columns),
        tuple(tuple(Cell(value, kind) for value, kind in row) for row in rows),
        note=note,
        title=title,
    )


def what_changed(current: Sequence[Table], previous: Sequence[Table], *, since: str) -> list[str]:
    """The board pack's narrative: each headline figure against the same figure for the
    period before, in a sentence ("... rose from 10.0% to 12.5%"). A figure hidden or not
    given in either period is said to be so, never guessed."""
    before = {t.measure.key: t for t in previous if t.headline}
    sentences = []
    for table in current:
        if not table.headline or table.measure.key not in before:
            continue
        now, then = table.headline_value, before[table.measure.key].headline_value

        def words(value, kind=table.headline_kind) -> str:
            return f"{value}%" if kind == PERCENT else f"£{value:,}" if kind == MONEY else f"{value:,}"

        if not isinstance(now, int | Decimal) or not isinstance(then, int | Decimal):
            sentences.append(f"{table.headline}: not comparable with {since} (too few to show, or none).")
        elif now == then:
            sentences.append(f"{table.headline}: {words(now)}, the same as in {since}.")
        else:
            change = "rose" if now > then else "fell"
            sentences.append(f"{table.headline}: {change} from {words(then)} in {since} to {words(now)}.")
    return sentences
