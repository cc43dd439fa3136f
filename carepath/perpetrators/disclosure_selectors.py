"""Reads of Clare's Law applications: who holds one (the police force that received it),
the people its pages show, the open ones with their clocks, and the report of the clocks
met and missed over a period."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet

from carepath.core import access
from carepath.perpetrators.disclosure_clocks import Clock, DisclosureClocks, disclosure_clocks
from carepath.perpetrators.models import DisclosureApplication, DisclosureDecision
from carepath.triage.deadlines import LONDON

#: Applications still in progress: not decided, or decided to disclose and not yet told.
OPEN = Q(decision="") | Q(decision=DisclosureDecision.DISCLOSE, disclosed_at__isnull=True)


def is_open(application: DisclosureApplication) -> bool:
    """``OPEN`` for one application in hand."""
    return not application.decision or (
        application.decision == DisclosureDecision.DISCLOSE and application.disclosed_at is None
    )


def disclosure_involvement(agency_id: int) -> Q:
    """The police force that received an application holds it (access registry rule)."""
    return Q(agency_id=agency_id)


def disclosure_people(application: DisclosureApplication):
    return [(application.person_at_risk_id, "person at risk"), (application.subject_id, "person asked about")]


def applications_visible(*, user) -> QuerySet[DisclosureApplication]:
    return access.records_visible_to(user, DisclosureApplication).select_related("person_at_risk", "subject", "owner")


def applications_open(*, user) -> QuerySet[DisclosureApplication]:
    return applications_visible(user=user).filter(OPEN)


def decision_done_at(application: DisclosureApplication) -> datetime | None:
    """When the decision clock stopped: the disclosure made, for a decision to disclose;
    the decision, for any other."""
    if application.decision == DisclosureDecision.DISCLOSE:
        return application.disclosed_at
    return application.decided_at if application.decision else None


def clocks_of(application: DisclosureApplication, *, now: datetime, settings) -> DisclosureClocks:
    return disclosure_clocks(
        received_at=application.received_at,
        initial_checks_at=application.initial_checks_at,
        meeting_at=application.meeting_at,
        decision_done_at=decision_done_at(application),
        now=now,
        settings=settings,
    )


@dataclass(frozen=True)
class QueueRow:
    application: DisclosureApplication
    clocks: DisclosureClocks

    @property
    def next_due(self) -> datetime:
        """The earliest clock still running (the queue's order)."""
        return min((c.due for c in self.clocks if c.open), default=self.clocks.decision.due)


def queue_rows(*, user, now: datetime, settings) -> list[QueueRow]:
    """The open applications with their clocks, the most pressing first."""
    rows = [QueueRow(a, clocks_of(a, now=now, settings=settings)) for a in applications_open(user=user)]
    return sorted(rows, key=lambda r: (r.next_due, r.application.pk))


def needing_attention(*, user, now: datetime, settings) -> list[QueueRow]:
    """Open applications with a clock overdue or due within a day (the home page)."""
    return [r for r in queue_rows(user=user, now=now, settings=settings) if r.clocks.needs_attention]


@dataclass(frozen=True)
class Miss:
    application: DisclosureApplication
    clock: Clock


@dataclass(frozen=True)
class ClockFigures:
    name: str
    #: Applications received in the period.
    applications: int
    met_on_time: int
    met_late: int
    overdue: int
    #: Still running and not yet due.
    running: int

    @property
    def missed(self) -> int:
        return self.met_late + self.overdue


@dataclass(frozen=True)
class BreachReport:
    first: date
    last: date
    applications: int
    figures: list[ClockFigures]
    misses: list[Miss]


def breach_report(*, user, first: date, last: date, now: datetime, settings) -> BreachReport:
    """The applications the user's force received from ``first`` to ``last`` (London days,
    both included): how many met each clock, and which missed it and by how long."""
    start = datetime.combine(first, time.min, tzinfo=LONDON)
    end = datetime.combine(last, time.max, tzinfo=LONDON)
    received = list(
        applications_visible(user=user).filter(received_at__gte=start, received_at__lte=end).order_by("received_at")
    )
    all_clocks = [(a, clocks_of(a, now=now, settings=settings)) for a in received]
    figures = []
    for index, name in enumerate(("Initial checks", "Multi-agency meeting", "Decision and disclosure")):
        these = [list(c)[index] for _, c in all_clocks]
        figures.append(
            ClockFigures(
                name=name,
                applications=len(these),
                met_on_time=sum(not c.open and not c.met_late for c in these),
                met_late=sum(c.met_late for c in these),
                overdue=sum(c.overdue for c in these),
                running=sum(c.open and not c.overdue for c in these),
            )
        )
    misses = [Miss(a, clock) for a, clocks in all_clocks for clock in clocks if clock.missed]
    return BreachReport(first=first, last=last, applications=len(received), figures=figures, misses=misses)
