"""Step-down to recovery programmes, the reads: which programmes a user sees, a
programme's courses with their places left, its waiting list in fair order, and a case's
places."""

from django.db.models import Count, Q, QuerySet

from carepath.casework import recovery
from carepath.casework.models import Case, RecoveryCourse, RecoveryPlace, RecoveryProgramme
from carepath.casework.selectors import manager_of


def programmes_visible_to(user) -> QuerySet[RecoveryProgramme]:
    """Every programme for a casework service's manager (they step victims down to any of
    them); else those the user's agency runs; none for anyone else."""
    if not user.is_authenticated:
        return RecoveryProgramme.objects.none()
    if manager_of(user) is not None:
        return RecoveryProgramme.objects.all()
    if user.agency_id is None:
        return RecoveryProgramme.objects.none()
    return RecoveryProgramme.objects.filter(agency_id=user.agency_id)


def programme_for(user, programme_id: int) -> RecoveryProgramme | None:
    """The programme, if the user may see its page; None when missing or not theirs."""
    return (
        programmes_visible_to(user)
        .select_related("agency")
        .prefetch_related("districts")
        .filter(pk=programme_id)
        .first()
    )


def programmes_listed(*, user) -> list[dict]:
    """The programmes the user sees, each with how many are waiting and its courses to come."""
    return list(
        programmes_visible_to(user)
        .select_related("agency")
        .annotate(waiting=Count("places", filter=Q(places__status=recovery.WAITING), distinct=True))
        .order_by("-active", "name")
    )


def courses_with_places(*, programme: RecoveryProgramme) -> list[tuple[RecoveryCourse, int, int]]:
    """The programme's courses, soonest first, each with its places offered or taken and
    its places left (``recovery.places_left``)."""
    courses = (
        programme.courses.select_related("district")
        .annotate(seated=Count("seats", filter=Q(seats__status__in=recovery.SEATED)))
        .order_by("starts_on", "pk")
    )
    return [(c, c.seated, recovery.places_left(places=c.places, seated=c.seated)) for c in courses]


def waiting_list(*, programme: RecoveryProgramme) -> list[RecoveryPlace]:
    """Her place and everyone's on the programme's waiting list, in fair order
    (``recovery.waiting_order``: first added, first)."""
    places = {
        p.pk: p
        for p in programme.places.filter(status=recovery.WAITING).select_related(
            "case__service", "case__worker", "case__victim"
        )
    }
    order = recovery.waiting_order(recovery.Waiting(p.pk, p.added_at) for p in places.values())
    return [places[w.place_id] for w in order]


def places_on_courses(*, programme: RecoveryProgramme) -> list[RecoveryPlace]:
    """The programme's places offered or under way (offered and started), by course."""
    return list(
        programme.places.filter(status__in=(recovery.OFFERED, recovery.STARTED))
        .select_related("course", "case__service", "case__worker", "case__victim")
        .order_by("course__starts_on", "added_at", "pk")
    )


def case_places(*, case: Case) -> list[RecoveryPlace]:
    return list(case.recovery_places.select_related("programme__agency", "course__district").order_by("added_at", "pk"))


def programmes_to_offer(*, case: Case) -> QuerySet[RecoveryProgramme]:
    """Active programmes she has no live place on, those running in her referral's
    district first."""
    live = case.recovery_places.filter(status__in=recovery.LIVE).values("programme_id")
    programmes = RecoveryProgramme.objects.filter(active=True).exclude(pk__in=live).select_related("agency")
    district_id = case.referral.district_id if case.referral_id else None
    if district_id is None:
        return programmes.order_by("name")
    return programmes.annotate(here=Count("districts", filter=Q(districts__pk=district_id))).order_by("-here", "name")


def open_courses(*, programme: RecoveryProgramme, today) -> list[tuple[RecoveryCourse, int]]:
    """The programme's courses that may still be offered (not finished, with room), with
    their places left."""
    return [
        (course, left)
        for course, seated, left in courses_with_places(programme=programme)
        if recovery.offer_refusal(
            places=course.places, seated=seated, starts_on=course.starts_on, weeks=course.weeks, today=today
        )
        is None
    ]
