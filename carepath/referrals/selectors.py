"""Reads for referrals: the victim's history that routing needs, the triage queue, and
the referral page — always through the access rule."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case as SqlCase
from django.db.models import BigIntegerField, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from carepath.configuration.definitions import PartnershipSettings
from carepath.events.models import Event
from carepath.people.selectors import identity_records
from carepath.referrals.models import Destination, InformationShare, Referral


@dataclass(frozen=True)
class VictimHistory:
    events_last_12_months: int
    last_marac_referral_days_ago: int | None


NO_HISTORY = VictimHistory(events_last_12_months=0, last_marac_referral_days_ago=None)


@dataclass(frozen=True)
class PerpetratorHistory:
    """Earlier events of a perpetrator: the people they abused (identities) and, in the
    repeat window, the times of events against each."""

    victims: frozenset[int]
    recent: tuple[tuple[int, datetime], ...]


def perpetrator_history(*, identity_key: int, at: datetime, settings: PartnershipSettings) -> PerpetratorHistory:
    """Events before ``at`` in which any record linked as this person is the perpetrator
    (domain.md "Routing": serial perpetrator — distinct victims; repeat perpetrator —
    events against one victim in the window). Victims are counted as people."""
    earlier = Event.objects.filter(perpetrator__in=identity_records(identity_key=identity_key).values("pk"), occurred_at__lt=at)
    rows = earlier.values_list(Coalesce("victim__identity_key", "victim_id", output_field=BigIntegerField()),
                               "occurred_at")
    window_start = at - timedelta(days=settings.repeat_perpetrator_window_days)
    victims, recent = set(), []
    for victim, occurred in rows:
        victims.add(victim)
        if occurred >= window_start:
            recent.append((victim, occurred))
    return PerpetratorHistory(victims=frozenset(victims), recent=tuple(recent))


def victim_history(*, identity_key: int, at: datetime, settings: PartnershipSettings) -> VictimHistory:
    """Earlier events (in the escalation window) and the last MARAC referral, before
    ``at``, of every record linked as this person (domain.md "MARAC referral criteria":
    escalation and repeat count people, not records)."""
    records = identity_records(identity_key=identity_key).values("pk")
    window_start = at - timedelta(days=settings.marac_escalation_window_days)
    earlier = Event.objects.filter(victim__in=records, occurred_at__gte=window_start, occurred_at__lt=at).count()
    last_marac = (Referral.objects.filter(victim__in=records, destination=Destination.MARAC, received_at__lt=at)
                  .order_by("-received_at").values_list("received_at", flat=True).first())
    return VictimHistory(
        events_last_12_months=earlier,
        last_marac_referral_days_ago=None if last_marac is None else (at - last_marac).days,
    )


def referrals_visible_to(user) -> QuerySet[Referral]:
    """Referrals the user's agency made, received, owns a task on, or was shared."""
    if not user.is_authenticated or user.agency_id is None:
        return Referral.objects.none()
    agency_id = user.agency_id
    return Referral.objects.filter(
        Q(referring_agency_id=agency_id)
        | Q(receiving_agency_id=agency_id)
        | Exists(InformationShare.objects.filter(referral=OuterRef("pk"), shared_with_id=agency_id))
    )


RISK_ORDER = SqlCase(
    When(risk_level="high", then=Value(0)), When(risk_level="", then=Value(1)),
    When(risk_level="medium", then=Value(2)), default=Value(3), output_field=IntegerField(),
)


def triage_queue(*, user) -> QuerySet[Referral]:
    """New referrals at the user's front door: highest risk first (not yet assessed counts
    just below high), then oldest first."""
    return (referrals_visible_to(user).filter(receiving_agency_id=user.agency_id, status="new")
            .annotate(risk_order=RISK_ORDER).order_by("risk_order", "received_at")
            .select_related("victim", "referring_agency"))


def referral_get_for_user(*, user, referral_id: int) -> Referral:
    referral = (referrals_visible_to(user).filter(pk=referral_id)
                .select_related("victim", "perpetrator", "referring_agency", "risk_assessment", "event").first())
    if referral is None:
        raise Http404("No such referral, or your agency is not involved in it.")
    return referral


FIRST_CONTACT_ACTIONS = ("idva_referral", "caseworker_referral", "seek_consent", "dash_assessment")


def first_contact_due(*, referrals: list[Referral]) -> dict[int, datetime]:
    """The earliest open first-contact deadline of each referral."""
    from carepath.triage.models import Task  # triage depends on referrals

    due: dict[int, datetime] = {}
    for referral_id, due_at in (Task.objects.filter(referral__in=referrals, status="open",
                                                    action_type__in=FIRST_CONTACT_ACTIONS, due_at__isnull=False)
                                .values_list("referral_id", "due_at")):
        if referral_id not in due or due_at < due[referral_id]:
            due[referral_id] = due_at
    return due
