"""Casework rules for IDVA and caseworker services (issue 14): the case's statuses and the
moves between them, engagement levels, interventions and outcomes, whether a worker's
caseload is safe, who to suggest for a new case, and whether a contact attempt is safe.
Pure Python, no Django.

Sources: domain.md "Defaults for the pathway beyond the front door" (Casework: safe caseload
65 high-risk or 85 medium-risk victims a year per full-time IDVA, and SafeLives' 60-80 open
cases; statuses referred, contacting, engaged, ongoing support, closed, with declined, not
contactable, dormant, dropped out; outcomes at closure per abuse type) and "Safe contact";
references.md "Case management" (Daisy's statuses; SafeLives Insights' intake and exit
measures); seed 004 (engagement levels 1-3 and the interventions of Table 2); seed 002
(six IDVAs each carried about 120 victims a year against a safe 60-70).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, time

# The case's journey (domain.md "Casework"; references.md, Daisy).
REFERRED, CONTACTING, ENGAGED, ONGOING, CLOSED = "referred", "contacting", "engaged", "ongoing_support", "closed"
DECLINED, NOT_CONTACTABLE, DORMANT, DROPPED_OUT = "declined", "not_contactable", "dormant", "dropped_out"
#: Handed to another agency's service, which opens its own case: not closed with outcomes here.
HANDED_OVER = "handed_over"
STATUS_WORDS = {
    REFERRED: "Referred",
    CONTACTING: "Contacting",
    ENGAGED: "Engaged",
    ONGOING: "Ongoing support",
    CLOSED: "Closed",
    DECLINED: "Declined support",
    NOT_CONTACTABLE: "Not contactable",
    DORMANT: "Dormant",
    DROPPED_OUT: "Dropped out",
    HANDED_OVER: "Handed over to another agency",
}
#: Where a case may go from each status. A closed or declined case is reopened as a new
#: referral, so that the time to first contact and the outcomes stay honest.
MOVES: dict[str, frozenset[str]] = {
    REFERRED: frozenset({CONTACTING, DECLINED, NOT_CONTACTABLE}),
    CONTACTING: frozenset({ENGAGED, DECLINED, NOT_CONTACTABLE}),
    ENGAGED: frozenset({ONGOING, CLOSED, DROPPED_OUT, DORMANT}),
    ONGOING: frozenset({CLOSED, DROPPED_OUT, DORMANT}),
    DORMANT: frozenset({ONGOING, CLOSED, DROPPED_OUT}),
    NOT_CONTACTABLE: frozenset({CONTACTING}),
    CLOSED: frozenset(),
    DECLINED: frozenset(),
    DROPPED_OUT: frozenset(),
    HANDED_OVER: frozenset(),
}
#: Statuses that count against a worker's open caseload.
OPEN = frozenset({REFERRED, CONTACTING, ENGAGED, ONGOING, NOT_CONTACTABLE})


def move_refusal(current: str, new: str) -> str | None:
    """Why a case may not move from ``current`` to ``new``, in words; None when it may."""
    if current not in MOVES or new not in MOVES:
        return "That is not a case status."
    if new in MOVES[current]:
        return None
    if not MOVES[current]:
        return f"The case is {STATUS_WORDS[current].lower()}: a new referral opens a new case."
    allowed = ", ".join(STATUS_WORDS[s].lower() for s in sorted(MOVES[current], key=list(STATUS_WORDS).index))
    return f"A case that is {STATUS_WORDS[current].lower()} can only become: {allowed}."


#: What a worker specialises in, and a case may need (issue 14, 1).
SPECIALISMS = {
    "criminal_justice": "Criminal justice",
    "family_court": "Family court",
    "substance_use": "Substance use",
    "mental_health": "Mental health",
    "young_people": "Young people",
    "lgbt": "LGBT+",
    "black_minoritised": "Black and minoritised women",
    "male_victims": "Male victims",
    "housing": "Housing",
    "disability": "Disability",
}

#: Seed 004's levels of engagement with the domestic abuse caseworker service.
ENGAGEMENT_LEVELS = {
    1: "Level 1: signposting or advice, no further contact",
    2: "Level 2: about three contacts, emotional support, advice and referrals",
    3: "Level 3: intensive long-term support, with advocacy and liaison",
}

#: The interventions of seed 004 Table 2 (the caseworker service's year).
INTERVENTIONS = {
    "housing": "Housing support",
    "emotional": "Emotional support",
    "civil_justice": "Legal measures: civil justice",
    "court_cases": "Legal measures: court cases",
    "civil_legal": "Legal support: civil",
    "child_protection": "Child protection support",
    "mental_health": "Mental health support",
    "wellbeing": "Wellbeing support",
    "social_services_meeting": "Social services meeting attended",
    "court_attended": "Court attended with her",
}

#: SafeLives Insights' abuse types, and what happened to each by closure (domain.md).
ABUSE_TYPES = {
    "physical": "Physical abuse",
    "sexual": "Sexual abuse",
    "harassment_stalking": "Harassment and stalking",
    "jealous_controlling": "Jealous and controlling behaviour",
}
OUTCOMES = {"ceased": "Ceased", "reduced": "Reduced", "no_change": "No change", "increased": "Increased"}
#: Scored 1-10 at intake and at exit (SafeLives Insights).
SCORES = {"safety": "Safety", "wellbeing": "Wellbeing", "quality_of_life": "Quality of life"}


@dataclass(frozen=True)
class SafeCaseload:
    """A service's safe caseload (partnership settings): victims a year per full-time
    worker by risk, and open cases at once per full-time worker."""

    high_a_year: int
    medium_a_year: int
    open_at_once: int


@dataclass(frozen=True)
class Load:
    """A worker's (or a service's) load against safe: the year's new cases as a share of
    what is safe for the FTE (high-risk and medium-risk weighted by their own limits), and
    the cases open now against the open limit. Over either is over safe."""

    fte: float
    year_share: float
    open_cases: int
    open_limit: float

    @property
    def over(self) -> bool:
        return self.year_share > 1 or self.open_cases > self.open_limit

    @property
    def headroom(self) -> float:
        """How far below safe, as a share of the safe load (negative when over)."""
        return min(1 - self.year_share, 1 - self.open_cases / self.open_limit if self.open_limit else -1.0)


def load(*, fte: float, high_this_year: int, medium_this_year: int, open_cases: int, safe: SafeCaseload) -> Load:
    """A worker's load: with no FTE (a worker on leave) any case at all is over safe."""
    if fte <= 0:
        busy = high_this_year + medium_this_year + open_cases
        return Load(fte=0.0, year_share=float("inf") if busy else 0.0, open_cases=open_cases, open_limit=0.0)
    share = high_this_year / (safe.high_a_year * fte) + medium_this_year / (safe.medium_a_year * fte)
    return Load(fte=fte, year_share=share, open_cases=open_cases, open_limit=safe.open_at_once * fte)


