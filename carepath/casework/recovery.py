"""Step-down to recovery programmes: the words of a place on a programme and the moves
between them, the waiting list's order, and a course's places. Pure Python, no Django.

Sources: seed 002 §12.4 "Recovery (step down) provision" (recovery programmes such as the
Freedom Programme, run by refuge outreach services, women's centres and children's centres;
attendance and outcomes were not monitored outside the services running them) and its
recommendation that "all victims should be offered the option of recovery programmes",
with courses of about 16 participants (§ "IDVA service", an estimate of £2,600 a course
and 15% of engaged service users taking up recovery); domain.md "Board reporting" (what
happened to victims at closure). The programmes named here besides the Freedom Programme
(the Recovery Toolkit, Own My Life) are those commonly run in England; a partnership
records "other" for any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

#: The kinds of programme (seed 002 §12.4 and Table 6 name the Freedom Programme and
#: children's centres' groups).
KINDS = {
    "freedom": "Freedom Programme",
    "recovery_toolkit": "Recovery Toolkit",
    "own_my_life": "Own My Life",
    "childrens_group": "Children's group",
    "other": "Other programme",
}

#: A course's places when the provider has not said (seed 002: about 16 participants a course).
DEFAULT_PLACES = 16
#: A course's bounds, to catch a slip of the keyboard: a closed group of a few to a few
#: dozen, meeting weekly for up to a year.
MAX_WEEKS, MAX_PLACES = 52, 60

# A case's place on a programme, from the waiting list to the end of a course.
WAITING, OFFERED, STARTED, COMPLETED, LEFT_EARLY, DECLINED = (
    "waiting",
    "offered",
    "started",
    "completed",
    "left_early",
    "declined",
)
STATUS_WORDS = {
    WAITING: "Waiting for a place",
    OFFERED: "Offered a place",
    STARTED: "Started the course",
    COMPLETED: "Completed the course",
    LEFT_EARLY: "Left the course early",
    DECLINED: "Declined",
}
#: Where a place may go from each status. An offer she cannot take up puts her back on the
#: waiting list where she was (her place in the queue is kept: the list is by when she was
#: added). Completed, left early and declined are final: a new place is a new request.
MOVES: dict[str, frozenset[str]] = {
    WAITING: frozenset({OFFERED, DECLINED}),
    OFFERED: frozenset({STARTED, WAITING, DECLINED}),
    STARTED: frozenset({COMPLETED, LEFT_EARLY}),
    COMPLETED: frozenset(),
    LEFT_EARLY: frozenset(),
    DECLINED: frozenset(),
}
#: A case may not be on one programme twice while either place is live.
LIVE = frozenset({WAITING, OFFERED, STARTED})
#: Places that take up a seat on their course (one who left early does not free hers: a
#: closed group takes nobody new part way through).
SEATED = frozenset({OFFERED, STARTED, COMPLETED, LEFT_EARLY})
#: Reached the course: started it, whatever happened after.
REACHED_START = frozenset({STARTED, COMPLETED, LEFT_EARLY})


def move_refusal(current: str, new: str) -> str | None:
    """Why a place may not move from ``current`` to ``new``, in words; None when it may."""
    if current not in MOVES or new not in MOVES:
        return "That is not a status of a place on a programme."
    if new in MOVES[current]:
        return None
    if not MOVES[current]:
        return f"This place is final ({STATUS_WORDS[current].lower()}): put her on the waiting list again instead."
    allowed = "; ".join(STATUS_WORDS[s].lower() for s in STATUS_WORDS if s in MOVES[current])
    return f"A place that is {STATUS_WORDS[current].lower()} can only become: {allowed}."


@dataclass(frozen=True)
class Waiting:
    """One place on a waiting list: its id and when she was added."""

    place_id: int
    added_at: datetime


def waiting_order(places: Iterable[Waiting]) -> list[Waiting]:
    """The waiting list, fair: whoever was added first is first (ties by the order the
    places were recorded). An offer she could not take up keeps her place in the queue."""
    return sorted(places, key=lambda w: (w.added_at, w.place_id))


def days_waiting(added_at: datetime, now: datetime) -> int:
    return max((now - added_at).days, 0)


def places_left(*, places: int, seated: int) -> int:
    """Places not yet offered or taken on a course (never below none)."""
    return max(places - seated, 0)


def course_ends(starts_on: date, weeks: int) -> date:
    """The day after the course's last weekly session."""
    return starts_on + timedelta(weeks=max(weeks, 1))


def offer_refusal(*, places: int, seated: int, starts_on: date, weeks: int, today: date) -> str | None:
    """Why a place on a course may not be offered, in words; None when it may. A course
    takes no more than its places, and nobody once it has finished."""
    if course_ends(starts_on, weeks) <= today:
        return "This course has finished: offer a place on a course still to run."
    if places_left(places=places, seated=seated) == 0:
        return f"This course is full: all {places} places are offered or taken. Offer a place on another course."
    return None
