"""Administrators see API clients and deactivate them; nobody sees a token or its hash."""

from django.urls import reverse

from carepath.api.models import ApiClient


def test_administrator_lists_clients_without_the_hash(police_client, staff, login):
    client, token = police_client
    admin = login(staff["admin"])
    page = admin.get(reverse("admin:api_apiclient_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Police records system" in html and client.token_prefix in html
    assert client.token_hash not in html and token not in html
    detail = admin.get(reverse("admin:api_apiclient_change", args=[client.pk])).content.decode()
    assert client.token_hash not in detail and token.partition(".")[2] not in detail
    assert admin.get(reverse("admin:api_apiclient_add")).status_code == 403  # created by command only


def test_administrator_deactivates_a_client(police_client, staff, login, api):
    client, _ = police_client
    admin = login(staff["admin"])
    response = admin.post(
        reverse("admin:api_apiclient_changelist"), {"action": "deactivate", "_selected_action": [client.pk]}
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert not client.is_active
    assert client.history.first().history_user == staff["admin"]
    assert api({"external_reference": "X", "victim": {}, "consent": "given"}).status_code == 401


def test_other_staff_cannot_reach_api_clients(police_client, staff, login):
    page = login(staff["officer"]).get(reverse("admin:api_apiclient_changelist"))
    assert page.status_code in (302, 403)
    assert ApiClient.objects.get().is_active
