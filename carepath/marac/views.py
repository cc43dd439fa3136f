"""MARAC pages: the referrals waiting for the coordinator's check, and a case. Thin: the
rules are in ``services`` and ``rules``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.core.forms import refusal_onto_form
from carepath.core.models import Agency
from carepath.marac import forms as forms_
from carepath.marac import return_files, returns, rules, selectors, services
from carepath.marac.documents import action_tracking_xlsx, agenda_pdf, minutes_pdf
from carepath.marac.models import OPEN_CASE_STATUSES, Marac, MaracCase, MaracMeeting
from carepath.marac.referral_forms import MaracReferralForm, with_another_child
from carepath.people.models import Person
from carepath.referrals.forms import ChildFormSet
from carepath.referrals.models import Referral
from carepath.referrals.victim_choice import victim_choice

PAGE_SIZE = 50


class ResearchForm(forms.Form):
    victim = forms.CharField(
        label="What your agency holds on the victim", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    children = forms.CharField(
        label="What your agency holds on each child", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    perpetrator = forms.CharField(
        label="What your agency holds on the person causing harm",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    nothing_held = forms.BooleanField(label="Our agency holds nothing on these people", required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why it is returned",
        help_text="The referrer reads this: for example, the victim lives in another MARAC's area.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@staff_view("marac.check_marac_referral")
def marac_referrals_to_check(request):
    """Referrals sent to the user's MARAC and not yet checked, oldest first."""
    queue = selectors.marac_referrals_to_check(user=request.user).select_related("referring_agency", "district")
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    in_words = selectors.criteria_in_words()
    rows = [
        {
            "referral": r,
            "risk": selectors.risk_in_words(r.risk_level),
            "criteria": in_words((r.decision or {}).get("marac_criteria", [])),
        }
        for r in page.object_list
    ]
    access.people_shown(request, [r["referral"].victim_id for r in rows], action=AccessAction.LISTED)
    return render(request, "marac/referrals_to_check.html", {"page": page, "rows": rows, "return_form": ReturnForm()})


def _refusal_say(request, exc: ValidationError | PermissionDenied) -> None:
    """A service's refusal as messages on the page: each says what to put right."""
    for text in getattr(exc, "messages", [str(exc)]):
        messages.error(request, text)


def _checked(request, referral_id: int, check) -> MaracCase | None:
    referral = access.record_open(request, Referral, referral_id)
    try:
        return check(referral)
    except (ValidationError, PermissionDenied) as exc:
        _refusal_say(request, exc)
    return None


@staff_view("marac.check_marac_referral")
@require_POST
def marac_referral_accept_view(request, referral_id: int):
    case = _checked(
        request, referral_id, lambda referral: services.marac_referral_accept(referral=referral, user=request.user)
    )
    if case is None:
        return redirect("marac_referrals_to_check")
    if case.meeting_id:
        text = f"Accepted as case {case.number} and listed for the meeting on {case.meeting.starts_at:%-d %B %Y}."
        if case.rolled_past == 1:
            text += " The meeting before it is full."
        elif case.rolled_past:
            text += f" The {case.rolled_past} meetings before it are full."
        (messages.warning if case.rolled_past else messages.success)(request, text)
    else:
        messages.warning(request, f"Accepted as case {case.number}, but no planned meeting has room: add a meeting.")
    return redirect("marac_case_detail", case_id=case.pk)


@staff_view("marac.check_marac_referral")
@require_POST
def marac_referral_return_view(request, referral_id: int):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the referral is returned: the referrer reads it.")
        return redirect("marac_referrals_to_check")
    case = _checked(
        request,
        referral_id,
        lambda referral: services.marac_referral_return(
            referral=referral, user=request.user, reason=form.cleaned_data["reason"]
        ),
    )
    if case is not None:
        messages.success(request, "Returned to the referrer with your reason.")
    return redirect("marac_referrals_to_check")


def _case_forms(case: MaracCase, user) -> dict:
    partnership_id = case.marac.agency.partnership_id
    return {
        "discussion_form": forms_.DiscussionForm(),
        "action_form": forms_.ActionForm(
            partnership_id=partnership_id, children=selectors.household_children(case=case)
        ),
        "plan_form": forms_.PlanForm(partnership_id=partnership_id),
        "close_form": forms_.CloseForm(),
        "review_form": forms_.ReviewForm(),
        "transfer_form": forms_.TransferForm(
            maracs=Marac.objects.filter(agency__partnership_id=partnership_id).exclude(pk=case.marac_id)
        ),
        "status_form": forms_.ActionStatusForm(),
    }


