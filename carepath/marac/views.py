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

from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.core.models import Agency
from carepath.marac import selectors, services
from carepath.marac.documents import agenda_pdf
from carepath.marac.models import MaracCase, MaracMeeting
from carepath.referrals.models import Referral

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


@staff_view()
def marac_case_detail(request, case_id: int):
    """A MARAC case: for its coordination the whole case, the research asked for and the
    agencies still to return it; for an invited agency, the case as shared and its own
    research form."""
    case = access.record_open(
        request,
        MaracCase,
        case_id,
        queryset=MaracCase.objects.select_related("marac", "meeting", "referral", "repeat_of__marac"),
    )
    access.people_shown(request, [case.victim_id], via=case)
    coordinating = services.coordinates(request.user, case)
    research = selectors.case_research(case=case, user=request.user)
    own = next((r for r in research if r.agency_id == request.user.agency_id), None)
    return render(
        request,
        "marac/case_detail.html",
        {
            "case": case,
            "criteria": selectors.criteria_in_words()(case.criteria),
            "coordinating": coordinating,
            "research": research,
            "own_research": own,
            "research_form": ResearchForm(),
            "to_invite": selectors.agencies_to_invite(case=case) if coordinating else [],
            "now": timezone.now(),
        },
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


@staff_view("marac.check_marac_referral")
def marac_meeting_detail(request, meeting_id: int):
    """A meeting's agenda on screen, with the agenda PDF for a chosen agency."""
    meeting = _meeting(request, meeting_id)
    items = selectors.meeting_agenda(meeting=meeting)
    access.people_shown(request, [p for item in items for p in item.people], action=AccessAction.LISTED)
    recipients = Agency.objects.filter(partnership_id=request.user.agency.partnership_id).order_by("name")
    return render(request, "marac/meeting_detail.html", {"meeting": meeting, "items": items, "recipients": recipients})


@staff_view("marac.check_marac_referral")
def marac_agenda_pdf(request, meeting_id: int):
    """The agenda as a PDF: confidential, naming the agency the copy is for; every person
    on it is logged as printed."""
    meeting = _meeting(request, meeting_id)
    recipient_id = request.GET.get("for", "")
    recipient = (
        Agency.objects.filter(pk=int(recipient_id), partnership_id=request.user.agency.partnership_id).first()
        if recipient_id.isdigit()
        else None
    )
    if recipient is None:
        messages.error(request, "Choose the agency the agenda is for: each copy names it.")
        return redirect("marac_meeting_detail", meeting_id=meeting.pk)
    items = selectors.meeting_agenda(meeting=meeting)
    access.people_shown(request, [p for item in items for p in item.people], action=AccessAction.PRINTED)
    response = HttpResponse(
        agenda_pdf(meeting=meeting, items=items, recipient=recipient), content_type="application/pdf"
    )
    day = timezone.localtime(meeting.starts_at)
    response["Content-Disposition"] = f'attachment; filename="marac-agenda-{day:%Y-%m-%d}.pdf"'
    return response
