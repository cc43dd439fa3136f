import pytest

from carepath.casework.models import Service, ServiceKind, Worker
from carepath.core.models import Role
from carepath.core.services import staff_create
from carepath.referrals.services import referral_create
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


@pytest.fixture
def idva_service(county):
    service = Service.objects.create(
        agency=county["agencies"]["idva"], name="Testshire IDVA Service", kind=ServiceKind.IDVA
    )
    service.districts.set([county["district"]])
    return service


def _worker(service, username, *, manager=False, fte=1, specialisms=()):
    user = staff_create(username=username, agency=service.agency, role=Role.IDVA, password=PASSWORD)
    return Worker.objects.create(user=user, service=service, fte=fte, is_manager=manager, specialisms=list(specialisms))


@pytest.fixture
def workers(idva_service):
    return {
        "manager": _worker(idva_service, "idva-manager", manager=True),
        "kim": _worker(idva_service, "idva-kim", specialisms=["criminal_justice"]),
        "lee": _worker(idva_service, "idva-lee", fte=0.5, specialisms=["young_people"]),
    }


@pytest.fixture
def routed(county, front_door):
    """A high-risk police referral routed by the front door: an IDVA referral task for
    the IDVA service, her safe phone recorded (texts not safe)."""
    referral = referral_create(data=police_referral(county, yes=15, consent="given", reference="INC-501")).referral
    return referral.tasks.get(action_type="idva_referral")
