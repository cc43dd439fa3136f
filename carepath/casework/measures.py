"""Service performance (issue 14, 6): each measure of a casework service defined once, over
plain rows, so the page, the list of cases behind a figure, the tests and the benchmark
all count the same way. Pure Python, no Django.

Sources (domain.md "Board reporting", "Caseloads and capacity" and "Defaults for the
pathway beyond the front door"; references.md "Case management"):

- **Referred -> contacted -> engaged** (seed 004: referral-to-engagement rates of 49% for
  the IDVA service and 21% for the caseworker service). The cohort is the cases referred
  in the period; a case counts as contacted once its first contact is recorded and as
  engaged once its engagement is, whatever its status today.
- **Time to first contact against the deadline** (Daisy: a contract measure; domain.md
  "Routing": 1 working day for high risk, 3 for medium). Of the cases referred in the
  period that have a deadline: met (contacted by it), missed (contacted after it, or not
  contacted and the deadline has passed) and not yet due. The share met is of met and
  missed. The median time is in working days (Monday to Friday but England's bank
  holidays, UK local time) from the referral's day to the first contact's day, 0 for the
  same day, over the cases contacted.
- **Caseload per full-time worker against safe** (seed 002 Appendix 6: 65 high-risk or 85
  medium-risk victims a year per full-time IDVA; SafeLives: 60-80 open cases), from
  ``rules.load``: each worker's high- and medium-risk cases referred in the year ending
  on the period's last day, and the cases open today. A worker over either is flagged.
- **Outcomes at closure by risk level** (SafeLives Insights): of the cases closed in the
  period, for each abuse type, the share ceased, reduced, no change and increased; and
  the change in safety, wellbeing and quality of life (scored 1-10) from intake to exit,
  over the cases scored at both.
- **Recovery uptake** (step-down to recovery programmes; seed 002 §12.4 and its
  recommendation that every victim be offered one, planning on 15% of engaged service
  users taking one up): of the cases closed in the period (the outcomes' cohort), those
  stepped down to a recovery programme (a place added for her, on the waiting list or
  beyond, while the case was open or at its closure, whenever it was added), of those
  the ones who started a course (``recovery.REACHED_START``: started, completed or left
  early) and of those the ones who completed one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from statistics import median
from zoneinfo import ZoneInfo

from carepath.casework import rules
from carepath.triage.deadlines import is_working_day

LONDON = ZoneInfo("Europe/London")
RISK_WORDS = {"high": "High risk", "medium": "Medium risk", "standard": "Standard risk", "": "Risk not recorded"}
SCORES = {"safety": "Safety", "wellbeing": "Wellbeing", "quality_of_life": "Quality of life"}


@dataclass(frozen=True)
class Period:
    """Days from ``first`` to ``last`` inclusive, in UK local time."""

    first: date
    last: date
    label: str = ""

    @cached_property
    def starts(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time(), LONDON)

    @cached_property
    def ends(self) -> datetime:
        """The moment after its last day."""
        return datetime.combine(self.last + timedelta(days=1), datetime.min.time(), LONDON)

    @property
    def year_before_end(self) -> Period:
        """The year ending on the period's last day: the caseload's year."""
        return Period(self.last - timedelta(days=364), self.last)

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and self.starts <= moment < self.ends


@dataclass(frozen=True)
class CaseRow:
    """What the measures need of a case: no names, nothing encrypted."""

    case_id: int
    service_id: int
    risk_level: str
    status: str
    worker_id: int | None
    referred_at: datetime
    first_contact_due: datetime | None = None
    first_contact_at: datetime | None = None
    engaged_at: datetime | None = None
    closed_at: datetime | None = None
    intake_scores: dict = field(default_factory=dict)
    exit_scores: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=dict)
    #: Her places on recovery programmes: any added; any that reached a course's start; any completed.
    recovery_added: bool = False
    recovery_started: bool = False
    recovery_completed: bool = False


@dataclass(frozen=True)
class WorkerRow:
    worker_id: int
    service_id: int
    name: str
    fte: float
    high_this_year: int
    medium_this_year: int
    open_cases: int


# The cases behind each figure: one predicate per measure, used both to count and to list.
Test = Callable[[CaseRow, Period, datetime], bool]


def _referred(c: CaseRow, p: Period, now: datetime) -> bool:
    return p.holds(c.referred_at)


def _contacted(c: CaseRow, p: Period, now: datetime) -> bool:
    return _referred(c, p, now) and c.first_contact_at is not None


def _engaged(c: CaseRow, p: Period, now: datetime) -> bool:
    return _referred(c, p, now) and c.engaged_at is not None


def _deadline_met(c: CaseRow, p: Period, now: datetime) -> bool:
    return (
        _referred(c, p, now)
        and c.first_contact_due is not None
        and c.first_contact_at is not None
        and c.first_contact_at <= c.first_contact_due
    )


def _deadline_missed(c: CaseRow, p: Period, now: datetime) -> bool:
    if not _referred(c, p, now) or c.first_contact_due is None:
        return False
    if c.first_contact_at is not None:
        return c.first_contact_at > c.first_contact_due
    return now > c.first_contact_due


def _deadline_pending(c: CaseRow, p: Period, now: datetime) -> bool:
    return (
        _referred(c, p, now)
        and c.first_contact_due is not None
        and c.first_contact_at is None
        and now <= c.first_contact_due
    )


def _closed(c: CaseRow, p: Period, now: datetime) -> bool:
    return c.status == rules.CLOSED and p.holds(c.closed_at)


def _recovery_added(c: CaseRow, p: Period, now: datetime) -> bool:
    return _closed(c, p, now) and c.recovery_added


def _recovery_started(c: CaseRow, p: Period, now: datetime) -> bool:
    return _closed(c, p, now) and c.recovery_started


def _recovery_completed(c: CaseRow, p: Period, now: datetime) -> bool:
    return _closed(c, p, now) and c.recovery_completed


MEASURES: dict[str, tuple[str, Test]] = {
    "referred": ("Referred in the period", _referred),
    "contacted": ("Contacted", _contacted),
    "engaged": ("Engaged", _engaged),
    "deadline_met": ("First contact by the deadline", _deadline_met),
    "deadline_missed": ("First contact after the deadline, or the deadline passed", _deadline_missed),
    "deadline_pending": ("Not yet contacted, deadline still ahead", _deadline_pending),
    "closed": ("Closed in the period", _closed),
    "recovery_added": ("Closed in the period and stepped down to a recovery programme", _recovery_added),
    "recovery_started": ("Closed in the period and started a recovery course", _recovery_started),
    "recovery_completed": ("Closed in the period and completed a recovery course", _recovery_completed),
}


def cases_behind(
    rows: Iterable[CaseRow],
    *,
    measure: str,
    period: Period,
    now: datetime,
    risk_level: str | None = None,
    abuse_type: str | None = None,
    outcome: str | None = None,
) -> list[int]:
    """The cases a figure counts, by id: the measure's cases, narrowed to a risk level and
    (for outcomes) to those where an abuse type had the outcome. Unknown measure: none."""
    if measure not in MEASURES:
        return []
    test = MEASURES[measure][1]
    return [
        c.case_id
        for c in rows
        if test(c, period, now)
        and (risk_level is None or c.risk_level == risk_level)
        and (abuse_type is None or c.outcomes.get(abuse_type) == outcome)
    ]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Engagement:
    referred: int
    contacted: int
    engaged: int

    @property
    def contacted_rate(self) -> float | None:
        return share(self.contacted, self.referred)

    @property
    def engaged_rate(self) -> float | None:
        """Referral to engagement (seed 004's measure)."""
        return share(self.engaged, self.referred)

    @property
    def engaged_of_contacted(self) -> float | None:
        return share(self.engaged, self.contacted)


def engagement(rows: Iterable[CaseRow], period: Period, now: datetime) -> Engagement:
    referred = contacted = engaged = 0
    for c in rows:
        if _referred(c, period, now):
            referred += 1
            contacted += c.first_contact_at is not None
            engaged += c.engaged_at is not None
    return Engagement(referred=referred, contacted=contacted, engaged=engaged)


@lru_cache(maxsize=4096)
def _working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 for the same day)."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))


