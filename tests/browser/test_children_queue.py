"""In a real (headless) Chromium: a safeguarding lead finds the children routed to their
agency in the children's queue, opens one, records the child's own risk and the outcome,
and the child leaves the list."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from carepath.referrals.intake import ChildDetails
from carepath.referrals.services import referral_create
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


@pytest.mark.django_db(transaction=True)
def test_a_safeguarding_lead_records_a_childs_risk_and_outcome(live_server, page, county, front_door):
    referral = referral_create(
        data=police_referral(
            county,
            children=(
                ChildDetails(given_name="Kit", family_name="Quatermass", age=7),
                ChildDetails(given_name="Ada", age=3),
            ),
        )
    ).referral
    lead = staff_create(
        username="lead-jo", agency=county["agencies"]["childrens"], role=Role.SAFEGUARDING_LEAD, password=PASSWORD
    )
    device = TOTPDevice.objects.create(user=lead, name="app", confirmed=True)
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server.url, "lead-jo", device)
    queue = page.locator(".govuk-summary-card", has=page.get_by_role("link", name="Children's queue"))
    expect(queue).to_contain_text("2 waiting")
    queue.get_by_role("link", name="Children's queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's queue")
    expect(page.get_by_role("row", name="Ada")).to_be_visible()
    page.get_by_role("link", name="Kit Quatermass").click()

    assert "Quatermass" not in page.title()  # no names in browser titles
    expect(page.get_by_role("heading", level=1)).to_have_text("Kit Quatermass")
    expect(page.get_by_text("Imogen")).to_have_count(0)  # the adults were not shared
    page.get_by_role("button", name="Record risk and outcome").click()
    expect(page.get_by_role("link", name="Choose the child's own risk level")).to_be_visible()

    page.get_by_label("High").check()
    page.get_by_label("Why is the child at this level?").fill("Told his teacher he is frightened at home.")
    page.get_by_label("Meets the statutory threshold").check()
    page.get_by_role("button", name="Record risk and outcome").click()

    expect(
        page.get_by_text(f"Risk and outcome recorded for child {referral.children.get(child__given_name='Kit').pk}.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's queue")
    expect(page.get_by_role("link", name="Kit Quatermass")).to_have_count(0)
    expect(page.get_by_role("row", name="Ada")).to_be_visible()
    assert all(urlsplit(url).netloc == server for url in requested if url.startswith("http"))
