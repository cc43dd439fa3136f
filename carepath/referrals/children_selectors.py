"""Reads for children at the front door: the children's queue of a safeguarding lead, and
the children counted for the board (measure 5).

A child's own risk is assessed separately from the adult's (domain.md "Victim risk
level"): children's services record each child's level and their outcome from the
children routed to them. They see only the children an information share names to their
agency, never the adults' details (default deny, ``core.access``).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from carepath.core import access
from carepath.core.codes import ActionType, ChildrenOutcome, SharePart, TaskStatus
from carepath.core.models import SharedPerson, Task
from carepath.people.selectors import person_key
from carepath.referrals.models import Referral, ReferralChild

#: The tasks routing gives children's services about the children (domain.md "Routing").
CHILDREN_ACTIONS = (ActionType.CHILDREN_SERVICES_NOTIFICATION, ActionType.CHILD_PROTECTION_REFERRAL)


def _children_tasks(agency_id: int) -> QuerySet[Task]:
    return Task.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral),
        object_id=OuterRef("referral_id"),
        owner_agency_id=agency_id,
        action_type__in=CHILDREN_ACTIONS,
    )


def children_given_to(user) -> QuerySet[ReferralChild]:
    """The children routed to the user's agency: in a referral the agency may open, with a
    children's-services task the agency owns, and named to the agency by a share of that
    referral that gives the children's details. Nothing for a user without an agency."""
    if not user.is_authenticated or user.agency_id is None:
        return ReferralChild.objects.none()
    named = SharedPerson.objects.filter(
        person_id=OuterRef("child_id"),
        share__shared_with_id=user.agency_id,
        share__content_type=ContentType.objects.get_for_model(Referral),
        share__object_id=OuterRef("referral_id"),
        # The parts are a JSON list of codes: the quoted code matches that element only.
        share__parts__icontains=f'"{SharePart.CHILDREN}"',
    )
    return ReferralChild.objects.filter(
        Exists(named),
        Exists(_children_tasks(user.agency_id)),
        referral__in=access.records_visible_to(user, Referral),
    )


def children_queue(*, user) -> QuerySet[ReferralChild]:
    """Children waiting for the user's agency to record their risk and outcome: the
    soonest open children's task first (an urgent child protection referral is due the
    same day), then the oldest referral."""
    soonest = (
        _children_tasks(user.agency_id)
        .filter(status=TaskStatus.OPEN)
        .values("object_id")
        .annotate(soonest=Min("due_at"))
        .values("soonest")
    )
    return (
        children_given_to(user)
        .filter(outcome="")
        .annotate(due_at=Subquery(soonest[:1]))
        .select_related("child", "referral")
        .order_by(Coalesce("due_at", "referral__received_at").asc(), "referral__received_at", "pk")
    )


def children_tasks_of(*, child: ReferralChild, user) -> list[Task]:
    """The children's-services tasks of the child's referral that the user's agency owns."""
    return list(
        Task.objects.filter(
            referral=child.referral_id, owner_agency_id=user.agency_id, action_type__in=CHILDREN_ACTIONS
        ).order_by("due_at", "pk")
    )


@dataclass(frozen=True)
class ChildrenOutcomes:
    """Board measure 5 for a period: children (as people) in domestic abuse referrals by
    children's services' outcome. A child in several referrals counts once, under the
    most serious outcome they had (statutory, then early help, then no further action);
    ``awaiting`` are those with no outcome recorded yet."""

    statutory: int
    early_help: int
    no_further_action: int
    awaiting: int

    @property
    def decided(self) -> int:
        return self.statutory + self.early_help + self.no_further_action

    @property
    def below_threshold(self) -> int:
        return self.early_help + self.no_further_action

    def percent(self, part: int, whole: int) -> float | None:
        return None if whole == 0 else 100 * part / whole

    @property
    def statutory_percent(self) -> float | None:
        """Of the children decided, the share reaching the statutory threshold."""
        return self.percent(self.statutory, self.decided)

    @property
    def other_support_percent(self) -> float | None:
        """Of the children below the threshold, the share given other support."""
        return self.percent(self.early_help, self.below_threshold)


#: Most serious first: a child who reached the threshold in any referral of the period did.
OUTCOME_ORDER = (ChildrenOutcome.STATUTORY, ChildrenOutcome.EARLY_HELP, ChildrenOutcome.NO_FURTHER_ACTION, "")


def children_outcomes(*, start: datetime, end: datetime, district_ids=None) -> ChildrenOutcomes:
    """Board measure 5 (domain.md "Board reporting", item 5, from seed 002 §4.1): children
    where domestic abuse is a concern who do / do not reach the statutory threshold, and
    those given other support, for referrals received in [start, end). Counted as people:
    every record linked as one child (``Person.identity_key``) counts once. With
    ``district_ids``, only referrals from those districts.

    For the board's figures only: it returns counts, never who the children are."""
    children = ReferralChild.objects.filter(referral__received_at__gte=start, referral__received_at__lt=end)
    if district_ids is not None:
        children = children.filter(referral__district_id__in=district_ids)
    rows = children.annotate(identity=person_key("child")).values_list("identity", "outcome").distinct()
    best: dict[int, int] = {}
    for identity, outcome in rows:
        rank = OUTCOME_ORDER.index(outcome) if outcome in OUTCOME_ORDER else len(OUTCOME_ORDER) - 1
        best[identity] = min(rank, best.get(identity, rank))
    counts = [sum(1 for rank in best.values() if rank == r) for r in range(len(OUTCOME_ORDER))]
    return ChildrenOutcomes(statutory=counts[0], early_help=counts[1], no_further_action=counts[2], awaiting=counts[3])
