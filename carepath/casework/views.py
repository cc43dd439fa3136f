"""Casework pages: the manager's referrals to allocate with the team's caseloads, a
worker's cases, and a case. Thin: the rules are in ``services`` and ``rules``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.casework import forms as forms_
from carepath.casework import rules, selectors, services
from carepath.casework.models import Case, Worker
from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.core.models import Task
from carepath.people.models import SafeContact
from carepath.people.safe_contact import usable_channels


def _errors_onto(form, exc) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, getattr(exc, "messages", [str(exc)]))


@staff_view()
def casework_allocate(request):
    """The service manager's referrals to allocate, soonest deadline first, each with the
    workers suggested for it; and every worker's caseload against safe."""
    manager = selectors.manager_of(request.user)
    if manager is None:
        raise PermissionDenied
    workers = selectors.service_workers(service=manager.service)
    loads = selectors.worker_loads(workers=workers)
    by_id = {w.pk: w for w in workers}
    tasks = list(selectors.referrals_to_allocate(user=request.user)[:100])
    referrals = {t.object_id: t.subject for t in tasks}
    rows = []
    for task in tasks:
        referral = referrals[task.object_id]
        suggested = rules.suggest_workers(
            [rules.Candidate(w.pk, frozenset(w.specialisms), loads[w.pk]) for w in workers if not w.is_manager],
            needs=selectors.needs_of(referral),
        )
        rows.append({"task": task, "referral": referral, "suggested": [(by_id[s.worker_id], s) for s in suggested]})
    access.people_shown(request, [r["referral"].victim_id for r in rows], action=AccessAction.LISTED)
    return render(
        request,
        "casework/allocate.html",
        {
            "service": manager.service,
            "rows": rows,
            "team": [(w, loads[w.pk]) for w in workers],
            "now": timezone.now(),
        },
    )


@staff_view()
@require_POST
def casework_allocate_one(request, task_id: int):
    manager = selectors.manager_of(request.user)
    task = selectors.referrals_to_allocate(user=request.user).filter(pk=task_id).first()
    if manager is None or task is None:
        raise access.refused(request, Task, task_id)
    worker = Worker.objects.filter(pk=request.POST.get("worker") or 0, service=manager.service).first()
    if worker is None:
        messages.error(request, "Choose the worker to give the referral to.")
        return redirect("casework_allocate")
    try:
        case = services.case_allocate(task=task, worker=worker, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for text in getattr(exc, "messages", [str(exc)]):
            messages.error(request, text)
        return redirect("casework_allocate")
    messages.success(request, f"Allocated to {worker}: case {case.pk}.")
    return redirect("casework_allocate")


@staff_view()
def casework_my_cases(request):
    """The worker's open cases, with the first-contact deadline and whether it was met."""
    cases = list(selectors.my_cases(user=request.user))
    access.people_shown(request, [c.victim_id for c in cases], action=AccessAction.LISTED)
    worker = getattr(request.user, "caseworker", None)
    load = selectors.worker_loads(workers=[worker])[worker.pk] if worker else None
    return render(
        request, "casework/my_cases.html", {"cases": cases, "worker": worker, "load": load, "now": timezone.now()}
    )


def _case_page(request, case_id: int, *, status: int = 200, **bound):
    case = access.record_open(
        request, Case, case_id, queryset=Case.objects.select_related("service__agency", "worker__user", "victim")
    )
    access.people_shown(request, [case.victim_id], via=case)
    safe = SafeContact.objects.filter(person_id=case.victim_id).first()
    usable = usable_channels(safe.answers()) if safe else set()
    context = {
        "case": case,
        "status_words": rules.STATUS_WORDS.get(case.status, ""),
        "working": services.works_on(request.user, case),
        "safe": safe,
        "usable": usable,
        "windows": [rules.window_words(w) for w in rules.safe_windows(safe.safe_windows)] if safe else [],
        "attempts": list(case.contact_attempts.select_related("by")),
        "changes": list(case.status_changes.select_related("by")),
        "handovers": list(case.handovers.select_related("from_worker__user", "to_worker__user")),
        "outcomes": [(rules.ABUSE_TYPES[k], rules.OUTCOMES.get(v, "")) for k, v in case.outcomes.items()],
        "contact_form": forms_.ContactAttemptForm(usable=usable),
        "status_form": forms_.StatusForm(current=case.status),
        "close_form": forms_.CloseForm(),
        "plan_form": forms_.SafetyPlanForm(),
        "handover_form": forms_.HandoverForm(workers=_handover_workers(case)),
        "intervention_form": forms_.InterventionForm(),
        "plans": list(case.safety_plans.select_related("by")),
        "interventions": [(i, rules.INTERVENTIONS.get(i.kind, "")) for i in case.interventions.select_related("by")],
        "is_open": case.status in rules.OPEN or case.status == rules.DORMANT,
        "now": timezone.now(),
    }
    context.update(bound)
    return render(request, "casework/case_detail.html", context, status=status)


@staff_view()
def casework_case_detail(request, case_id: int):
    return _case_page(request, case_id)


def _case_write(request, case_id: int, form_name: str, make_form, write, done: str):
    case = access.record_open(request, Case, case_id)
    form = make_form(case)
    if form.is_valid():
        try:
            write(case, form)
        except (ValidationError, PermissionDenied) as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, done)
            return redirect("casework_case_detail", case_id=case.pk)
    return _case_page(request, case.pk, status=400, **{form_name: form})