def _case_page(request, case_id: int, *, status: int = 200, **bound):
    """A MARAC case: for its coordination the whole case, the research, the meeting's
    record and the plans; for an invited agency, the case as shared, its own research
    form and its own actions. ``bound`` forms (with their errors) replace the blank ones."""
    case = access.record_open(
        request,
        MaracCase,
        case_id,
        queryset=MaracCase.objects.select_related(
            "marac__agency", "meeting", "referral", "repeat_of__marac", "transferred_from__marac"
        ),
    )
    access.people_shown(request, [case.victim_id], via=case)
    coordinating = services.coordinates(request.user, case)
    research = selectors.case_research(case=case, user=request.user)
    own = next((r for r in research if r.agency_id == request.user.agency_id), None)
    context = {
        "case": case,
        "criteria": selectors.criteria_in_words()(case.criteria),
        "coordinating": coordinating,
        "research": research,
        "own_research": own,
        "research_form": ResearchForm(),
        "to_invite": selectors.agencies_to_invite(case=case) if coordinating else [],
        "now": timezone.now(),
        "today": timezone.localdate(),
        "discussions": list(case.discussions.select_related("meeting")) if coordinating else [],
        "history": selectors.marac_history(case=case) if coordinating else [],
        "actions": selectors.case_actions(case=case, user=request.user),
        "plan": selectors.case_plan(case=case, user=request.user),
        "open_statuses": OPEN_CASE_STATUSES,
        "meeting_day": case.meeting is not None and timezone.localdate(case.meeting.starts_at) <= timezone.localdate(),
    }
    if context["plan"]:
        context["plan_options"] = rules.options_in_words(context["plan"].options)
    if coordinating:
        context.update(_case_forms(case, request.user))
    else:
        context["status_form"] = forms_.ActionStatusForm()
    context.update(bound)
    return render(request, "marac/case_detail.html", context, status=status)


@staff_view()
def marac_case_detail(request, case_id: int):
    return _case_page(request, case_id)


