"""Shared fixtures of the safe-accommodation tests: two providers, their refuges and units."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carepath.accommodation.models import AccommodationKind, SafeAccommodation, Unit, VacancyState
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, District
from carepath.core.services import staff_create
from tests.casework.conftest import idva_service, routed, workers  # noqa: F401 - her IDVA case, for her stays
from tests.conftest import PASSWORD

ADDRESS = "4 Hidden Mews, Northtown NT9 9ZZ"


@pytest.fixture
def refuges(county, staff):
    return refuges_create(county)


def refuges_create(county) -> dict:
    """Two providers in two districts: Juniper House (a refuge in Northtown; units for boys
    up to 12, and one closed) and Rowan Court (dispersed, Southtown; any boy, stale)."""
    partnership = county["partnership"]
    southtown = District.objects.create(
        marac_area=county["area"], name="Southtown", population=50_000, women_16_plus=20_000
    )
    providers = {
        key: Agency.objects.create(partnership=partnership, name=name, agency_type=AgencyType.REFUGE_PROVIDER)
        for key, name in (("haven", "Haven Refuges"), ("other", "Other Refuges"))
    }
    haven = SafeAccommodation.objects.create(
        provider=providers["haven"],
        name="Juniper House",
        kind=AccommodationKind.REFUGE,
        district=county["district"],
        units=3,
        confidential_address=ADDRESS,
    )
    other = SafeAccommodation.objects.create(
        provider=providers["other"],
        name="Rowan Court",
        kind=AccommodationKind.DISPERSED,
        district=southtown,
        units=1,
        confidential_address="1 Secret Row, Southtown",
    )
    now = timezone.now()
    fresh = now - timedelta(hours=2)
    units = {
        "boys_to_12": Unit.objects.create(
            accommodation=haven,
            name="Flat 1",
            bedrooms=2,
            children_spaces=3,
            oldest_boy_age=12,
            vacancy=VacancyState.AVAILABLE,
            confirmed_at=fresh,
        ),
        "any_boy_stale": Unit.objects.create(
            accommodation=other,
            name="Flat A",
            bedrooms=2,
            children_spaces=2,
            vacancy=VacancyState.AVAILABLE,
            confirmed_at=now - timedelta(hours=30),
        ),
        "closed": Unit.objects.create(
            accommodation=haven,
            name="Flat 2",
            children_spaces=4,
            vacancy=VacancyState.TEMPORARILY_CLOSED,
            confirmed_at=fresh,
        ),
    }
    refuge_workers = {
        key: staff_create(username=f"{key}-worker", agency=agency, role=Role.REFUGE_WORKER, password=PASSWORD)
        for key, agency in providers.items()
    }
    return {"units": units, "workers": refuge_workers, "southtown": southtown, "haven": haven}


# The hand-built year of the annual return and the reports' tests.
from tests.accommodation.year_fixture import year  # noqa: E402, F401
