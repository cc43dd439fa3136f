"""A commissioner uses the planner in a real (headless) Chromium: signs in with both
factors, changes the medium-risk caseload and sees the IDVAs needed change without the
page reloading (HTMX), and nothing is fetched from another site."""

from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from tests.conftest import PASSWORD


@pytest.fixture
def commissioner(county):
    user = staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=PASSWORD
    )
    return user, TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(page, server: str, username: str, device: TOTPDevice) -> None:
    page.goto(f"{server}/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server}/account/two-factor/**")
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Security code").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{server}/")


@pytest.mark.django_db(transaction=True)
def test_a_commissioner_changes_the_medium_risk_caseload(live_server, page, commissioner):
    user, device = commissioner
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server.url, user.username, device)
    page.get_by_role("link", name="Planner").click()
    page.wait_for_url(f"{live_server.url}/planning/")
    assert page.get_by_role("heading", level=1).inner_text() == "Planner"
    expect(page.locator("#idvas-total")).to_have_text("27.0")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.plannerPageLoadedOnce = true")  # gone if the browser loads a new page

    caseload = page.get_by_label("Medium-risk victims a year per full-time IDVA")
    expect(caseload).to_have_value("85")
    caseload.fill("60")
    page.get_by_role("button", name="Recalculate the plan").click()

    # 1,000 medium-risk victims / 60 = 17 IDVAs; with 15 for high risk, 32.
    expect(page.locator("#idvas-total")).to_have_text("32.0")
    expect(page.locator("#idvas-needed")).to_contain_text("17.0 for medium-risk victims")
    expect(page.locator("#planner-status")).to_contain_text("Plan recalculated: 32.0 IDVAs needed")
    assert page.evaluate("window.plannerPageLoadedOnce === true"), "the page reloaded instead of swapping the plan"
    assert "idva_caseload_medium=60" in page.url  # the address can be shared
    assert "idva_caseload_medium=60" in page.get_by_role("link", name="Download as Excel").get_attribute("href")
    expect(page.get_by_label("Medium-risk victims a year per full-time IDVA")).to_have_value("60")

    network = [url for url in requested if urlsplit(url).scheme not in ("data", "blob")]
    assert any("/static/django_htmx/" in url for url in network)
    assert {urlsplit(url).netloc for url in network} == {server}, network


@pytest.mark.django_db(transaction=True)
def test_a_bad_value_shows_the_error_summary_without_a_reload(live_server, page, commissioner):
    user, device = commissioner
    sign_in(page, live_server.url, user.username, device)
    page.goto(f"{live_server.url}/planning/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.plannerPageLoadedOnce = true")

    page.get_by_label("Medium-risk victims a year per full-time IDVA").fill("none")
    page.get_by_role("button", name="Recalculate the plan").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter medium-risk victims a year per full-time IDVA as a number")
    expect(summary).to_be_focused()  # govuk-frontend started on the swapped region
    assert page.evaluate("window.plannerPageLoadedOnce === true")
    expect(page.locator("#planner-results")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_a_commissioner_plans_from_the_partnerships_records(live_server, page, commissioner, reported_event):
    user, device = commissioner
    sign_in(page, live_server.url, user.username, device)
    page.goto(f"{live_server.url}/planning/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.plannerPageLoadedOnce = true")

    page.get_by_label("Use this partnership's records for April 2026 to March 2027", exact=False).check()
    page.get_by_role("button", name="Use these figures").click()

    # The one police event, a high-risk one in the county fixture's North: not a review area.
    table = page.locator("#recorded-table")
    expect(table).to_contain_text("High-risk victims visible to services")
    expect(page.get_by_label("High-risk victims visible and near help-seeking")).to_have_value("1")
    assert "figures=2026" in page.url
    assert page.evaluate("window.plannerPageLoadedOnce === true")
    # Recalculating keeps the records.
    page.get_by_role("button", name="Recalculate the plan").click()
    expect(page.locator("#planner-status")).to_contain_text("Plan recalculated")
    expect(page.locator("#recorded-table")).to_be_visible()
