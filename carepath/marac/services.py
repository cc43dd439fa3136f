"""MARAC writes: meetings planned, referrals checked (accepted and listed, or returned).

Keyword-only and atomic; each change is in the records' history (``RecordHistory``).
"""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.core.codes import ActionType, Consent, SharePart, TaskStatus
from carepath.core.models import Task
from carepath.core.services import share_create, task_record
from carepath.marac import rules
from carepath.marac.models import (
    CaseSource,
    CaseStatus,
    Marac,
    MaracCase,
    MaracMeeting,
    MaracResearch,
    MeetingStatus,
)
from carepath.people.selectors import identity_records
from carepath.referrals.models import Destination, Referral
from carepath.triage.deadlines import add_working_days, working_days_before
from carepath.triage.routing import LAWFUL_BASIS_WITHOUT_CONSENT

#: Meetings kept planned ahead of today, so that a case can roll past full ones.
MEETINGS_AHEAD = 6


@transaction.atomic
def marac_meetings_plan(
    *, marac: Marac, now: datetime | None = None, count: int = MEETINGS_AHEAD
) -> list[MaracMeeting]:
    """Make sure the next ``count`` meetings of the MARAC's pattern exist (planned, with the
    MARAC's capacity); returns the planned meetings to come, soonest first."""
    now = now or timezone.now()
    for starts_at in rules.meeting_times(marac.pattern, marac.first_meeting, after=now, count=count):
        MaracMeeting.objects.get_or_create(marac=marac, starts_at=starts_at, defaults={"capacity": marac.capacity})
    return list(marac.meetings.filter(starts_at__gte=now, status=MeetingStatus.PLANNED).order_by("starts_at"))


def _can_check(user, referral: Referral) -> bool:
    return (
        referral.destination == Destination.MARAC
        and referral.receiving_agency_id is not None
        and referral.receiving_agency_id == user.agency_id
        and user.has_perm("marac.check_marac_referral")
    )


def _marac_hearing(referral: Referral, *, lock: bool = False) -> Marac | None:
    """The coordination's MARAC that hears this referral (``rules.marac_for``), locked
    while its next case number and meeting place are taken. A ``ValidationError`` when
    none does and the caller needs one."""
    maracs = Marac.objects.filter(agency_id=referral.receiving_agency_id).prefetch_related("districts")
    score = referral.risk_assessment.score if referral.risk_assessment_id else None
    chosen = rules.marac_for(
        [rules.MaracScope(m.pk, frozenset(d.pk for d in m.districts.all()), m.min_score, m.max_score) for m in maracs],
        district_id=referral.district_id,
        score=score,
    )
    if chosen is None:
        if lock:
            raise ValidationError(
                "None of your MARACs hears this referral (its district or DASH score is outside them): "
                "return it to the referrer with the MARAC it belongs to."
            )
        return None
    return (Marac.objects.select_for_update() if lock else Marac.objects).get(pk=chosen)


def _source(referral: Referral) -> str:
    return CaseSource.FRONT_DOOR if referral.risk_assessment_id and referral.decision else CaseSource.AGENCY


