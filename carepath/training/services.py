"""Writes of the champions network. Every change is kept in the record's history, with
who made it (``changed_by``)."""

from datetime import date

from django.db import transaction

from carepath.core.history import changed_by
from carepath.core.models import Agency
from carepath.training.models import AttendanceStatus, Booking, Champion, Course, Session, Trainee


class TrainingError(ValueError):
    """A change the network's rules do not allow, in words for the page."""


@transaction.atomic
def champion_save(*, champion: Champion | None = None, user, **fields) -> Champion:
    """Add a champion, or change one (``champion``): name, job title, agency, team,
    contact and the dates they are the champion."""
    champion = champion or Champion()
    for name, value in fields.items():
        setattr(champion, name, value)
    if champion.champion_until and champion.champion_until < champion.champion_from:
        raise TrainingError("The last day as champion must not be before the first.")
    changed_by(champion, user)
    champion.save()
    return champion


@transaction.atomic
def course_create(*, user, name: str, kind: str, description: str = "") -> Course:
    course = Course(name=name.strip(), kind=kind, description=description.strip())
    changed_by(course, user)
    course.save()
    return course


@transaction.atomic
def session_create(*, user, course: Course, held_on: date, venue: str, trainer: str, places: int) -> Session:
    session = Session(course=course, held_on=held_on, venue=venue.strip(), trainer=trainer.strip(), places=places)
    changed_by(session, user)
    session.save()
    return session


@transaction.atomic
def booking_add(
    *, session: Session, user, name: str, agency: Agency, team: str = "", job_title: str = "", email: str = ""
) -> Booking:
    """Book a member of an agency's staff on the session: the trainee already on the
    record (same name and agency, and the same email when both have one), or a new one."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.bookings.exclude(status=AttendanceStatus.CANCELLED).count() >= session.places:
        raise TrainingError(f"The session is full: all {session.places} places are booked.")
    name = name.strip()
    trainee = (
        Trainee.objects.filter(name__iexact=name, agency=agency, email__iexact=email.strip()).first()
        if email.strip()
        else Trainee.objects.filter(name__iexact=name, agency=agency).first()
    )
    if trainee is None:
        trainee = Trainee(name=name, agency=agency)
    trainee.team, trainee.job_title = team.strip() or trainee.team, job_title.strip() or trainee.job_title
    trainee.email = email.strip() or trainee.email
    changed_by(trainee, user)
    trainee.save()
    if session.bookings.filter(trainee=trainee).exists():
        raise TrainingError(f"{trainee.name} of {agency} is already on this session's register.")
    booking = Booking(session=session, trainee=trainee)
    changed_by(booking, user)
    booking.save()
    return booking


@transaction.atomic
def register_mark(*, session: Session, user, statuses: dict[int, str], today: date) -> int:
    """Mark the register: each booking's attended, did not attend or cancelled. Nobody
    attends a session that has not happened yet. Returns how many changed."""
    changed = 0
    for booking in session.bookings.select_for_update():
        status = statuses.get(booking.pk)
        if status is None or status == booking.status:
            continue
        if status not in AttendanceStatus.values:
            raise TrainingError("Choose attended, did not attend, booked or cancelled for each person.")
        if status in (AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT) and session.held_on > today:
            raise TrainingError("The session has not happened yet: mark who came on the day or after it.")
        booking.status = status
        changed_by(booking, user, reason="Register marked")
        booking.save()
        changed += 1
    return changed
