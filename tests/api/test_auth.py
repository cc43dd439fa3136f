"""Bearer tokens: one per agency system, shown once, stored only as a hash."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from carepath.api.auth import api_client_create
from carepath.api.models import ApiClient
from carepath.referrals.models import Referral
from tests.api.conftest import URL, high_risk_body


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer cp_0123456789ab.nonsense",
        "Bearer not-a-carepath-token",
        "Token abc",
    ],
)
def test_missing_or_bad_token_is_refused_with_json(police_client, header):
    headers = {"Authorization": header} if header is not None else {}
    response = Client().post(URL, high_risk_body(), content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "token" in response.json()["detail"].lower()
    assert not Referral.objects.exists()


def test_a_token_with_the_right_prefix_but_wrong_secret_is_refused(police_client, api):
    client, token = police_client
    assert api(high_risk_body(), token=f"{client.token_prefix}.{'x' * 43}").status_code == 401


def test_a_deactivated_client_is_refused(police_client, api):
    client, _ = police_client
    client.is_active = False
    client.save()
    assert api(high_risk_body()).status_code == 401
    assert not Referral.objects.exists()


def test_a_valid_token_is_accepted_and_its_use_recorded(police_client, api):
    client, _ = police_client
    assert client.last_used_at is None
    assert api(high_risk_body()).status_code == 201
    client.refresh_from_db()
    assert client.last_used_at is not None
    assert client.history.count() == 1  # using the token is not an edit


def test_the_token_is_not_stored_in_clear(police_client, api):
    client, token = police_client
    secret = token.partition(".")[2]
    client.is_active = False
    client.save()  # a history row too
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - table names from the database itself
            for row in cursor.fetchall():
                for value in row:
                    assert token not in str(value) and secret not in str(value), f"token found in {table}"
    assert "token_hash" not in {f.name for f in ApiClient.history.model._meta.get_fields()}


def test_tokens_differ_per_client(agencies):
    _, first = api_client_create(name="Police records system", agency=agencies["police"])
    _, second = api_client_create(name="Police control room", agency=agencies["police"])
    assert first != second and len(first.partition(".")[2]) >= 43


def test_command_prints_the_token_once_and_it_works(agencies, capsys):
    call_command("api-client-create", "Hospital safeguarding system", agency="Testshire IDVA Service")
    out = capsys.readouterr().out
    token = next(line for line in out.splitlines() if line.startswith("cp_"))
    client = ApiClient.objects.get(name="Hospital safeguarding system")
    assert client.agency == agencies["idva"] and client.is_active
    response = Client().post(
        URL, high_risk_body(), content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    assert Referral.objects.get().referring_agency == agencies["idva"]


def test_command_names_an_unknown_agency(agencies):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No agency called 'Nowhere Police'"):
        call_command("api-client-create", "X", agency="Nowhere Police")
    call_command("api-client-create", "X", agency="Testshire Police")
    with pytest.raises(CommandError, match="already has an API client"):
        call_command("api-client-create", "X", agency="Testshire Police")


def test_a_staff_session_is_not_an_api_credential(police_client, staff, login):
    """The API takes tokens only: a signed-in browser (session cookie) gets 401."""
    browser = login(staff["officer"])
    response = browser.post(URL, high_risk_body(), content_type="application/json")
    assert response.status_code == 401
