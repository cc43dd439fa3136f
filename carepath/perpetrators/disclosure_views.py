"""Pages of Clare's Law applications, for the police who receive and decide them: the
queue of open applications with their clocks, an application's page with a form for each
step, a new application, and the report of the clocks met and missed. Thin: clocks in
``disclosure_clocks``, reads in ``disclosure_selectors``, writes in ``disclosure_services``."""

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.core.forms import refusal_onto_form
from carepath.core.report_files import FORMATS
from carepath.core.workbook import COUNT, Column, SheetWriter
from carepath.people.selectors import people_search, people_visible_to
from carepath.perpetrators import disclosure_forms as forms
from carepath.perpetrators import disclosure_selectors as selectors
from carepath.perpetrators import disclosure_services as services
from carepath.perpetrators.models import DisclosureApplication, DisclosureDecision

PERMISSION = "perpetrators.handle_disclosures"
#: People a search on the new application's page lists at most.
SEARCH_LIMIT = 20


@staff_view(PERMISSION)
def disclosure_queue(request):
    """Open applications, the most pressing first, each with its three clocks."""
    rows = selectors.queue_rows(user=request.user, now=timezone.now(), settings=partnership_settings_get())
    access.people_shown(
        request,
        [p for r in rows for p in (r.application.person_at_risk_id, r.application.subject_id)],
        action=AccessAction.LISTED,
    )
    return render(request, "perpetrators/disclosure_queue.html", {"rows": rows})


@dataclass
class _Chosen:
    person_at_risk: object
    subject: object
    name: str
    found: list


def _chosen(request) -> _Chosen:
    """The people chosen so far (``at_risk``, ``subject`` in the address or the form),
    among those the force may see, and those a search by ``name`` found."""
    visible = people_visible_to(request.user)

    def person(key):
        value = request.POST.get(key) or request.GET.get(key) or ""
        return visible.filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None

    name = request.GET.get("name", "").strip()[:100]
    found = list(people_search(user=request.user, name=name)[:SEARCH_LIMIT]) if name else []
    return _Chosen(person("at_risk"), person("subject"), name, found)


