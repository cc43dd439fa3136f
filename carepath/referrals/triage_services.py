"""Writes for a referral's journey through the front door: taken by a named triage worker,
then routed or closed with an outcome (domain.md "Routing": every referral gets an owner;
seed 002 Appendix 2, One Front Door). Each move records who made it, when and why in the
referral's change history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.core.codes import ActionType, Role, TaskStatus
from carepath.core.history import changed_by
from carepath.core.services import task_record
from carepath.referrals.models import OPEN_STATUSES, ClosureOutcome, Referral, ReferralStatus
from carepath.referrals.selectors import first_contact_due
from carepath.triage.routing import RISK_INDEPENDENT_ACTIONS


def referrals_first_contact_refresh(*, referral_ids) -> None:
    """Keep each referral's earliest open first-contact deadline beside it, so the queue
    orders thousands of referrals by missed deadline without reading their tasks. Called
    when tasks are written in bulk, and on every save of a referral's task."""
    Referral.objects.filter(pk__in=referral_ids).update(first_contact_due_at=first_contact_due())


def _works_at_its_front_door(referral: Referral, user) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.TRIAGE
        and user.agency_id is not None
        and user.agency_id == referral.receiving_agency_id
    )


def referral_can_be_moved_by(referral: Referral, user) -> bool:
    """The triage worker who has it, or any supervisor, at the front door that received it;
    anyone there while nobody has it."""
    if not _works_at_its_front_door(referral, user):
        return False
    return referral.triage_owner_id in (None, user.pk) or user.is_supervisor


def _move(referral: Referral, user, *, status: str, reason: str, **fields) -> Referral:
    referral.status = status
    referral.status_changed_at = timezone.now()
    referral.status_changed_by = user
    for name, value in fields.items():
        setattr(referral, name, value)
    changed_by(referral, user, reason=reason)
    # Only what the move changes: the deadline column follows the tasks, refreshed meanwhile.
    referral.save(update_fields=["status", "status_changed_at", "status_changed_by", *fields])
    return referral


def _locked(referral: Referral) -> Referral:
    """The referral as stored now, locked until the move is saved: two workers pressing
    "Take" at once must not both get it."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


@transaction.atomic
def referral_take(*, referral: Referral, user) -> Referral:
    """A triage worker takes a new referral: it is theirs, and in triage."""
    referral = _locked(referral)
    if not _works_at_its_front_door(referral, user):
        raise ValidationError("Only the front door that received this referral can take it.")
    if referral.status not in OPEN_STATUSES:
        raise ValidationError(f"This referral is {referral.get_status_display().lower()}: reopen it first.")
    if referral.triage_owner_id not in (None, user.pk):
        raise ValidationError(
            f"{referral.triage_owner.get_full_name() or referral.triage_owner.username} already has this referral: "
            "ask them or your supervisor to pass it to you."
        )
    return _move(referral, user, status=ReferralStatus.IN_TRIAGE, reason="Taken into triage", triage_owner=user)


@transaction.atomic
def referral_assign(*, referral: Referral, owner, assigned_by) -> Referral:
    """A supervisor gives a referral to a member of the front-door team."""
    referral = _locked(referral)
    if not (_works_at_its_front_door(referral, assigned_by) and assigned_by.is_supervisor):
        raise ValidationError("Only a supervisor at the front door that received it can pass a referral on.")
    if not _works_at_its_front_door(referral, owner) or not owner.is_active:
        raise ValidationError({"owner": "Choose someone in the front-door team."})
    if referral.status not in OPEN_STATUSES:
        raise ValidationError(f"This referral is {referral.get_status_display().lower()}: reopen it first.")
    return _move(
        referral,
        assigned_by,
        status=ReferralStatus.IN_TRIAGE,
        reason=f"Passed to {owner.get_full_name() or owner.username}",
        triage_owner=owner,
    )


@transaction.atomic
def referral_mark_routed(*, referral: Referral, user) -> Referral:
    """The triage worker confirms the routing: its tasks stand with the agencies that own
    them, and the referral leaves the queue. Not while the risk checklist is outstanding:
    without it the routing is not finished."""
    referral = _locked(referral)
    if not referral_can_be_moved_by(referral, user):
        raise ValidationError("Only the triage worker who has this referral, or a supervisor, can route it.")
    if referral.status not in OPEN_STATUSES:
        raise ValidationError(f"This referral is already {referral.get_status_display().lower()}.")
    if referral.tasks.filter(action_type=ActionType.DASH_ASSESSMENT, status=TaskStatus.OPEN).exists():
        raise ValidationError(
            "Complete the risk checklist first: the routing depends on it. If the victim cannot be reached "
            "safely, close the referral with that outcome."
        )
    return _move(
        referral,
        user,
        status=ReferralStatus.ROUTED,
        reason="Routed",
        triage_owner=referral.triage_owner or user,
    )


@transaction.atomic
def referral_close(*, referral: Referral, user, outcome: str, note: str) -> Referral:
    """Close a referral without routing it, with an outcome and why. The front door's own
    open tasks on it end with the closure; other agencies' tasks (a child's notification)
    stand: closing the adult's referral never stops a child being safeguarded."""
    referral = _locked(referral)
    if not referral_can_be_moved_by(referral, user):
        raise ValidationError("Only the triage worker who has this referral, or a supervisor, can close it.")
    if referral.status not in OPEN_STATUSES:
        raise ValidationError(f"This referral is already {referral.get_status_display().lower()}.")
    if outcome not in ClosureOutcome.values:
        raise ValidationError({"outcome": "Outcome: choose why the referral is closed."})
    if not note.strip():
        raise ValidationError({"note": "Note: say why, and for a duplicate or another area, which one."})
    label = ClosureOutcome(outcome).label
    own = referral.tasks.filter(owner_agency_id=referral.receiving_agency_id, status=TaskStatus.OPEN)
    # A child's task stands even where the front door holds it for want of an agency of its type.
    for task in own.exclude(action_type__in=RISK_INDEPENDENT_ACTIONS):
        task_record(task=task, user=user, status=TaskStatus.NOT_DONE, note=f"Referral closed: {label}.")
    return _move(
        referral,
        user,
        status=ReferralStatus.CLOSED,
        reason=f"Closed: {label}",
        closure_outcome=outcome,
        triage_note=note.strip(),
        triage_owner=referral.triage_owner or user,
    )


@transaction.atomic
def referral_reopen(*, referral: Referral, user, note: str) -> Referral:
    """Bring a routed or closed referral back into triage, with the reason."""
    referral = _locked(referral)
    if not _works_at_its_front_door(referral, user):
        raise ValidationError("Only the front door that received this referral can reopen it.")
    if referral.status in OPEN_STATUSES:
        raise ValidationError("This referral is still open.")
    if not note.strip():
        raise ValidationError({"note": "Note: say why the referral is reopened."})
    return _move(
        referral,
        user,
        status=ReferralStatus.IN_TRIAGE,
        reason="Reopened",
        triage_owner=user,
        closure_outcome="",
        triage_note=note.strip(),
    )
