"""The public pages in a real (headless) Chromium, in English and in Welsh:

- "Exit this page" leaves by its button and by pressing Shift three times, announcing the
  presses in the page's language;
- with JavaScript switched off, the pages and both forms still work from start to end;
- axe-core (from npm, node_modules/axe-core, injected from this machine: nothing from another
  host) finds no serious or critical WCAG 2.2 AA problem on any public page in either
  language, nor on the forms showing their errors.

The exit destination is intercepted (``page.route``), so no test touches the real network.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from carepath.core.models import Agency, AgencyType
from carepath.directory.models import Kind
from carepath.referrals.models import Referral
from carepath.referrals.public_views import EXIT_URL
from tests.directory.conftest import make_entry
from tests.public_pages import PUBLIC_FORMS, PUBLIC_PAGES, in_both_languages, require_compiled_catalogues, welsh

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANGUAGES = {
    "en": {"prefix": "", "exit": "Emergency Exit this page", "two_more": "Shift, press 2 more times to exit."},
    "cy": {
        "prefix": "/cy",
        "exit": "Argyfwng Gadael y dudalen hon",
        "two_more": "Shift, pwyswch 2 waith eto i adael.",
    },
}


@pytest.fixture(autouse=True)
def compiled_catalogues():
    require_compiled_catalogues()


@pytest.fixture
def front_door(county):
    return Agency.objects.create(
        partnership=county["partnership"], name="Testshire MASH", agency_type=AgencyType.FRONT_DOOR
    )


def stand_in_for_the_exit(context) -> None:
    """The exit destination, served here, so the browser can leave without any real network."""
    context.route(
        "https://www.bbc.co.uk/**", lambda route: route.fulfill(status=200, content_type="text/html", body="elsewhere")
    )


def exit_component_ready(page) -> None:
    page.wait_for_selector(".govuk-exit-this-page__button .govuk-exit-this-page__indicator", state="attached")


# ----- Exit this page, in both languages -----


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True)
def test_exit_this_page_by_its_button(live_server, page, language):
    words = LANGUAGES[language]
    stand_in_for_the_exit(page.context)
    page.goto(f"{live_server.url}{words['prefix']}/help/self-referral/")
    exit_component_ready(page)
    page.get_by_role("button", name=words["exit"]).click()
    page.wait_for_url(f"{EXIT_URL}**")
    assert page.url.startswith(EXIT_URL) and "elsewhere" in page.content()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True)
def test_exit_this_page_by_pressing_shift_three_times(live_server, page, language):
    words = LANGUAGES[language]
    stand_in_for_the_exit(page.context)
    page.goto(f"{live_server.url}{words['prefix']}/help/")
    exit_component_ready(page)
    page.keyboard.press("Shift")
    # What a screen reader hears after the first press, in the page's language.
    status = page.locator(".govuk-exit-this-page [role=status]")
    assert status.inner_text() == words["two_more"]
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(f"{EXIT_URL}**")
    assert urlsplit(page.url).netloc != urlsplit(live_server.url).netloc


# ----- without JavaScript -----


@pytest.fixture
def no_javascript(chromium):
    context = chromium.new_context(java_script_enabled=False)
    stand_in_for_the_exit(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True)
def test_without_javascript_both_forms_work_from_start_to_end(live_server, front_door, no_javascript, language):
    page, prefix = no_javascript, LANGUAGES[language]["prefix"]
    page.goto(f"{live_server.url}{prefix}/help/")
    assert "govuk-frontend-supported" not in (page.locator("body").get_attribute("class") or "")
    start = page.url

    # Self-referral: sent empty, the errors are listed and linked; then sent properly.
    page.locator(".govuk-button--start").click()
    page.locator("form button[type=submit]").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.locator(".govuk-error-summary a[href='#id_first_name']").count() == 1
    page.fill("#id_first_name", "Robin")
    page.fill("#id_safe_phone", "07700 900321")
    page.check("input[name=contact_methods][value=call]")
    page.check("input[name=contact_methods][value=email]")
    page.fill("#id_safe_email", "robin.safe@example.com")  # shown without JavaScript: no reveal needed
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{prefix}/help/sent/")

    # Worried about someone: reached from the start page, its hidden follow-up questions shown.
    page.goto(start)
    page.locator(".govuk-button--secondary").click()
    page.fill("#id_referrer_name", "Alex Morgan")
    page.fill("#id_referrer_contact", "07700 900789")
    page.fill("#id_referrer_relationship", "Sister")
    page.fill("#id_first_name", "Jo")
    page.check("input[name=consent][value=not_sought]")
    page.fill("#id_not_sought_reason", "He is always with her.")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{prefix}/help/sent/")
    assert Referral.objects.count() == 2

    # Exit this page is a plain link without JavaScript.
    page.locator(".govuk-exit-this-page__button").click()
    page.wait_for_url(f"{EXIT_URL}**")


# ----- axe-core: WCAG 2.2 AA -----


@pytest.fixture
def axe_page(chromium):
    """A page that runs axe-core. It is put into the page as an inline script, which the
    Content-Security-Policy rightly refuses, so only this context sets the policy aside
    (the other browser tests hold every page to it)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci installs axe-core)")
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def serious_problems(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {json.dumps([n['target'] for n in v['nodes']])}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def listed_services(county, staff) -> list[str]:
    """Find help near you with results to show: a helpline open round the clock and a
    refuge; the addresses of the results and of one entry's page."""
    district = county["district"]
    helpline = make_entry(
        owner=staff["admin"], name="Northtown Helpline", districts=[district], hours=(), open_24_hours=True
    )
    make_entry(owner=staff["admin"], name="Northtown Refuge", kind=Kind.REFUGE, districts=[district])
    return [f"/help/services/?district={district.pk}&search=1", f"/help/services/{helpline.pk}/"]


@pytest.mark.django_db(transaction=True)
def test_no_serious_accessibility_problem_on_any_public_page(live_server, front_door, listed_services, axe_page):
    page = axe_page
    found = {}
    for url in in_both_languages(PUBLIC_PAGES + listed_services):
        page.goto(live_server.url + url)
        exit_component_ready(page)
        found[url] = serious_problems(page)
    for url in in_both_languages(PUBLIC_FORMS):  # the forms showing their errors
        page.goto(live_server.url + url)
        exit_component_ready(page)
        page.locator("form button[type=submit]").click()
        page.wait_for_selector(".govuk-error-summary")
        assert page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")  # focus moved there
        found[f"{url} with errors"] = serious_problems(page)
    assert len(found) == 2 * (len(PUBLIC_PAGES) + len(listed_services) + len(PUBLIC_FORMS))
    problems = {url: problems for url, problems in found.items() if problems}
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


@pytest.mark.django_db(transaction=True)
def test_axe_does_find_a_problem_when_there_is_one(live_server, axe_page):
    """The check above can fail: an image button with no name is a critical problem."""
    page = axe_page
    page.goto(live_server.url + welsh("/help/"))
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<button><img src=\"data:,\"></button>')"
    )
    assert any("button-name" in problem for problem in serious_problems(page))
