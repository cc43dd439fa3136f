"""In a real browser: a new member of staff signs in with the password and the enrolment
code an administrator gave them, sets up their authenticator app from the key on the
page, and then changes their password from the header."""

from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from carepath.core.models import Role, User
from carepath.core.services import staff_create
from carepath.core.two_factor import enrolment_code_issue
from tests.conftest import PASSWORD

NEW_PASSWORD = "a new long passphrase 2027"


@pytest.mark.django_db(transaction=True)
def test_a_new_member_of_staff_enrols_with_a_code_then_changes_their_password(live_server, page, county):
    user = staff_create(username="new-idva", agency=county["agencies"]["idva"], role=Role.IDVA, password=PASSWORD)
    _, code = enrolment_code_issue(user=user)
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("Username").fill("new-idva")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your enrolment code")
    expect(page.locator("svg")).to_have_count(0)
    expect(page.get_by_role("link", name="Change password")).to_have_count(0)  # not before the second factor

    page.get_by_label("Enrolment code").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That enrolment code is not right")
    page.get_by_label("Enrolment code").fill(code)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name="QR code to add Carepath to your authenticator app")).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    key = b32decode(page.locator(".carepath-key").inner_text().strip())
    token = TOTP(key).token()
    page.get_by_label("Security code").fill(f"{token:06d}")
    page.get_by_role("button", name="Finish setting up").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="Change password").click()
    page.wait_for_url(f"{live_server.url}/account/password/")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type your new password again").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The new passwords do not match")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type your new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your password has been changed")

    assert User.objects.get(username="new-idva").check_password(NEW_PASSWORD)
    assert all(urlsplit(url).netloc == server for url in requested), "a page loaded something from another host"
