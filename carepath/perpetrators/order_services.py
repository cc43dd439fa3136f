"""Writes of orders, their breaches, releases from custody and criminal history.

Police and probation staff record them (``perpetrators.record_orders``; criminal history
``perpetrators.view_criminal_history``). An order protects one of his victims that the
recording agency may see; its dates run forwards; a breach happens while it exists.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.core.history import changed_by
from carepath.people.models import Person
from carepath.perpetrators import order_rules
from carepath.perpetrators.models import (
    Breach,
    BreachAction,
    CriminalHistoryEntry,
    CustodyRelease,
    HistoryKind,
    Order,
    OrderKind,
)
from carepath.perpetrators.order_selectors import victim_choices


def _may(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied("Only police and probation staff may record this.")


def _recorded(record, *, user, now: datetime):
    """Save a new record as made by the user's agency now, with its history entry."""
    record.recorded_by_id = user.agency_id
    record.recorded_by_user = user
    record.recorded_at = now
    changed_by(record, user).save()
    return record


def _dates_check(*, made_on: date, starts_on: date, ends_on: date | None) -> None:
    errors = order_rules.order_date_errors(made_on=made_on, starts_on=starts_on, ends_on=ends_on)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def order_record(
    *,
    perpetrator: Person,
    protected_person: Person,
    kind: str,
    made_on: date,
    starts_on: date,
    ends_on: date | None,
    made_by: str,
    conditions: str,
    user,
    now: datetime,
) -> Order:
    """Record an order or bail conditions against him protecting one of his victims."""
    _may(user, "perpetrators.record_orders")
    if kind not in OrderKind.values:
        raise ValidationError({"kind": "Kind of order: choose one from the list"})
    if not victim_choices(user=user, perpetrator=perpetrator).filter(pk=protected_person.pk).exists():
        raise ValidationError({"protected_person": "Protects: choose one of his victims on events your agency can see"})
    _dates_check(made_on=made_on, starts_on=starts_on, ends_on=ends_on)
    return _recorded(
        Order(
            perpetrator=perpetrator,
            protected_person=protected_person,
            kind=kind,
            made_on=made_on,
            starts_on=starts_on,
            ends_on=ends_on,
            made_by=made_by,
            conditions=conditions,
        ),
        user=user,
        now=now,
    )


@transaction.atomic
def order_update(*, order: Order, ends_on: date | None, conditions: str, user, reason: str = "") -> Order:
    """Vary an order's conditions or end it (set its end date); the change history keeps
    what it was."""
    _may(user, "perpetrators.record_orders")
    _dates_check(made_on=order.made_on, starts_on=order.starts_on, ends_on=ends_on)
    order.ends_on = ends_on
    order.conditions = conditions
    changed_by(order, user, reason=reason).save(update_fields=["ends_on", "conditions"])
    return order


@transaction.atomic
def breach_record(
    *, order: Order, occurred_at: datetime, what_happened: str, action: str, user, now: datetime
) -> Breach:
    """Record a breach of the order: when, what happened, and the action taken."""
    _may(user, "perpetrators.record_orders")
    if action not in BreachAction.values:
        raise ValidationError({"action": "Action taken: choose one from the list"})
    error = order_rules.breach_time_error(
        occurred_at=timezone.localtime(occurred_at), now=now, starts_on=order.starts_on, ends_on=order.ends_on
    )
    if error:
        raise ValidationError({"occurred_at": error})
    return _recorded(
        Breach(
            order=order,
            occurred_at=occurred_at,
            what_happened=what_happened,
            action=action,
        ),
        user=user,
        now=now,
    )


@transaction.atomic
def custody_release_record(
    *, perpetrator: Person, released_on: date, licence_conditions: str, user, now: datetime
) -> CustodyRelease:
    """Record his release from custody: it bears on the safety of each of his victims."""
    _may(user, "perpetrators.record_orders")
    if released_on > now.date():
        raise ValidationError({"released_on": "Released on: the release cannot be in the future"})
    return _recorded(
        CustodyRelease(
            perpetrator=perpetrator,
            released_on=released_on,
            licence_conditions=licence_conditions,
        ),
        user=user,
        now=now,
    )


@transaction.atomic
def criminal_history_record(
    *, perpetrator: Person, kind: str, on: date, summary: str, user, now: datetime
) -> CriminalHistoryEntry:
    """Record a conviction, caution, arrest or piece of intelligence: police and probation only."""
    _may(user, "perpetrators.view_criminal_history")
    errors = {}
    if kind not in HistoryKind.values:
        errors["kind"] = "Kind: choose one from the list"
    if on > now.date():
        errors["on"] = "Date: cannot be in the future"
    if not summary.strip():
        errors["summary"] = "Summary: enter what happened"
    if errors:
        raise ValidationError(errors)
    return _recorded(
        CriminalHistoryEntry(
            perpetrator=perpetrator,
            kind=kind,
            on=on,
            summary=summary,
        ),
        user=user,
        now=now,
    )
