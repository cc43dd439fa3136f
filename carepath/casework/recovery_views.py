"""Step-down to recovery programmes, the pages: her places on the case page (and putting
her on a waiting list), the programmes a manager or a running agency sees, and each
programme's courses, waiting list and places. Thin: the rules are in ``recovery`` and
``recovery_services``.

On a programme's page a case is known by its number, risk and days waiting; her name only
where the viewer's agency holds the case. Every person listed is logged."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.casework import measures, recovery
from carepath.casework import recovery_selectors as selectors
from carepath.casework import recovery_services as services
from carepath.casework.models import Case, RecoveryCourse, RecoveryPlace, RecoveryProgramme
from carepath.casework.recovery_forms import RecoveryAddForm, RecoveryCourseForm, RecoveryMoveForm, RecoveryOfferForm
from carepath.casework.services import works_on
from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.core.forms import refusal_onto_form


def _prefix(place: RecoveryPlace) -> str:
    return f"place{place.pk}"


def recovery_context(request, case: Case) -> dict:
    """What the case page's recovery section needs: her places, and for her worker or
    manager the form to put her on a programme's waiting list and to move a place on."""
    working = works_on(request.user, case)
    visible = set(selectors.programmes_visible_to(request.user).values_list("pk", flat=True))
    places = [
        {
            "place": p,
            "status": recovery.STATUS_WORDS.get(p.status, ""),
            "kind": recovery.KINDS.get(p.programme.kind, ""),
            "programme_visible": p.programme_id in visible,
            "move_form": (
                RecoveryMoveForm(current=p.status, prefix=_prefix(p))
                if working and recovery.MOVES.get(p.status)
                else None
            ),
        }
        for p in selectors.case_places(case=case)
    ]
    return {
        "recovery_places": places,
        "recovery_may_add": working and case.status in services.MAY_STEP_DOWN,
        "recovery_form": RecoveryAddForm(programmes=selectors.programmes_to_offer(case=case)),
    }


