"""Enrolling an authenticator app needs a one-time enrolment code from an administrator:
the password alone shows no QR code. The code is shown once, stored only as a hash,
expires, works once, is refused after a few wrong tries (which count towards lockout),
and issuing one replaces a lost phone's app."""

import io
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from carepath.core.models import EnrolmentCode, EnrolmentCodeStatus, TOTPDevice
from carepath.core.two_factor import enrolment_code_issue, manual_key
from tests.conftest import PASSWORD
from tests.core.test_login_security import current_code

TWO_FACTOR = reverse("two_factor")


def signed_in_with_password(username: str) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def enter_code(client, code: str):
    return client.post(TWO_FACTOR, {"enrolment_code": code})


def test_a_password_alone_shows_no_qr_code_and_no_key(staff):
    client = signed_in_with_password("officer")

    page = client.get(TWO_FACTOR)

    html = page.content.decode()
    assert page.status_code == 200 and "Enter your enrolment code" in html
    assert "<svg" not in html and "setup key" not in html
    assert not TOTPDevice.objects.filter(user=staff["officer"]).exists()
    assert client.get(reverse("home"))["Location"].startswith(TWO_FACTOR)
    # Posting a security code straight away gets no further either.
    assert b"<svg" not in client.post(TWO_FACTOR, {"token": "123456"}).content
    assert not TOTPDevice.objects.filter(user=staff["officer"]).exists()


def test_the_right_code_shows_the_qr_code_once_and_enrols_the_app(staff, reported_event):
    _, code = enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    client = signed_in_with_password("officer")
    person_url = reverse("person_detail", args=[reported_event.victim.pk])
    client.get(f"{TWO_FACTOR}?next={person_url}")

    accepted = client.post(f"{TWO_FACTOR}?next={person_url}", {"enrolment_code": code.lower().replace("-", " ")})

    assert accepted.status_code == 302
    qr_page = client.get(accepted["Location"])
    assert b"<svg" in qr_page.content
    device = TOTPDevice.objects.get(user=staff["officer"], confirmed=False)
    assert manual_key(device) in qr_page.content.decode()
    finished = client.post(accepted["Location"], {"token": current_code(device)})
    assert finished.status_code == 302 and finished["Location"] == person_url
    assert client.get(person_url).status_code == 200
    record = EnrolmentCode.objects.get(user=staff["officer"])
    assert record.status == EnrolmentCodeStatus.USED and record.used_at is not None

    # The same code again, in another browser with the password: refused.
    again = signed_in_with_password("officer")
    TOTPDevice.objects.filter(user=staff["officer"]).delete()
    refused = enter_code(again, code)
    assert (
        refused.status_code == 200 and b"no enrolment code for your account that can still be used" in refused.content
    )
    assert b"<svg" not in again.get(TWO_FACTOR).content


