"""A family from the vacancy board to move-on, in a real (headless) Chromium: an IDVA finds
the units available for a woman and her 14-year-old son (the unit for boys up to 12 is
shown with that reason), holds a suitable one and refers her; the provider reads the
referral and accepts it; the board no longer offers the unit; the family arrives and later
moves on, and the unit is on the board again. No page shows the refuge's address."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carepath.core.models import TOTPDevice
from carepath.people.models import Person
from tests.accommodation.conftest import ADDRESS, refuges_create
from tests.browser.test_planner import sign_in


def board_search(page, server: str) -> None:
    page.goto(f"{server}/accommodation/vacancies/")
    page.get_by_label("Boys' ages").fill("14")
    page.get_by_role("button", name="Find vacancies").click()


@pytest.mark.django_db(transaction=True)
def test_an_idva_finds_a_place_the_provider_accepts_and_the_family_arrives_and_moves_on(
    live_server, chromium, page, county, staff
):
    refuges = refuges_create(county)
    Person.objects.create(recorded_by=county["agencies"]["idva"], given_name="Rosa", family_name="Lindqvist")
    idva, worker = staff["idva"], refuges["workers"]["other"]  # Rowan Court's provider
    devices = {u.username: TOTPDevice.objects.create(user=u, name="app", confirmed=True) for u in (idva, worker)}
    server = live_server.url
    today = f"{timezone.localdate():%d/%m/%Y}"
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, server, idva.username, devices[idva.username])
    board_search(page, server)
    near = page.get_by_role("table", name="Nearest first, with what each cannot meet")
    expect(near.get_by_role("row", name="Juniper House, Flat 1")).to_contain_text("Takes boys up to 12: her son is 14")
    suitable = page.get_by_role("table", name="Units available now that meet every need")
    suitable.get_by_role("button", name="Hold Rowan Court, Flat A").click()
    expect(page.get_by_role("heading", name="Refer a family to Rowan Court")).to_be_visible()
    expect(page.get_by_label("Children coming with her")).to_have_value("1")
    page.get_by_label("Find someone your agency already holds, by name (optional)").fill("Lindqvist")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Refer this person").first.click()
    page.get_by_label("Her home district").select_option(label="Northtown")
    page.get_by_role("radio", name="Needs refuge").check()
    page.get_by_label("Children coming with her").fill("1")
    page.get_by_label("She agrees to this referral").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referred: waiting for the provider")).to_be_visible()
    assert "Lindqvist" not in page.title()

    # The provider, at the refuge's office.
    office = chromium.new_context().new_page()
    office.set_default_timeout(10_000)
    sign_in(office, server, worker.username, devices[worker.username])
    office.get_by_role("link", name="Referrals to answer").click()
    office.get_by_role("link", name="Read the referral for Flat A").click()
    expect(office.get_by_text("Rosa Lindqvist")).to_be_visible()
    expect(office.get_by_text("Needs refuge")).to_be_visible()
    office.get_by_role("radio", name="Accepted").check()
    office.get_by_role("button", name="Record the answer").click()
    expect(office.get_by_text("Accepted: arrival expected")).to_be_visible()

    # The board no longer offers the unit.
    board_search(page, server)
    expect(page.get_by_role("button", name="Hold Rowan Court, Flat A")).to_have_count(0)

    office.get_by_label("The day she arrived").fill(today)
    office.get_by_role("button", name="Record her arrival").click()
    expect(office.get_by_text("Arrival recorded: her stay has begun.")).to_be_visible()
    office.get_by_label("Her support plan").fill("Key work twice a week; housing application.")
    office.get_by_label("Children supported").fill("1")
    office.get_by_role("button", name="Save the support").click()
    expect(office.get_by_text("Support recorded.")).to_be_visible()
    office.get_by_label("The day she left").fill(today)
    office.get_by_role("radio", name="Planned move-on").check()
    office.get_by_label("Where she moved on to").select_option(label="A social housing tenancy")
    office.get_by_role("radio", name="Available for the next family").check()
    office.get_by_role("button", name="Record her move-on").click()
    expect(office.get_by_text("Her move-on is recorded.")).to_be_visible()
    expect(office.get_by_text("to a social housing tenancy")).to_be_visible()

    board_search(page, server)
    expect(page.get_by_role("button", name="Hold Rowan Court, Flat A")).to_have_count(1)
    for shown in (page, office):
        assert ADDRESS not in shown.content() and "1 Secret Row" not in shown.content()
    assert all(urlsplit(url).netloc == urlsplit(server).netloc for url in requested)