def working_days_to_contact(c: CaseRow) -> int | None:
    if c.first_contact_at is None:
        return None
    return _working_days_between(c.referred_at.astimezone(LONDON).date(), c.first_contact_at.astimezone(LONDON).date())


@dataclass(frozen=True)
class FirstContact:
    met: int
    missed: int
    pending: int
    contacted: int
    median_working_days: float | None

    @property
    def met_rate(self) -> float | None:
        return share(self.met, self.met + self.missed)


def first_contact(rows: Iterable[CaseRow], period: Period, now: datetime) -> FirstContact:
    met = missed = pending = 0
    days = []
    for c in rows:
        if not _referred(c, period, now):
            continue
        if c.first_contact_at is not None:
            days.append(working_days_to_contact(c))
        met += _deadline_met(c, period, now)
        missed += _deadline_missed(c, period, now)
        pending += _deadline_pending(c, period, now)
    return FirstContact(
        met=met, missed=missed, pending=pending, contacted=len(days), median_working_days=median(days) if days else None
    )


@dataclass(frozen=True)
class Caseload:
    worker_id: int | None
    name: str
    high_this_year: int
    medium_this_year: int
    load: rules.Load

    @property
    def over(self) -> bool:
        return self.load.over


def caseloads(workers: Sequence[WorkerRow], safe: rules.SafeCaseload) -> tuple[list[Caseload], Caseload]:
    """Each worker's load against safe, most loaded first, and the service's (or the
    services') together: their FTE, cases a year and open cases summed."""
    each = [
        Caseload(
            worker_id=w.worker_id,
            name=w.name,
            high_this_year=w.high_this_year,
            medium_this_year=w.medium_this_year,
            load=rules.load(
                fte=w.fte,
                high_this_year=w.high_this_year,
                medium_this_year=w.medium_this_year,
                open_cases=w.open_cases,
                safe=safe,
            ),
        )
        for w in workers
    ]
    each.sort(key=lambda c: (-c.load.year_share, -c.load.open_cases, c.name))
    high = sum(w.high_this_year for w in workers)
    medium = sum(w.medium_this_year for w in workers)
    together = Caseload(
        worker_id=None,
        name="All workers",
        high_this_year=high,
        medium_this_year=medium,
        load=rules.load(
            fte=sum(w.fte for w in workers),
            high_this_year=high,
            medium_this_year=medium,
            open_cases=sum(w.open_cases for w in workers),
            safe=safe,
        ),
    )
    return each, together


