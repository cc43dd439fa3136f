"""Writes of Clare's Law applications: received, the initial checks, the multi-agency
meeting, the decision, the disclosure made (with a support worker present) and the safety
plan. Each step's time is checked against the steps before it and against now; a refusal
is a ``ValidationError`` naming the field, for the form that asked."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from carepath.core.history import changed_by
from carepath.people.models import Person
from carepath.people.selectors import people_visible_to
from carepath.perpetrators.disclosure_clocks import decision_due
from carepath.perpetrators.models import DisclosureApplication, DisclosureDecision, DisclosureRoute


def _may_handle(user) -> None:
    if not user.has_perm("perpetrators.handle_disclosures"):
        raise PermissionDenied("Only the police handle Clare's Law applications.")


def _when(at: datetime, *, after: datetime, after_words: str, now: datetime, field: str = "at") -> None:
    if at > now:
        raise ValidationError({field: "The time cannot be in the future."})
    if at < after:
        raise ValidationError({field: f"The time cannot be before {after_words}."})


def _locked(application: DisclosureApplication) -> DisclosureApplication:
    return DisclosureApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def disclosure_application_create(
    *,
    user,
    route: str,
    person_at_risk: Person,
    subject: Person,
    applicant_is_person_at_risk: bool,
    received_at: datetime,
    now: datetime,
) -> DisclosureApplication:
    """Record an application received by the user's force. The person at risk and the
    person asked about are chosen from the people the force may already see: a person it
    does not hold is refused here as one that does not exist."""
    _may_handle(user)
    if route not in DisclosureRoute.values:
        raise ValidationError({"route": "Choose right to ask or right to know."})
    visible = people_visible_to(user)
    if not visible.filter(pk=person_at_risk.pk).exists():
        raise ValidationError({"person_at_risk": "Choose the person at risk from your force's records."})
    if not visible.filter(pk=subject.pk).exists():
        raise ValidationError({"subject": "Choose the person asked about from your force's records."})
    if person_at_risk.pk == subject.pk:
        raise ValidationError({"subject": "The person asked about cannot be the person at risk."})
    if received_at > now:
        raise ValidationError({"received_at": "The time it was received cannot be in the future."})
    application = DisclosureApplication(
        route=route,
        agency_id=user.agency_id,
        person_at_risk=person_at_risk,
        subject=subject,
        # Right to know is the police's own decision to tell her: nobody applied.
        applicant_is_person_at_risk=applicant_is_person_at_risk and route == DisclosureRoute.RIGHT_TO_ASK,
        received_at=received_at,
        owner=user,
    )
    changed_by(application, user).save()
    return application


def _open(application: DisclosureApplication) -> None:
    if application.decision and not (
        application.decision == DisclosureDecision.DISCLOSE and application.disclosed_at is None
    ):
        raise ValidationError("The application is closed: its decision is recorded.")


@transaction.atomic
def disclosure_initial_checks_record(
    *, application: DisclosureApplication, user, at: datetime, now: datetime
) -> DisclosureApplication:
    _may_handle(user)
    application = _locked(application)
    _open(application)
    if application.initial_checks_at is not None:
        raise ValidationError("The initial checks are already recorded.")
    _when(at, after=application.received_at, after_words="the application was received", now=now)
    application.initial_checks_at = at
    changed_by(application, user).save(update_fields=["initial_checks_at"])
    return application


@transaction.atomic
def disclosure_meeting_record(
    *, application: DisclosureApplication, user, at: datetime, now: datetime
) -> DisclosureApplication:
    _may_handle(user)
    application = _locked(application)
    _open(application)
    if application.meeting_at is not None:
        raise ValidationError("The multi-agency meeting is already recorded.")
    if application.initial_checks_at is None:
        raise ValidationError("Record the initial checks first: the meeting considers what they found.")
    _when(at, after=application.initial_checks_at, after_words="the initial checks", now=now)
    application.meeting_at = at
    changed_by(application, user).save(update_fields=["meeting_at"])
    return application


def _delay_reason_needed(application, at: datetime, delay_reason: str, settings, field: str = "delay_reason") -> None:
    usual, _ = decision_due(application.received_at, settings)
    if at > usual and not (delay_reason or application.delay_reason).strip():
        raise ValidationError(
            {
                field: f"Say why it took longer than {settings.disclosure_decision_days} days: it is after the usual date."
            }
        )


@transaction.atomic
def disclosure_decision_record(
    *, application: DisclosureApplication, user, decision: str, at: datetime, delay_reason: str, now: datetime, settings
) -> DisclosureApplication:
    """Disclose, no disclosure, or withdrawn. Disclosing or not is decided after the
    meeting; an application may be withdrawn at any time. After the usual 28 days a
    reason for the delay is required."""
    _may_handle(user)
    application = _locked(application)
    if application.decision:
        raise ValidationError("The decision is already recorded.")
    if decision not in DisclosureDecision.values:
        raise ValidationError({"decision": "Choose disclose, no disclosure or withdrawn."})
    if decision != DisclosureDecision.WITHDRAWN and application.meeting_at is None:
        raise ValidationError({"decision": "Record the multi-agency meeting first: it decides whether to disclose."})
    after, words = (
        (application.meeting_at, "the multi-agency meeting")
        if application.meeting_at
        else (application.received_at, "the application was received")
    )
    _when(at, after=after, after_words=words, now=now)
    _delay_reason_needed(application, at, delay_reason, settings)
    application.decision, application.decided_at = decision, at
    if delay_reason.strip():
        application.delay_reason = delay_reason.strip()
    changed_by(application, user).save(update_fields=["decision", "decided_at", "delay_reason"])
    return application


@transaction.atomic
def disclosure_delivered_record(
    *,
    application: DisclosureApplication,
    user,
    at: datetime,
    support_worker_present: str,
    delay_reason: str,
    now: datetime,
    settings,
) -> DisclosureApplication:
    """The disclosure made to her, with a support worker present (references.md: "delivered
    with a support worker present"): refused without one named."""
    _may_handle(user)
    application = _locked(application)
    if application.decision != DisclosureDecision.DISCLOSE:
        raise ValidationError("Record a decision to disclose first.")
    if application.disclosed_at is not None:
        raise ValidationError("The disclosure is already recorded.")
    if not support_worker_present.strip():
        raise ValidationError(
            {
                "support_worker_present": "Name the support worker who was present, and their service: "
                "a disclosure is made with a support worker present."
            }
        )
    _when(at, after=application.decided_at, after_words="the decision to disclose", now=now)
    _delay_reason_needed(application, at, delay_reason, settings)
    application.disclosed_at = at
    application.support_worker_present = support_worker_present.strip()
    if delay_reason.strip():
        application.delay_reason = delay_reason.strip()
    changed_by(application, user).save(update_fields=["disclosed_at", "support_worker_present", "delay_reason"])
    return application


@transaction.atomic
def disclosure_safety_plan_record(
    *, application: DisclosureApplication, user, at: datetime, now: datetime
) -> DisclosureApplication:
    """Her safety plan, made with her (after a disclosure, or whatever was decided)."""
    _may_handle(user)
    application = _locked(application)
    if application.safety_plan_at is not None:
        raise ValidationError("The safety plan is already recorded.")
    _when(at, after=application.received_at, after_words="the application was received", now=now)
    application.safety_plan_at = at
    changed_by(application, user).save(update_fields=["safety_plan_at"])
    return application
