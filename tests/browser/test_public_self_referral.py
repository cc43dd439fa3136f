"""A survivor's journey through the public self-referral in a real (headless) Chromium:
nothing is fetched from another site, the referral reaches the front door with only the
safe channels, and "Exit this page" leaves the site by a click and by pressing Shift 3 times.

The exit destination is intercepted (``page.route``), so no test touches the real network.
"""

from urllib.parse import urlsplit

import pytest

from carepath.core.models import Agency, AgencyType, Task
from carepath.people.models import SafeContact
from carepath.referrals.models import Referral
from carepath.referrals.public_views import EXIT_URL


@pytest.fixture
def front_door(county):
    return Agency.objects.create(
        partnership=county["partnership"], name="Testshire MASH", agency_type=AgencyType.FRONT_DOOR
    )


@pytest.fixture
def elsewhere(page):
    """Stand in for the exit destination, so the browser can leave without any real network."""
    page.route(
        "https://www.bbc.co.uk/**", lambda route: route.fulfill(status=200, content_type="text/html", body="elsewhere")
    )
    return page


def exit_component_ready(page) -> None:
    """govuk-frontend's JavaScript has started the component (it adds the Shift indicator)."""
    page.wait_for_selector(".govuk-exit-this-page__button .govuk-exit-this-page__indicator", state="attached")


@pytest.mark.django_db(transaction=True)
def test_self_referral_in_a_real_browser(live_server, front_door, elsewhere):
    page = elsewhere
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/help/self-referral/")
    exit_component_ready(page)
    honeypot = page.locator("input[name=website]")
    assert honeypot.count() == 1 and not honeypot.is_visible()  # nobody fills in the field kept for bots
    assert page.get_by_role("textbox", name="Website").count() == 0  # nor hears it
    page.get_by_label("First name", exact=True).fill("Robin")
    page.get_by_label("How old are you? (optional)").fill("29")
    page.get_by_label("Yes", exact=True).check()  # children live with me: reveals their ages
    page.get_by_label("How old are they? (optional)").fill("4")
    page.get_by_label("Safe phone number (optional)").fill("07700 900321")
    page.get_by_label("When is it safe to call or text you? (optional)").fill("Mornings")
    page.get_by_label("Phone call", exact=True).check()
    page.get_by_label("Text message", exact=True).check()
    page.get_by_label("Visit my home").check()
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(f"{live_server.url}/help/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your message has been sent"

    network = [url for url in requested if urlsplit(url).scheme not in ("data", "blob")]
    assert network, "the page made no requests at all"
    assert {urlsplit(url).netloc for url in network} == {server}, network
    assert any(url.endswith("govuk-frontend.min.css") for url in network)
    assert any("/assets/fonts/" in url for url in network)  # fonts come from this server too

    referral = Referral.objects.get()
    assert referral.channel == "self" and referral.victim.given_name == "Robin"
    assert [child.age for child in referral.children.all()] == [4]
    safe = SafeContact.objects.get(person=referral.victim)
    assert (safe.safe_phone, safe.text_safe, safe.voicemail_safe) == ("07700 900321", "yes", "no")
    assert safe.do_not_contact_via == ["home_visit"]
    assert Task.objects.get(referral=referral, action_type="dash_assessment").contact_channels == ["phone_call", "text"]

    # On the confirmation page: "Exit this page" by clicking.
    exit_component_ready(page)
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(f"{EXIT_URL}**")
    assert page.url.startswith(EXIT_URL)
    assert page.content().find("elsewhere") >= 0


@pytest.mark.django_db(transaction=True)
def test_pressing_shift_three_times_leaves_the_site(live_server, elsewhere):
    page = elsewhere
    page.goto(f"{live_server.url}/help/")
    exit_component_ready(page)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(f"{EXIT_URL}**")
    assert page.url.startswith(EXIT_URL)
    assert urlsplit(page.url).netloc != urlsplit(live_server.url).netloc


@pytest.mark.django_db(transaction=True)
def test_exit_skip_link_is_the_second_thing_a_keyboard_reaches(live_server, elsewhere):
    page = elsewhere
    page.goto(f"{live_server.url}/help/worried-about-someone/")
    exit_component_ready(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Exit this page"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{EXIT_URL}**")
    assert page.url.startswith(EXIT_URL)