@dataclass(frozen=True)
class Candidate:
    worker_id: int
    specialisms: frozenset[str]
    load: Load


@dataclass(frozen=True)
class Suggestion:
    worker_id: int
    matched: tuple[str, ...]
    headroom: float
    over: bool
    knows_her: bool = False


def suggest_workers(
    candidates: Sequence[Candidate], *, needs: Collection[str], known_to_her: Collection[int] = ()
) -> list[Suggestion]:
    """Workers for a new case, best first: those under safe before those over it; then a
    worker who has worked with her before (``known_to_her``: seed 002 Appendix 1, victims
    asked for one worker for the whole journey); then the most of the case's needs among
    their specialisms; then the most headroom. The manager chooses; the suggestion says why
    (knows her, the specialisms matched, the headroom)."""
    wanted, known = set(needs), set(known_to_her)
    ranked = sorted(
        candidates,
        key=lambda c: (
            c.load.over,
            c.worker_id not in known,
            -len(wanted & c.specialisms),
            -c.load.headroom,
            c.worker_id,
        ),
    )
    return [
        Suggestion(
            worker_id=c.worker_id,
            matched=tuple(sorted(wanted & c.specialisms)),
            headroom=c.load.headroom,
            over=c.load.over,
            knows_her=c.worker_id in known,
        )
        for c in ranked
    ]


