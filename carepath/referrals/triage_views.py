"""The front door's triage: the queue, and taking, routing, closing, reopening and passing
on a referral. Thin: the rules are in ``triage_services``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.referrals import selectors, triage_services
from carepath.referrals.models import Referral
from carepath.referrals.triage_forms import AssignForm, CloseForm, QueueFilterForm, ReopenForm

PAGE_SIZE = 50


@staff_view("referrals.work_triage_queue")
def triage_queue(request):
    """Every open referral at the user's front door, missed deadlines first across the
    whole queue; supervisors also see the team's load."""
    now = timezone.now()
    form = QueueFilterForm(request.GET or None, user=request.user)
    queue = selectors.triage_queue(user=request.user, filters=form.filters(), now=now)
    page = Paginator(queue.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.triage_rows(ids=list(page.object_list), now=now)
    access.people_shown(request, [r.victim_id for r in rows], action=AccessAction.LISTED)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/triage_queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": "&" + query.urlencode() if query else "",
            "filtered": form.is_valid() and any(form.cleaned_data.values()),
            "team": selectors.triage_team_load(user=request.user, now=now) if request.user.is_supervisor else None,
            "now": now,
        },
    )


def _check(form) -> None:
    """A form's errors as the move's refusal: each names its field."""
    if not form.is_valid():
        raise ValidationError([m for errors in form.errors.values() for m in errors])


def _triage_move(request, referral_id: int, move) -> Referral:
    """Open the referral through the access rule, make the move, and say how it went."""
    referral = access.record_open(request, Referral, referral_id)
    try:
        message = move(referral)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect("referral_detail", referral_id=referral.pk)


@staff_view()
@require_POST
def referral_take_view(request, referral_id: int):
    def take(referral):
        triage_services.referral_take(referral=referral, user=request.user)
        return "The referral is yours, in triage."

    return _triage_move(request, referral_id, take)


@staff_view()
@require_POST
def referral_routed_view(request, referral_id: int):
    def routed(referral):
        triage_services.referral_mark_routed(referral=referral, user=request.user)
        return "Marked as routed: it has left the triage queue."

    return _triage_move(request, referral_id, routed)


@staff_view()
@require_POST
def referral_close_view(request, referral_id: int):
    form = CloseForm(request.POST)

    def close(referral):
        _check(form)
        closed = triage_services.referral_close(referral=referral, user=request.user, **form.cleaned_data)
        return f"Closed: {closed.get_closure_outcome_display().lower()}. It has left the triage queue."

    return _triage_move(request, referral_id, close)


@staff_view()
@require_POST
def referral_reopen_view(request, referral_id: int):
    form = ReopenForm(request.POST)

    def reopen(referral):
        _check(form)
        triage_services.referral_reopen(referral=referral, user=request.user, note=form.cleaned_data["note"])
        return "Reopened: it is back in triage, and yours."

    return _triage_move(request, referral_id, reopen)


@staff_view()
@require_POST
def referral_assign_view(request, referral_id: int):
    form = AssignForm(request.POST, user=request.user)

    def assign(referral):
        _check(form)
        owner = form.cleaned_data["owner"]
        triage_services.referral_assign(referral=referral, owner=owner, assigned_by=request.user)
        return f"Passed to {owner.get_full_name() or owner.username}."

    return _triage_move(request, referral_id, assign)
