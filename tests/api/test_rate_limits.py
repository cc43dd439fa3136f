"""The API is rate limited per token and per client address, before the token or the
body is looked at; a refusal is 429 JSON with Retry-After."""

import pytest
from django.test import Client

from carepath.referrals.models import Referral
from tests.api.conftest import URL, high_risk_body


@pytest.fixture
def low_limits(settings):
    settings.RATE_LIMIT_API_PER_ADDRESS = "3/h"
    settings.RATE_LIMIT_API_PER_TOKEN = "2/h"


def test_the_api_is_limited_per_token(low_limits, agencies, police_client):
    _, token = police_client
    post = lambda ref, address: Client(REMOTE_ADDR=address).post(  # noqa: E731
        URL,
        high_risk_body(external_reference=ref),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert post("A-1", "192.0.2.10").status_code == 201
    assert post("A-2", "192.0.2.11").status_code == 201  # the token's count follows it to another address
    refused = post("A-3", "192.0.2.12")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    wait = refused["Retry-After"]
    assert 0 < int(wait) <= 3600
    assert refused.json() == {"detail": f"Too many requests with this API token. Wait {wait} seconds, then try again."}
    assert Referral.objects.count() == 2


def test_the_api_is_limited_per_address_whatever_the_token(low_limits, agencies):
    caller = Client(REMOTE_ADDR="192.0.2.20")
    for guess in ("cp_000000000001.x", "cp_000000000002.x", "cp_000000000003.x"):
        assert caller.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {guess}"}).status_code == 200
    refused = caller.post(URL, "{}", content_type="application/json", headers={"Authorization": "Bearer cp_x.y"})
    assert refused.status_code == 429 and "from your address" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
