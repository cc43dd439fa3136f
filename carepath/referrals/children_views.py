"""Pages of children at the front door: the safeguarding lead's children's queue, and one
child's page where the lead records the child's own risk and the outcome."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from carepath.core import access
from carepath.core.codes import AccessAction, SharePart
from carepath.core.decorators import staff_view
from carepath.referrals import children_selectors, children_services
from carepath.referrals.children_forms import ChildOutcomeForm
from carepath.referrals.models import Referral, ReferralChild

PAGE_SIZE = 50
PERMISSION = "referrals.record_child_outcome"


@staff_view(PERMISSION)
def children_queue(request):
    """Children routed to the user's agency whose risk and outcome are still to record."""
    page = Paginator(children_selectors.children_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    access.people_shown(request, [c.child_id for c in page.object_list], action=AccessAction.LISTED)
    return render(request, "referrals/children_queue.html", {"page": page, "now": timezone.now()})


@staff_view(PERMISSION)
def child_outcome(request, child_id: int):
    """One child as the share gave them: the child, the adult's risk level if shared, the
    agency's children's tasks; and the form for the child's own risk and the outcome. An
    agency not given the child gets the same 404 as for a child that does not exist."""
    child = (
        children_selectors.children_given_to(request.user)
        .select_related("child", "referral__referring_agency", "recorded_by")
        .filter(pk=child_id)
        .first()
    )
    if child is None:
        raise access.refused(request, ReferralChild, child_id)
    referral = access.record_open(request, Referral, child.referral_id)
    initial = {"risk_level": child.risk_level, "risk_reason": child.risk_notes, "outcome": child.outcome}
    form = ChildOutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            children_services.child_outcome_record(child=child, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)  # each message against the field it names
        else:
            messages.success(request, f"Risk and outcome recorded for child {child.pk}.")
            return redirect("children_queue")
    access.people_shown(request, [child.child_id], via=referral)
    view = access.shared_view(request.user, referral)
    return render(
        request,
        "referrals/child_outcome.html",
        {
            "child": child,
            "referral": referral,
            "shows_summary": view.shows(SharePart.SUMMARY),
            "shows_risk": view.shows(SharePart.RISK),
            "tasks": children_selectors.children_tasks_of(child=child, user=request.user),
            "form": form,
            "now": timezone.now(),
        },
    )
