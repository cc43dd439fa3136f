"""An IDVA case in a real (headless) Chromium: the service's manager allocates the front
door's referral; the IDVA sees it among her cases, records a failed and then a successful
contact attempt by the only safe channel, her needs and intake scores, her safety plan, a
DASH re-assessment whose change in risk the case then shows, and closes the case with its
outcomes."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from carepath.casework import rules
from carepath.casework.models import Case, Service, ServiceKind, Worker
from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from carepath.referrals.services import referral_create
from carepath.risk.checklist import DASH_RIC_2009
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


@pytest.mark.django_db(transaction=True)
def test_an_idva_case_from_allocation_to_closure(live_server, chromium, page, county, front_door):
    idva = county["agencies"]["idva"]
    service = Service.objects.create(agency=idva, name="Testshire IDVA Service", kind=ServiceKind.IDVA)
    users = {
        "manager": staff_create(username="mgr-sam", agency=idva, role=Role.IDVA, password=PASSWORD),
        "idva": staff_create(username="idva-kim", agency=idva, role=Role.IDVA, password=PASSWORD),
    }
    Worker.objects.create(user=users["manager"], service=service, is_manager=True)
    Worker.objects.create(user=users["idva"], service=service, specialisms=["criminal_justice"])
    devices = {name: TOTPDevice.objects.create(user=u, name="app", confirmed=True) for name, u in users.items()}
    referral = referral_create(data=police_referral(county, yes=15, consent="given", reference="INC-88")).referral
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server.url, "mgr-sam", devices["manager"])
    page.get_by_role("link", name="Referrals to allocate").click()
    row = page.get_by_role("row", name=f"Referral {referral.pk}")
    row.get_by_label(f"Worker for referral {referral.pk}").select_option(label="idva-kim")
    row.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Allocated to idva-kim")).to_be_visible()
    expect(page.get_by_text("Nothing waiting.")).to_be_visible()

    # The IDVA, at her own desk.
    desk = chromium.new_context().new_page()
    desk.set_default_timeout(10_000)
    sign_in(desk, live_server.url, "idva-kim", devices["idva"])
    desk.get_by_role("link", name="Your cases").click()
    expect(desk.get_by_text("1 open case against a safe 80")).to_be_visible()
    desk.get_by_role("link", name="Case").first.click()
    assert "Quatermass" not in desk.title()
    # Texts are not safe for her: only a phone call is offered.
    expect(desk.get_by_role("radio", name="Text message")).to_have_count(0)
    desk.get_by_role("radio", name="Phone call").check()
    desk.get_by_role("radio", name="No", exact=True).check()
    desk.get_by_label("Note").first.fill("No answer; did not leave a message.")
    desk.get_by_role("button", name="Record the attempt").click()
    expect(desk.get_by_text("Contact attempt recorded.")).to_be_visible()
    desk.get_by_role("radio", name="Phone call").check()
    desk.get_by_role("radio", name="Yes", exact=True).check()
    desk.get_by_role("button", name="Record the attempt").click()
    expect(desk.get_by_role("table", name="Contact attempts").get_by_role("row")).to_have_count(3)

    desk.get_by_text("Record her needs assessment and intake scores").click()
    desk.get_by_label("Family court").check()
    for score in rules.SCORES.values():
        desk.get_by_label(f"{score} at intake, 1 to 10").fill("3")
    desk.get_by_role("button", name="Record the needs assessment").click()
    expect(desk.get_by_text("Her needs assessment is recorded.")).to_be_visible()

    desk.get_by_role("link", name="Re-assess the risk with her").click()
    assert "Quatermass" not in desk.title()
    for number in DASH_RIC_2009.numbers:  # six yes: standard risk now
        desk.locator(f'input[name="dash_{number}"][value="{"yes" if number <= 6 else "no"}"]').check()
    desk.get_by_role("button", name="Record the re-assessment").click()
    expect(desk.get_by_text("Risk fell from high risk (score 15) to standard risk (score 6).")).to_be_visible()

    desk.get_by_label("The safety plan agreed with her").fill("Code word with her sister; bag packed at work.")
    desk.get_by_role("button", name="Record the safety plan").click()
    expect(desk.get_by_text("The safety plan is recorded.")).to_be_visible()
    desk.get_by_role("radio", name="Engaged").check()
    desk.get_by_label("Level of engagement (when she engages)").select_option(index=3)
    desk.get_by_role("button", name="Record the status").click()
    expect(desk.get_by_text("The case's status is recorded.")).to_be_visible()

    desk.get_by_text("Close the case with its outcomes").click()
    for abuse in rules.ABUSE_TYPES.values():
        desk.get_by_role("group", name=abuse).get_by_role("radio", name="Reduced").check()
    for score in rules.SCORES.values():
        desk.get_by_label(f"{score} now, 1 to 10").fill("7")
    desk.get_by_role("button", name="Close the case").click()
    expect(desk.get_by_text("The case is closed with its outcomes.")).to_be_visible()
    case = Case.objects.get()
    assert case.status == rules.CLOSED and case.outcomes["physical"] == "reduced" and case.first_contact_at
    desk.context.close()
    assert all(urlsplit(url).netloc == server for url in requested if url.startswith("http"))
