import pytest

from carepath.core.models import Agency, AgencyType


@pytest.fixture
def front_door(county):
    partnership = county["partnership"]
    agencies = county["agencies"]
    agencies["front_door"] = Agency.objects.create(partnership=partnership, name="Testshire MASH",
                                                   agency_type=AgencyType.FRONT_DOOR)
    agencies["marac"] = Agency.objects.create(partnership=partnership, name="Testshire MARAC", agency_type=AgencyType.MARAC)
    agencies["childrens"] = Agency.objects.create(partnership=partnership, name="Testshire Children's Services",
                                                  agency_type=AgencyType.CHILDRENS_SERVICES)
    return agencies["front_door"]
