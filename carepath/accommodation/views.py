"""Safe-accommodation pages: the vacancy board (no address, ever) and the provider's own
units, whose vacancies it keeps in one step. Thin: the rules are in ``matching``."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.accommodation import selectors, services
from carepath.accommodation.forms import FamilyForm, VacancyForm
from carepath.accommodation.models import Unit
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
        if not board.matches:
            services.unmet_demand_record(
                family=family,
                agency=request.user.agency,
                district=form.cleaned_data["home_district"],
                available_units=board.available,
                now=now,
            )
    return render(
        request, "accommodation/vacancy_board.html", {"form": form, "board": board, "stale_hours": stale_hours}
    )


@staff_view("accommodation.keep_vacancies")
def provider_units(request):
    """The provider's own units, with its services' addresses, each with its vacancy to set."""
    settings = partnership_settings_get()
    now = timezone.now()
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
