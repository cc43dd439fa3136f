"""The directory in a real (headless) Chromium: a visitor on "Find help near you" finds a
helpline open now for their district and need and sees its phone, with JavaScript on and
off; a front-door worker follows the signposting task's link to the matching entries."""

import pytest
from playwright.sync_api import expect

from carepath.core.codes import Role
from carepath.core.models import TOTPDevice
from carepath.core.services import staff_create
from carepath.referrals.services import referral_create
from tests.browser.conftest import REPORT_CSP_VIOLATIONS
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD
from tests.directory.conftest import make_entry
from tests.referrals.test_referral_create import police_referral


@pytest.fixture
def services(county, staff):
    """In Northtown: a line for men open round the clock (so open whenever the test runs),
    one for men with no hours given (never open now), and one for women only."""
    north = county["district"]
    return {
        "open": make_entry(
            owner=staff["admin"],
            name="Northtown Men's Line",
            who_for=("men", "medium_risk"),
            districts=[north],
            hours=(),
            open_24_hours=True,
            phone="01632 960321",
        ),
        "closed": make_entry(
            owner=staff["admin"], name="Northtown Evening Group", who_for=("men",), districts=[north], hours=()
        ),
        "women": make_entry(owner=staff["admin"], name="Northtown Women's Line", who_for=("women",), districts=[north]),
    }


#: The visitor's words on the page, in each language (written out here, not looked up in
#: the catalogue, so an English page in the Welsh test fails).
WORDS = {
    "": {
        "exit": "Exit this page",
        "where": "Where do you live?",
        "man": "I am a man",
        "open now only": "Only show services open now",
        "find": "Find services",
        "found": "1 service found",
        "open now": "Open now",
        "24 hours": "Open 24 hours",
    },
    "/cy": {
        "exit": "Gadael y dudalen hon",
        "where": "Ble rydych chi'n byw?",
        "man": "Rwy'n ddyn",
        "open now only": "Dangos gwasanaethau sydd ar agor nawr yn unig",
        "find": "Dod o hyd i wasanaethau",
        "found": "Wedi dod o hyd i 1 gwasanaeth",
        "open now": "Ar agor nawr",
        "24 hours": "Ar agor 24 awr",
    },
}


def find_help_for_a_man_open_now(page, server: str, language: str = "") -> None:
    words = WORDS[language]
    page.goto(f"{server}{language}/help/services/")
    expect(page.get_by_role("link", name=words["exit"]).first).to_be_attached()
    page.get_by_label(words["where"]).select_option(label="Northtown")
    page.get_by_label(words["man"], exact=True).check()
    page.get_by_label(words["open now only"]).check()
    page.get_by_role("button", name=words["find"]).click()
    expect(page.get_by_role("heading", name=words["found"])).to_be_visible()
    result = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Northtown Men's Line"))
    expect(result).to_contain_text(words["open now"])
    expect(result).to_contain_text(words["24 hours"])
    expect(page.get_by_role("link", name="01632 960321")).to_have_attribute("href", "tel:01632960321")
    expect(page.get_by_text("Northtown Evening Group")).to_have_count(0)
    expect(page.get_by_text("Northtown Women's Line")).to_have_count(0)
    page.get_by_role("link", name="Northtown Men's Line").click()
    expect(page.get_by_role("heading", name="Northtown Men's Line")).to_be_visible()
    expect(page.get_by_role("link", name="01632 960321")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == ("cy" if language else "en-GB")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["", "/cy"], ids=["English", "Welsh"])
def test_a_visitor_finds_a_helpline_open_now_for_their_district_and_need(live_server, page, services, language):
    server = live_server.url
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    find_help_for_a_man_open_now(page, server, language)
    assert [url for url in requested if not url.startswith(server)] == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["", "/cy"], ids=["English", "Welsh"])
def test_the_search_works_with_javascript_off(live_server, chromium, services, language):
    context = chromium.new_context(java_script_enabled=False)
    violations: list[str] = []
    context.expose_function("reportCspViolation", lambda violation: violations.append(violation))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        find_help_for_a_man_open_now(page, live_server.url, language)
        expect(page.locator("body.js-enabled")).to_have_count(0)  # no script ran
        assert violations == []
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_triage_worker_follows_the_signposting_task_to_matching_services(
    live_server, page, county, front_door, staff
):
    north = county["district"]
    make_entry(owner=staff["admin"], name="Northtown Drop-in", who_for=("standard_risk", "women"), districts=[north])
    make_entry(owner=staff["admin"], name="Northtown High-risk Service", who_for=("high_risk",), districts=[north])
    referral = referral_create(data=police_referral(county, yes=3)).referral  # standard risk, in Northtown
    worker = staff_create(username="mash-worker", agency=front_door, role=Role.TRIAGE, password=PASSWORD)
    device = TOTPDevice.objects.create(user=worker, name="app", confirmed=True)
    server = live_server.url
    sign_in(page, server, worker.username, device)
    page.goto(f"{server}/referrals/{referral.pk}/")
    page.get_by_role("link", name="Directory: services for the victim's district and needs (1)").click()
    expect(page.get_by_role("heading", name="Directory of services")).to_be_visible()
    expect(page.get_by_role("link", name="Northtown Drop-in")).to_be_visible()
    expect(page.get_by_role("link", name="Northtown High-risk Service")).to_have_count(0)
    expect(page.get_by_label("Standard risk")).to_be_checked()
