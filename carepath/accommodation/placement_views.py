"""Pages of a family's referral to safe accommodation and her stay (issue 15 items 3 and
4): the referral from a hold on the board, one received by the provider directly, one out
of the area, and the placement's own page where the provider answers it and records her
arrival, support and move-on. No page here shows an address. Thin: rules in ``services``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.accommodation import selectors, services
from carepath.accommodation.forms import (
    ADULTS,
    ArrivalForm,
    DepartureForm,
    HoldExtendForm,
    PlacementDecisionForm,
    PlacementForm,
    SupportForm,
)
from carepath.accommodation.matching import NEEDS
from carepath.accommodation.models import Hold, Placement, PlacementStatus
from carepath.core import access
from carepath.core.decorators import staff_view
from carepath.core.forms import refusal_onto_form
from carepath.referrals.victim_choice import victim_choice


def _referral_page(request, *, template: str, extra: tuple[str, ...], make, context: dict, unit_choices=None):
    """The shared shape of the three referral pages: the victim chosen or entered, the
    household form, the service call, its refusals onto the form."""
    choice = victim_choice(request)
    # The household of the board's search, when the referral starts from a hold.
    initial = {k: request.GET.get(k) for k in ("adult", "adults", "children") if request.GET.get(k)}
    initial["needs"] = request.GET.getlist("needs")
    form = PlacementForm(request.POST or None, victim=choice.victim, extra=extra, initial=initial)
    if unit_choices is not None:
        form.fields["unit"].queryset = unit_choices
        form.fields["unit"].label_from_instance = lambda u: f"{u.accommodation.name}, {u.name}"
    if request.method == "POST" and form.is_valid():
        try:
            placement = make(form.placement_arguments())
        except (ValidationError, PermissionDenied) as exc:
            refusal_onto_form(form, exc)
        else:
            return redirect("accommodation_placement_detail", placement_id=placement.pk)
    choice.log_shown(request)
    return render(
        request,
        template,
        {"form": form, **choice.context(), **context},
        status=400 if request.method == "POST" else 200,
    )


@staff_view("accommodation.search_vacancies")
def placement_refer(request, hold_id: int):
    """Refer the family to the unit the agency holds; another agency's hold answers as
    missing."""
    hold = selectors.holds_placed(user=request.user).filter(pk=hold_id).first()
    if hold is None:
        raise access.refused(request, Hold, hold_id)

    def make(arguments):
        placement = services.placement_refer(hold=hold, user=request.user, now=timezone.now(), **arguments)
        messages.success(
            request,
            f"Referred to {hold.unit.accommodation.name}: {hold.unit.accommodation.provider.name} answers "
            f"before the hold ends at {timezone.localtime(hold.expires_at):%H:%M}.",
        )
        return placement

    return _referral_page(
        request,
        template="accommodation/placement_refer.html",
        extra=("agreed",),
        make=make,
        context={"hold": hold, "refer_url": request.path},
    )


@staff_view("accommodation.search_vacancies")
def placement_refer_elsewhere(request):
    """Record a referral to a service outside the county."""

    def make(arguments):
        placement = services.placement_refer_elsewhere(user=request.user, now=timezone.now(), **arguments)
        messages.success(request, "Referral out of the area recorded: record the service's answer when it comes.")
        return placement

    return _referral_page(
        request,
        template="accommodation/placement_elsewhere.html",
        extra=("service_elsewhere",),
        make=make,
        context={"refer_url": request.path},
    )


@staff_view("accommodation.keep_vacancies")
def placement_receive(request):
    """The provider records a referral made to it directly, for one of its units."""

    def make(arguments):
        placement = services.placement_receive(user=request.user, now=timezone.now(), **arguments)
        messages.success(request, "Referral recorded: give your answer below.")
        return placement

    return _referral_page(
        request,
        template="accommodation/placement_receive.html",
        extra=("referrer_elsewhere", "unit"),
        make=make,
        context={"refer_url": request.path},
        unit_choices=selectors.provider_units(user=request.user),
    )


def _placement(request, placement_id: int) -> Placement:
    placement = access.record_open(
        request,
        Placement,
        placement_id,
        queryset=Placement.objects.select_related(
            "unit__accommodation__district", "unit__accommodation__provider", "referring_agency", "person", "hold"
        ).defer("unit__accommodation__confidential_address"),
    )
    access.people_shown(request, [placement.person_id], via=placement)
    return placement


@staff_view()
def placement_detail(request, placement_id: int):
    placement = _placement(request, placement_id)
    keeper = request.user.agency_id == services.placement_keeper(placement)
    return render(
        request,
        "accommodation/placement_detail.html",
        {
            "placement": placement,
            "keeper": keeper,
            "decision_form": PlacementDecisionForm(),
            "arrival_form": ArrivalForm(),
            "support_form": SupportForm(
                initial={
                    "support_plan": placement.support_plan,
                    "children_support": placement.children_support,
                    "children_supported": placement.children_supported,
                }
            ),
            "departure_form": DepartureForm(),
            "statuses": PlacementStatus,
            "adult_words": dict(ADULTS)[placement.adult],
            "needs_words": [NEEDS[n] for n in placement.needs if n in NEEDS],
        },
    )


def _placement_step(request, placement_id: int, form_class, step, done: str):
    """One step on a placement's page: the form checked, the service called, its refusal
    shown in words."""
    placement = _placement(request, placement_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            step(placement, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            words = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            messages.error(request, " ".join(words))
        else:
            messages.success(request, done)
    return redirect("accommodation_placement_detail", placement_id=placement.pk)


@staff_view()
@require_POST
def placement_decide(request, placement_id: int):
    def step(placement, d):
        services.placement_decide(
            placement=placement,
            user=request.user,
            accept=d["decision"] == "accept",
            reason=d["reason"],
            unmet_need=d["unmet_need"],
            now=timezone.now(),
        )

    return _placement_step(request, placement_id, PlacementDecisionForm, step, "Answer recorded.")


@staff_view()
@require_POST
def placement_arrive(request, placement_id: int):
    def step(placement, d):
        services.placement_arrive(
            placement=placement, user=request.user, arrived_on=d["arrived_on"], today=timezone.localdate()
        )

    return _placement_step(request, placement_id, ArrivalForm, step, "Arrival recorded: her stay has begun.")


@staff_view()
@require_POST
def placement_did_not_arrive(request, placement_id: int):
    def step(placement, d):
        services.placement_did_not_arrive(placement=placement, user=request.user, now=timezone.now())

    return _placement_step(
        request, placement_id, forms.Form, step, "Recorded: she did not arrive. The unit is available."
    )


@staff_view()
@require_POST
def placement_support(request, placement_id: int):
    def step(placement, d):
        services.placement_support_record(placement=placement, user=request.user, **d)

    return _placement_step(request, placement_id, SupportForm, step, "Support recorded.")


@staff_view()
@require_POST
def placement_depart(request, placement_id: int):
    def step(placement, d):
        services.placement_depart(
            placement=placement, user=request.user, today=timezone.localdate(), now=timezone.now(), **d
        )

    return _placement_step(request, placement_id, DepartureForm, step, "Her move-on is recorded.")


@staff_view("accommodation.keep_vacancies")
@require_POST
def hold_extend(request, hold_id: int):
    """The provider gives the referrer more time; another agency's hold answers as missing."""
    hold = selectors.holds_to_decide(user=request.user).filter(pk=hold_id).first()
    if hold is None:
        raise access.refused(request, Hold, hold_id)
    form = HoldExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["hours"]))
        return redirect("accommodation_provider_units")
    try:
        services.hold_extend(hold=hold, user=request.user, hours=form.cleaned_data["hours"], now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{hold.unit.name} is held until {timezone.localtime(hold.expires_at):%-d %b, %H:%M}."
        )
    return redirect("accommodation_provider_units")
