"""Writes of the serial and repeat perpetrator panel: its meetings and the plan for each
perpetrator. Every change is kept in the record's history, with who made it."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.core.history import changed_by
from carepath.people.models import Person
from carepath.perpetrators.models import PanelMeeting, PerpetratorPlan, PlanOption, PlanStatus


class PanelError(ValueError):
    """A change the panel's rules do not allow, in words for the page."""


@transaction.atomic
def panel_meeting_schedule(*, user, first: datetime, count: int = 1) -> list[PanelMeeting]:
    """Schedule ``count`` meetings of the user's agency's panel, the first at ``first`` and
    the others every ``perpetrator_panel_interval_days`` (4 weeks) after it."""
    if user.agency_id is None:
        raise PanelError("Only staff of an agency can schedule the panel.")
    if not 1 <= count <= 13:
        raise PanelError("Schedule between 1 and 13 meetings at a time.")
    interval = timedelta(days=partnership_settings_get().perpetrator_panel_interval_days)
    meetings = []
    for n in range(count):
        meeting = PanelMeeting(agency_id=user.agency_id, starts_at=first + n * interval)
        changed_by(meeting, user)
        meeting.save()
        meetings.append(meeting)
    return meetings


@transaction.atomic
def panel_meeting_hold(*, meeting: PanelMeeting, user) -> PanelMeeting:
    """Record that the meeting took place."""
    if meeting.starts_at > timezone.now():
        raise PanelError("A meeting can be marked as held only once it has started.")
    meeting.held = True
    changed_by(meeting, user)
    meeting.save(update_fields=["held"])
    return meeting


def _checked(*, user, owner, options: Iterable[str], review_on: date, meeting: PanelMeeting | None) -> list[str]:
    if owner.agency_id != user.agency_id or not owner.is_active:
        raise PanelError("The plan's owner must be a member of your agency's staff.")
    chosen = [o for o in PlanOption.values if o in set(options)]
    if not chosen or len(chosen) != len(set(options)):
        raise PanelError("Choose at least one of support, prevention, diversion, disruption or enforcement.")
    if review_on < timezone.localdate():
        raise PanelError("The review date must be today or later.")
    if meeting is not None and meeting.agency_id != user.agency_id:
        raise PanelError("Choose one of your agency's panel meetings.")
    return chosen


@transaction.atomic
def perpetrator_plan_create(
    *,
    user,
    perpetrator: Person,
    owner,
    options: Iterable[str],
    actions: str = "",
    review_on: date,
    meeting: PanelMeeting | None = None,
) -> PerpetratorPlan:
    """The panel's plan for a perpetrator: its owner, the options chosen and a review date."""
    chosen = _checked(user=user, owner=owner, options=options, review_on=review_on, meeting=meeting)
    now = timezone.now()
    plan = PerpetratorPlan(
        perpetrator=perpetrator,
        meeting=meeting,
        owner=owner,
        options=chosen,
        actions=actions.strip(),
        review_on=review_on,
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    changed_by(plan, user)
    plan.save()
    return plan


@transaction.atomic
def perpetrator_plan_update(
    *,
    plan: PerpetratorPlan,
    user,
    owner,
    options: Iterable[str],
    actions: str = "",
    review_on: date,
    meeting: PanelMeeting | None = None,
) -> PerpetratorPlan:
    """Change an active plan (after a review: its new review date)."""
    if plan.status != PlanStatus.ACTIVE:
        raise PanelError("This plan is closed: make a new plan instead.")
    plan.options = _checked(user=user, owner=owner, options=options, review_on=review_on, meeting=meeting)
    plan.owner, plan.actions, plan.review_on, plan.meeting = owner, actions.strip(), review_on, meeting
    plan.updated_at = timezone.now()
    changed_by(plan, user)
    plan.save()
    return plan


@transaction.atomic
def perpetrator_plan_close(*, plan: PerpetratorPlan, user, reason: str = "") -> PerpetratorPlan:
    """Close a plan: he leaves the panel's reviews (he may come back on its list)."""
    if plan.status != PlanStatus.ACTIVE:
        raise PanelError("This plan is already closed.")
    plan.status = PlanStatus.CLOSED
    plan.updated_at = timezone.now()
    changed_by(plan, user, reason=reason.strip())
    plan.save()
    return plan
