"""MARAC rules: when meetings fall, which meeting a case goes to, what makes a repeat and
which cases a MARAC hears. Pure Python, no Django.

Sources: domain.md "MARAC referral criteria" (repeat: any domestic abuse event within 12
months of the victim's last MARAC referral, whatever its score) and "Defaults for the
pathway beyond the front door" (meetings monthly or fortnightly; research due before the
meeting); seed 002 §4.3 (Hertfordshire's three monthly MARACs were overstretched, and the
review recommends meeting fortnightly, or five MARACs instead of three) and Stevenage's
medium-risk MARAC for scores 10-13 (domain.md "Terms").
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

WEEKLY, FORTNIGHTLY, MONTHLY = "weekly", "fortnightly", "monthly"
PATTERNS = (WEEKLY, FORTNIGHTLY, MONTHLY)


def meeting_times(pattern: str, anchor: datetime, *, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` meetings at or after ``after``, following the MARAC's pattern from
    its ``anchor`` meeting: every 7 or 14 days, or monthly on the same weekday of the month
    (the anchor's second Tuesday gives every second Tuesday; a fifth weekday becomes the
    month's last)."""
    if pattern not in PATTERNS:
        raise ValueError(f"unknown meeting pattern {pattern!r}")
    found: list[datetime] = []
    if pattern in (WEEKLY, FORTNIGHTLY):
        step = timedelta(days=7 if pattern == WEEKLY else 14)
        skipped = max(0, -(-(after - anchor) // step))  # ceiling: the first at or after `after`
        moment = anchor + skipped * step
        while len(found) < count:
            found.append(moment)
            moment += step
        return found
    nth = (anchor.day - 1) // 7  # 0 = first such weekday of the month
    year, month = after.year, after.month
    while len(found) < count:
        moment = datetime.combine(_nth_weekday(year, month, anchor.weekday(), nth), anchor.timetz())
        if moment >= after:
            found.append(moment)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, d).weekday() == weekday]
    return date(year, month, days[min(nth, len(days) - 1)])


@dataclass(frozen=True)
class MeetingRoom:
    """A meeting to come: when, how many cases are listed and how many it can hear."""

    meeting_id: int
    starts_at: datetime
    listed: int
    capacity: int


@dataclass(frozen=True)
class Scheduling:
    """Where a case goes: ``meeting_id`` (None when no meeting to come has room), and the
    full meetings it rolled past, for the warning the coordinator sees."""

    meeting_id: int | None
    rolled_past: tuple[int, ...]

    @property
    def rolled_over(self) -> bool:
        return bool(self.rolled_past)


def meeting_with_room(meetings: Sequence[MeetingRoom], *, earliest: datetime) -> Scheduling:
    """The first meeting at or after ``earliest`` (the research must be back before it)
    with room for one more case. A full meeting does not refuse the case: it rolls forward
    to the next with room, and the ones it rolled past are named (seed 002 §4.3: an
    overstretched MARAC must see its backlog, not lose cases)."""
    rolled = []
    for meeting in sorted(meetings, key=lambda m: m.starts_at):
        if meeting.starts_at < earliest:
            continue
        if meeting.listed < meeting.capacity:
            return Scheduling(meeting.meeting_id, tuple(rolled))
        rolled.append(meeting.meeting_id)
    return Scheduling(None, tuple(rolled))


@dataclass(frozen=True)
class EarlierCase:
    """A MARAC case of the same person (any of their linked records)."""

    case_id: int
    referred_on: date


def repeat_of(referred_on: date, earlier: Sequence[EarlierCase], *, window_days: int) -> EarlierCase | None:
    """The victim's last MARAC referral before this one if it is within ``window_days``
    (domain.md "MARAC referral criteria" 4: a repeat returns to MARAC whatever its score);
    else None. A referral on the last day of the window is a repeat; the day after is not."""
    before = [c for c in earlier if c.referred_on <= referred_on]
    if not before:
        return None
    last = max(before, key=lambda c: (c.referred_on, c.case_id))
    return last if (referred_on - last.referred_on).days <= window_days else None


def hears(*, min_score: int | None, max_score: int | None, score: int | None) -> bool:
    """Whether a MARAC with a score band hears a case by its DASH score. No band: it hears
    every case referred to it (visible high risk, professional judgement, escalation and
    repeats). A band (Stevenage's medium-risk MARAC, 10-13) hears only scores inside it."""
    if min_score is None and max_score is None:
        return True
    if score is None:
        return False
    return (min_score is None or score >= min_score) and (max_score is None or score <= max_score)


@dataclass(frozen=True)
class MaracScope:
    """What one MARAC hears: the districts it serves and its score band (if any)."""

    marac_id: int
    district_ids: frozenset[int]
    min_score: int | None = None
    max_score: int | None = None

    @property
    def banded(self) -> bool:
        return self.min_score is not None or self.max_score is not None


def marac_for(scopes: Sequence[MaracScope], *, district_id: int | None, score: int | None) -> int | None:
    """The MARAC that hears a case: one serving the victim's district whose band (if any)
    takes the score, a banded one first (Stevenage's medium-risk MARAC hears its 10-13s
    while the area MARAC hears the rest); with no district known, the only MARAC there is.
    None when no MARAC of the coordination hears it."""
    serving = [s for s in scopes if district_id in s.district_ids] if district_id else list(scopes)
    if not district_id and len(scopes) > 1:
        serving = [s for s in scopes if not s.banded]
        if len(serving) != 1:
            return None
    hearing = [s for s in serving if hears(min_score=s.min_score, max_score=s.max_score, score=score)]
    hearing.sort(key=lambda s: (not s.banded, s.marac_id))
    return hearing[0].marac_id if hearing else None


#: What a risk-management plan for the person causing harm can use: seed 002 §4.2
#: ("MARAC perpetrators", after SafeLives' "Managing perpetrators at MARAC") and issue 13, 5.
PERPETRATOR_OPTIONS: dict[str, str] = {
    "arrest_charge": "Arrest and charge for a criminal offence",
    "disruption": "Disruption plan with a single point of contact in the police or probation",
    "pdp": "Consider Potentially Dangerous Person status",
    "mappa_iom_matac": "Consider MAPPA, Integrated Offender Management or MATAC",
    "substance_misuse": "Referral to substance-misuse support",
    "mental_health": "Community mental health assessment",
    "programme": "Referral to a perpetrator programme",
    "clares_law": "Consider a right-to-know disclosure (Clare's Law)",
    "protection_orders": "Protection orders (DVPN / DVPO, DAPN / DAPO, non-molestation, restraining)",
}


def options_in_words(codes: Sequence[str]) -> list[str]:
    """The plan's options in words, in the order above; an unknown code is left out."""
    return [words for code, words in PERPETRATOR_OPTIONS.items() if code in codes]


def actions_to_chase(actions: Sequence[tuple[int, date, datetime | None]], *, today: date) -> list[int]:
    """Of open actions ``(id, due_on, chased_at)``, those past their due date and not yet
    chased (issue 13, 4): the owning agency is told once, in its queue; after that the
    coordinator sees the action overdue and chased on the action-tracking report."""
    return [pk for pk, due_on, chased_at in actions if due_on < today and chased_at is None]
