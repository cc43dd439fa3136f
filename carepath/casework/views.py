"""Casework pages: the manager's referrals to allocate with the team's caseloads, a
worker's cases, and a case. Thin: the rules are in ``services`` and ``rules``."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.casework import forms as forms_
from carepath.casework import measures, messaging, rules, selectors, services
from carepath.casework.forms import PerformanceForm
from carepath.casework.messages import KINDS as MESSAGE_KINDS
from carepath.casework.models import Case, Service, Worker
from carepath.casework.recovery_views import recovery_context
from carepath.casework.sections import case_sections
from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.core.forms import refusal_onto_form
from carepath.core.models import Task
from carepath.risk.selectors import checklist_in_force


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
    earlier = selectors.her_workers(
        victim_ids={r.victim_id for r in referrals.values()}, agency_id=manager.service.agency_id
    )
    rows = []
    for task in tasks:
        referral = referrals[task.object_id]
        before = earlier.get(referral.victim_id, [])
        suggested = rules.suggest_workers(
            [rules.Candidate(w.pk, frozenset(w.specialisms), loads[w.pk]) for w in workers if not w.is_manager],
            needs=selectors.needs_of(referral),
            known_to_her={c.worker_id for c in before},
        )
        rows.append(
            {
                "task": task,
                "referral": referral,
                "suggested": [(by_id[s.worker_id], s) for s in suggested],
                "lead": before[0] if before else None,
                "lead_open": bool(before) and (before[0].status in rules.OPEN or before[0].status == rules.DORMANT),
            }
        )
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
    safe, usable = selectors.safe_contact(case=case)
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
        "needs_words": [rules.SPECIALISMS[n] for n in case.needs if n in rules.SPECIALISMS],
        "intake_scores": [(words, case.intake_scores.get(code)) for code, words in rules.SCORES.items()],
        "exit_scores": [(words, case.exit_scores.get(code)) for code, words in rules.SCORES.items()],
        "needs_form": forms_.NeedsForm(
            initial={"needs": case.needs, "needs_notes": case.needs_notes}
            | {f"score_{k}": v for k, v in case.intake_scores.items()}
        ),
        "risk_rows": selectors.risk_over_time(case=case),
        "sent": [
            (m, MESSAGE_KINDS.get(m.template.split("/")[0], "")) for m in case.messages.select_related("created_by")
        ],
        "message_form": forms_.MessageForm(usable=usable),
        "other_cases": [
            c
            for c in selectors.her_workers(victim_ids=[case.victim_id], agency_id=case.service.agency_id).get(
                case.victim_id, []
            )
            if c.pk != case.pk
        ],
    }
    context.update(recovery_context(request, case))
    context["sections"] = case_sections(case)
    context.update(bound)
    for name, form in context.items():
        if name.endswith("_form"):  # several forms on one page: each field's id its own
            form.auto_id = f"{name.removesuffix('_form')}-%s"
    return render(request, "casework/case_detail.html", context, status=status)


@staff_view()
def casework_case_detail(request, case_id: int):
    return _case_page(request, case_id)


def _case_write(request, case_id: int, form_name: str, make_form, write, done):
    """Validate a form posted from the case page and write it; ``done`` says what happened,
    in words or from what ``write`` returned. A refusal goes back onto the page's form."""
    case = access.record_open(request, Case, case_id)
    form = make_form(case)
    if form.is_valid():
        try:
            written = write(case, form)
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, done(written) if callable(done) else done)
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


