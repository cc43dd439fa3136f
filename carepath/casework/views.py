"""Casework pages. Service performance (issue 14, 6): the figures of the user's services
by area and period (``measures``), each with the cases behind it one click away for staff
of the agency that runs the service."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carepath.casework import measures, rules, selectors
from carepath.casework.forms import PerformanceForm
from carepath.casework.models import Service
from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view

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
        "recovery_uptake": figures.recovery_uptake,
    }


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
