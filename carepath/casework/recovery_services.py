"""Step-down to recovery programmes, the writes: a course added to a programme by the agency
that runs it; a case put on a programme's waiting list, offered a place on a course with
room, and the place moved on (started, completed, left
early, declined, or back to waiting). Keyword-only and atomic; the rules are in
``recovery``; each change is kept in the place's history with who made it."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.casework import recovery, rules
from carepath.casework.models import Case, RecoveryCourse, RecoveryPlace, RecoveryProgramme
from carepath.casework.services import works_on
from carepath.core.models import District

#: A case steps down while it is open (she is being supported) or at closure.
MAY_STEP_DOWN = rules.OPEN | {rules.DORMANT, rules.CLOSED}


def runs(user, programme: RecoveryProgramme) -> bool:
    """Staff of the agency that runs the programme."""
    return user.is_authenticated and user.agency_id is not None and user.agency_id == programme.agency_id


def may_offer(user, place: RecoveryPlace) -> bool:
    """The programme's own agency offers its places; the case's worker or a manager of the
    case's service may book her onto a course with room too."""
    return runs(user, place.programme) or works_on(user, place.case)


@transaction.atomic
def recovery_course_add(
    *,
    programme: RecoveryProgramme,
    user,
    starts_on: date,
    weeks: int,
    places: int,
    district: District | None = None,
    now: datetime | None = None,
) -> RecoveryCourse:
    """The agency that runs the programme adds a course: when it starts, for how many
    weeks, how many places, and the district it meets in (never its address)."""
    now = now or timezone.now()
    if not runs(user, programme):
        raise PermissionDenied("Only the agency that runs the programme adds its courses.")
    errors = {}
    if starts_on is None or starts_on < timezone.localdate(now):
        errors["starts_on"] = "Give the day the course starts: today or later."
    if not 1 <= (weeks or 0) <= recovery.MAX_WEEKS:
        errors["weeks"] = f"Give the number of weekly sessions, 1 to {recovery.MAX_WEEKS}."
    if not 1 <= (places or 0) <= recovery.MAX_PLACES:
        errors["places"] = f"Give the number of places, 1 to {recovery.MAX_PLACES}."
    if errors:
        raise ValidationError(errors)
    return RecoveryCourse.objects.create(
        programme=programme, starts_on=starts_on, weeks=weeks, places=places, district=district
    )


@transaction.atomic
def recovery_place_add(
    *, case: Case, programme: RecoveryProgramme, user, note: str = "", now: datetime | None = None
) -> RecoveryPlace:
    """Put her on the programme's waiting list: only the case's worker or a manager of its
    service, while the case is open or at its closure, on an active programme, and not
    while she already has a live place (waiting, offered or started) on it."""
    now = now or timezone.now()
    case = Case.objects.select_for_update(of=("self",)).select_related("service", "worker").get(pk=case.pk)
    if not works_on(user, case):
        raise PermissionDenied("Only the case's worker or a manager of its service puts her on a programme.")
    if case.status not in MAY_STEP_DOWN:
        raise ValidationError(
            {"programme": "She is not being supported by this service now: a case steps down while open or at closure."}
        )
    if not programme.active:
        raise ValidationError({"programme": "This programme is not running now: choose another."})
    live = RecoveryPlace.objects.filter(case=case, programme=programme, status__in=recovery.LIVE).first()
    if live is not None:
        raise ValidationError(
            {"programme": f"She is already on this programme ({recovery.STATUS_WORDS[live.status].lower()})."}
        )
    return RecoveryPlace.objects.create(
        case=case,
        programme=programme,
        status=recovery.WAITING,
        added_at=now,
        added_by=user,
        status_at=now,
        note=note.strip(),
    )


def _locked(place: RecoveryPlace) -> RecoveryPlace:
    return (
        RecoveryPlace.objects.select_for_update(of=("self",))
        .select_related("case__service", "case__worker", "programme")
        .get(pk=place.pk)
    )


@transaction.atomic
def recovery_place_offer(
    *, place: RecoveryPlace, course: RecoveryCourse, user, note: str = "", now: datetime | None = None
) -> RecoveryPlace:
    """Offer her a place on one of the programme's courses that has room and has not
    finished (``recovery.offer_refusal``). The course is locked while its places are
    counted, so two offers at once cannot take it past its places."""
    now = now or timezone.now()
    place = _locked(place)
    if not may_offer(user, place):
        raise PermissionDenied("Only the programme's agency, or the case's worker or manager, offers a place.")
    refusal = recovery.move_refusal(place.status, recovery.OFFERED)
    if refusal:
        raise ValidationError({"course": refusal})
    course = RecoveryCourse.objects.select_for_update().get(pk=course.pk)
    if course.programme_id != place.programme_id:
        raise ValidationError({"course": "Choose a course of this programme."})
    seated = RecoveryPlace.objects.filter(course=course, status__in=recovery.SEATED).count()
    refusal = recovery.offer_refusal(
        places=course.places,
        seated=seated,
        starts_on=course.starts_on,
        weeks=course.weeks,
        today=timezone.localdate(now),
    )
    if refusal:
        raise ValidationError({"course": refusal})
    place.course, place.status, place.status_at, place.note = course, recovery.OFFERED, now, note.strip()
    place.save()
    return place


@transaction.atomic
def recovery_place_move(
    *, place: RecoveryPlace, user, to_status: str, note: str = "", now: datetime | None = None
) -> RecoveryPlace:
    """Move her place on (``recovery.MOVES``): she started, completed or left the course,
    declined, or could not take up the offer and goes back to waiting where she was (an
    offer is made on a course, by ``recovery_place_offer``).
    The programme's agency or the case's worker or manager; leaving early or declining
    says why."""
    now = now or timezone.now()
    place = _locked(place)
    if not may_offer(user, place):
        raise PermissionDenied("Only the programme's agency, or the case's worker or manager, changes her place.")
    if to_status == recovery.OFFERED:
        raise ValidationError({"to_status": "Offer her a place on one of the programme's courses, from its page."})
    refusal = recovery.move_refusal(place.status, to_status)
    if refusal:
        raise ValidationError({"to_status": refusal})
    if to_status in (recovery.LEFT_EARLY, recovery.DECLINED) and not note.strip():
        raise ValidationError({"note": "Say why, in a few words."})
    if to_status == recovery.WAITING:
        place.course = None
    place.status, place.status_at, place.note = to_status, now, note.strip()
    place.save()
    return place