@transaction.atomic
def marac_referral_accept(*, referral: Referral, user, now: datetime | None = None) -> MaracCase:
    """The coordinator accepts a MARAC referral: it becomes a case with the MARAC's next
    number, flagged as a repeat when the victim (any of her linked records) had a MARAC
    referral within the repeat window, and listed at the first meeting with room whose
    research deadline is still ahead (a full meeting rolls it forward, and the case says
    how many it rolled past)."""
    now = now or timezone.now()
    referral = Referral.objects.select_for_update(of=("self",)).select_related("victim").get(pk=referral.pk)
    if not _can_check(user, referral):
        raise PermissionDenied("Only the MARAC's own coordinators check its referrals.")
    if MaracCase.objects.filter(referral=referral).exists():
        raise ValidationError("This MARAC referral has already been checked.")
    marac = _marac_hearing(referral, lock=True)
    settings = partnership_settings_get()
    referred_on = timezone.localdate(referral.received_at)
    earlier = MaracCase.objects.filter(
        victim__in=identity_records(identity_key=referral.victim.identity),
        number__isnull=False,
    ).values_list("pk", "referred_on")
    repeat = rules.repeat_of(
        referred_on,
        [rules.EarlierCase(pk, on) for pk, on in earlier],
        window_days=settings.marac_repeat_window_days,
    )
    criteria = list((referral.decision or {}).get("marac_criteria", []))
    if repeat and "repeat" not in criteria:
        criteria.append("repeat")
    meetings = marac_meetings_plan(marac=marac, now=now)
    listed = dict(
        MaracMeeting.objects.filter(pk__in=[m.pk for m in meetings])
        .annotate(n=Count("cases", filter=Q(cases__status__in=(CaseStatus.LISTED, CaseStatus.DISCUSSED))))
        .values_list("pk", "n")
    )
    # Research is due the set number of working days before the meeting: a meeting
    # sooner than that cannot have it back.
    earliest = add_working_days(now, settings.marac_research_working_days) + timedelta(seconds=1)
    scheduling = rules.meeting_with_room(
        [rules.MeetingRoom(m.pk, m.starts_at, listed.get(m.pk, 0), m.capacity) for m in meetings],
        earliest=earliest,
    )
    number = (MaracCase.objects.filter(marac=marac).aggregate(n=Max("number"))["n"] or 0) + 1
    return MaracCase.objects.create(
        marac=marac,
        referral=referral,
        victim=referral.victim,
        number=number,
        source=_source(referral),
        criteria=criteria,
        status=CaseStatus.LISTED if scheduling.meeting_id else CaseStatus.AWAITING_MEETING,
        meeting_id=scheduling.meeting_id,
        referred_on=referred_on,
        repeat_of_id=repeat.case_id if repeat else None,
        rolled_past=len(scheduling.rolled_past),
        checked_by=user,
        checked_at=now,
    )


@transaction.atomic
def marac_referral_return(*, referral: Referral, user, reason: str, now: datetime | None = None) -> MaracCase:
    """The coordinator returns a MARAC referral to the referrer, with the reason (it does
    not meet the criteria, it belongs to another MARAC, ...). The reason is kept."""
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    if not _can_check(user, referral):
        raise PermissionDenied("Only the MARAC's own coordinators check its referrals.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is returned: the referrer reads it."})
    if MaracCase.objects.filter(referral=referral).exists():
        raise ValidationError("This MARAC referral has already been checked.")
    marac = _marac_hearing(referral) or Marac.objects.filter(agency_id=referral.receiving_agency_id).first()
    if marac is None:
        raise ValidationError("Your coordination has no MARAC set up yet.")
    now = now or timezone.now()
    return MaracCase.objects.create(
        marac=marac,
        referral=referral,
        victim_id=referral.victim_id,
        source=_source(referral),
        criteria=list((referral.decision or {}).get("marac_criteria", [])),
        status=CaseStatus.RETURNED,
        referred_on=timezone.localdate(referral.received_at),
        returned_reason=reason.strip(),
        checked_by=user,
        checked_at=now,
    )


def coordinates(user, case: MaracCase) -> bool:
    """Whether the user is one of the coordinators of the case's MARAC."""
    return user.agency_id == case.marac.agency_id and user.has_perm("marac.check_marac_referral")


def _consent_and_basis(case: MaracCase) -> tuple[str, str]:
    """The victim's consent to sharing as the referral recorded it, and the lawful basis
    when it was not given (domain.md "Information sharing")."""
    consent = case.referral.consent or Consent.NOT_SOUGHT
    return consent, "" if consent == Consent.GIVEN else LAWFUL_BASIS_WITHOUT_CONSENT


