"""Staff change their own password: the current one, then the new one twice. This session
stays signed in; the account's other sessions end; wrong current passwords count towards
the lockout."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from carepath.core.models import User
from tests.conftest import PASSWORD

NEW_PASSWORD = "a new long passphrase 2027"
URL = reverse("password_change")


def change(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        URL, {"old_password": old, "new_password1": new, "new_password2": new if again is None else again}
    )


def test_the_page_is_linked_from_the_account_area_in_the_header(login, staff):
    html = login(staff["officer"]).get(reverse("home")).content.decode()
    header = html[html.index('class="carepath-account"') : html.index("</header>")]
    assert f'href="{URL}"' in header and "Change password" in header


def test_signed_out_visitors_are_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_password_alone_does_not_reach_the_page(staff):
    client = Client()
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    response = change(client)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))
    assert User.objects.get(pk=staff["officer"].pk).check_password(PASSWORD)


def test_changing_it_keeps_this_session_and_ends_the_others(login, staff):
    officer = staff["officer"]
    here, elsewhere = login(officer), login(officer)
    assert elsewhere.get(reverse("home")).status_code == 200

    response = change(here, again=NEW_PASSWORD)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = here.get(reverse("home"))
    assert home.status_code == 200
    assert "govuk-notification-banner--success" in home.content.decode()
    assert "Your password has been changed" in home.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD) and not officer.check_password(PASSWORD)
    signed_out = elsewhere.get(reverse("home"))
    assert signed_out.status_code == 302 and signed_out["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in elsewhere.session
    assert officer.history.first().history_user == officer


@pytest.mark.parametrize(
    ("old", "new", "again", "field", "message"),
    [
        ("not my password at all", NEW_PASSWORD, NEW_PASSWORD, "old_password", "Your current password is not right"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "new_password2", "The new passwords do not match"),
        (PASSWORD, "short 1", "short 1", "new_password1", "at least 12 characters"),
        (PASSWORD, "123456789012345", "123456789012345", "new_password1", "entirely numeric"),
        (PASSWORD, PASSWORD, PASSWORD, "new_password1", "must be different from your current one"),
        ("", "", "", "old_password", "Enter your current password"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(login, staff, old, new, again, field, message):
    response = change(login(staff["officer"]), old, new, again)

    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    assert message in summary and f'href="#id_{field}"' in summary
    assert f'id="id_{field}-error"' in html
    for typed in {old, new, again} - {""}:
        assert typed not in html  # nothing typed is shown back
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Change your password" in html
    assert User.objects.get(pk=staff["officer"].pk).check_password(PASSWORD)


def test_guessing_the_current_password_locks_the_account_and_signs_out(login, staff, settings):
    client = login(staff["officer"])
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert change(client, old=f"guess {attempt}").status_code == 200

    locked = change(client, old="one guess too many")

    assert locked.status_code == 429 and b"locked" in locked.content.lower()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    relogin = Client().post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert relogin.status_code == 429
    assert User.objects.get(pk=staff["officer"].pk).check_password(PASSWORD)


def test_the_lockout_records_keep_no_password_typed(login, staff):
    change(login(staff["officer"]), old="my secret guess 1", new="brand new secret 2", again="brand new secret 2")
    attempts = repr(list(AccessAttempt.objects.values()))
    assert "officer" in attempts  # the failure was counted...
    assert "my secret guess 1" not in attempts and "brand new secret 2" not in attempts  # ...not what was typed