@staff_view(PERMISSION)
def disclosure_application_new(request):
    """Record an application: choose the person at risk and the person asked about from
    the force's own records (search by name), then the route and when it was received."""
    chosen = _chosen(request)
    now = timezone.now()
    form = forms.ApplicationForm(
        request.POST if request.method == "POST" else None,
        initial={"received_at": timezone.localtime(now).strftime("%d/%m/%Y %H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        if chosen.person_at_risk is None or chosen.subject is None:
            form.add_error(None, "Choose the person at risk and the person asked about: search for each by name.")
        else:
            try:
                application = services.disclosure_application_create(
                    user=request.user,
                    person_at_risk=chosen.person_at_risk,
                    subject=chosen.subject,
                    now=now,
                    **form.cleaned_data,
                )
            except (ValidationError, PermissionDenied) as exc:
                refusal_onto_form(form, exc)
            else:
                messages.success(request, "The application is recorded: its clocks have started.")
                return redirect("disclosure_application_detail", application_id=application.pk)
    access.people_shown(request, chosen.found, action=AccessAction.LISTED)
    access.people_shown(request, [chosen.person_at_risk, chosen.subject])
    return render(
        request,
        "perpetrators/disclosure_new.html",
        {"form": form, "chosen": chosen},
        status=400 if request.method == "POST" else 200,
    )


def _open_application(request, application_id: int) -> DisclosureApplication:
    return access.record_open(
        request,
        DisclosureApplication,
        application_id,
        queryset=DisclosureApplication.objects.select_related("person_at_risk", "subject", "owner", "agency"),
    )


def _detail(request, application: DisclosureApplication, *, bound: dict | None = None, status: int = 200):
    """The application's page; ``bound``: the one step form posted, with its errors."""
    now = timezone.now()
    at_now = {"at": timezone.localtime(now).strftime("%d/%m/%Y %H:%M")}
    step_forms = {
        "checks": forms.StepForm(
            prefix="checks", initial=at_now, label="Initial checks done", what="the initial checks were done"
        ),
        "meeting": forms.StepForm(prefix="meeting", initial=at_now, label="Meeting held", what="the meeting was held"),
        "decision": forms.DecisionForm(prefix="decision", initial=at_now),
        "delivered": forms.DeliveredForm(prefix="delivered", initial=at_now),
        "safety_plan": forms.StepForm(
            prefix="safety_plan", initial=at_now, label="Safety plan made", what="the safety plan was made"
        ),
    }
    step_forms.update(bound or {})
    access.people_shown(request, [application.person_at_risk_id, application.subject_id], via=application)
    return render(
        request,
        "perpetrators/disclosure_detail.html",
        {
            "a": application,
            "clocks": selectors.clocks_of(application, now=now, settings=partnership_settings_get()),
            "forms": step_forms,
            "is_open": selectors.is_open(application),
            # Its errors at the top: a refusal may concern a step whose form is not shown.
            "posted": next(iter(bound.values())) if bound else None,
            "disclose": DisclosureDecision.DISCLOSE,
        },
        status=status,
    )


@staff_view(PERMISSION)
def disclosure_application_detail(request, application_id: int):
    return _detail(request, _open_application(request, application_id))


def _step(request, application_id: int, *, key: str, form, record, done: str):
    """Post one step: record it, or show the page again with the form's errors."""
    application = _open_application(request, application_id)
    if form.is_valid():
        try:
            record(application, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("disclosure_application_detail", application_id=application.pk)
    return _detail(request, application, bound={key: form}, status=400)


@staff_view(PERMISSION)
@require_POST
def disclosure_checks_record(request, application_id: int):
    return _step(
        request,
        application_id,
        key="checks",
        form=forms.StepForm(
            request.POST, prefix="checks", label="Initial checks done", what="the initial checks were done"
        ),
        record=lambda a, data: services.disclosure_initial_checks_record(
            application=a, user=request.user, at=data["at"], now=timezone.now()
        ),
        done="The initial checks are recorded.",
    )


@staff_view(PERMISSION)
@require_POST
def disclosure_meeting_record(request, application_id: int):
    return _step(
        request,
        application_id,
        key="meeting",
        form=forms.StepForm(request.POST, prefix="meeting", label="Meeting held", what="the meeting was held"),
        record=lambda a, data: services.disclosure_meeting_record(
            application=a, user=request.user, at=data["at"], now=timezone.now()
        ),
        done="The multi-agency meeting is recorded.",
    )


@staff_view(PERMISSION)
@require_POST
def disclosure_decision_record(request, application_id: int):
    return _step(
        request,
        application_id,
        key="decision",
        form=forms.DecisionForm(request.POST, prefix="decision"),
        record=lambda a, data: services.disclosure_decision_record(
            application=a, user=request.user, now=timezone.now(), settings=partnership_settings_get(), **data
        ),
        done="The decision is recorded.",
    )


@staff_view(PERMISSION)
@require_POST
def disclosure_delivered_record(request, application_id: int):
    return _step(
        request,
        application_id,
        key="delivered",
        form=forms.DeliveredForm(request.POST, prefix="delivered"),
        record=lambda a, data: services.disclosure_delivered_record(
            application=a, user=request.user, now=timezone.now(), settings=partnership_settings_get(), **data
        ),
        done="The disclosure is recorded.",
    )


@staff_view(PERMISSION)
@require_POST
def disclosure_safety_plan_record(request, application_id: int):
    return _step(
        request,
        application_id,
        key="safety_plan",
        form=forms.StepForm(
            request.POST, prefix="safety_plan", label="Safety plan made", what="the safety plan was made"
        ),
        record=lambda a, data: services.disclosure_safety_plan_record(
            application=a, user=request.user, at=data["at"], now=timezone.now()
        ),
        done="The safety plan is recorded.",
    )


def _report(request):
    """The form and the report (None until the form is valid); until a period is chosen,
    the last 3 months."""
    data = request.GET
    if "first" not in data:
        today = timezone.localdate()
        data = {"first": (today - timedelta(days=91)).strftime("%d/%m/%Y"), "last": today.strftime("%d/%m/%Y")}
    form = forms.ReportForm(data)
    if not form.is_valid():
        return form, None
    report = selectors.breach_report(
        user=request.user,
        first=form.cleaned_data["first"],
        last=form.cleaned_data["last"],
        now=timezone.now(),
        settings=partnership_settings_get(),
    )
    return form, report


@staff_view(PERMISSION)
def disclosure_report(request):
    """The clocks over a period: how many applications met each, and which missed it."""
    form, report = _report(request)
    query = request.GET.urlencode() if "first" in request.GET else ""
    return render(request, "perpetrators/disclosure_report.html", {"form": form, "report": report, "query": query})


def _late_words(miss) -> str:
    return miss.clock.state[0].upper() + miss.clock.state[1:]


@staff_view(PERMISSION)
def disclosure_report_download(request):
    _, report = _report(request)
    if report is None:
        messages.error(request, "Choose a period to download the report.")
        return redirect("disclosure_report")
    book = Workbook()
    writer = SheetWriter(book.active)
    book.active.title = "Clare's Law clocks"
    writer.title(
        f"Clare's Law applications received {report.first:%d/%m/%Y} to {report.last:%d/%m/%Y}: "
        f"{report.applications} application{'s' if report.applications != 1 else ''}"
    )
    writer.table(
        [
            Column("Clock", lambda f: f.name, width=26),
            Column("Applications", lambda f: f.applications, COUNT),
            Column("Met on time", lambda f: f.met_on_time, COUNT),
            Column("Met late", lambda f: f.met_late, COUNT),
            Column("Overdue now", lambda f: f.overdue, COUNT),
            Column("Not yet due", lambda f: f.running, COUNT),
        ],
        report.figures,
    )
    # Application numbers, not names: the download may travel further than the page.
    writer.table(
        [
            Column("Application", lambda m: m.application.pk, width=12),
            Column("Received", lambda m: timezone.localtime(m.application.received_at).strftime("%d/%m/%Y %H:%M")),
            Column("Clock", lambda m: m.clock.name, width=26),
            Column("Due", lambda m: timezone.localtime(m.clock.due).strftime("%d/%m/%Y %H:%M")),
            Column("Missed", _late_words, width=44),
            Column("Days late", lambda m: round(m.clock.late_by.total_seconds() / 86400, 1), "0.0"),
        ],
        report.misses,
        title="Clocks missed",
    )
    writer.finish()
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="clares-law-clocks.xlsx"'
    return response