def _case_write(request, case_id: int, form_name: str, form, write, done: str):
    """Run a case write from a posted form: on success say so and go back to the case; a
    refusal shows the case again with the form's errors in place (nothing typed is lost)."""
    case = access.record_open(request, MaracCase, case_id, queryset=MaracCase.objects.select_related("marac"))
    if form.is_valid():
        try:
            write(case, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("marac_case_detail", case_id=case.pk)
    return _case_page(request, case.pk, status=400, **{form_name: form})


@staff_view("marac.check_marac_referral")
@require_POST
def marac_case_discuss_view(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "discussion_form",
        forms_.DiscussionForm(request.POST),
        lambda case, data: services.marac_case_discuss(case=case, user=request.user, **data),
        "The meeting's summary and risks are recorded.",
    )


@staff_view("marac.check_marac_referral")
@require_POST
def marac_action_add_view(request, case_id: int):
    case = access.record_open(request, MaracCase, case_id, queryset=MaracCase.objects.select_related("marac__agency"))
    form = forms_.ActionForm(
        request.POST,
        partnership_id=case.marac.agency.partnership_id,
        children=selectors.household_children(case=case),
    )

    def write(case, data):
        child = Person.objects.filter(pk=data["child"]).first() if data["child"] else None
        services.marac_action_add(case=case, user=request.user, **{**data, "child": child})

    return _case_write(request, case_id, "action_form", form, write, "Action added to the plan.")


@staff_view()
@require_POST
def marac_action_update_view(request, case_id: int, action_id: int):
    case = access.record_open(request, MaracCase, case_id, queryset=MaracCase.objects.select_related("marac"))
    action = next((a for a in selectors.case_actions(case=case, user=request.user) if a.pk == action_id), None)
    if action is None:
        raise access.refused(request, MaracCase, case_id)
    return _case_write(
        request,
        case_id,
        "status_form",
        forms_.ActionStatusForm(request.POST),
        lambda case, data: services.marac_action_update(action=action, user=request.user, **data),
        "The action's outcome is recorded.",
    )


@staff_view("marac.check_marac_referral")
@require_POST
def marac_plan_view(request, case_id: int):
    case = access.record_open(request, MaracCase, case_id, queryset=MaracCase.objects.select_related("marac__agency"))
    return _case_write(
        request,
        case_id,
        "plan_form",
        forms_.PlanForm(request.POST, partnership_id=case.marac.agency.partnership_id),
        lambda case, data: services.risk_management_plan_record(case=case, user=request.user, **data),
        "The risk-management plan for the person causing harm is recorded.",
    )


@staff_view("marac.check_marac_referral")
@require_POST
def marac_case_close_view(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "close_form",
        forms_.CloseForm(request.POST),
        lambda case, data: services.marac_case_close(case=case, user=request.user, **data),
        "The case is closed.",
    )


@staff_view("marac.check_marac_referral")
@require_POST
def marac_case_review_view(request, case_id: int):
    return _case_write(
        request,
        case_id,
        "review_form",
        forms_.ReviewForm(request.POST),
        lambda case, data: services.marac_case_review_set(case=case, user=request.user, **data),
        "The case stays open and is listed for its review.",
    )


@staff_view("marac.check_marac_referral")
@require_POST
def marac_case_transfer_view(request, case_id: int):
    case = access.record_open(request, MaracCase, case_id, queryset=MaracCase.objects.select_related("marac__agency"))
    maracs = Marac.objects.filter(agency__partnership_id=case.marac.agency.partnership_id).exclude(pk=case.marac_id)
    return _case_write(
        request,
        case_id,
        "transfer_form",
        forms_.TransferForm(request.POST, maracs=maracs),
        lambda case, data: services.marac_case_transfer(case=case, user=request.user, **data),
        "The case is transferred.",
    )


@staff_view()
@require_POST
def marac_research_request_view(request, case_id: int):
    case = access.record_open(request, MaracCase, case_id)
    chosen = [int(v) for v in request.POST.getlist("agency") if v.isdigit()]
    agencies = list(Agency.objects.filter(pk__in=chosen))
    if not agencies:
        messages.error(request, "Choose at least one agency to ask for research.")
        return redirect("marac_case_detail", case_id=case.pk)
    try:
        made = services.marac_research_request(case=case, agencies=agencies, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _refusal_say(request, exc)
    else:
        if made:
            due = timezone.localtime(made[0].due_at)
            messages.success(
                request,
                f"Asked {len(made)} agenc{'ies' if len(made) > 1 else 'y'} for research, due {due:%-d %B %Y, %H:%M}.",
            )
        else:
            messages.info(request, "Those agencies have already been asked.")
    return redirect("marac_case_detail", case_id=case.pk)


@staff_view()
@require_POST
def marac_research_return_view(request, case_id: int):
    case = access.record_open(request, MaracCase, case_id)
    research = case.research.filter(agency_id=request.user.agency_id).first()
    if research is None:
        raise access.refused(request, MaracCase, case_id)
    form = ResearchForm(request.POST)
    if form.is_valid():
        try:
            services.marac_research_return(research=research, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _refusal_say(request, exc)
        else:
            messages.success(request, "Your research is with the MARAC.")
    return redirect("marac_case_detail", case_id=case.pk)


def _meeting(request, meeting_id: int):
    meeting = selectors.meeting_for_coordinator(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise access.refused(request, MaracMeeting, meeting_id)
    return meeting


def _meeting_page(request, meeting, *, status: int = 200, **bound):
    """A meeting: its agenda, who attended, and once held its minutes; the agenda and
    minutes as PDFs for a chosen agency."""
    items = selectors.meeting_agenda(meeting=meeting)
    access.people_shown(request, [p for item in items for p in item.people], action=AccessAction.LISTED)
    partnership_id = request.user.agency.partnership_id
    context = {
        "meeting": meeting,
        "items": items,
        "recipients": Agency.objects.filter(partnership_id=partnership_id).order_by("name"),
        "attendance": list(meeting.attendance.select_related("agency")),
        "attendance_form": forms_.AttendanceForm(partnership_id=partnership_id),
        "held_form": forms_.HeldForm(),
        "meeting_day": timezone.localdate(meeting.starts_at) <= timezone.localdate(),
        "heard": meeting.discussions.count(),
    }
    context.update(bound)
    return render(request, "marac/meeting_detail.html", context, status=status)


@staff_view("marac.check_marac_referral")
def marac_meeting_detail(request, meeting_id: int):
    return _meeting_page(request, _meeting(request, meeting_id))


def _meeting_write(request, meeting_id: int, form_name: str, form, write, done: str):
    meeting = _meeting(request, meeting_id)
    if form.is_valid():
        try:
            write(meeting, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("marac_meeting_detail", meeting_id=meeting.pk)
    return _meeting_page(request, meeting, status=400, **{form_name: form})


@staff_view("marac.check_marac_referral")
@require_POST
def marac_attendance_view(request, meeting_id: int):
    return _meeting_write(
        request,
        meeting_id,
        "attendance_form",
        forms_.AttendanceForm(request.POST, partnership_id=request.user.agency.partnership_id),
        lambda meeting, data: services.marac_attendance_record(meeting=meeting, user=request.user, **data),
        "Attendance recorded.",
    )


@staff_view("marac.check_marac_referral")
@require_POST
def marac_meeting_held_view(request, meeting_id: int):
    return _meeting_write(
        request,
        meeting_id,
        "held_form",
        forms_.HeldForm(request.POST),
        lambda meeting, data: services.marac_meeting_held(meeting=meeting, user=request.user, **data),
        "The meeting is recorded as held. Cases it did not reach are listed at the next meeting with room.",
    )


def _recipient(request) -> Agency | None:
    recipient_id = request.GET.get("for", "")
    if not recipient_id.isdigit():
        return None
    return Agency.objects.filter(pk=int(recipient_id), partnership_id=request.user.agency.partnership_id).first()


def _pdf_response(content: bytes, name: str, meeting) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="marac-{name}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf"'
    )
    return response


@staff_view("marac.check_marac_referral")
def marac_minutes_pdf(request, meeting_id: int):
    """The minutes as a PDF: attendance, and for each case heard its summary, risks, action
    plan and the perpetrator's plan; confidential, naming the agency the copy is for."""
    meeting = _meeting(request, meeting_id)
    recipient = _recipient(request)
    if recipient is None:
        messages.error(request, "Choose the agency the minutes are for: each copy names it.")
        return redirect("marac_meeting_detail", meeting_id=meeting.pk)
    items = selectors.meeting_minutes(meeting=meeting)
    access.people_shown(request, [p for item in items for p in item.people], action=AccessAction.PRINTED)
    attendance = list(meeting.attendance.select_related("agency"))
    return _pdf_response(
        minutes_pdf(meeting=meeting, items=items, attendance=attendance, recipient=recipient), "minutes", meeting
    )


@staff_view("marac.check_marac_referral")
def marac_agenda_pdf(request, meeting_id: int):
    """The agenda as a PDF: confidential, naming the agency the copy is for; every person
    on it is logged as printed."""
    meeting = _meeting(request, meeting_id)
    recipient = _recipient(request)
    if recipient is None:
        messages.error(request, "Choose the agency the agenda is for: each copy names it.")
        return redirect("marac_meeting_detail", meeting_id=meeting.pk)
    items = selectors.meeting_agenda(meeting=meeting)
    access.people_shown(request, [p for item in items for p in item.people], action=AccessAction.PRINTED)
    return _pdf_response(agenda_pdf(meeting=meeting, items=items, recipient=recipient), "agenda", meeting)


@staff_view("marac.check_marac_referral")
def marac_actions(request):
    """The action-tracking report: every action of the coordination's MARACs (MARAC date,
    case number, action, agency, due, status), or only the overdue ones; as a workbook too."""
    maracs = Marac.objects.filter(agency_id=request.user.agency_id)
    marac_id = int(request.GET["marac"]) if request.GET.get("marac", "").isdigit() else None
    overdue_only = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    actions = selectors.action_tracking(user=request.user, marac_id=marac_id, overdue_only=overdue_only, today=today)
    if request.GET.get("format") == "xlsx":
        access.people_shown(request, actions.values_list("case__victim_id", flat=True), action=AccessAction.EXPORTED)
        response = HttpResponse(
            action_tracking_xlsx(actions=actions, title=f"MARAC action tracking, {today:%-d %B %Y}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="marac-actions-{today:%Y-%m-%d}.xlsx"'
        return response
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    access.people_shown(request, [a.case.victim_id for a in page.object_list], action=AccessAction.LISTED)
    return render(
        request,
        "marac/actions.html",
        {
            "page": page,
            "maracs": maracs,
            "marac_id": marac_id,
            "overdue_only": overdue_only,
            "query": "".join(
                f"&{k}={v}" for k, v in (("marac", marac_id), ("overdue", 1 if overdue_only else None)) if v
            ),
            "today": today,
            "to_chase": selectors.action_tracking(user=request.user, overdue_only=True, today=today)
            .filter(chased_at__isnull=True)
            .count(),
        },
    )


@staff_view("marac.check_marac_referral")
@require_POST
def marac_actions_chase_view(request):
    """Chase the owning agencies of the coordination's overdue actions now (the
    ``marac-chase-actions`` command does the same every morning)."""
    chased = sum(
        services.marac_actions_chase(marac=marac) for marac in Marac.objects.filter(agency_id=request.user.agency_id)
    )
    messages.success(
        request, f"Chased {chased} overdue action{'s' if chased != 1 else ''} in the owning agencies' queues."
    )
    return redirect("marac_actions")


class MaracReturnForm(forms.Form):
    """Which quarter and which of the coordination's MARACs (all of them by default)."""

    quarter = forms.ChoiceField(label="Quarter", error_messages={"invalid_choice": "Choose a quarter from the list."})
    marac = forms.ChoiceField(
        label="MARAC", required=False, error_messages={"invalid_choice": "Choose one of your MARACs."}
    )

    def __init__(self, *args, maracs, today, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = returns.recent_quarters(today, count=12)
        self.fields["quarter"].choices = [(str(q), q.months) for q in quarters]
        self.fields["quarter"].initial = str(quarters[1])  # the last whole quarter
        self.fields["marac"].choices = [("", "All your MARACs")] + [(str(m.pk), m.name) for m in maracs]

    def clean_quarter(self):
        try:
            return returns.quarter_parse(self.cleaned_data["quarter"])
        except returns.QuarterError as exc:
            raise ValidationError(str(exc)) from None


def _returns_chosen(request):
    """The form, and the returns it asks for (None until it is valid): only ever of the
    user's own agency's MARACs."""
    maracs = selectors.maracs_for_returns(user=request.user)
    data = request.GET if "quarter" in request.GET else None
    form = MaracReturnForm(data, maracs=maracs, today=timezone.localdate())
    if data is None or not form.is_valid():
        return form, None
    chosen = form.cleaned_data["marac"]
    if chosen:
        maracs = maracs.filter(pk=int(chosen))
    return form, selectors.marac_returns(maracs=maracs, quarter=form.cleaned_data["quarter"])


@staff_view("marac.check_marac_referral")
def marac_returns_view(request):
    """The SafeLives quarterly return of the coordination's MARACs, to review on screen and
    download (counts, not people: nobody is named, so nobody is logged as shown)."""
    form, chosen = _returns_chosen(request)
    tables = [
        {
            "marac": one.marac,
            "quarter": one.quarter,
            "notes": one.notes,
            "figures": [
                {
                    "label": f.field.label,
                    "number": returns.in_words(f.value, f.field.kind),
                    "share": returns.in_words(f.share, returns.PERCENT) if f.field.share else "",
                    "counted": f.field.counted,
                }
                for f in one.figures
            ],
            "by_agency": [
                {
                    "agency": a.agency,
                    "cases": returns.in_words(a.cases),
                    "share": returns.in_words(a.share, returns.PERCENT),
                }
                for a in one.by_agency
            ],
        }
        for one in chosen or []
    ]
    return render(
        request,
        "marac/returns.html",
        {
            "form": form,
            "tables": tables,
            "has_maracs": selectors.maracs_for_returns(user=request.user).exists(),
            "query": request.GET.urlencode() if chosen is not None else "",
            "formats": [("xlsx", "Excel"), ("csv", "CSV"), ("json", "JSON")],
        },
    )


@staff_view("marac.check_marac_referral")
def marac_return_download(request):
    """The return as chosen on the page, as Excel, CSV or JSON."""
    extension = request.GET.get("format", "")
    form, chosen = _returns_chosen(request)
    if extension not in return_files.FORMATS or not chosen:
        messages.error(request, "Choose a quarter, one of your MARACs and Excel, CSV or JSON to download the return.")
        return redirect("marac_returns")
    quarter = form.cleaned_data["quarter"]
    response = HttpResponse(return_files.return_file(chosen, extension), content_type=return_files.FORMATS[extension])
    response["Content-Disposition"] = (
        f'attachment; filename="{return_files.return_filename(chosen, quarter, extension)}"'
    )
    return response


@staff_view()
def marac_referral_new(request):
    """Any agency refers a victim straight to MARAC: one its agency holds (found by name)
    or a new one, on the criterion it states. Staff who may make a referral to the front
    door may make this one (``referral_new``). The rules are the service's."""
    settings = partnership_settings_get()
    choice = victim_choice(request)
    form = MaracReferralForm(request.POST or None, settings=settings, victim=choice.victim)
    children = ChildFormSet(request.POST or None, prefix="children")
    if request.method == "POST" and "add_child" in request.POST:
        form, children = with_another_child(form, children, settings=settings)
    elif request.method == "POST" and form.is_valid() and children.is_valid():
        filled = [c for c in children if c.cleaned_data and c.is_filled]
        try:
            referral = services.marac_referral_from_agency(user=request.user, **form.service_arguments(children=filled))
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, f"Referral sent to {referral.receiving_agency}: its coordinator checks it.")
            return redirect("referral_detail", referral_id=referral.pk)
    choice.log_shown(request)
    return render(
        request,
        "marac/referral_new.html",
        {
            "form": form,
            "children": children,
            **choice.context(),
        },
    )
