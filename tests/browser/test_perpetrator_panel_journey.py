"""The serial and repeat perpetrator panel in a real (headless) Chromium: a police analyst
opens the panel, finds the man who has harmed two women ranked with his score's parts,
agrees his plan, and records a breach of the DVPO protecting one of them; her IDVA then
sees the breach on her case, and nothing of the other woman."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carepath.casework.models import Case, CaseSource, Service, ServiceKind, Worker
from carepath.core.codes import RiskLevel
from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.perpetrators.models import Order, OrderKind
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_an_analyst_plans_for_a_serial_perpetrator_and_her_idva_sees_his_breach(live_server, chromium, page, county):
    police, idva_agency = county["agencies"]["police"], county["agencies"]["idva"]
    analyst = staff_create(username="analyst-jo", agency=police, role=Role.COMMISSIONER, password=PASSWORD)
    idva = staff_create(username="idva-kim", agency=idva_agency, role=Role.IDVA, password=PASSWORD)
    devices = {u.username: TOTPDevice.objects.create(user=u, name="app", confirmed=True) for u in (analyst, idva)}

    him = Person.objects.create(recorded_by=police, given_name="Darius", family_name="Vantablack", sex="male")
    her = Person.objects.create(recorded_by=police, given_name="Imogen", family_name="Quatermass", sex="female")
    other = Person.objects.create(recorded_by=police, given_name="Rosalind", family_name="Featherstone", sex="female")
    now = datetime.now(UTC)
    # Two events against her within the year (repeat), one against another woman (serial).
    for n, (victim, days_ago) in enumerate(((her, 40), (her, 10), (other, 200))):
        Event.objects.create(
            agency=police,
            reference=f"INC-{n}",
            occurred_at=now - timedelta(days=days_ago),
            reported_at=now - timedelta(days=days_ago),
            district=county["district"],
            victim=victim,
            perpetrator=him,
            is_crime=True,
            risk_level=RiskLevel.HIGH,
        )
    today = timezone.localdate()
    Order.objects.create(
        perpetrator=him,
        protected_person=her,
        kind=OrderKind.DVPO,
        made_on=today - timedelta(days=9),
        starts_on=today - timedelta(days=9),
        ends_on=today + timedelta(days=19),
        conditions="Not to enter Juniper Crescent.",
        recorded_by=police,
        recorded_by_user=analyst,
        recorded_at=now,
    )
    service = Service.objects.create(agency=idva_agency, name="Testshire IDVA Service", kind=ServiceKind.IDVA)
    case = Case.objects.create(
        service=service,
        victim=her,
        source=CaseSource.FRONT_DOOR,
        risk_level="high",
        worker=Worker.objects.create(user=idva, service=service),
        referred_at=now,
    )
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server.url, "analyst-jo", devices["analyst-jo"])
    page.get_by_role("link", name="Perpetrators").click()
    ranked = page.get_by_role("table", name="Serial and repeat perpetrators, highest score first")
    row = ranked.get_by_role("row").filter(has_text="Vantablack")
    expect(row).to_contain_text("Serial and repeat perpetrator")
    expect(row).to_contain_text("Victims 2")
    expect(row).to_contain_text("Frequency 3 events")
    assert "Vantablack" not in page.title()

    row.get_by_role("link", name="Make a plan").click()
    page.get_by_label("Owner").select_option(label="analyst-jo")
    page.get_by_label("Disruption").check()
    page.get_by_label("Enforcement").check()
    page.get_by_label("Actions agreed").fill("Check bail address weekly; target known associates.")
    page.get_by_label("Review by").fill((today + timedelta(days=28)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The plan is saved.")).to_be_visible()
    expect(page.get_by_text("Check bail address weekly")).to_be_visible()

    # His profile: both women, the DVPO protecting one of them; a breach tonight.
    page.get_by_role("link", name="Vantablack").first.click()
    assert "Vantablack" not in page.title()
    page.get_by_role("link", name="Domestic Violence Protection Order (DVPO)").click()
    page.get_by_role("link", name="Record a breach").click()
    page.get_by_label("Date of the breach").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Time").fill("00:05")
    page.get_by_label("What happened").fill("Came to her door and shouted through the letterbox.")
    page.get_by_label("Action taken").select_option(label="Arrested")
    page.get_by_role("button", name="Record the breach").click()
    expect(page.get_by_text("Came to her door and shouted through the letterbox.")).to_be_visible()

    # Her IDVA, at her own desk: the order and its breach on her case, not the other woman.
    desk = chromium.new_context().new_page()
    desk.set_default_timeout(10_000)
    sign_in(desk, live_server.url, "idva-kim", devices["idva-kim"])
    desk.get_by_role("link", name="Your cases").click()
    desk.get_by_role("link", name="Case").first.click()
    assert desk.url.endswith(f"/cases/{case.pk}/")
    expect(desk.get_by_role("heading", name="Orders protecting her", exact=True)).to_be_visible()
    expect(desk.get_by_text("Not to enter Juniper Crescent.")).to_be_visible()
    expect(desk.get_by_text("Came to her door and shouted through the letterbox.")).to_be_visible()
    expect(desk.get_by_role("cell", name="Arrested")).to_be_visible()
    assert "Featherstone" not in desk.content()
    assert "Rosalind" not in desk.content()
    assert "Quatermass" not in desk.title()
    assert {urlsplit(url).netloc for url in requested} == {server}