@dataclass(frozen=True)
class ScoreChange:
    scored: int
    mean_intake: float | None
    mean_exit: float | None
    improved: int

    @property
    def mean_change(self) -> float | None:
        return None if self.mean_intake is None else self.mean_exit - self.mean_intake

    @property
    def improved_rate(self) -> float | None:
        return share(self.improved, self.scored)


@dataclass(frozen=True)
class Outcomes:
    """The cases of one risk level closed in the period."""

    risk_level: str
    closed: int
    #: abuse type -> outcome -> cases; and abuse type -> cases with any outcome recorded.
    by_abuse: dict[str, dict[str, int]]
    recorded: dict[str, int]
    scores: dict[str, ScoreChange]

    def outcome_rate(self, abuse_type: str, outcome: str) -> float | None:
        return share(self.by_abuse[abuse_type][outcome], self.recorded[abuse_type])


def _score(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def outcomes(rows: Iterable[CaseRow], period: Period, now: datetime) -> list[Outcomes]:
    """By risk level (high, medium, standard, then not recorded; only those with cases)."""
    closed: dict[str, list[CaseRow]] = defaultdict(list)
    for c in rows:
        if _closed(c, period, now):
            closed[c.risk_level if c.risk_level in RISK_WORDS else ""].append(c)
    made = []
    for level in RISK_WORDS:
        cases = closed.get(level)
        if not cases:
            continue
        by_abuse = {a: {o: 0 for o in rules.OUTCOMES} for a in rules.ABUSE_TYPES}
        recorded: Counter[str] = Counter()
        for c in cases:
            for abuse, outcome in c.outcomes.items():
                if abuse in by_abuse and outcome in rules.OUTCOMES:
                    by_abuse[abuse][outcome] += 1
                    recorded[abuse] += 1
        scores = {}
        for key in SCORES:
            pairs = [(_score(c.intake_scores.get(key)), _score(c.exit_scores.get(key))) for c in cases]
            pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
            scores[key] = ScoreChange(
                scored=len(pairs),
                mean_intake=sum(a for a, _ in pairs) / len(pairs) if pairs else None,
                mean_exit=sum(b for _, b in pairs) / len(pairs) if pairs else None,
                improved=sum(1 for a, b in pairs if b > a),
            )
        made.append(
            Outcomes(
                risk_level=level,
                closed=len(cases),
                by_abuse=by_abuse,
                recorded={a: recorded[a] for a in rules.ABUSE_TYPES},
                scores=scores,
            )
        )
    return made


@dataclass(frozen=True)
class RecoveryUptake:
    """The cases closed in the period, and how many of them stepped down to a recovery
    programme, started a course and completed one."""

    closed: int
    stepped_down: int
    started: int
    completed: int

    @property
    def stepped_down_rate(self) -> float | None:
        return share(self.stepped_down, self.closed)

    @property
    def started_rate(self) -> float | None:
        """Of those stepped down."""
        return share(self.started, self.stepped_down)

    @property
    def completed_rate(self) -> float | None:
        """Of those who started."""
        return share(self.completed, self.started)


def recovery_uptake(rows: Iterable[CaseRow], period: Period, now: datetime) -> RecoveryUptake:
    closed = stepped_down = started = completed = 0
    for c in rows:
        if _closed(c, period, now):
            closed += 1
            stepped_down += c.recovery_added
            started += c.recovery_started
            completed += c.recovery_completed
    return RecoveryUptake(closed=closed, stepped_down=stepped_down, started=started, completed=completed)


@dataclass(frozen=True)
class Performance:
    service_id: int | None
    engagement: Engagement
    first_contact: FirstContact
    caseloads: list[Caseload]
    caseload: Caseload
    outcomes: list[Outcomes]
    recovery_uptake: RecoveryUptake


def performance(
    *,
    rows: Sequence[CaseRow],
    workers: Sequence[WorkerRow],
    period: Period,
    now: datetime,
    safe: rules.SafeCaseload,
    service_id: int | None = None,
) -> Performance:
    """One service's figures (or all the rows' together, with ``service_id`` None)."""
    if service_id is not None:
        rows = [c for c in rows if c.service_id == service_id]
        workers = [w for w in workers if w.service_id == service_id]
    each, together = caseloads(workers, safe)
    return Performance(
        service_id=service_id,
        engagement=engagement(rows, period, now),
        first_contact=first_contact(rows, period, now),
        caseloads=each,
        caseload=together,
        outcomes=outcomes(rows, period, now),
        recovery_uptake=recovery_uptake(rows, period, now),
    )


def by_service(
    *,
    rows: Sequence[CaseRow],
    workers: Sequence[WorkerRow],
    service_ids: Sequence[int],
    period: Period,
    now: datetime,
    safe: rules.SafeCaseload,
) -> dict[int, Performance]:
    """Each service's figures, grouping the rows once."""
    rows_of: dict[int, list[CaseRow]] = defaultdict(list)
    for c in rows:
        rows_of[c.service_id].append(c)
    workers_of: dict[int, list[WorkerRow]] = defaultdict(list)
    for w in workers:
        workers_of[w.service_id].append(w)
    return {
        s: replace(performance(rows=rows_of[s], workers=workers_of[s], period=period, now=now, safe=safe), service_id=s)
        for s in service_ids
    }


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def period_from_code(code: str) -> Period | None:
    """A calendar year ("2026") or quarter ("2026Q3"); None for anything else."""
    code = (code or "").strip().upper()
    try:
        if len(code) == 4:
            year = int(code)
            return Period(date(year, 1, 1), date(year, 12, 31), f"January to December {year}")
        if len(code) == 6 and code[4] == "Q" and code[5] in "1234":
            year, number = int(code[:4]), int(code[5])
            first = date(year, 3 * number - 2, 1)
            following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
            return Period(
                first, following - timedelta(days=1), f"{MONTHS[3 * number - 3]} to {MONTHS[3 * number - 1]} {year}"
            )
    except ValueError:
        return None
    return None


def period_choices(today: date) -> list[tuple[str, str]]:
    """This year and last, then the last eight quarters, newest first."""
    years = [str(today.year), str(today.year - 1)]
    quarter = (today.year, (today.month - 1) // 3 + 1)
    quarters = []
    for _ in range(8):
        quarters.append(f"{quarter[0]}Q{quarter[1]}")
        quarter = (quarter[0] - 1, 4) if quarter[1] == 1 else (quarter[0], quarter[1] - 1)
    return [(code, period_from_code(code).label) for code in years + quarters]
