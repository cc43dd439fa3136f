from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carepath.core import access, selectors, services
from carepath.core.codes import AccessAction, TaskStatus
from carepath.core.decorators import staff_view
from carepath.core.forms import AccessAlertReviewForm, AuditFindForm, TaskRecordForm
from carepath.core.models import AccessAlert, Task

PAGE_SIZE = 50


@staff_view()
def home(request):
    sections = [
        {"template": template, "context": context(request.user)} for template, context in access.registry.home_sections
    ]
    return render(request, "core/home.html", {"queues": access.queues_for(request.user), "sections": sections})


@staff_view()
def access_log_view(request, record_type: str, record_id: int):
    """Who viewed a record: for auditors, and for supervisors of an agency involved with it.
    Anyone else gets the same 404 as for a record that does not exist."""
    try:
        kind = access.record_type_for(record_type)
    except KeyError:
        raise Http404 from None
    if request.user.has_perm("core.audit_access"):
        record = kind.model.objects.filter(pk=record_id).first()
    else:
        record = access.records_visible_to(request.user, kind.model).filter(pk=record_id).first()
        if record is not None and not request.user.has_perm("core.view_access_log", record):
            record = None
    if record is None:
        raise access.refused(request, kind.model, record_id)
    page = Paginator(selectors.access_log_for_record(record=record), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/access_log.html", {"kind": kind, "record": record, "page": page})


@staff_view()
def task_list(request):
    """The open tasks of the user's agency, and those that name the user, soonest first."""
    tasks = selectors.tasks_open_for(user=request.user)
    if request.GET.get("mine"):
        tasks = tasks.filter(owner=request.user)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/task_list.html",
        {"page": page, "rows": selectors.task_rows(tasks=page.object_list), "mine": bool(request.GET.get("mine"))},
    )


@staff_view()
@require_POST
def task_record_view(request, task_id: int):
    """Record a task's outcome, or correct it: only its owning agency, or the person it names."""
    task = selectors.task_get_for_recording(user=request.user, task_id=task_id)
    if task is None:
        raise access.refused(request, Task, task_id)
    back = selectors.task_subject_url(task) or reverse("task_list")
    form = TaskRecordForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    handler = access.registry.task_handlers.get(task.action_type)
    try:
        if task.status != TaskStatus.OPEN:
            services.task_correct(
                task=task, user=request.user, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
            done = "Corrected. The first outcome is kept in the task's history."
        elif handler is not None and form.cleaned_data["status"] == TaskStatus.DONE:
            done = handler(task=task, user=request.user)
        else:
            services.task_record(
                task=task, user=request.user, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
            done = "Recorded."
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(back)


@staff_view()
@require_POST
def task_take_view(request, task_id: int):
    """Name yourself as the one doing a task your agency owns."""
    task = selectors.task_get_for_agency(user=request.user, task_id=task_id)
    if task is None:
        raise access.refused(request, Task, task_id)
    try:
        services.task_assign(task=task, owner=request.user, assigned_by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{task.get_action_type_display()} is now yours.")
    return redirect("task_list")


@staff_view("core.audit_access")
def audit_home(request):
    """Where a data-protection officer asks who looked at a person, or what a user looked at."""
    form = AuditFindForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data.get("person"):
            return redirect("audit_person", person_id=form.cleaned_data["person"])
        return redirect("audit_user", user_id=form.cleaned_data["user"].pk)
    alerts = AccessAlert.objects.select_related("user").filter(reviewed_at__isnull=True)
    return render(request, "core/audit_home.html", {"form": form, "alerts": alerts})


@staff_view("core.audit_access")
def audit_person(request, person_id: int):
    """Who looked at this person, across every record linked as them."""
    records = selectors.person_identity_record_ids(person_id=person_id)
    if not records:
        raise Http404
    access.people_shown(request, [person_id], action=AccessAction.OPENED)
    page = Paginator(selectors.access_log_for_people(person_ids=records), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_person.html",
        {"person_id": person_id, "records": records, "page": page, "kinds": selectors.record_kind_labels()},
    )


@staff_view("core.audit_access")
def audit_user(request, user_id: int):
    """What this member of staff looked at, and what they were refused."""
    staff = selectors.staff_get(user_id=user_id)
    if staff is None:
        raise Http404
    page = Paginator(selectors.access_log_for_user(user=staff), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "core/audit_user.html", {"staff": staff, "page": page, "kinds": selectors.record_kind_labels()}
    )


@staff_view("core.audit_access")
def access_alert_detail(request, alert_id: int):
    alert = access.record_open(request, AccessAlert, alert_id)
    form = AccessAlertReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_alert_review(alert=alert, user=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Alert reviewed.")
            return redirect("audit_home")
    refusals = Paginator(selectors.refusals_around(alert=alert), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/access_alert.html",
        {"alert": alert, "form": form, "refusals_page": refusals, "kinds": selectors.record_kind_labels()},
    )


def csrf_failure(request, reason: str = ""):
    """Django's CSRF failure view (settings.CSRF_FAILURE_VIEW): the ordinary 403 page. The
    public forms are checked another way (referrals.public_views.same_origin_posts)."""
    return render(request, "403.html", status=403)
