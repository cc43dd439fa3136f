"""Writes for children at the front door: a safeguarding lead records a child's own risk
and children's services' outcome, which closes the children's tasks it answers."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.core.codes import ChildrenOutcome, RiskLevel, TaskStatus, values
from carepath.core.history import changed_by
from carepath.core.services import task_can_be_recorded_by, task_record
from carepath.referrals.children_selectors import children_given_to, children_tasks_of
from carepath.referrals.models import ReferralChild

#: A task about one child names them as routing counts them: "child 2 (aged 7)".
_ONE_CHILD = re.compile(r"^child (\d+)\b")


def _child_words(child: ReferralChild) -> str:
    # No names: task notes are shown to everyone who can see the task.
    return "Child" if child.age is None else f"Child aged {child.age}"


def _children_covered(task, children: list[ReferralChild]) -> list[ReferralChild]:
    """The children a task is about. Routing numbers every child in the household, there
    at the time or not, in the order the referral gave them."""
    match = _ONE_CHILD.match(task.concerns)
    if match and task.concerns != "children":
        number = int(match.group(1))
        return children[number - 1 : number] or children
    return children


@transaction.atomic
def child_outcome_record(
    *, child: ReferralChild, user, risk_level: str, risk_reason: str, outcome: str
) -> ReferralChild:
    """Record a child's own risk level (with the reason) and children's services' outcome
    for them. Each children's task of the referral that the user's agency owns is recorded
    done, with the outcomes, once every child it is about has one."""
    if not children_given_to(user).filter(pk=child.pk).exists():
        raise ValidationError("Only an agency this child was referred to can record their outcome.")
    errors = {}
    if risk_level not in values(RiskLevel):
        errors["risk_level"] = "Choose the child's own risk level: standard, medium or high."
    if not risk_reason.strip():
        errors["risk_reason"] = "Say why the child is at this level of risk."
    if outcome not in values(ChildrenOutcome):
        errors["outcome"] = "Choose the outcome for the child."
    if errors:
        raise ValidationError(errors)
    child.risk_level, child.risk_notes, child.outcome = risk_level, risk_reason.strip(), outcome
    child.recorded_by, child.recorded_at = user, timezone.now()
    changed_by(child, user)
    child.save()

    # Numbered as routing numbers them: every child of the referral, in order.
    siblings = list(ReferralChild.objects.filter(referral_id=child.referral_id).order_by("pk"))
    for task in children_tasks_of(child=child, user=user):
        covered = _children_covered(task, siblings)
        if task.status != TaskStatus.OPEN or not task_can_be_recorded_by(task, user):
            continue
        if all(c.outcome for c in covered):
            note = "; ".join(f"{_child_words(c)}: {ChildrenOutcome(c.outcome).label}" for c in covered)
            task_record(task=task, user=user, status=TaskStatus.DONE, note=note)
    return child
