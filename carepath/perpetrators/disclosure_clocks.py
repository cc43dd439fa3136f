"""The clocks of a Clare's Law application (the Domestic Violence Disclosure Scheme).
Pure Python: no Django.

Sources: references.md "Clare's Law (DVDS)" and domain.md "Defaults for the pathway
beyond the front door": initial checks within 24 hours; a multi-agency meeting within 10
working days; the decision and the disclosure within 28 days, 35 at most. The numbers are
the partnership's settings (``disclosure_initial_checks_hours``,
``disclosure_meeting_working_days``, ``disclosure_decision_days``,
``disclosure_decision_max_days``).

- Initial checks: hours round the clock from receipt, weekends and bank holidays
  included (real hours: across a change of the clocks 24 hours stay 24).
- The meeting: by the end of the 10th working day after receipt, counted as the front
  door counts working days (``triage.deadlines``: Monday to Friday except bank holidays
  in England and Wales; an application received on a day that is not a working day
  counts from the next working day, like a referral that arrives at the weekend).
- The decision and the disclosure: calendar days from receipt, to the same time of day
  in London; the latest date is a hard limit. A decision to disclose is met when the
  disclosure is made; a decision not to disclose, or a withdrawal, when it is decided.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from carepath.triage.deadlines import LONDON, add_working_days

#: "Due soon" on the queue and the home page: within this of its due time.
SOON = timedelta(days=1)


class ClockSettings(Protocol):
    disclosure_initial_checks_hours: int
    disclosure_meeting_working_days: int
    disclosure_decision_days: int
    disclosure_decision_max_days: int


@dataclass(frozen=True)
class Clock:
    """One clock: when it is due, when it was met (if it was), and its state in words."""

    name: str
    due: datetime
    done_at: datetime | None
    state: str
    #: Still open and past its due time.
    overdue: bool
    #: Met after its due time.
    met_late: bool
    #: How late it was met, or how overdue it is now (``None`` when neither).
    late_by: timedelta | None
    #: Still open and due within ``SOON``.
    due_soon: bool
    #: The due time is the end of a day: show the day, not a time.
    by_end_of_day: bool = False
    #: The hard limit (the decision's 35 days), and whether it was passed.
    latest: datetime | None = None
    past_latest: bool = False

    @property
    def open(self) -> bool:
        return self.done_at is None

    @property
    def missed(self) -> bool:
        """Met late or overdue: a breach of the clock."""
        return self.overdue or self.met_late


@dataclass(frozen=True)
class DisclosureClocks:
    initial_checks: Clock
    meeting: Clock
    decision: Clock

    def __iter__(self):
        return iter((self.initial_checks, self.meeting, self.decision))

    @property
    def needs_attention(self) -> bool:
        """A clock still open that is overdue or due within a day (the home page's count)."""
        return any(c.open and (c.overdue or c.due_soon) for c in self)


def duration_words(span: timedelta) -> str:
    """A span as a reader says it: "less than an hour", "5 hours", "3 days"."""
    hours = int(span.total_seconds() // 3600)
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = span.days
    return f"{days} day{'s' if days != 1 else ''}"


def _clock(
    name: str,
    *,
    due: datetime,
    done_at: datetime | None,
    now: datetime,
    by_end_of_day: bool = False,
    latest: datetime | None = None,
) -> Clock:
    end = done_at if done_at is not None else now
    past_latest = latest is not None and end > latest
    limit = " and past the latest date" if past_latest else ""
    common = {"name": name, "due": due, "done_at": done_at, "by_end_of_day": by_end_of_day, "latest": latest}
    if done_at is not None:
        late = done_at > due
        return Clock(
            **common,
            state=f"met late, by {duration_words(done_at - due)}{limit}" if late else "met on time",
            overdue=False,
            met_late=late,
            late_by=done_at - due if late else None,
            due_soon=False,
            past_latest=past_latest,
        )
    if now > due:
        return Clock(
            **common,
            state=f"overdue by {duration_words(now - due)}{limit}",
            overdue=True,
            met_late=False,
            late_by=now - due,
            due_soon=False,
            past_latest=past_latest,
        )
    return Clock(
        **common,
        state=f"due in {duration_words(due - now)}",
        overdue=False,
        met_late=False,
        late_by=None,
        due_soon=due - now <= SOON,
    )


def initial_checks_due(received_at: datetime, settings: ClockSettings) -> datetime:
    # In UTC, so a change of the clocks does not make 24 hours 23 or 25.
    elapsed = received_at.astimezone(UTC) + timedelta(hours=settings.disclosure_initial_checks_hours)
    return elapsed.astimezone(LONDON)


def meeting_due(received_at: datetime, settings: ClockSettings) -> datetime:
    """The end (midnight) of the 10th working day after receipt."""
    day = add_working_days(received_at, settings.disclosure_meeting_working_days).date()
    return datetime.combine(day, time.max, tzinfo=LONDON)


def decision_due(received_at: datetime, settings: ClockSettings) -> tuple[datetime, datetime]:
    """The usual date and the latest: calendar days, to the same London time of day."""
    local = received_at.astimezone(LONDON)
    return (
        local + timedelta(days=settings.disclosure_decision_days),
        local + timedelta(days=settings.disclosure_decision_max_days),
    )


def disclosure_clocks(
    *,
    received_at: datetime,
    initial_checks_at: datetime | None,
    meeting_at: datetime | None,
    decision_done_at: datetime | None,
    now: datetime,
    settings: ClockSettings,
) -> DisclosureClocks:
    """The three clocks of an application. ``decision_done_at``: when the disclosure was
    made, for a decision to disclose; when it was decided, for any other decision."""
    usual, latest = decision_due(received_at, settings)
    return DisclosureClocks(
        initial_checks=_clock(
            "Initial checks", due=initial_checks_due(received_at, settings), done_at=initial_checks_at, now=now
        ),
        meeting=_clock(
            "Multi-agency meeting",
            due=meeting_due(received_at, settings),
            done_at=meeting_at,
            now=now,
            by_end_of_day=True,
        ),
        decision=_clock("Decision and disclosure", due=usual, done_at=decision_done_at, now=now, latest=latest),
    )
