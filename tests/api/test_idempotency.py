"""POST /api/v1/referrals with an Idempotency-Key: a retry gets the first referral, and
which agency system sent each referral is recorded and shown to the front door."""

import pytest
from django.test import Client

from carepath.api.auth import api_client_create
from carepath.api.models import IdempotencyKey
from carepath.core.models import InformationShare, Role, Task
from carepath.core.services import staff_create
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.referrals.models import Referral
from tests.api.conftest import URL, high_risk_body
from tests.conftest import PASSWORD

KEY = "7f3c2a9e-1d4b-4c8e-9a6f-2b5d8e0c1a37"
COUNTED = [Referral, Person, Event, Task, InformationShare]


@pytest.fixture
def post(police_client):
    _, token = police_client
    client = Client(enforce_csrf_checks=True)

    def _post(body, *, key=KEY, token=token):
        headers = {"Authorization": f"Bearer {token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return client.post(URL, body, content_type="application/json", headers=headers)

    return _post


def counts() -> dict:
    return {model: model.objects.count() for model in COUNTED}


def test_a_retry_with_the_same_key_returns_the_first_referral_and_records_nothing(agencies, post):
    body = high_risk_body()
    first = post(body)
    assert first.status_code == 201
    before = counts()
    again = post(body)
    assert again.status_code == 200
    assert again.json() == {**first.json(), "created": False}
    assert counts() == before


def test_the_same_key_with_a_different_body_is_refused_and_records_nothing(agencies, post):
    body = high_risk_body()
    first = post(body)
    before = counts()
    changed = post({**body, "external_reference": "INC-2026-0043", "consent": "given", "consent_reason": ""})
    assert changed.status_code == 422
    [error] = changed.json()["detail"]
    assert error["field"] == "Idempotency-Key"
    assert "already used for a referral with a different body" in error["msg"]
    assert counts() == before
    assert IdempotencyKey.objects.get().referral_id == first.json()["referral_id"]


def test_keys_are_per_client(agencies, post):
    _, hospital_token = api_client_create(name="Hospital system", agency=agencies["idva"])
    body = high_risk_body()
    assert post(body).status_code == 201
    assert post(body, token=hospital_token).status_code == 201
    assert Referral.objects.count() == 2


def test_a_refused_request_does_not_use_up_its_key(agencies, post):
    assert post(high_risk_body(district="Atlantis")).status_code == 422
    assert post(high_risk_body()).status_code == 201


def test_without_a_key_a_new_reference_is_a_new_referral(agencies, post):
    assert post(high_risk_body(), key=None).status_code == 201
    assert post(high_risk_body(external_reference="INC-2026-0043"), key=None).status_code == 201
    assert Referral.objects.count() == 2 and not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "clé-accentuée", "line\nbreak"])
def test_a_key_that_is_not_printable_text_is_named(agencies, post, key):
    response = post(high_risk_body(), key=key)
    assert response.status_code in (400, 422)
    if response.status_code == 422:
        [error] = response.json()["detail"]
        assert error["field"] == "Idempotency-Key" and "printable" in error["msg"]
    assert Referral.objects.count() == 0


def test_the_front_door_sees_which_system_sent_the_referral(agencies, post, login, staff):
    response = post(high_risk_body())
    referral = Referral.objects.get(pk=response.json()["referral_id"])
    assert referral.api_client.name == "Police records system"
    triage = staff_create(username="triage", agency=agencies["front_door"], role=Role.TRIAGE, password=PASSWORD)
    page = login(triage).get(f"/referrals/{referral.pk}/")
    assert page.status_code == 200
    assert "Sent by: Police records system" in page.content.decode()
