from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from carepath.core import access
from carepath.core.codes import ActionType
from carepath.core.decorators import staff_view
from carepath.core.services import task_can_be_recorded_by
from carepath.directory import selectors as directory_selectors
from carepath.referrals import selectors, services, triage_services
from carepath.referrals.forms import ChildFormSet, ProfessionalReferralForm, RiskChecklistForm, with_another_child
from carepath.referrals.models import Referral
from carepath.referrals.triage_forms import AssignForm, CloseForm, ReopenForm
from carepath.risk.dash import DashError
from carepath.risk.selectors import checklist_in_force


@staff_view()
def referral_new(request):
    form = ProfessionalReferralForm(request.POST or None, checklist=checklist_in_force())
    children = ChildFormSet(request.POST or None, prefix="children")
    if request.method == "POST" and "add_child" in request.POST:
        form, children = with_another_child(form, children)
    elif request.method == "POST" and form.is_valid() and children.is_valid():
        filled = [c for c in children if c.cleaned_data and c.is_filled]
        try:
            result = services.referral_create(data=form.to_referral_input(user=request.user, children=filled))
        except DashError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Referral sent to the One Front Door.")
            return redirect("referral_detail", referral_id=result.referral.pk)
    return render(request, "referrals/referral_new.html", {"form": form, "children": children})


@staff_view()
def referral_detail(request, referral_id: int):
    """A referral as the user's agency may see it: the front door all of it; the referrer an
    acknowledgement, what it sent and its own tasks; an agency given the referral by a share
    only the people and parts shared."""
    referral = access.record_open(
        request,
        Referral,
        referral_id,
        queryset=Referral.objects.select_related(
            "victim", "perpetrator", "referring_agency", "receiving_agency", "risk_assessment", "event", "api_client"
        ),
    )
    page = selectors.referral_page(user=request.user, referral=referral)
    access.people_shown(request, page.people_shown, via=referral)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "page": page,
            "decision": page.decision,
            "tasks": [{"task": t, "can_record": task_can_be_recorded_by(t, request.user)} for t in page.tasks],
            "shares": (
                referral.shares.select_related("shared_with").prefetch_related("named").order_by("pk")
                if page.is_front_door
                else []
            ),
            "now": timezone.now(),
            "triage": _triage_panel(request.user, referral) if page.is_front_door else None,
            # The signposting task links to the directory's entries for her district and needs.
            "signpost": (
                directory_selectors.signpost_link(referral, today=timezone.localdate())
                if any(t.action_type == ActionType.SIGNPOST_UNIVERSAL for t in page.tasks)
                else None
            ),
        },
    )


def _triage_panel(user, referral: Referral) -> dict:
    """The front door's part of the page: where the referral is, who has it, how it got
    there, and the moves the user may make."""
    return {
        "can_move": triage_services.referral_can_be_moved_by(referral, user),
        "moves": selectors.referral_triage_moves(referral=referral),
        "close_form": CloseForm(),
        "reopen_form": ReopenForm(),
        "assign_form": AssignForm(user=user) if user.is_supervisor else None,
    }


@staff_view()
def referral_risk_assess(request, referral_id: int):
    """The front door completes the risk checklist on a referral, or repeats it; the
    referral is routed again. Anyone else gets the 404 of a referral that does not exist."""
    referral = access.record_open(
        request,
        Referral,
        referral_id,
        queryset=Referral.objects.filter(receiving_agency_id=request.user.agency_id).select_related("victim"),
    )
    if not selectors.can_assess_risk(user=request.user, referral=referral):
        messages.info(request, "The victim is a child: children's services assess the risk, not the DASH checklist.")
        return redirect("referral_detail", referral_id=referral.pk)
    channels = selectors.risk_assessment_channels(referral=referral)
    form = RiskChecklistForm(request.POST or None, checklist=checklist_in_force(), channels=channels)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_risk_assess(
                referral=referral,
                answers=form.dash_answers(),
                judgement=form.judgement(),
                channel=form.cleaned_data["channel"],
                user=request.user,
            )
        except DashError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Risk checklist recorded: the referral has been routed again.")
            return redirect("referral_detail", referral_id=referral.pk)
    access.people_shown(request, [referral.victim_id], via=referral)
    return render(
        request,
        "referrals/referral_risk_assess.html",
        {"referral": referral, "form": form, "channels": channels, "again": referral.risk_assessment_id is not None},
    )
