from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.core.services import task_can_be_recorded_by
from carepath.referrals import selectors, services
from carepath.referrals.forms import ChildFormSet, ProfessionalReferralForm, with_another_child
from carepath.referrals.models import Referral
from carepath.risk.dash import DashError


@staff_view()
def referral_new(request):
    form = ProfessionalReferralForm(request.POST or None)
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
def triage_queue(request):
    queue = list(selectors.triage_queue(user=request.user)[:500])
    first_contacts = selectors.first_contact_due(referrals=queue)
    now = timezone.now()
    rows = [
        {
            "referral": r,
            "due": first_contacts.get(r.pk),
            "overdue": bool(first_contacts.get(r.pk) and first_contacts[r.pk] < now),
        }
        for r in queue
    ]
    rows.sort(key=lambda row: not row["overdue"])  # overdue first, keeping risk-then-age order within each group
    access.people_shown(request, [r.victim_id for r in queue], action=AccessAction.LISTED)
    return render(request, "referrals/triage_queue.html", {"rows": rows})


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
            "victim", "perpetrator", "referring_agency", "receiving_agency", "risk_assessment", "event"
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
        },
    )