RISK_ORDER = ("standard", "medium", "high")


@dataclass(frozen=True)
class RiskPoint:
    """One assessment of her risk: the level (high, medium, standard) and the DASH score
    (None when the level came from judgement alone)."""

    level: str
    score: int | None


def risk_change_words(before: RiskPoint | None, after: RiskPoint) -> str:
    """The change in her risk from one assessment to the next, in words (issue 14, 3: DASH
    re-assessment over time, with the change in risk shown; domain.md "Victim risk level").
    The level decides whether risk rose or fell; the score is shown beside it."""

    def level(point: RiskPoint) -> str:
        return f"{point.level} risk" if point.level in RISK_ORDER else "risk not recorded"

    def said(point: RiskPoint) -> str:
        return level(point) if point.score is None else f"{level(point)} (score {point.score})"

    if before is None:
        return f"First assessment: {said(after)}."
    if before.level in RISK_ORDER and after.level in RISK_ORDER and before.level != after.level:
        way = "Risk rose" if RISK_ORDER.index(after.level) > RISK_ORDER.index(before.level) else "Risk fell"
        return f"{way} from {said(before)} to {said(after)}."
    if before.score is not None and after.score is not None and before.score != after.score:
        way = "higher" if after.score > before.score else "lower"
        return f"Still {level(after)}; the score is {way}, {before.score} to {after.score}."
    return f"No change: {said(after)}."


@dataclass(frozen=True)
class SafeWindow:
    """A time she said it is safe to contact her: days of the week (0 = Monday) and a
    start and end time of day, in UK local time."""

    days: frozenset[int]
    start: time
    end: time

    def holds(self, moment: datetime) -> bool:
        return moment.weekday() in self.days and self.start <= moment.time() < self.end


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def window_words(window: SafeWindow) -> str:
    """A safe time in words: "Monday to Friday, 18:00 to 20:00"; "Tuesday, Thursday, ..."."""
    days = sorted(window.days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        named = f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    else:
        named = ", ".join(DAY_NAMES[d] for d in days)
    return f"{named}, {window.start:%H:%M} to {window.end:%H:%M}"


def safe_windows(stored: Sequence[dict]) -> tuple[SafeWindow, ...]:
    """Her safe times as stored on her safe-contact record (``[{days, start, end}]``);
    an entry that cannot be read is left out, which can only narrow when she is reached
    (the times left) or, with none left, leave the channel's own safety to decide."""
    windows = []
    for entry in stored or ():
        try:
            days = frozenset(int(d) for d in entry["days"] if 0 <= int(d) <= 6)
            start, end = time.fromisoformat(entry["start"]), time.fromisoformat(entry["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if days and start < end:
            windows.append(SafeWindow(days, start, end))
    return tuple(windows)


def contact_refusal(
    *, channel: str, usable: Collection[str], windows: Sequence[SafeWindow], at: datetime
) -> str | None:
    """Why a contact attempt by ``channel`` at ``at`` (UK local time) may not be made, in
    words; None when it may. A channel she has not said is safe is never used (domain.md
    "Safe contact"); when she gave times, only within them. With no times recorded the
    channel's safety alone decides (the page asks the worker to ask her)."""
    if channel not in usable:
        return "She has not said this way of contacting her is safe: use one she has, or ask her through one."
    if windows and not any(w.holds(at) for w in windows):
        return "This is outside the times she said it is safe to contact her."
    return None
