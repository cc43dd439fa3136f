"""MARAC writes: meetings planned, referrals checked (accepted and listed, or returned).

Keyword-only and atomic; each change is in the records' history (``RecordHistory``).
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.marac import rules
from carepath.marac.models import (
    CaseSource,
    CaseStatus,
    Marac,
    MaracCase,
    MaracMeeting,
    MeetingStatus,
)
from carepath.people.selectors import identity_records
from carepath.referrals.models import Destination, Referral
from carepath.triage.deadlines import add_working_days

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
