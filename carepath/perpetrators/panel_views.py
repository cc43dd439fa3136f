"""Pages of the serial and repeat perpetrator panel (police and probation): the ranked list
with each score's parts, the 4-weekly meetings and their agendas, and the plans. Thin:
reads in ``panel_selectors``, writes in ``panel_services``, the rules in ``ranking``."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.perpetrators import panel_forms as forms
from carepath.perpetrators import panel_selectors as selectors
from carepath.perpetrators import panel_services as services
from carepath.perpetrators.models import PanelMeeting, PerpetratorPlan, PlanOption, PlanStatus

PERMISSION = "perpetrators.run_panel"
#: Ranked perpetrators on one page: a national list runs to thousands.
PAGE_SIZE = 50
OPTION_WORDS = dict(PlanOption.choices)


def _ranked_page(request, rows):
    """One page of the ranked rows, with the names to show and each one's rank; each person
    shown is logged as listed."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = page.object_list
    people = Person.objects.in_bulk([r.person_id for r in rows])
    access.people_shown(request, people.values(), action=AccessAction.LISTED)
    planned = {
        plan.perpetrator_key: plan
        for plan in selectors.plans_visible(user=request.user).filter(
            status=PlanStatus.ACTIVE, perpetrator_key__in=[r.entry.perpetrator for r in rows]
        )
    }
    page.items = [
        {
            "rank": page.start_index() + n,
            "row": r,
            "person": people[r.person_id],
            "plan": planned.get(r.entry.perpetrator),
        }
        for n, r in enumerate(rows)
    ]
    return page


def _plan_words(plan: PerpetratorPlan) -> str:
    return ", ".join(OPTION_WORDS[o].lower() for o in plan.options if o in OPTION_WORDS)


@staff_view(PERMISSION)
def panel_list(request):
    """The serial and repeat perpetrators among the events the user's agency may see, ranked."""
    rows = selectors.panel_ranked(user=request.user)
    return render(
        request,
        "perpetrators/panel_list.html",
        {
            "page": _ranked_page(request, rows),
            "settings": selectors.panel_settings(),
            "today": timezone.localdate(),
        },
    )


@staff_view(PERMISSION)
def panel_meetings(request):
    """The panel's meetings, and scheduling the next ones every interval."""
    meetings = list(selectors.meetings_visible(user=request.user))
    interval = partnership_settings_get().perpetrator_panel_interval_days
    after = meetings[-1].starts_at if meetings else None
    suggested = after + timedelta(days=interval) if after else _next_morning()
    form = forms.ScheduleForm(
        request.POST if request.method == "POST" else None,
        initial={"first": timezone.localtime(suggested).strftime("%d/%m/%Y %H:%M"), "count": 3},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.panel_meeting_schedule(user=request.user, **form.cleaned_data)
        except services.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{len(made)} panel meeting{'s' if len(made) != 1 else ''} scheduled.")
            return redirect("perpetrator_panel_meetings")
    return render(
        request,
        "perpetrators/panel_meetings.html",
        {"meetings": meetings, "form": form, "interval": interval, "now": timezone.now()},
        status=400 if form.errors else 200,
    )


def _next_morning():
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(10)))


def _meeting_open(request, panel_meeting_id: int) -> PanelMeeting:
    meeting = selectors.meetings_visible(user=request.user).filter(pk=panel_meeting_id).first()
    if meeting is None:
        raise access.refused(request, PanelMeeting, panel_meeting_id)
    return meeting


@staff_view(PERMISSION)
def panel_meeting(request, panel_meeting_id: int):
    """A meeting's agenda: who on the ranked list has no plan yet, and the plans to review."""
    meeting = _meeting_open(request, panel_meeting_id)
    agenda = selectors.meeting_agenda(user=request.user, meeting=meeting)
    reviews = agenda["reviews"]
    access.people_shown(request, [p.perpetrator_id for p in reviews], action=AccessAction.LISTED)
    return render(
        request,
        "perpetrators/panel_meeting.html",
        {
            "meeting": meeting,
            "page": _ranked_page(request, agenda["unplanned"]),
            "reviews": [{"plan": p, "options": _plan_words(p)} for p in reviews],
            "settings": selectors.panel_settings(),
            "started": meeting.starts_at <= timezone.now(),
        },
    )