def _handover_workers(case: Case):
    """Active workers of the agency's casework services, the case's own excepted."""
    return (
        Worker.objects.filter(active=True, service__agency_id=case.service.agency_id)
        .exclude(pk=case.worker_id)
        .select_related("user", "service")
        .order_by("service__name", "user__username")
    )


def _usable(case: Case) -> set[str]:
    safe = SafeContact.objects.filter(person_id=case.victim_id).first()
    return usable_channels(safe.answers()) if safe else set()


@staff_view()
@require_POST
def casework_contact_attempt(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "contact_form",
        lambda case: forms_.ContactAttemptForm(request.POST, usable=_usable(case)),
        lambda case, form: services.contact_attempt_record(
            case=case,
            user=request.user,
            channel=form.cleaned_data["channel"],
            reached=form.cleaned_data["reached"] == "yes",
            note=form.cleaned_data["note"],
        ),
        "Contact attempt recorded.",
    )


@staff_view()
@require_POST
def casework_status_move(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "status_form",
        lambda case: forms_.StatusForm(request.POST, current=case.status),
        lambda case, form: services.case_status_move(case=case, user=request.user, **form.cleaned_data),
        "The case's status is recorded.",
    )


@staff_view()
@require_POST
def casework_case_close(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "close_form",
        lambda case: forms_.CloseForm(request.POST),
        lambda case, form: services.case_close(
            case=case,
            user=request.user,
            outcomes=form.outcomes(),
            exit_scores=form.exit_scores(),
            note=form.cleaned_data["note"],
        ),
        "The case is closed with its outcomes.",
    )


@staff_view()
@require_POST
def casework_safety_plan(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "plan_form",
        lambda case: forms_.SafetyPlanForm(request.POST),
        lambda case, form: services.safety_plan_record(case=case, user=request.user, **form.cleaned_data),
        "The safety plan is recorded.",
    )


@staff_view()
@require_POST
def casework_intervention(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "intervention_form",
        lambda case: forms_.InterventionForm(request.POST),
        lambda case, form: services.intervention_record(case=case, user=request.user, **form.cleaned_data),
        "The support given is recorded.",
    )


@staff_view()
@require_POST
def casework_handover(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "handover_form",
        lambda case: forms_.HandoverForm(request.POST, workers=_handover_workers(case)),
        lambda case, form: services.case_handover(case=case, user=request.user, **form.cleaned_data),
        "The case is handed over; the new worker has what was agreed.",
    )
