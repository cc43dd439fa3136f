"""Reads for the agency that referred: the referrals it made, as it may see them."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from carepath.core.codes import ActionType, TaskStatus, label
from carepath.core.models import Task
from carepath.referrals.models import OPEN_STATUSES, Referral
from carepath.referrals.selectors import referrals_visible_to
from carepath.triage.casejson import decision_for_referrer


def referrals_made(*, user, mine: bool = False) -> QuerySet[Referral]:
    """Referrals the user's agency made (only those the user made with ``mine``), newest first."""
    if not user.is_authenticated or user.agency_id is None:
        return Referral.objects.none()
    made = referrals_visible_to(user).filter(referring_agency_id=user.agency_id)
    if mine:
        made = made.filter(created_by=user)
    own_tasks = Task.objects.filter(owner_agency_id=user.agency_id).order_by("due_at", "pk")
    return (
        made.select_related("victim")
        .prefetch_related(Prefetch("tasks", queryset=own_tasks, to_attr="own_tasks"))
        .order_by("-received_at", "-pk")
    )


def referrals_made_waiting_count(user) -> int:
    """The agency's referrals the front door has not yet routed or closed."""
    return referrals_made(user=user).filter(status__in=OPEN_STATUSES).count()


@dataclass(frozen=True)
class RoutedAction:
    words: str
    status: str


def routed_actions(*, referral: Referral, user) -> list[RoutedAction]:
    """What the front door's decision asks of the referring agency, in words, with how far
    each task has got. Only the agency's own actions: the rest of a decision may rest on
    other agencies' records, so a referrer never learns them (``decision_for_referrer``)."""
    agency_type = user.agency.agency_type if user.agency_id else None
    decision = decision_for_referrer(referral.decision or {}, owner_agency_type=agency_type)
    tasks = {t.action_type: t for t in getattr(referral, "own_tasks", [])}
    return [
        RoutedAction(
            words=label(ActionType, action["type"], "Other action"),
            status=label(TaskStatus, tasks[action["type"]].status) if action["type"] in tasks else "",
        )
        for action in decision["actions"]
    ]
