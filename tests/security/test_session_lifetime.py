"""A session ends a configured number of hours after signing in, however active it is,
and the sign-in page says why (besides the 30-minute idle expiry)."""

import time

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from carepath.core.models import TOTPDevice
from carepath.security.signals import SIGNED_IN_AT
from tests.conftest import PASSWORD


def signed_in_hours_ago(client, hours: float) -> None:
    """Move the session's sign-in time back, as if the user had signed in that long ago."""
    session = client.session
    session[SIGNED_IN_AT] = time.time() - hours * 3600
    session.save()


def test_a_session_ends_ten_hours_after_signing_in_however_active(login, staff):
    client = login(staff["officer"])
    signed_in_hours_ago(client, 9.9)
    assert client.get(reverse("home")).status_code == 200  # still inside the lifetime, and active

    signed_in_hours_ago(client, 10.1)
    response = client.get(reverse("triage_queue"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('triage_queue')}"
    page = client.get(response["Location"])
    assert "signed in more than 10 hours ago" in page.content.decode()
    assert "_auth_user_id" not in client.session  # signed out, not just redirected
    assert client.get(reverse("home")).status_code == 302


def test_the_lifetime_comes_from_the_settings(login, staff, settings):
    settings.SESSION_MAX_AGE = 3600
    client = login(staff["officer"])
    signed_in_hours_ago(client, 1.5)
    response = client.get(reverse("home"), follow=True)
    assert "signed in more than 1 hour ago" in response.content.decode()


def test_a_session_without_a_sign_in_time_is_ended(login, staff):
    client = login(staff["officer"])
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_signing_in_with_the_password_starts_the_clock(staff):
    client = Client()
    device = TOTPDevice.objects.create(user=staff["officer"], name="app", confirmed=True)
    before = time.time()
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert before <= client.session[SIGNED_IN_AT] <= time.time()
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    client.post(reverse("two_factor"), {"token": f"{code:0{device.digits}d}"})
    assert client.get(reverse("home")).status_code == 200
