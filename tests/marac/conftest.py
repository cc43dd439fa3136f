import pytest

from carepath.core.models import Role
from carepath.core.services import staff_create
from carepath.marac.models import Marac
from tests.marac.factories import SECOND_TUESDAY


@pytest.fixture
def marac(county, front_door):
    """The county's MARAC: monthly on the second Tuesday, 20 cases a meeting."""
    marac = Marac.objects.create(
        agency=county["agencies"]["marac"], name="North MARAC", first_meeting=SECOND_TUESDAY, capacity=20
    )
    marac.districts.set([county["district"]])
    return marac


@pytest.fixture
def coordinator(county, front_door):
    return staff_create(
        username="coordinator", agency=county["agencies"]["marac"], role=Role.MARAC_COORDINATOR, password="x" * 20
    )
