from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from carepath.api.auth import api_client_create
from carepath.core.models import Agency, AgencyType
from carepath.risk.checklist import DASH_RIC_2009

URL = "/api/v1/referrals"


@pytest.fixture
def agencies(county):
    """The test county plus the agencies referral_create shares with and assigns tasks to."""
    partnership, agencies = county["partnership"], county["agencies"]
    for key, name, agency_type in [
        ("front_door", "Testshire MASH", AgencyType.FRONT_DOOR),
        ("marac", "Testshire MARAC", AgencyType.MARAC),
        ("childrens", "Testshire Children's Services", AgencyType.CHILDRENS_SERVICES),
    ]:
        agencies[key] = Agency.objects.create(partnership=partnership, name=name, agency_type=agency_type)
    return agencies


@pytest.fixture
def police_client(agencies):
    """The police records system's API client and its token."""
    return api_client_create(name="Police records system", agency=agencies["police"])


@pytest.fixture
def api(police_client):
    """A client with no session or cookies, like an agency system, that enforces CSRF checks."""
    _, token = police_client
    client = Client(enforce_csrf_checks=True)

    def post(body, *, token=token):
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return client.post(URL, body, content_type="application/json", headers=headers)

    return post


def dash_answers(yes: int) -> dict[str, object]:
    return {
        str(q): ({"answer": "yes", "source": "victim", "comment": "said so"} if q <= yes else "no")
        for q in DASH_RIC_2009.numbers
    }


def high_risk_body(**overrides) -> dict:
    body = {
        "external_reference": "INC-2026-0042",
        "occurred_at": (timezone.now() - timedelta(days=1)).isoformat(),
        "district": "Northtown",
        "victim": {
            "given_name": "Imogen",
            "family_name": "Quatermass",
            "date_of_birth": "1990-01-01",
            "sex": "female",
            "address": "17 Juniper Crescent",
            "postcode": "NT1 4QZ",
            "phone": "07700 900999",
        },
        "perpetrator": {"given_name": "Darius", "family_name": "Vantablack", "age": 40, "sex": "male"},
        "relationship": "ex_partner",
        "children": [{"given_name": "Kit", "age": 3, "present": True, "harmed": False}],
        "dash": {"answers": dash_answers(15)},
        "consent": "refused",
        "consent_reason": "Victim too frightened to agree",
        "crime_recorded": True,
        "safe_contact": {
            "safe_phone": "07700 900123",
            "safe_times": "Weekdays 10-12",
            "text_safe": "no",
            "voicemail_safe": "no",
            "do_not_contact_via": ["letter"],
        },
    }
    body.update(overrides)
    return body
