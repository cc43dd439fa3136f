"""Writes of the programme part: a programme, a perpetrator's referral to it, the provider's
record of his progress (assessed, waiting, started, completed, or left with a reason),
and the partner support worker's contacts with his partner. Each refuses, in words on
the field concerned, what would make the report's figures wrong: dates out of order, a
leaving without its reason, a step after the referral has closed."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from carepath.core.history import changed_by
from carepath.people.models import Person
from carepath.perpetrators import programme_selectors as selectors
from carepath.perpetrators.models import (
    PartnerContact,
    Programme,
    ProgrammeReferral,
    ProgrammeStatus,
)

S = ProgrammeStatus
#: The steps the provider may record next, from where a referral is now.
NEXT = {
    S.REFERRED: (S.ASSESSED_UNSUITABLE, S.WAITING, S.STARTED, S.LEFT),
    S.WAITING: (S.ASSESSED_UNSUITABLE, S.STARTED, S.LEFT),
    S.STARTED: (S.COMPLETED, S.LEFT),
    S.ASSESSED_UNSUITABLE: (),
    S.COMPLETED: (),
    S.LEFT: (),
}
#: Steps recorded with the day they happened.
DATED = (S.STARTED, S.COMPLETED, S.LEFT)


def _day(on: date) -> str:
    return date_format(on, "j F Y")


@transaction.atomic
def programme_save(*, programme: Programme | None, user, **fields) -> Programme:
    """Add a programme or change one. A cost per course needs the people on a course, to
    give the cost per person."""
    if fields.get("cost_basis") == "per_course" and not fields.get("course_size"):
        raise ValidationError({"course_size": "Enter how many people one course takes, to give the cost per person."})
    programme = programme or Programme()
    for name, value in fields.items():
        setattr(programme, name, value)
    changed_by(programme, user)
    programme.save()
    return programme


@transaction.atomic
def programme_referral_create(
    *, user, programme: Programme, perpetrator: Person, partner: Person | None, referred_on: date, today: date
) -> ProgrammeReferral:
    """Refer him to a programme, from the user's agency. The view has checked that the
    agency may see him and his partner."""
    if referred_on > today:
        raise ValidationError({"referred_on": "The date of the referral cannot be in the future."})
    if partner is not None and partner.pk == perpetrator.pk:
        raise ValidationError({"partner": "His partner cannot be the man referred."})
    if selectors.open_referral_exists(programme=programme, perpetrator=perpetrator):
        raise ValidationError(
            {"programme": f"He already has an open referral to {programme.name}: record its progress there instead."}
        )
    referral = ProgrammeReferral(
        programme=programme,
        perpetrator=perpetrator,
        partner=partner,
        referred_by_id=user.agency_id,
        referred_on=referred_on,
    )
    changed_by(referral, user)
    referral.save()
    return referral


@transaction.atomic
def programme_referral_progress(
    *, referral: ProgrammeReferral, user, status: str, on: date | None, left_reason: str, today: date
) -> ProgrammeReferral:
    """Record his next step on the programme: only its provider does."""
    if not user.has_perm("perpetrators.record_programme_progress", referral):
        raise PermissionDenied("Only the programme's provider records his progress.")
    referral = ProgrammeReferral.objects.select_for_update().get(pk=referral.pk)
    current = S(referral.status)
    if status not in NEXT[current]:
        if not NEXT[current]:
            raise ValidationError({"status": f"This referral is closed ({current.label.lower()}): nothing follows."})
        allowed = ", ".join(S(s).label.lower() for s in NEXT[current])
        raise ValidationError({"status": f"From “{current.label.lower()}” the next step can only be: {allowed}."})
    if status in DATED:
        if on is None:
            raise ValidationError({"on": f"Enter the date he {_verb(status)}."})
        if on > today:
            raise ValidationError({"on": "The date cannot be in the future."})
        if on < referral.referred_on:
            raise ValidationError(
                {"on": f"The date cannot be before he was referred, on {_day(referral.referred_on)}."}
            )
        if status in (S.COMPLETED, S.LEFT) and referral.started_on and on < referral.started_on:
            raise ValidationError({"on": f"The date cannot be before he started, on {_day(referral.started_on)}."})
    if status == S.LEFT and not left_reason:
        raise ValidationError({"left_reason": "Choose why he left before completing."})
    referral.status = status
    if status == S.STARTED:
        referral.started_on = on
    elif status == S.COMPLETED:
        referral.completed_on = on
    elif status == S.LEFT:
        referral.left_on, referral.left_reason = on, left_reason
    changed_by(referral, user)
    referral.save()
    return referral


def _verb(status: str) -> str:
    return {S.STARTED: "started", S.COMPLETED: "completed the programme", S.LEFT: "left"}[status]


@transaction.atomic
def partner_contact_record(
    *, referral: ProgrammeReferral, user, at: datetime, reached: bool, note: str, now: datetime
) -> PartnerContact:
    """The partner support worker's contact (or attempt) with his partner: the provider's."""
    if not user.has_perm("perpetrators.record_programme_progress", referral):
        raise PermissionDenied("Only the programme's provider records contact with his partner.")
    if referral.partner_id is None:
        raise ValidationError("No partner is named on this referral: there is nobody to record contact with.")
    if at > now:
        raise ValidationError({"on": "The contact cannot be in the future."})
    if timezone.localdate(at) < referral.referred_on:
        raise ValidationError({"on": f"The contact cannot be before he was referred, on {_day(referral.referred_on)}."})
    contact = PartnerContact(referral=referral, at=at, by=user, reached=reached, note=note)
    changed_by(contact, user)
    contact.save()
    return contact
