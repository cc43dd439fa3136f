"""A day at the front door in a real (headless) Chromium: a self-referral arrives without a
risk checklist; a triage worker takes it, completes the checklist with the victim by phone,
and the referral is routed to MARAC and the IDVA service and shown as routed. Another
referral is closed with an outcome and leaves the queue. On a 375-pixel-wide phone the
queue and the referral page do not scroll sideways."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from carepath.referrals.models import Referral
from carepath.referrals.services import referral_create
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral

PHONE = {"width": 375, "height": 800}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} pixels wide on a {PHONE['width']}-pixel screen"


@pytest.mark.django_db(transaction=True)
def test_a_self_referral_is_assessed_by_phone_routed_and_another_closed(live_server, page, county, front_door):
    worker = staff_create(username="mash-ali", agency=front_door, role=Role.TRIAGE, password=PASSWORD)
    device = TOTPDevice.objects.create(user=worker, name="app", confirmed=True)
    other = referral_create(data=police_referral(county, yes=2, consent="given", reference="INC-9")).referral
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    # The victim asks for help on the public pages, with a safe phone and no checklist.
    page.goto(f"{live_server.url}/help/self-referral/")
    page.get_by_label("First name", exact=True).fill("Robin")
    page.get_by_label("How old are you? (optional)").fill("29")
    page.get_by_label("Safe phone number (optional)").fill("07700 900321")
    page.get_by_label("Phone call", exact=True).check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"{live_server.url}/help/sent/")
    mine = Referral.objects.get(channel="self")

    sign_in(page, live_server.url, "mash-ali", device)
    expect(page.get_by_role("link", name=f"Referral {mine.pk}: risk not assessed yet, self-referral")).to_be_visible()
    page.goto(f"{live_server.url}/referrals/triage/")
    row = page.get_by_role("row", name="Robin")
    expect(row).to_contain_text("Not yet assessed")
    assert "Robin" not in page.title()
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    row.get_by_role("link", name="Robin").click()

    page.get_by_role("button", name="Take it").click()
    expect(page.get_by_text("The referral is yours, in triage.")).to_be_visible()
    expect(page.get_by_role("heading", name="Triage: in triage")).to_be_visible()
    page.get_by_role("link", name="Complete the risk checklist").click()
    page.get_by_label("Phone call").check()
    for number in range(1, 25):  # 15 "yes": high risk
        page.locator(f"input[name=dash_{number}][value={'yes' if number <= 15 else 'no'}]").check()
    page.get_by_role("button", name="Record the checklist and route again").click()

    tasks = page.get_by_role("table", name="Tasks from the decision")
    expect(tasks.get_by_role("row", name="Refer to MARAC")).to_be_visible()
    expect(tasks.get_by_role("row", name="IDVA referral")).to_contain_text("Contact only by: phone call")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Mark as routed").click()
    expect(page.get_by_text("Marked as routed")).to_be_visible()
    expect(page.get_by_role("heading", name="Triage: routed")).to_be_visible()
    mine.refresh_from_db()
    assert mine.status == "routed" and mine.triage_owner == worker and mine.risk_level == "high"

    # The other is closed with an outcome, and the queue is empty.
    page.goto(f"{live_server.url}/referrals/{other.pk}/")
    page.get_by_text("Close it with an outcome").click()
    page.get_by_label("Outcome").select_option(label="No further action")
    page.get_by_label("Why").fill("Information given by phone; she wants nothing further now.")
    page.get_by_role("button", name="Close the referral").click()
    expect(page.get_by_role("heading", name="Triage: closed")).to_be_visible()
    page.goto(f"{live_server.url}/referrals/triage/")
    expect(page.get_by_text("Nothing waiting.")).to_be_visible()
    assert all(urlsplit(url).netloc == server for url in requested if url.startswith("http"))
