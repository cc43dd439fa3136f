"""Reads of perpetrator programmes and their referrals. A referral (with the names of the
man and his partner) is read only through the access rule: the programme's provider and
the agency that referred him; the counts on the list and the report name nobody."""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from carepath.core import access
from carepath.core.models import Agency
from carepath.events.selectors import events_visible_to
from carepath.people.models import Person
from carepath.people.selectors import linked_record_ids, people_visible_to
from carepath.perpetrators import programme_figures as pf
from carepath.perpetrators.models import (
    PartnerContact,
    Programme,
    ProgrammeReferral,
    ProgrammeStatus,
)

#: A referral the provider has still to act on: assess him, or start him.
AWAITING = (ProgrammeStatus.REFERRED, ProgrammeStatus.WAITING)
#: A referral still open: another one to the same programme is refused.
OPEN = (ProgrammeStatus.REFERRED, ProgrammeStatus.WAITING, ProgrammeStatus.STARTED)


def programme_involvement(agency_id: int) -> Q:
    """The programme's provider and the agency that referred him are involved."""
    return Q(programme__provider_id=agency_id) | Q(referred_by_id=agency_id)


def referral_people(referral: ProgrammeReferral):
    yield referral.perpetrator_id, "Referred to the programme"
    if referral.partner_id:
        yield referral.partner_id, "His partner, supported while he is on it"


def programmes_with_counts() -> QuerySet[Programme]:
    """Every programme, with its referrals counted by where each one is now."""

    def by(*statuses):
        return Count("referrals", filter=Q(referrals__status__in=statuses))

    return Programme.objects.select_related("provider").annotate(
        referral_count=Count("referrals"),
        awaiting_assessment=by(ProgrammeStatus.REFERRED),
        waiting=by(ProgrammeStatus.WAITING),
        on_it=by(ProgrammeStatus.STARTED),
        completed=by(ProgrammeStatus.COMPLETED),
        left=by(ProgrammeStatus.LEFT),
    )


def referrals_visible(*, user) -> QuerySet[ProgrammeReferral]:
    return access.records_visible_to(user, ProgrammeReferral).select_related(
        "programme__provider", "perpetrator", "partner", "referred_by"
    )


def referrals_awaiting(*, user) -> QuerySet[ProgrammeReferral]:
    """The referrals to the user's agency's programmes waiting for an assessment or a start,
    oldest first."""
    if user.agency_id is None:
        return ProgrammeReferral.objects.none()
    return (
        referrals_visible(user=user)
        .filter(programme__provider_id=user.agency_id, status__in=AWAITING)
        .order_by("referred_on", "pk")
    )


def programmes_referable() -> QuerySet[Programme]:
    return Programme.objects.select_related("provider").order_by("name")


def provider_choices(user) -> QuerySet[Agency]:
    """The agencies a user may name as a programme's provider: any of the partnership's
    for its administrators and commissioners; else only their own."""
    if user.has_perm("perpetrators.change_programme"):
        agencies = Agency.objects.order_by("name")
        return agencies.filter(partnership_id=user.agency.partnership_id) if user.agency_id else agencies
    return Agency.objects.filter(pk=user.agency_id)


def partner_choices(*, user, perpetrator: Person) -> QuerySet[Person]:
    """His victims the user's agency may see: the women his partner's support worker may
    support while he is on a programme."""
    his = linked_record_ids(perpetrator.pk) or [perpetrator.pk]
    victims = events_visible_to(user).filter(perpetrator_id__in=his).values("victim_id")
    return people_visible_to(user).filter(pk__in=victims).exclude(pk__in=his).order_by("family_name", "given_name")


def open_referral_exists(*, programme: Programme, perpetrator: Person) -> bool:
    his = linked_record_ids(perpetrator.pk) or [perpetrator.pk]
    return ProgrammeReferral.objects.filter(programme=programme, perpetrator_id__in=his, status__in=OPEN).exists()


def _identity(pk: int | None, key: int | None) -> int | None:
    return None if pk is None else key or pk


def report_rows(*, first: date, last: date) -> tuple[list, list, list]:
    """The plain rows ``programme_figures`` counts: every programme, the referrals with a
    step in the period, and the partner contacts in it. People by their identity."""
    programmes = [
        pf.ProgrammeRow(
            id=p.pk,
            name=p.name,
            kind=p.get_kind_display(),
            provider=p.provider.name,
            places=p.places,
            cost=p.cost,
            cost_basis=p.cost_basis,
            course_size=p.course_size,
        )
        for p in Programme.objects.select_related("provider").order_by("name")
    ]
    in_period = (
        Q(referred_on__range=(first, last))
        | Q(started_on__range=(first, last))
        | Q(completed_on__range=(first, last))
        | Q(left_on__range=(first, last))
    )
    referrals = [
        pf.ReferralRow(
            programme_id=r["programme_id"],
            person=_identity(r["perpetrator_id"], r["perpetrator__identity_key"]),
            partner=_identity(r["partner_id"], r["partner__identity_key"]),
            referred_on=r["referred_on"],
            started_on=r["started_on"],
            completed_on=r["completed_on"],
            left_on=r["left_on"],
            left_reason=r["left_reason"],
        )
        for r in ProgrammeReferral.objects.filter(in_period).values(
            "programme_id",
            "perpetrator_id",
            "perpetrator__identity_key",
            "partner_id",
            "partner__identity_key",
            "referred_on",
            "started_on",
            "completed_on",
            "left_on",
            "left_reason",
        )
    ]
    contacts = [
        pf.ContactRow(
            programme_id=c["referral__programme_id"],
            partner=_identity(c["referral__partner_id"], c["referral__partner__identity_key"]),
            on=timezone.localdate(c["at"]),
            reached=c["reached"],
        )
        for c in PartnerContact.objects.filter(at__date__range=(first, last), referral__partner__isnull=False).values(
            "referral__programme_id", "referral__partner_id", "referral__partner__identity_key", "at", "reached"
        )
    ]
    return programmes, referrals, contacts


def programme_report(*, first: date, last: date) -> pf.Report:
    programmes, referrals, contacts = report_rows(first=first, last=last)
    return pf.programme_report(programmes=programmes, referrals=referrals, contacts=contacts, first=first, last=last)