def test_a_code_is_stored_only_as_a_hash_and_shown_once(staff, login):
    record, code = enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    plain = code.replace("-", "")
    with connection.cursor() as cursor:
        for table in ("core_enrolmentcode", "core_historicalenrolmentcode"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            rows = repr(cursor.fetchall())
            assert plain not in rows and code not in rows
    assert record.code_hash not in repr(record.history.values())
    # Another code is another random value.
    assert enrolment_code_issue(user=staff["idva"])[1] != code


@override_settings(ENROLMENT_CODE_HOURS=72)
def test_a_code_expires(staff):
    record, code = enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    assert timedelta(hours=71, minutes=59) < record.expires_at - timezone.now() <= timedelta(hours=72)
    EnrolmentCode.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = enter_code(signed_in_with_password("officer"), code)

    assert (
        response.status_code == 200 and b"no enrolment code for your account that can still be used" in response.content
    )
    assert not TOTPDevice.objects.filter(user=staff["officer"]).exists()


def test_the_hours_a_code_lasts_are_configurable(staff, settings):
    settings.ENROLMENT_CODE_HOURS = 4
    record, _ = enrolment_code_issue(user=staff["officer"])
    assert record.expires_at - timezone.now() <= timedelta(hours=4)


def test_a_code_is_refused_after_a_few_wrong_tries(staff, settings):
    record, code = enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    client = signed_in_with_password("officer")
    for attempt in range(settings.ENROLMENT_CODE_TRIES):
        wrong = enter_code(client, f"WRNG-CODE-{attempt}{attempt}{attempt}{attempt}")
        assert wrong.status_code == 200
        html = wrong.content.decode()
        assert "govuk-error-summary" in html and "not right" in html
        assert "WRNG-CODE" not in html  # nothing typed is shown back
    assert "refused after too many wrong tries" in html
    record.refresh_from_db()
    assert record.status == EnrolmentCodeStatus.REFUSED

    late = enter_code(client, code)  # the right code, too late

    assert b"<svg" not in late.content and b"no enrolment code" in late.content
    assert not TOTPDevice.objects.filter(user=staff["officer"]).exists()


def test_wrong_codes_count_towards_the_lockout(staff, settings):
    settings.ENROLMENT_CODE_TRIES = 100  # so that the lockout is what stops the guessing
    _, code = enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    client = signed_in_with_password("officer")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert enter_code(client, f"GUESS{attempt}").status_code == 200

    locked = enter_code(client, "ONE-GUESS-MORE")

    assert locked.status_code == 429 and b"locked" in locked.content.lower()
    assert client.get(TWO_FACTOR)["Location"].startswith(reverse("login"))  # signed out
    assert "GUESS0" not in repr(list(AccessAttempt.objects.values()))  # the codes typed are not kept
    assert Client().post(reverse("login"), {"username": "officer", "password": PASSWORD}).status_code == 429


def test_a_new_code_replaces_a_lost_phone_with_history(staff, login):
    officer = staff["officer"]
    old_record, old_code = enrolment_code_issue(user=officer, issued_by=staff["admin"])
    EnrolmentCode.objects.filter(pk=old_record.pk).update(status=EnrolmentCodeStatus.USED)
    phone_session = login(officer)  # signed in with the phone that is then lost

    record, code = enrolment_code_issue(user=officer, issued_by=staff["admin"])

    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert record.removed_devices == 1
    assert record.history.get().history_user == staff["admin"]
    assert phone_session.get(reverse("home"))["Location"].startswith(TWO_FACTOR)
    client = signed_in_with_password("officer")
    assert enter_code(client, old_code).status_code == 200  # the earlier code is spent
    assert enter_code(client, code).status_code == 302


def test_a_newer_code_replaces_an_unused_one(staff):
    first, first_code = enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    enrolment_code_issue(user=staff["officer"], issued_by=staff["admin"])
    first.refresh_from_db()
    assert first.status == EnrolmentCodeStatus.REPLACED
    assert b"<svg" not in enter_code(signed_in_with_password("officer"), first_code).content


def test_a_code_given_by_someone_else_does_not_enrol_another_account(staff):
    _, code = enrolment_code_issue(user=staff["idva"], issued_by=staff["admin"])
    response = enter_code(signed_in_with_password("officer"), code)
    assert response.status_code == 200 and b"<svg" not in response.content
    assert EnrolmentCode.objects.get(user=staff["idva"]).status == EnrolmentCodeStatus.ISSUED


def test_create_staff_prints_the_code_once(county, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase 42\n"))
    out = io.StringIO()
    call_command(
        "create-staff", "jsmith", "--agency", "Testshire Police", "--role", "idva", "--password-stdin", stdout=out
    )
    code = re.search(r"Enrolment code: (\S+)", out.getvalue()).group(1)
    client = Client()
    client.post(reverse("login"), {"username": "jsmith", "password": "a long enough passphrase 42"})
    assert enter_code(client, code).status_code == 302
    assert b"<svg" in client.get(TWO_FACTOR).content


def test_the_enrolment_code_command_replaces_a_device(staff):
    TOTPDevice.objects.create(user=staff["admin"], name="Authenticator app", confirmed=True)
    out = io.StringIO()
    call_command("enrolment-code", "administrator", stdout=out)
    assert re.search(r"Enrolment code for administrator: [A-Z2-9-]{14}\n", out.getvalue())
    assert "1 authenticator app(s) removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=staff["admin"]).exists()


@override_settings(DEMO_MODE=True)
def test_demo_accounts_in_demo_mode_still_skip_the_second_factor(staff):
    officer = staff["officer"]
    officer.is_demo_account = True
    officer.save()
    assert signed_in_with_password("officer").get(reverse("home")).status_code == 200


@pytest.mark.parametrize("typed", ["", " ", "x" * 41])
def test_an_empty_or_overlong_code_is_a_clear_error(staff, typed):
    response = enter_code(signed_in_with_password("officer"), typed)
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert b"enrolment code" in response.content.lower()
