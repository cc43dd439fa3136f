"""MARAC pages: the referrals waiting for the coordinator's check, and a case. Thin: the
rules are in ``services`` and ``rules``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.marac import selectors, services
from carepath.marac.models import MaracCase
from carepath.referrals.models import Referral
from carepath.triage.routing import criterion_words

PAGE_SIZE = 50


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
    words = criterion_words(partnership_settings_get())
    rows = [
        {"referral": r, "criteria": [words.get(c, c) for c in (r.decision or {}).get("marac_criteria", [])]}
        for r in page.object_list
    ]
    access.people_shown(request, [r["referral"].victim_id for r in rows], action=AccessAction.LISTED)
    return render(request, "marac/referrals_to_check.html", {"page": page, "rows": rows, "return_form": ReturnForm()})


def _checked(request, referral_id: int, check) -> MaracCase | None:
    referral = access.record_open(request, Referral, referral_id)
    try:
        return check(referral)
    except (ValidationError, PermissionDenied) as exc:
        for text in getattr(exc, "messages", [str(exc)]):
            messages.error(request, text)
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
    case = access.record_open(
        request,
        MaracCase,
        case_id,
        queryset=MaracCase.objects.select_related("marac", "meeting", "referral", "repeat_of__marac"),
    )
    access.people_shown(request, [case.victim_id], via=case)
    words = criterion_words(partnership_settings_get())
    return render(
        request,
        "marac/case_detail.html",
        {"case": case, "criteria": [words.get(c, c) for c in case.criteria]},
    )