@staff_view()
@require_POST
def recovery_place_add(request, case_id: int):
    """Her worker or manager puts her on a programme's waiting list, from the case page."""
    from carepath.casework import views

    case = access.record_open(request, Case, case_id)
    # Any programme is read from the post, so that the service says why one cannot be
    # chosen (she is on it already, it is not running); the form shown again offers only
    # those she may be put on.
    form = RecoveryAddForm(request.POST, programmes=RecoveryProgramme.objects.all())
    if form.is_valid():
        try:
            services.recovery_place_add(
                case=case, programme=form.cleaned_data["programme"], user=request.user, note=form.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(request, f"She is on the waiting list for {form.cleaned_data['programme']}.")
            return redirect("casework_case_detail", case_id=case.pk)
    form.fields["programme"].queryset = selectors.programmes_to_offer(case=case)
    return views._case_page(request, case.pk, status=400, recovery_form=form)


def _programme_page_allowed(request) -> None:
    if not selectors.programmes_visible_to(request.user).exists() and selectors.manager_of(request.user) is None:
        raise PermissionDenied


@staff_view()
def recovery_programmes(request):
    """The programmes a casework manager steps victims down to (all of them), or those
    the user's agency runs: how many wait for each. Counts only, nobody named."""
    _programme_page_allowed(request)
    programmes = selectors.programmes_listed(user=request.user)
    return render(
        request,
        "casework/recovery_programmes.html",
        {"programmes": [(p, recovery.KINDS.get(p.kind, "")) for p in programmes]},
    )


def _case_words(place: RecoveryPlace, user, now) -> dict:
    case = place.case
    held = user.agency_id is not None and case.service.agency_id == user.agency_id
    return {
        "place": place,
        "case_number": case.pk,
        "held": held,
        "name": case.victim.display_name if held else "",
        "risk": measures.RISK_WORDS.get(case.risk_level, "Risk not recorded"),
        "service": case.service.name,
        "days_waiting": recovery.days_waiting(place.added_at, now),
        "status": recovery.STATUS_WORDS.get(place.status, ""),
    }


def _districts(programme: RecoveryProgramme):
    """Where a course may meet: the programme's districts, or any when it lists none."""
    from carepath.core.models import District

    chosen = programme.districts.order_by("name")
    return chosen if chosen.exists() else District.objects.order_by("name")


@staff_view()
def recovery_programme(request, programme_id: int):
    """One programme for its agency's staff and casework managers: its courses with their
    places left, its waiting list in fair order (first added, first) with a place to
    offer, and the places offered or under way. Refused, as a missing programme is, to
    anyone else."""
    programme = selectors.programme_for(request.user, programme_id)
    if programme is None:
        raise access.refused(request, RecoveryProgramme, programme_id)
    return _programme_page(request, programme)


def _programme_page(request, programme: RecoveryProgramme, *, status: int = 200, course_form=None):
    now = timezone.now()
    courses = selectors.courses_with_places(programme=programme)
    open_courses = selectors.open_courses(programme=programme, today=timezone.localdate(now))
    waiting = selectors.waiting_list(programme=programme)
    on_courses = selectors.places_on_courses(programme=programme)
    access.people_shown(request, [p.case.victim_id for p in [*waiting, *on_courses]], action=AccessAction.LISTED)
    rows = []
    for position, place in enumerate(waiting, start=1):
        row = _case_words(place, request.user, now) | {"position": position}
        if open_courses and services.may_offer(request.user, place):
            row["offer_form"] = RecoveryOfferForm(courses=open_courses, prefix=_prefix(place))
        rows.append(row)
    taken = []
    for place in on_courses:
        row = _case_words(place, request.user, now)
        if services.may_offer(request.user, place):
            row["move_form"] = RecoveryMoveForm(current=place.status, prefix=_prefix(place))
        taken.append(row)
    return render(
        request,
        "casework/recovery_programme.html",
        {
            "programme": programme,
            "kind": recovery.KINDS.get(programme.kind, ""),
            "districts": list(programme.districts.all()),
            "courses": [
                {
                    "course": c,
                    "ends": recovery.course_ends(c.starts_on, c.weeks),
                    "seated": seated,
                    "left": left,
                    "finished": recovery.course_ends(c.starts_on, c.weeks) <= timezone.localdate(now),
                }
                for c, seated, left in courses
            ],
            "waiting": rows,
            "taken": taken,
            "course_form": (
                course_form or RecoveryCourseForm(districts=_districts(programme))
                if services.runs(request.user, programme)
                else None
            ),
        },
        status=status,
    )


@staff_view()
@require_POST
def recovery_course_add(request, programme_id: int):
    """The agency that runs the programme adds a course to it."""
    programme = selectors.programme_for(request.user, programme_id)
    if programme is None or not services.runs(request.user, programme):
        raise access.refused(request, RecoveryProgramme, programme_id)
    form = RecoveryCourseForm(request.POST, districts=_districts(programme))
    if form.is_valid():
        try:
            course = services.recovery_course_add(programme=programme, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            messages.success(
                request, f"The course from {course.starts_on:%-d %B %Y} is added, with {course.places} places."
            )
            return redirect("casework_recovery_programme", programme_id=programme.pk)
    return _programme_page(request, programme, status=400, course_form=form)


def _place_for(request, place_id: int) -> RecoveryPlace:
    """The place, if the user may offer it or move it on; else refused as a missing one."""
    place = (
        RecoveryPlace.objects.select_related("case__service", "case__worker", "programme").filter(pk=place_id).first()
    )
    if place is None or not services.may_offer(request.user, place):
        raise access.refused(request, RecoveryPlace, place_id)
    return place


def _back(request, place: RecoveryPlace):
    if request.POST.get("back") == "case":
        return redirect("casework_case_detail", case_id=place.case_id)
    return redirect("casework_recovery_programme", programme_id=place.programme_id)


def _refused(request, exc) -> None:
    if hasattr(exc, "error_dict"):
        for errors in exc.message_dict.values():
            for text in errors:
                messages.error(request, text)
    else:
        for text in getattr(exc, "messages", [str(exc)]):
            messages.error(request, text)


@staff_view()
@require_POST
def recovery_place_offer(request, place_id: int):
    place = _place_for(request, place_id)
    open_courses = selectors.open_courses(programme=place.programme, today=timezone.localdate())
    form = RecoveryOfferForm(request.POST, courses=open_courses, prefix=_prefix(place))
    if not form.is_valid():
        messages.error(request, "Choose a course that still has places.")
        return _back(request, place)
    course = RecoveryCourse.objects.get(pk=form.cleaned_data["course"])
    try:
        services.recovery_place_offer(place=place, course=course, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, f"Case {place.case_id} is offered a place on the course from {course.starts_on:%-d %B}."
        )
    return _back(request, place)


@staff_view()
@require_POST
def recovery_place_move(request, place_id: int):
    place = _place_for(request, place_id)
    form = RecoveryMoveForm(request.POST, current=place.status, prefix=_prefix(place))
    if not form.is_valid():
        messages.error(request, "Choose what happened to her place.")
        return _back(request, place)
    try:
        services.recovery_place_move(place=place, user=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, f"Case {place.case_id}: {recovery.STATUS_WORDS[form.cleaned_data['to_status']].lower()}."
        )
    return _back(request, place)
