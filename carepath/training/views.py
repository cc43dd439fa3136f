"""Pages of the champions network. Thin: reads in ``selectors``, writes in ``services``,
arithmetic in ``rules``. Champions are staff contacts, not victims: no page here shows a
victim, and the report shows counts only."""

from datetime import date

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.decorators import staff_view
from carepath.core.models import Agency
from carepath.core.pdf import pdf_from_template
from carepath.core.report_files import FORMATS
from carepath.training import exports, forms, rules, selectors, services
from carepath.training.charts import network_chart
from carepath.training.models import AttendanceStatus, Booking, Champion, Course, Session


@staff_view("training.view_champions")
def champions_view(request):
    """Who is the champion in an agency or team: the directory every member of staff uses."""
    text = request.GET.get("q", "").strip()[:200]
    chosen = request.GET.get("agency", "")
    agency_id = int(chosen) if chosen.isdigit() and len(chosen) < 10 else None
    if agency_id is None and "agency" not in request.GET:
        agency_id = request.user.agency_id  # first, the user's own agency's champions
    found = selectors.champions_search(text=text, agency_id=agency_id, on=timezone.localdate())
    return render(
        request,
        "training/champions.html",
        {
            "champions": found,
            "q": text,
            "agency_id": agency_id,
            "agencies": selectors.agency_choices(),
            "can_add": request.user.has_perm("training.keep_champions"),
            "can_coordinate": request.user.has_perm("training.coordinate"),
        },
    )


def _agencies_for(user):
    """The agencies whose champions the user keeps: every one for the network's
    co-ordinators, their own for an agency's lead."""
    if user.has_perm("training.coordinate"):
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id)


def _champion_form(request, champion: Champion | None):
    agencies = _agencies_for(request.user)
    initial = {} if champion else {"agency": request.user.agency_id, "champion_from": timezone.localdate()}
    form = forms.ChampionForm(
        request.POST if request.method == "POST" else None, instance=champion, agencies=agencies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.champion_save(champion=champion, user=request.user, **form.cleaned_data)
        except services.TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{saved.name} is saved as a champion for {saved.agency}.")
            return redirect(f"{reverse('training_champions')}?agency={saved.agency_id}")
    return render(request, "training/champion_form.html", {"form": form, "champion": champion})


@staff_view("training.keep_champions")
def champion_add(request):
    return _champion_form(request, None)


@staff_view("training.keep_champions")
def champion_edit(request, champion_id: int):
    champion = Champion.objects.filter(pk=champion_id).first()
    if champion is None or not request.user.has_perm("training.change_champion", champion):
        # Another agency's champion answers as a missing one does, and the attempt is logged.
        raise access.refused(request, Champion, champion_id)
    return _champion_form(request, champion)


@staff_view("training.coordinate")
def courses_view(request):
    form = forms.CourseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        course = services.course_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"The course {course.name} is added.")
        return redirect("training_courses")
    return render(
        request,
        "training/courses.html",
        {"form": form, "courses": Course.objects.all(), "months": _months_by_kind()},
    )


def _months_by_kind() -> dict[str, int]:
    return {str(k): v for k, v in selectors.months_current(partnership_settings_get()).items()}


@staff_view("training.coordinate")
def sessions_view(request):
    form = forms.SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        session = services.session_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"The session is added: {session}.")
        return redirect("training_session", session_id=session.pk)
    return render(
        request,
        "training/sessions.html",
        {"form": form, "sessions": selectors.sessions_list(), "today": timezone.localdate()},
    )