@staff_view(PERMISSION)
@require_POST
def panel_meeting_held(request, panel_meeting_id: int):
    meeting = _meeting_open(request, panel_meeting_id)
    try:
        services.panel_meeting_hold(meeting=meeting, user=request.user)
    except services.PanelError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The meeting is recorded as held.")
    return redirect("perpetrator_panel_meeting", panel_meeting_id=meeting.pk)


@staff_view(PERMISSION)
def perpetrator_plans(request):
    """The active plans the user's agency holds, by review date: those due first."""
    plans = list(selectors.plans_visible(user=request.user).filter(status=PlanStatus.ACTIVE).order_by("review_on"))
    access.people_shown(request, [p.perpetrator_id for p in plans], action=AccessAction.LISTED)
    today = timezone.localdate()
    return render(
        request,
        "perpetrators/panel_plans.html",
        {
            "plans": [{"plan": p, "options": _plan_words(p)} for p in plans],
            "today": today,
            "soon": today + timedelta(days=7),
        },
    )


def _plan_form(request, *, perpetrator: Person, plan: PerpetratorPlan | None):
    meetings = selectors.meetings_visible(user=request.user)
    initial = {}
    if plan is not None:
        initial = {
            "owner": plan.owner_id,
            "options": plan.options,
            "actions": plan.actions,
            "review_on": plan.review_on.strftime("%d/%m/%Y"),
            "meeting": plan.meeting_id,
        }
    else:
        chosen = request.GET.get("meeting", "")
        initial = {"owner": request.user.pk}
        if chosen.isdigit() and len(chosen) < 10 and meetings.filter(pk=int(chosen)).exists():
            initial["meeting"] = int(chosen)
    form = forms.PlanForm(
        request.POST if request.method == "POST" else None,
        owners=selectors.plan_owners(user=request.user),
        meetings=meetings,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if plan is None:
                saved = services.perpetrator_plan_create(
                    user=request.user, perpetrator=perpetrator, **form.cleaned_data
                )
            else:
                saved = services.perpetrator_plan_update(plan=plan, user=request.user, **form.cleaned_data)
        except services.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The plan is saved.")
            return redirect("perpetrator_plan_detail", plan_id=saved.pk)
    return render(
        request,
        "perpetrators/panel_plan_form.html",
        {"form": form, "perpetrator": perpetrator, "plan": plan},
        status=400 if form.errors else 200,
    )


@staff_view(PERMISSION)
def perpetrator_plan_new(request, perpetrator_id: int):
    perpetrator = access.record_open(
        request,
        Person,
        perpetrator_id,
        queryset=Person.objects.filter(Exists(Event.objects.filter(perpetrator_id=OuterRef("pk")))),
    )
    return _plan_form(request, perpetrator=perpetrator, plan=None)


def _plan_open(request, plan_id: int) -> PerpetratorPlan:
    plan = access.record_open(
        request,
        PerpetratorPlan,
        plan_id,
        queryset=PerpetratorPlan.objects.select_related("perpetrator", "owner", "meeting"),
    )
    access.people_shown(request, [plan.perpetrator_id], via=plan)
    return plan


@staff_view(PERMISSION)
def perpetrator_plan_detail(request, plan_id: int):
    plan = _plan_open(request, plan_id)
    return render(
        request,
        "perpetrators/panel_plan_detail.html",
        {"plan": plan, "options": _plan_words(plan), "active": plan.status == PlanStatus.ACTIVE},
    )


@staff_view(PERMISSION)
def perpetrator_plan_edit(request, plan_id: int):
    plan = _plan_open(request, plan_id)
    if plan.status != PlanStatus.ACTIVE:
        messages.error(request, "This plan is closed: make a new plan instead.")
        return redirect("perpetrator_plan_detail", plan_id=plan.pk)
    return _plan_form(request, perpetrator=plan.perpetrator, plan=plan)


@staff_view(PERMISSION)
def perpetrator_plan_close(request, plan_id: int):
    plan = _plan_open(request, plan_id)
    form = forms.CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.perpetrator_plan_close(plan=plan, user=request.user, reason=form.cleaned_data["reason"])
        except services.PanelError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The plan is closed.")
        return redirect("perpetrator_plan_detail", plan_id=plan.pk)
    return render(request, "perpetrators/panel_plan_close.html", {"plan": plan, "form": form})
