"""In a real (headless) Chromium: an IDVA finds the referral the front door routed to
their service, takes it and records the first contact; the data-protection officer then
sees that view in the access log of the victim."""

from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from carepath.referrals.services import referral_create
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


@pytest.mark.django_db(transaction=True)
def test_an_idva_takes_routed_work_and_the_dpo_sees_who_looked(live_server, page, county, front_door):
    referral = referral_create(
        data=replace(police_referral(county, children=()), details="Pushed down the stairs.")
    ).referral
    idva = staff_create(username="idva-kim", agency=county["agencies"]["idva"], role=Role.IDVA, password=PASSWORD)
    dpo = staff_create(
        username="dpo-sam",
        agency=county["agencies"]["partnership"],
        role=Role.DATA_PROTECTION_OFFICER,
        password=PASSWORD,
    )
    devices = {u.username: TOTPDevice.objects.create(user=u, name="app", confirmed=True) for u in (idva, dpo)}
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server.url, "idva-kim", devices["idva-kim"])
    # The home page lists the task itself, as a link, beside the queue's count.
    expect(page.get_by_role("link", name=f"IDVA referral: referral {referral.pk}")).to_be_visible()
    expect(page.get_by_text("1 waiting")).to_be_visible()
    page.get_by_role("link", name="Your agency's tasks").click()
    row = page.get_by_role("row", name="IDVA referral")
    expect(row).to_contain_text("Not yet named")
    row.get_by_role("button", name="Take it").click()
    expect(page.get_by_text("IDVA referral is now yours.")).to_be_visible()
    page.get_by_role("row", name="IDVA referral").get_by_role("link", name=f"Referral {referral.pk}").click()

    assert "Quatermass" not in page.title()  # no names in browser titles
    expect(page.get_by_role("heading", level=1)).to_contain_text("Imogen Quatermass")
    expect(page.get_by_text("Pushed down the stairs.")).to_be_visible()
    task = page.get_by_role("row", name="IDVA referral")
    task.get_by_text("Record the outcome").click()
    task.get_by_role("radio", name="Done", exact=True).check()
    task.get_by_label("Note").fill("Spoke to her on the safe number; safety plan agreed")
    task.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded.")).to_be_visible()
    expect(page.get_by_role("row", name="IDVA referral")).to_contain_text("Done by idva-kim")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "dpo-sam", devices["dpo-sam"])
    page.get_by_role("link", name="Audit").click()
    page.get_by_label("Person record number").fill(str(referral.victim_id))
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who looked at this person")
    expect(page.get_by_role("row", name="idva-kim").first).to_contain_text("Opened")
    assert all(urlsplit(url).netloc == server for url in requested if url.startswith("http"))