@staff_view("training.coordinate")
def session_view(request, session_id: int):
    """A session's register: book people on it, and mark who came."""
    session = get_object_or_404(Session.objects.select_related("course"), pk=session_id)
    bookings = selectors.register_of(session)
    booking_form = forms.BookingForm(prefix="book")
    register = forms.RegisterForm(bookings=bookings)
    if request.method == "POST" and request.POST.get("action") == "book":
        booking_form = forms.BookingForm(request.POST, prefix="book")
        if booking_form.is_valid():
            try:
                booking = services.booking_add(session=session, user=request.user, **booking_form.cleaned_data)
            except services.TrainingError as exc:
                booking_form.add_error(None, str(exc))
            else:
                messages.success(request, f"{booking.trainee.name} is booked on the session.")
                return redirect("training_session", session_id=session.pk)
    elif request.method == "POST" and request.POST.get("action") == "register":
        register = forms.RegisterForm(request.POST, bookings=bookings)
        if register.is_valid():
            try:
                changed = services.register_mark(
                    session=session, user=request.user, statuses=register.statuses(), today=timezone.localdate()
                )
            except services.TrainingError as exc:
                register.add_error(None, str(exc))
            else:
                messages.success(request, f"The register is saved ({changed} changed).")
                return redirect("training_session", session_id=session.pk)
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "booking_form": booking_form,
            "register": register,
            "attended": AttendanceStatus.ATTENDED,
            "booked": sum(b.status != AttendanceStatus.CANCELLED for b in register.bookings),
        },
    )


@staff_view("training.coordinate")
def certificate_view(request, booking_id: int):
    """The certificate of attendance of one person at one session, as a PDF."""
    booking = get_object_or_404(
        Booking.objects.select_related("trainee__agency", "session__course"),
        pk=booking_id,
        status=AttendanceStatus.ATTENDED,
    )
    settings = partnership_settings_get()
    months = selectors.months_current(settings)[booking.session.course.kind]
    pdf = pdf_from_template(
        "training/certificate.html",
        {
            "booking": booking,
            "current_to": rules.current_until(attended_on=booking.session.held_on, months=months),
            "partnership": booking.trainee.agency.partnership.name,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{booking.certificate_number}.pdf"'
    return response


@staff_view("training.coordinate")
def refreshers_view(request):
    """Everyone whose training has lapsed, or lapses soon: the refreshers to book."""
    settings = partnership_settings_get()
    today = timezone.localdate()
    due = selectors.refreshers_due(settings=settings, today=today)
    return render(
        request,
        "training/refreshers.html",
        {
            "overdue": [t for t in due if t.due.overdue],
            "soon": [t for t in due if not t.due.overdue],
            "warning_days": settings.training_refresher_warning_days,
        },
    )


def _report_chosen(request):
    """The form, the agency and the report's rows (None until the form is valid). Until
    a range is chosen: the last two years by quarter, for the user's own agency (or, when
    it has no champions, the agency with the most)."""
    data = request.GET
    if "first" not in data:
        today = timezone.localdate()
        data = QueryDict(mutable=True)
        data.update(
            {
                "agency": request.GET.get("agency", str(selectors.report_agency_for(request.user) or "")),
                "by": rules.QUARTER,
                "first": date(today.year - 2, today.month, 1).strftime("%d/%m/%Y"),
                "last": today.strftime("%d/%m/%Y"),
            }
        )
    form = forms.ReportForm(data)
    if not form.is_valid():
        return form, None, None, ""
    agency = form.cleaned_data["agency"]
    periods = rules.up_to(form.cleaned_data["periods"], timezone.localdate())
    if not periods:
        form.add_error("first", "The range is all in the future: start it today or before.")
        return form, None, None, ""
    rows = selectors.network_report(agency_id=agency.pk, periods=periods)
    return form, agency, rows, data.urlencode()


@staff_view("training.view_report")
def report_view(request):
    """Champions and trained staff in an agency against the referrals it made, over time."""
    form, agency, rows, query = _report_chosen(request)
    return render(
        request,
        "training/report.html",
        {
            "form": form,
            "agency": agency,
            "rows": rows,
            "chart": network_chart(agency=agency.name, rows=rows) if rows else None,
            "query": query,
        },
    )


@staff_view("training.view_report")
def report_download(request):
    _, agency, rows, _ = _report_chosen(request)
    if rows is None:
        messages.error(request, "Choose an agency and a range to download the report.")
        return redirect("training_report")
    response = HttpResponse(exports.report_workbook(agency=agency.name, rows=rows), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="champions-network-report.xlsx"'
    return response
