"""Writes of safe accommodation."""

from datetime import datetime

from django.db import transaction

from carepath.accommodation import matching
from carepath.accommodation.models import Unit, UnmetDemand, VacancyState
from carepath.core.history import changed_by
from carepath.core.models import Agency, District


@transaction.atomic
def unit_vacancy_set(*, unit: Unit, vacancy: str, user, now: datetime) -> Unit:
    """The provider says what the unit can do now, in one step; saying it again confirms it.
    The change history keeps every state with who set it and when."""
    if vacancy not in VacancyState.values:
        raise ValueError(f"{vacancy!r} is not a vacancy state")
    unit.vacancy = vacancy
    unit.confirmed_at = now
    changed_by(unit, user).save(update_fields=["vacancy", "confirmed_at"])
    return unit


@transaction.atomic
def unmet_demand_record(
    *,
    family: matching.Family,
    agency: Agency,
    district: District | None,
    available_units: int,
    now: datetime,
) -> UnmetDemand:
    """Record a search that found nothing suitable: the family's needs as codes and counts."""
    boys = [c.age for c in family.children if c.sex == matching.BOY]
    return UnmetDemand.objects.create(
        searched_at=now,
        agency=agency,
        district=district,
        adult=family.adult,
        adults=family.adults,
        children=len(family.children),
        oldest_boy_age=max(boys) if boys else None,
        needs=[need for need in matching.NEEDS if getattr(family, need)],
        languages=sorted(family.languages),
        districts_avoided=len(family.avoid_districts),
        available_units=available_units,
    )
