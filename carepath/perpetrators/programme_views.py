"""Pages of perpetrator programmes (court-ordered, family-court, voluntary community,
Caring Dads, Drive): the programmes and their places, a perpetrator's referral and his
progress, the partner support worker's contacts with his partner, and the report of
starts, completions, partners supported and cost per person. Thin: reads in
``programme_selectors``, writes in ``programme_services``, arithmetic in
``programme_figures``."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.core.forms import refusal_onto_form
from carepath.core.report_files import FORMATS
from carepath.people.selectors import people_search, people_visible_to
from carepath.perpetrators import programme_exports, programme_forms, programme_services
from carepath.perpetrators import programme_selectors as selectors
from carepath.perpetrators.models import LeftReason, Programme, ProgrammeReferral

#: People a search on the referral form lists at most.
SEARCH_LIMIT = 20


@staff_view("perpetrators.view_programmes")
def programme_list(request):
    """Every programme, its places a year and where its referrals are now (counts only)."""
    return render(
        request,
        "perpetrators/programme_list.html",
        {
            "programmes": selectors.programmes_with_counts(),
            "can_add": request.user.has_perm("perpetrators.add_programme"),
            "can_refer": request.user.has_perm("perpetrators.refer_to_programme"),
            "can_report": request.user.has_perm("perpetrators.view_programme_report"),
        },
    )


def _programme_or_refused(request, programme_id: int) -> Programme:
    programme = Programme.objects.select_related("provider").filter(pk=programme_id).first()
    if programme is None:
        raise access.refused(request, Programme, programme_id)
    return programme


@staff_view("perpetrators.view_programmes")
def programme_detail(request, perpetrator_programme_id: int):
    """A programme, with the referrals to it the user's agency made or runs."""
    programme = _programme_or_refused(request, perpetrator_programme_id)
    referrals = list(selectors.referrals_visible(user=request.user).filter(programme=programme))
    access.people_shown(request, [r.perpetrator_id for r in referrals], action=AccessAction.LISTED)
    return render(
        request,
        "perpetrators/programme_detail.html",
        {
            "programme": programme,
            "referrals": referrals,
            "others": programme.referrals.count() - len(referrals),
            "can_change": request.user.has_perm("perpetrators.change_programme", programme),
            "can_refer": request.user.has_perm("perpetrators.refer_to_programme"),
        },
    )