@transaction.atomic
def marac_research_request(
    *, case: MaracCase, agencies: list, user, now: datetime | None = None
) -> list[MaracResearch]:
    """Invite agencies to research a listed case before its meeting: each gets the case
    (an information share naming the victim and the children, with the lawful basis when
    she did not consent), a research task in its queue, due the set number of working
    days before the meeting. An agency already invited is not asked twice."""
    now = now or timezone.now()
    case = (
        MaracCase.objects.select_for_update(of=("self",)).select_related("marac", "meeting", "referral").get(pk=case.pk)
    )
    if not coordinates(user, case):
        raise PermissionDenied("Only the MARAC's own coordinators ask for research.")
    if case.status != CaseStatus.LISTED or case.meeting is None:
        raise ValidationError("Only a case listed for a meeting can be researched.")
    settings = partnership_settings_get()
    due = working_days_before(case.meeting.starts_at, settings.marac_research_working_days)
    asked = set(case.research.values_list("agency_id", flat=True))
    consent, basis = _consent_and_basis(case)
    children = [(c, "a child in the household") for c in case.referral.children.values_list("child_id", flat=True)]
    made = []
    for agency in agencies:
        if agency.pk in asked or agency.pk == case.marac.agency_id:
            continue
        asked.add(agency.pk)
        made.append(
            MaracResearch.objects.create(case=case, agency=agency, due_at=due, requested_by=user, requested_at=now)
        )
        share_create(
            subject=case,
            shared_with=agency,
            shared_by=case.marac.agency,
            people=[(case.victim_id, "the victim"), *children],
            parts=[SharePart.SUMMARY, SharePart.RISK, SharePart.CHILDREN],
            what="MARAC case for research before the meeting",
            why=f"{case.marac} asks what your agency holds on the victim, the children and the person "
            "causing harm, for its risk-management plan.",
            consent=consent,
            lawful_basis=basis,
            shared_at=now,
            user=user,
        )
        Task.objects.create(
            subject=case,
            action_type=ActionType.MARAC_RESEARCH,
            concerns="victim",
            reason=f"Research for MARAC case {case.number}: what your agency holds on the victim, each child "
            f"and the person causing harm, back before the meeting on {timezone.localtime(case.meeting.starts_at):%-d %B %Y}.",
            rule="domain.md 'Defaults for the pathway beyond the front door' (MARAC research due before the meeting)",
            owner_agency=agency,
            owner_agency_type=agency.agency_type,
            due_at=due,
            lawful_basis=basis,
        )
    return made


@transaction.atomic
def marac_research_return(
    *,
    research: MaracResearch,
    user,
    victim: str = "",
    children: str = "",
    perpetrator: str = "",
    nothing_held: bool = False,
    now: datetime | None = None,
) -> MaracResearch:
    """An invited agency returns its research: what it holds (or that it holds nothing),
    shared with the MARAC's coordination with its lawful basis; its research task is done."""
    now = now or timezone.now()
    research = (
        MaracResearch.objects.select_for_update(of=("self",))
        .select_related("case__marac", "case__referral", "agency")
        .get(pk=research.pk)
    )
    if user.agency_id != research.agency_id:
        raise PermissionDenied("Only the invited agency returns its research.")
    if research.returned_at is not None:
        raise ValidationError("Your agency's research for this case has already been returned.")
    if not nothing_held and not any(text.strip() for text in (victim, children, perpetrator)):
        raise ValidationError("Say what your agency holds, or tick that it holds nothing on these people.")
    research.victim, research.children, research.perpetrator = victim.strip(), children.strip(), perpetrator.strip()
    research.nothing_held = nothing_held
    research.returned_at, research.returned_by = now, user
    research.save()
    case = research.case
    consent, basis = _consent_and_basis(case)
    share_create(
        subject=case,
        shared_with=case.marac.agency,
        shared_by=research.agency,
        people=[(case.victim_id, "the victim")],
        parts=[SharePart.DETAILS],
        what="MARAC research",
        why="What the agency holds, for the MARAC meeting's risk-management plan.",
        consent=consent,
        lawful_basis=basis,
        shared_at=now,
        user=user,
    )
    for task in Task.objects.filter(
        content_type=ContentType.objects.get_for_model(MaracCase),
        object_id=case.pk,
        action_type=ActionType.MARAC_RESEARCH,
        owner_agency_id=research.agency_id,
        status=TaskStatus.OPEN,
    ):
        task_record(task=task, user=user, status=TaskStatus.DONE, note="Research returned to the MARAC.")
    return research