@staff_view()
@require_POST
def casework_contact_attempt(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "contact_form",
        lambda case: forms_.ContactAttemptForm(request.POST, usable=selectors.safe_contact(case=case)[1]),
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
def casework_needs(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "needs_form",
        lambda case: forms_.NeedsForm(request.POST),
        lambda case, form: services.case_needs_record(
            case=case,
            user=request.user,
            needs=form.cleaned_data["needs"],
            needs_notes=form.cleaned_data["needs_notes"],
            intake_scores=form.intake_scores(),
        ),
        "Her needs assessment is recorded.",
    )


@staff_view()
@require_POST
def casework_message_send(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "message_form",
        lambda case: forms_.MessageForm(request.POST, usable=selectors.safe_contact(case=case)[1]),
        lambda case, form: messaging.message_send(
            case=case,
            channel=form.cleaned_data["channel"],
            kind=form.cleaned_data["kind"],
            user=request.user,
            details=form.details(),
            named=form.cleaned_data["named"],
        ),
        # What became of it: sent, to send by hand, or not sent and why.
        lambda message: f"Message: {message.get_status_display().lower()}. {message.status_reason}",
    )


@staff_view()
def casework_reassess(request, case_id: int):
    """Re-assess her risk with the DASH checklist in force; the case page then shows the
    change from the risk before."""
    case = access.record_open(request, Case, case_id, queryset=Case.objects.select_related("service", "victim"))
    access.people_shown(request, [case.victim_id], via=case)
    if not services.works_on(request.user, case):
        raise access.refused(request, Case, case_id)
    checklist = checklist_in_force()
    form = forms_.ReassessmentForm(request.POST or None, checklist=checklist)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_reassess(
                    case=case, user=request.user, answers=form.dash_answers(), judgement=form.judgement()
                )
            except (ValidationError, PermissionDenied) as exc:
                refusal_onto_form(form, exc)
            else:
                messages.success(request, "The re-assessment is recorded.")
                return redirect("casework_case_detail", case_id=case.pk)
        status = 400
    return render(
        request,
        "casework/reassess.html",
        {"case": case, "form": form, "earlier": selectors.earlier_risk(case=case)},
        status=status,
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


PAGE_SIZE = 100
PERMISSION = "casework.see_service_performance"


def _percent(value: float | None) -> str:
    return "No cases" if value is None else f"{round(value * 100)}%"


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "No cases"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}".strip()


def _chosen(request):
    """The form and what it chose: services, area id, period and its code."""
    services = selectors.services_for_performance(user=request.user)
    today = timezone.localdate()
    data = request.GET if "period" in request.GET else {"period": str(today.year)}
    form = PerformanceForm(
        data, services=services, areas=selectors.areas_for_performance(services=services), today=today
    )
    if not form.is_valid():
        return form, None
    chosen = services.filter(pk=int(form.cleaned_data["service"])) if form.cleaned_data["service"] else services
    area_id = int(form.cleaned_data["area"]) if form.cleaned_data["area"] else None
    return form, (list(chosen), area_id, form.cleaned_data["period"], data["period"])


class _Links:
    """Addresses of the lists behind one service's figures, or none for a user who may
    not see its cases."""

    def __init__(self, service: Service, *, allowed: bool, area_id: int | None, period_code: str):
        self.allowed = allowed
        self.base = {"service": service.pk, "period": period_code} | ({"area": area_id} if area_id else {})

    def __call__(self, measure: str, **more) -> str | None:
        if not self.allowed:
            return None
        return (
            reverse("casework_performance_cases")
            + "?"
            + urlencode(self.base | {"measure": measure} | {k: v for k, v in more.items() if v})
        )


def _service_figures(service: Service, figures: measures.Performance, links: _Links) -> dict:
    e, f = figures.engagement, figures.first_contact
    return {
        "service": service,
        "engagement": [
            {"label": "Referred", "value": str(e.referred), "count": e.referred, "link": links("referred")},
            {
                "label": "Contacted",
                "value": _percent(e.contacted_rate),
                "count": e.contacted,
                "link": links("contacted"),
            },
            {
                "label": "Engaged (referral to engagement)",
                "value": _percent(e.engaged_rate),
                "count": e.engaged,
                "link": links("engaged"),
            },
            {"label": "Engaged, of those contacted", "value": _percent(e.engaged_of_contacted), "count": e.engaged},
        ],
        "first_contact": [
            {
                "label": "First contact by the deadline",
                "value": _percent(f.met_rate),
                "count": f.met,
                "link": links("deadline_met"),
            },
            {
                "label": "First contact late, or the deadline passed without contact",
                "value": _percent(share) if (share := measures.share(f.missed, f.met + f.missed)) is not None else "",
                "count": f.missed,
                "link": links("deadline_missed"),
            },
            {
                "label": "Not yet contacted, deadline still ahead",
                "value": "",
                "count": f.pending,
                "link": links("deadline_pending"),
            },
            {
                "label": "Median time to first contact",
                "value": _number(f.median_working_days, "working days"),
                "count": f.contacted,
                "link": links("contacted"),
            },
        ],
        "caseloads": [
            {
                "name": c.name,
                "fte": _number(c.load.fte),
                "high": c.high_this_year,
                "medium": c.medium_this_year,
                "year_share": "No hours" if c.load.fte == 0 else _percent(c.load.year_share),
                "open": c.load.open_cases,
                "open_limit": _number(c.load.open_limit),
                "over": c.over,
                "link": links("open", worker=c.worker_id) if c.worker_id else None,
            }
            for c in [*figures.caseloads, figures.caseload]
        ],
        "outcomes": [
            {
                "risk": measures.RISK_WORDS[o.risk_level],
                "closed": o.closed,
                "link": links("closed", risk=o.risk_level or "none"),
                "abuse": [
                    {
                        "label": words,
                        "recorded": o.recorded[abuse],
                        "cells": [
                            {
                                "value": _percent(o.outcome_rate(abuse, outcome)),
                                "count": o.by_abuse[abuse][outcome],
                                "link": links("closed", risk=o.risk_level or "none", abuse=abuse, outcome=outcome),
                            }
                            for outcome in rules.OUTCOMES
                        ],
                    }
                    for abuse, words in rules.ABUSE_TYPES.items()
                ],
                "scores": [
                    {
                        "label": words,
                        "scored": s.scored,
                        "intake": _number(s.mean_intake),
                        "exit": _number(s.mean_exit),
                        "change": "No cases" if s.mean_change is None else f"{s.mean_change:+.1f}",
                        "improved": _percent(s.improved_rate),
                        "improved_count": s.improved,
                    }
                    for key, words in measures.SCORES.items()
                    for s in [o.scores[key]]
                ],
            }
            for o in figures.outcomes
        ],
        "recovery_uptake": _recovery_figures(figures.recovery_uptake, links),
    }


def _recovery_figures(r: measures.RecoveryUptake, links: _Links) -> list[dict]:
    """Recovery uptake of the cases closed in the period (``measures.recovery_uptake``)."""
    return [
        {"label": "Closed in the period", "value": "", "count": r.closed, "link": links("closed")},
        {
            "label": "Stepped down to a recovery programme, of those closed",
            "value": _percent(r.stepped_down_rate),
            "count": r.stepped_down,
            "link": links("recovery_added"),
        },
        {
            "label": "Started a course, of those stepped down",
            "value": _percent(r.started_rate),
            "count": r.started,
            "link": links("recovery_started"),
        },
        {
            "label": "Completed a course, of those who started",
            "value": _percent(r.completed_rate),
            "count": r.completed,
            "link": links("recovery_completed"),
        },
    ]


@staff_view(PERMISSION)
def performance_view(request):
    """Service performance by service, area and period: counts, not people (nobody is
    named, so nobody is logged as shown)."""
    form, chosen = _chosen(request)
    tables, period = [], None
    if chosen:
        services, area_id, period, period_code = chosen
        ids = [s.pk for s in services]
        figures = measures.by_service(
            rows=selectors.performance_case_rows(service_ids=ids, period=period, area_id=area_id),
            workers=selectors.performance_worker_rows(service_ids=ids, period=period),
            service_ids=ids,
            period=period,
            now=timezone.now(),
            safe=selectors.safe_caseload_get(),
        )
        tables = [
            _service_figures(
                s,
                figures[s.pk],
                _Links(
                    s,
                    allowed=selectors.may_list_cases(user=request.user, service=s),
                    area_id=area_id,
                    period_code=period_code,
                ),
            )
            for s in services
        ]
    return render(
        request,
        "casework/performance.html",
        {
            "form": form,
            "tables": tables,
            "period": period,
            "safe": selectors.safe_caseload_get(),
            "outcome_words": list(rules.OUTCOMES.values()),
        },
    )


def _digits(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@staff_view(PERMISSION)
def performance_cases_view(request):
    """The cases behind one figure of one service: number, status, risk, worker and dates,
    never her name; only for staff of the agency that runs the service, and refused to
    anyone else as a missing service is. Every person listed is logged."""
    service_id = _digits(request, "service")
    if service_id is None:
        return redirect("casework_performance")
    service = Service.objects.filter(pk=service_id).first()
    if service is None or not selectors.may_list_cases(user=request.user, service=service):
        raise access.refused(request, Service, service_id)
    period = measures.period_from_code(request.GET.get("period", ""))
    measure = request.GET.get("measure", "")
    if period is None or (measure not in measures.MEASURES and measure != "open"):
        raise Http404("There is no such figure.")
    risk = request.GET.get("risk") or None
    if measure == "open":
        title = "Open cases today"
        worker_id = _digits(request, "worker")
        case_ids = selectors.open_case_ids(service_id=service.pk, worker_id=worker_id)
    else:
        title = measures.MEASURES[measure][0]
        case_ids = measures.cases_behind(
            selectors.performance_case_rows(service_ids=[service.pk], period=period, area_id=_digits(request, "area")),
            measure=measure,
            period=period,
            now=timezone.now(),
            risk_level="" if risk == "none" else risk,
            abuse_type=request.GET.get("abuse") or None,
            outcome=request.GET.get("outcome") or None,
        )
    page = Paginator(case_ids, PAGE_SIZE).get_page(request.GET.get("page"))
    listed = selectors.cases_listed(case_ids=page.object_list)
    access.people_shown(request, [c["victim_id"] for c in listed], action=AccessAction.LISTED)
    narrowed = []
    if risk:
        narrowed.append(measures.RISK_WORDS.get("" if risk == "none" else risk, "Risk not recorded"))
    if request.GET.get("abuse") in rules.ABUSE_TYPES and request.GET.get("outcome") in rules.OUTCOMES:
        narrowed.append(f"{rules.ABUSE_TYPES[request.GET['abuse']]}: {rules.OUTCOMES[request.GET['outcome']].lower()}")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/performance_cases.html",
        {
            "service": service,
            "title": title,
            "narrowed": narrowed,
            "period": period,
            "page": page,
            "query": query.urlencode(),
            "cases": [
                {
                    "number": c["pk"],
                    "status": rules.STATUS_WORDS.get(c["status"], c["status"]),
                    "risk": measures.RISK_WORDS.get(c["risk_level"], "Risk not recorded"),
                    "worker": (
                        "Not allocated"
                        if c["worker__user__username"] is None
                        else f"{c['worker__user__first_name']} {c['worker__user__last_name']}".strip()
                        or c["worker__user__username"]
                    ),
                    "referred_at": c["referred_at"],
                    "first_contact_due": c["first_contact_due"],
                    "first_contact_at": c["first_contact_at"],
                    "closed_at": c["closed_at"],
                }
                for c in listed
            ],
        },
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
