"""Casework referral pages (issue 14): any agency's referral to a casework service, and a
case handed over to another agency's service. Thin: the rules are in ``referral_services``
and ``referral_rules``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from carepath.casework import referral_services, selectors
from carepath.casework.forms import AgencyHandoverForm, CaseworkReferralForm
from carepath.casework.models import Case
from carepath.core import access
from carepath.core.decorators import staff_view
from carepath.core.forms import refusal_onto_form
from carepath.core.models import District
from carepath.referrals.victim_choice import victim_choice


@staff_view()
def casework_referral_new(request):
    """Any agency refers a victim to a casework service: one its agency holds (found by
    name, the people listed logged) or a new one; the service chosen from those listed
    with the districts they cover. The rules are the service's."""
    choice = victim_choice(request)
    victim = choice.victim
    form = CaseworkReferralForm(
        request.POST or None,
        services=selectors.services_for_referral(),
        districts=District.objects.order_by("name"),
        victim=victim,
        service_words=referral_services.service_words,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_services.casework_referral_from_agency(user=request.user, **form.service_arguments())
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(
                request, f"Referral sent to {form.cleaned_data['service'].name}: its manager gives her a worker."
            )
            return redirect("referral_detail", referral_id=referral.pk)
    choice.log_shown(request)
    return render(
        request,
        "casework/referral_new.html",
        {"form": form, **choice.context()},
        status=400 if request.method == "POST" else 200,
    )


@staff_view()
def casework_handover_to_service(request, case_id: int):
    """Hand her case to another agency's service: the page, and the handover itself. Only
    the case's worker or a manager of its service (the service refuses anyone else)."""
    case = access.record_open(
        request, Case, case_id, queryset=Case.objects.select_related("service__agency", "worker__user")
    )
    access.people_shown(request, [case.victim_id], via=case)
    form = AgencyHandoverForm(
        request.POST or None,
        services=selectors.handover_services(case=case),
        service_words=referral_services.service_words,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral_services.case_handover_to_service(case=case, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(
                request,
                f"Handed over to {form.cleaned_data['to_service'].name}: the case here is closed, its history kept.",
            )
            return redirect("casework_case_detail", case_id=case.pk)
    return render(
        request,
        "casework/handover_to_service.html",
        {"case": case, "form": form, "working": referral_services.works_on(request.user, case)},
        status=400 if request.method == "POST" else 200,
    )
