"""Staff log in with a password and a TOTP code; repeated failures lock the account;
idle sessions expire. Demo accounts skip the code only in demo mode."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from carepath.core.models import AccessLog, TOTPDevice
from carepath.core.two_factor import enrolment_code_issue
from tests.conftest import PASSWORD


def password_login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_password_alone_reaches_no_case_page(staff, reported_event):
    client = Client()
    assert password_login(client, "officer").status_code == 302
    for url in [
        reverse("home"),
        reverse("person_detail", args=[reported_event.victim.pk]),
        reverse("event_detail", args=[reported_event.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor"))
    assert AccessLog.objects.count() == 0


def test_first_login_enrols_an_authenticator_then_reaches_the_case(staff, reported_event):
    _, enrolment_code = enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    client = Client()
    password_login(client, "officer")
    assert b"<svg" not in client.get(reverse("two_factor")).content  # the enrolment code first
    client.post(reverse("two_factor"), {"enrolment_code": enrolment_code})
    enrol = client.get(reverse("two_factor"))
    assert b"<svg" in enrol.content  # the QR code to scan
    device = TOTPDevice.objects.get(user=staff["officer"])
    assert not device.confirmed

    wrong = client.post(reverse("two_factor"), {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert b"not right" in wrong.content

    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    too_soon = client.post(reverse("two_factor"), {"token": current_code(device)})
    assert b"Wait a few seconds" in too_soon.content

    device.refresh_from_db()
    device.throttle_reset()  # a person takes longer than the throttle to retype
    person_url = reverse("person_detail", args=[reported_event.victim.pk])
    ok = client.post(f"{reverse('two_factor')}?next={person_url}", {"token": current_code(device)})
    assert ok.status_code == 302 and ok["Location"] == person_url
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(person_url).status_code == 200


def test_next_login_asks_for_the_code_of_the_enrolled_device(staff):
    device = TOTPDevice.objects.create(user=staff["officer"], name="phone", confirmed=True)
    client = Client()
    password_login(client, "officer")
    page = client.get(reverse("two_factor"))
    assert b"<svg" not in page.content
    assert client.post(reverse("two_factor"), {"token": current_code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.fixture
def demo_account(staff):
    user = staff["officer"]
    user.is_demo_account = True
    user.save()
    return user


@override_settings(DEMO_MODE=False)
def test_demo_account_needs_the_code_outside_demo_mode(demo_account, reported_event):
    client = Client()
    password_login(client, demo_account.username)
    response = client.get(reverse("person_detail", args=[reported_event.victim.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))


@override_settings(DEMO_MODE=True)
def test_demo_account_skips_the_code_in_demo_mode(demo_account, reported_event):
    client = Client()
    password_login(client, demo_account.username)
    assert client.get(reverse("person_detail", args=[reported_event.victim.pk])).status_code == 200


@override_settings(DEMO_MODE=True)
def test_ordinary_account_needs_the_code_even_in_demo_mode(staff):
    client = Client()
    password_login(client, "idva")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor"))


@override_settings(DEMO_MODE=True)
def test_demo_pages_carry_the_banner(login, staff):
    assert "Demo – synthetic data" in login(staff["officer"]).get(reverse("home")).content.decode()


@override_settings(DEMO_MODE=False)
def test_no_demo_banner_outside_demo_mode(login, staff):
    assert "synthetic data" not in login(staff["officer"]).get(reverse("home")).content.decode()


def test_repeated_failed_logins_lock_the_account(staff, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert password_login(client, "officer", "wrong password").status_code in (200, 429)
    locked = password_login(client, "officer")  # even the right password
    assert locked.status_code == 429
    assert b"locked" in locked.content.lower()
    assert client.get(reverse("home")).status_code == 302  # still not logged in


def test_idle_session_expires(login, staff):
    client = login(staff["officer"])
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_request_renews_the_idle_timeout(login, staff, settings):
    client = login(staff["officer"])
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=60))
    client.get(reverse("home"))
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
