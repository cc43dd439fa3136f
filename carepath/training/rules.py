"""The champions network's arithmetic: when training lapses, the report's periods, and
the report itself (seed 002 Appendix 2, 2.2: a champion in every agency, training
co-ordinated, its effect on referrals monitored). Pure Python: no Django.

Definitions, as the report's page states them:

- **Champions**: the agency's champions in post on the last day of the period (their
  first day on or before it, and no last day, or one on or after it).
- **Trained staff**: the agency's staff whose training is current on the last day of the
  period: they attended a session on or before that day, and the training it gives has
  not lapsed by then (``current_until``).
- **Referrals** to the front door, to the IDVA service and to MARAC: referrals the
  agency made (it is the referring agency), received in the period, counted once each
  (referrals, not people: one victim referred twice counts twice).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

MONTH = "month"
QUARTER = "quarter"
PERIOD_KINDS = {MONTH: "Month", QUARTER: "Quarter"}
#: The most periods one report shows: five years of months.
MOST_PERIODS = 60

FRONT_DOOR, IDVA, MARAC = "front_door", "idva", "marac"


def current_until(*, attended_on: date, months: int) -> date:
    """The last day training attended on ``attended_on`` is current: ``months`` calendar
    months later, less a day (a course on 15 March 2025 current for 12 months is current
    to 14 March 2026, and due again on 15 March 2026). The month's end when the day does
    not exist (31 January + 1 month -> 28 or 29 February, less a day)."""
    return attended_on + relativedelta(months=months) - timedelta(days=1)


@dataclass(frozen=True)
class RefresherDue:
    due_on: date  # the first day training is no longer current
    overdue: bool
    due_soon: bool


def refresher_due(*, current_to: date, today: date, warning_days: int) -> RefresherDue:
    """When the trainee's refresher is due (the day after their training lapses), whether
    that has passed, and whether it falls within the warning window."""
    due_on = current_to + timedelta(days=1)
    return RefresherDue(due_on, due_on <= today, today < due_on <= today + timedelta(days=warning_days))


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    label: str


def _month_start(day: date) -> date:
    return day.replace(day=1)


def periods(*, kind: str, first: date, last: date) -> list[Period]:
    """The calendar months or quarters (January to March, ...) that the range touches,
    whole, from the one holding ``first`` to the one holding ``last``."""
    if kind not in PERIOD_KINDS:
        raise PeriodError("Choose months or quarters.")
    if last < first:
        raise PeriodError("The end of the range must not be before its start.")
    step = 1 if kind == MONTH else 3
    start = _month_start(first)
    if kind == QUARTER:
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
    found = []
    while start <= last:
        end = start + relativedelta(months=step) - timedelta(days=1)
        if kind == MONTH:
            label = f"{start:%b %Y}"
        else:
            label = f"{start:%b}–{end:%b %Y}"
        found.append(Period(start, end, label))
        if len(found) > MOST_PERIODS:
            raise PeriodError(f"Choose a range of at most {MOST_PERIODS} periods.")
        start = end + timedelta(days=1)
    return found


def up_to(periods: list[Period], today: date) -> list[Period]:
    """The periods as far as today: one still running ends today, so it counts the
    champions and trained staff of today, not of a day to come ("so far" in its label);
    one not begun is left out."""
    return [
        p if p.last <= today else Period(p.first, today, f"{p.label} (so far)") for p in periods if p.first <= today
    ]


@dataclass(frozen=True)
class ReportRow:
    period: Period
    champions: int
    trained: int
    front_door: int
    idva: int
    marac: int


def network_report(
    *,
    periods: list[Period],
    champion_terms: Iterable[tuple[date, date | None]],
    trainee_currency: dict[int, list[tuple[date, date]]],
    referrals: Iterable[tuple[str, date]],
) -> list[ReportRow]:
    """One agency's row per period.

    ``champion_terms``: each champion's (first day, last day or None).
    ``trainee_currency``: per trainee, the (attended on, current until) of each session
    they attended.
    ``referrals``: (destination, received on) of each referral the agency made."""
    terms = list(champion_terms)
    referrals = list(referrals)
    rows = []
    for period in periods:
        end = period.last
        champions = sum(1 for start, until in terms if start <= end and (until is None or until >= end))
        trained = sum(
            1 for spells in trainee_currency.values() if any(attended <= end <= current for attended, current in spells)
        )
        counts = {FRONT_DOOR: 0, IDVA: 0, MARAC: 0}
        for destination, day in referrals:
            if period.first <= day <= period.last and destination in counts:
                counts[destination] += 1
        rows.append(ReportRow(period, champions, trained, counts[FRONT_DOOR], counts[IDVA], counts[MARAC]))
    return rows
