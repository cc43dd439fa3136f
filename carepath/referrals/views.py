from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.core.services import access_log_record
from carepath.people.selectors import person_known_across
from carepath.referrals import selectors, services
from carepath.referrals.forms import ANSWER_LABELS, ChildFormSet, ProfessionalReferralForm
from carepath.risk.dash import QUESTIONS, DashError
from carepath.triage.models import Task
from carepath.triage.services import task_can_be_recorded_by, task_record


@login_required
def referral_new(request):
    form = ProfessionalReferralForm(request.POST or None)
    children = ChildFormSet(request.POST or None, prefix="children")
    if request.method == "POST" and form.is_valid() and children.is_valid():
        filled = [c for c in children if c.cleaned_data and c.is_filled]
        try:
            result = services.referral_create(data=form.to_referral_input(user=request.user, children=filled))
        except DashError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Referral sent to the One Front Door.")
            return redirect("referral_detail", referral_id=result.referral.pk)
    return render(request, "referrals/referral_new.html", {"form": form, "children": children})


@login_required
def triage_queue(request):
    queue = list(selectors.triage_queue(user=request.user)[:500])
    first_contacts = selectors.first_contact_due(referrals=queue)
    now = timezone.now()
    rows = [{"referral": r, "due": first_contacts.get(r.pk), "overdue": bool(first_contacts.get(r.pk) and first_contacts[r.pk] < now)}
            for r in queue]
    rows.sort(key=lambda row: not row["overdue"])  # overdue first, keeping risk-then-age order within each group
    return render(request, "referrals/triage_queue.html", {"rows": rows})


@login_required
def referral_detail(request, referral_id: int):
    referral = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    access_log_record(user=request.user, record=referral.victim, path=request.path)
    answers = referral.risk_assessment.answers if referral.risk_assessment else {}
    dash_rows = [{"number": n, "question": q, "answer": ANSWER_LABELS.get(answers.get(str(n), {}).get("answer"), ""),
                  "source": answers.get(str(n), {}).get("source", ""), "comment": answers.get(str(n), {}).get("comment", "")}
                 for n, q in QUESTIONS.items()] if answers else []
    tasks = list(referral.tasks.select_related("owner_agency", "done_by"))
    return render(request, "referrals/referral_detail.html", {
        "referral": referral, "dash_rows": dash_rows, "decision": referral.decision,
        "tasks": [{"task": t, "can_record": task_can_be_recorded_by(t, request.user)} for t in tasks],
        "children": referral.children.select_related("child"),
        "known": person_known_across(person=referral.victim),
        "now": timezone.now(),
    })


@login_required
@require_POST
def task_record_view(request, task_id: int):
    task = get_object_or_404(Task.objects.select_related("referral"), pk=task_id)
    selectors.referral_get_for_user(user=request.user, referral_id=task.referral_id)
    if not task_can_be_recorded_by(task, request.user):
        raise PermissionDenied
    if task.action_type == "marac_referral" and request.POST.get("status") == "done":
        marac = services.marac_referral_create(referral=task.referral, user=request.user)
        messages.success(request, f"Referred to MARAC with the DASH answers and reasons (MARAC referral {marac.pk}).")
        return redirect("referral_detail", referral_id=task.referral_id)
    try:
        task_record(task=task, user=request.user, status=request.POST.get("status", ""), note=request.POST.get("note", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Recorded.")
    return redirect("referral_detail", referral_id=task.referral_id)