def _programme_form(request, programme: Programme | None):
    providers = selectors.provider_choices(request.user)
    form = programme_forms.ProgrammeForm(
        request.POST if request.method == "POST" else None,
        instance=programme,
        providers=providers,
        initial={} if programme else {"provider": request.user.agency_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = programme_services.programme_save(programme=programme, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("perpetrator_programme_detail", perpetrator_programme_id=saved.pk)
    return render(
        request,
        "perpetrators/programme_form.html",
        {"form": form, "programme": programme},
        status=400 if request.method == "POST" else 200,
    )


@staff_view("perpetrators.add_programme")
def programme_add(request):
    return _programme_form(request, None)


@staff_view("perpetrators.view_programmes")
def programme_edit(request, perpetrator_programme_id: int):
    programme = _programme_or_refused(request, perpetrator_programme_id)
    if not request.user.has_perm("perpetrators.change_programme", programme):
        raise PermissionDenied
    return _programme_form(request, programme)


def _chosen_perpetrator(request):
    """The man chosen (``perpetrator`` in the address or the form) among the people the
    agency may see, else None; and whether one was asked for and not found."""
    chosen = request.POST.get("perpetrator") or request.GET.get("perpetrator") or ""
    if not (chosen.isdigit() and len(chosen) < 12):
        return None, bool(chosen)
    person = people_visible_to(request.user).filter(pk=int(chosen)).first()
    return person, person is None


@staff_view("perpetrators.refer_to_programme")
def programme_referral_create(request):
    """Refer a perpetrator the agency holds (found by name, or from a link with
    ``?perpetrator=``) to a programme, naming his partner for the partner support worker."""
    perpetrator, not_found = _chosen_perpetrator(request)
    name = request.GET.get("name", "").strip()[:100]
    found = list(people_search(user=request.user, name=name)[:SEARCH_LIMIT]) if name and perpetrator is None else []
    partners = selectors.partner_choices(user=request.user, perpetrator=perpetrator) if perpetrator else None
    chosen_programme = request.GET.get("programme", "")
    programme = int(chosen_programme) if chosen_programme.isdigit() and len(chosen_programme) < 12 else None
    # Choosing a man found by name keeps the programme chosen on the way in.
    choose_url = (
        reverse("programme_referral_create") + (f"?programme={programme}&" if programme else "?") + "perpetrator="
    )
    form = programme_forms.ReferralForm(
        request.POST if request.method == "POST" else None,
        programmes=selectors.programmes_referable(),
        partners=partners if partners is not None else people_visible_to(request.user).none(),
        initial={
            "referred_on": timezone.localdate(),
            "programme": programme,
        },
    )
    if request.method == "POST" and perpetrator is None:
        form.is_valid()
        form.add_error(None, "Choose the man to refer: search for him by name.")
    elif request.method == "POST" and form.is_valid():
        try:
            referral = programme_services.programme_referral_create(
                user=request.user, perpetrator=perpetrator, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, f"Referral sent to {referral.programme.name}.")
            return redirect("programme_referral_detail", programme_referral_id=referral.pk)
    access.people_shown(request, found, action=AccessAction.LISTED)
    access.people_shown(request, list(partners) if partners is not None else [], action=AccessAction.LISTED)
    access.people_shown(request, [perpetrator] if perpetrator else [])
    return render(
        request,
        "perpetrators/programme_referral_new.html",
        {
            "form": form,
            "perpetrator": perpetrator,
            "not_found": not_found,
            "name": name,
            "found": found,
            "choose_url": choose_url,
        },
        status=400 if request.method == "POST" else 200,
    )


def _open_referral(request, programme_referral_id: int) -> ProgrammeReferral:
    return access.record_open(
        request,
        ProgrammeReferral,
        programme_referral_id,
        queryset=ProgrammeReferral.objects.select_related(
            "programme__provider", "perpetrator", "partner", "referred_by"
        ),
    )


def _referral_page(request, referral: ProgrammeReferral, *, progress=None, contact=None, status: int = 200):
    keeps = request.user.has_perm("perpetrators.record_programme_progress", referral)
    access.people_shown(request, [referral.perpetrator_id, referral.partner_id], via=referral)
    if keeps:
        progress = progress or programme_forms.ProgressForm(current=referral.status)
        contact = contact or programme_forms.ContactForm()
    return render(
        request,
        "perpetrators/programme_referral_detail.html",
        {
            "referral": referral,
            "contacts": referral.partner_contacts.select_related("by"),
            "keeps": keeps,
            "progress": progress,
            "contact": contact,
            "closed": not progress.fields["status"].choices if progress else True,
        },
        status=status,
    )


@staff_view()
def programme_referral_detail(request, programme_referral_id: int):
    """One man's referral: where he is on the programme, and the partner support worker's
    contacts with his partner (their notes only for the provider's staff)."""
    return _referral_page(request, _open_referral(request, programme_referral_id))


@staff_view()
def programme_referral_progress(request, programme_referral_id: int):
    """The provider records his next step: assessed unsuitable, waiting, started,
    completed, or left with the reason."""
    referral = _open_referral(request, programme_referral_id)
    if request.method != "POST":
        return redirect("programme_referral_detail", programme_referral_id=referral.pk)
    if not request.user.has_perm("perpetrators.record_programme_progress", referral):
        raise PermissionDenied
    form = programme_forms.ProgressForm(request.POST, current=referral.status)
    if form.is_valid():
        try:
            referral = programme_services.programme_referral_progress(
                referral=referral,
                user=request.user,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                left_reason=form.cleaned_data["left_reason"],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, f"Recorded: {referral.get_status_display().lower()}.")
            return redirect("programme_referral_detail", programme_referral_id=referral.pk)
    return _referral_page(request, referral, progress=form, status=400)


@staff_view()
def partner_contact_record(request, programme_referral_id: int):
    """The partner support worker records a contact with his partner, reached or not."""
    referral = _open_referral(request, programme_referral_id)
    if request.method != "POST":
        return redirect("programme_referral_detail", programme_referral_id=referral.pk)
    if not request.user.has_perm("perpetrators.record_programme_progress", referral):
        raise PermissionDenied
    form = programme_forms.ContactForm(request.POST)
    if form.is_valid():
        at = timezone.make_aware(datetime.combine(form.cleaned_data["on"], form.cleaned_data["time"]))
        try:
            programme_services.partner_contact_record(
                referral=referral,
                user=request.user,
                at=at,
                reached=form.cleaned_data["reached"] == "yes",
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, "The contact with his partner is recorded.")
            return redirect("programme_referral_detail", programme_referral_id=referral.pk)
    return _referral_page(request, referral, contact=form, status=400)


@staff_view("perpetrators.keep_programme_referrals")
def programme_referrals_waiting(request):
    """The provider's queue: referrals to assess, and men offered a place waiting to start."""
    referrals = list(selectors.referrals_awaiting(user=request.user))
    access.people_shown(request, [r.perpetrator_id for r in referrals], action=AccessAction.LISTED)
    return render(request, "perpetrators/programme_waiting.html", {"referrals": referrals})


def _report_chosen(request):
    """The form and the report (None until the form is valid): the year to today until a
    period is chosen."""
    data = request.GET
    if "first" not in data and "last" not in data:
        first, last = programme_forms.year_to(timezone.localdate())
        data = QueryDict(mutable=True)
        data.update({"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")})
    form = programme_forms.ReportForm(data)
    if not form.is_valid():
        return form, None, ""
    report = selectors.programme_report(first=form.cleaned_data["first"], last=form.cleaned_data["last"])
    return form, report, data.urlencode()


def _reasons(report) -> list[dict]:
    """Each reason for leaving, in words, with its count per programme and in all."""
    return [
        {
            "label": label,
            "counts": [row.figures.left_reasons.get(code, 0) for row in report.programmes],
            "total": report.totals.left_reasons.get(code, 0),
        }
        for code, label in LeftReason.choices
    ]


@staff_view("perpetrators.view_programme_report")
def programme_report(request):
    """Seed 002 Appendix 12 Table 5 for a period: started, completed, left (with reasons),
    partners supported, cost per person and completion rate, per programme."""
    form, report, query = _report_chosen(request)
    return render(
        request,
        "perpetrators/programme_report.html",
        {
            "form": form,
            "report": report,
            "reasons": _reasons(report) if report else [],
            "query": query,
            "definitions": programme_exports.DEFINITIONS,
        },
        status=400 if form.errors else 200,
    )


@staff_view("perpetrators.view_programme_report")
def programme_report_download(request):
    form, report, _ = _report_chosen(request)
    if report is None:
        messages.error(request, "Choose a period with a real first and last day to download the report.")
        return redirect(reverse("programme_report"))
    response = HttpResponse(
        programme_exports.report_workbook(report=report, reasons=_reasons(report)), content_type=FORMATS["xlsx"]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="perpetrator-programmes-{report.first:%Y-%m-%d}-to-{report.last:%Y-%m-%d}.xlsx"'
    )
    return response
