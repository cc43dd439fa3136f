"""Safe-accommodation pages: the vacancy board (no address, ever) and the provider's own
units, whose vacancies it keeps in one step. Thin: the rules are in ``matching``."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.accommodation import selectors, services
from carepath.accommodation.forms import DecisionForm, FamilyForm, HoldForm, VacancyForm
from carepath.accommodation.models import Hold, Unit
from carepath.configuration.selectors import partnership_settings_get
from carepath.core import access
from carepath.core.decorators import staff_view


@staff_view("accommodation.search_vacancies")
def vacancy_board(request):
    """Units available now for a family: those that match, then the nearest with what each
    does not meet. A search that finds no match is recorded as unmet demand."""
    form = FamilyForm(request.GET if "adult" in request.GET else None)
    board = None
    stale_hours = partnership_settings_get().accommodation_vacancy_stale_hours
    if form.is_bound and form.is_valid():
        now = timezone.now()
        services.holds_expire(now=now)  # a lapsed hold's unit is available again
        family = form.family()
        board = selectors.vacancy_board(family=family, now=now, stale_hours=stale_hours)
        if not board.matched:
            services.unmet_demand_record(
                family=family,
                agency=request.user.agency,
                district=form.cleaned_data["home_district"],
                available_units=board.available,
                now=now,
            )
    holds = list(selectors.holds_placed(user=request.user).filter(expires_at__gt=timezone.now()))
    return render(
        request,
        "accommodation/vacancy_board.html",
        {
            "form": form,
            "board": board,
            "stale_hours": stale_hours,
            "holds": holds,
            # The family searched for goes with a hold, to start the referral's household.
            "family_query": request.GET.urlencode() if board else "",
            "placements": list(
                selectors.placements_open(user=request.user).filter(referring_agency=request.user.agency)
            ),
        },
    )


@staff_view("accommodation.keep_vacancies")
def provider_units(request):
    """The referrals waiting for the provider's answer, and its own units, with its
    services' addresses, each with its vacancy to set."""
    settings = partnership_settings_get()
    now = timezone.now()
    services.holds_expire(now=now)
    units = list(selectors.provider_units(user=request.user))
    stale = {
        u.pk
        for u in selectors.units_to_confirm(
            user=request.user, now=now, stale_hours=settings.accommodation_vacancy_stale_hours
        )
    }
    services_ = {}
    for unit in units:
        services_.setdefault(unit.accommodation, []).append((unit, unit.pk in stale))
    return render(
        request,
        "accommodation/provider_units.html",
        {
            "services": services_.items(),
            "form": VacancyForm(),
            "stale_hours": settings.accommodation_vacancy_stale_hours,
            # An extension offers the partnership's hold again, unless the provider says otherwise.
            "hold_hours": settings.accommodation_hold_hours,
            "holds": list(selectors.holds_to_decide(user=request.user)),
            "decision_form": DecisionForm(),
            "placements": list(
                selectors.placements_open(user=request.user).filter(
                    unit__accommodation__provider_id=request.user.agency_id
                )
            ),
        },
    )


@staff_view("accommodation.keep_vacancies")
@require_POST
def unit_vacancy_set(request, unit_id: int):
    """One step: the unit's vacancy now, which also confirms it. Another provider's unit is
    answered as a missing one."""
    unit = selectors.provider_units(user=request.user).filter(pk=unit_id).first()
    if unit is None:
        raise access.refused(request, Unit, unit_id)
    form = VacancyForm(request.POST)
    if form.is_valid():
        services.unit_vacancy_set(
            unit=unit, vacancy=form.cleaned_data["vacancy"], user=request.user, now=timezone.now()
        )
        messages.success(
            request, f"{unit.accommodation.name}, {unit.name}: {unit.get_vacancy_display().lower()}, confirmed now."
        )
    else:
        messages.error(request, "Choose the unit's vacancy.")
    return redirect("accommodation_provider_units")


@staff_view("accommodation.search_vacancies")
@require_POST
def hold_place(request):
    """Hold a unit from the board while the referrer phones the provider."""
    form = HoldForm(request.POST)
    unit = None
    if form.is_valid():
        unit = selectors.units_available().filter(pk=form.cleaned_data["unit"]).first()
    if unit is None:
        messages.error(request, "That unit is no longer available: search again.")
        return redirect("accommodation_vacancy_board")
    now = timezone.now()
    services.holds_expire(now=now)
    try:
        hold = services.hold_place(
            unit=unit, user=request.user, now=now, hold_hours=partnership_settings_get().accommodation_hold_hours
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accommodation_vacancy_board")
    messages.success(
        request,
        f"{unit.accommodation.name}, {unit.name} is held for you until "
        f"{timezone.localtime(hold.expires_at):%H:%M}. Refer her now: {unit.accommodation.provider.name} "
        "gives the address only once it accepts her.",
    )
    family = QueryDict(request.POST.get("family", ""))
    household = {k: family.getlist(k) for k in ("adult", "adults", "needs") if k in family}
    household["children"] = [str(sum(len(FamilyForm.ages_in(family.get(k, ""))) for k in ("boys", "girls")))]
    return redirect(f"{reverse('accommodation_placement_refer', args=[hold.pk])}?{urlencode(household, doseq=True)}")


@staff_view("accommodation.keep_vacancies")
@require_POST
def hold_decide(request, hold_id: int):
    """The provider accepts or declines a referral held on its unit; another agency's hold
    is answered as a missing one."""
    hold = selectors.holds_to_decide(user=request.user).filter(pk=hold_id).first()
    if hold is None:
        raise access.refused(request, Hold, hold_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Accept or decline the referral.")
        return redirect("accommodation_provider_units")
    now = timezone.now()
    try:
        if form.cleaned_data["decision"] == "accept":
            services.hold_accept(hold=hold, user=request.user, now=now)
            messages.success(request, f"Accepted: {hold.unit.name} is now occupied.")
        else:
            services.hold_decline(
                hold=hold,
                user=request.user,
                now=now,
                reason=form.cleaned_data["reason"],
                unmet_need=form.cleaned_data["unmet_need"],
            )
            messages.success(request, f"Declined: {hold.unit.name} is available again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accommodation_provider_units")


@staff_view("accommodation.search_vacancies")
@require_POST
def hold_cancel(request, hold_id: int):
    """The referring agency lets its hold go; another agency's hold answers as missing."""
    hold = selectors.holds_placed(user=request.user).filter(pk=hold_id).first()
    if hold is None:
        raise access.refused(request, Hold, hold_id)
    services.hold_cancel(hold=hold, user=request.user, now=timezone.now())
    messages.success(request, f"Hold let go: {hold.unit.accommodation.name}, {hold.unit.name} is available again.")
    return redirect("accommodation_vacancy_board")
