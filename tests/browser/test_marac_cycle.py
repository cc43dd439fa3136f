"""A whole MARAC cycle in a real (headless) Chromium, as the coordinator and two agencies
live it: a high-risk referral from the front door is sent to MARAC, accepted and listed;
the police return their research and housing's is shown overdue; the agenda PDF; on the
day, attendance and the case heard with its action plan; the minutes PDF; an action shown
overdue once its date has passed; the case closed."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pypdfium2
import pytest
from playwright.sync_api import expect

from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from carepath.marac.models import CaseStatus, Marac, MaracAction, MaracCase, MaracMeeting, MaracResearch
from carepath.referrals.services import referral_create
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


def pdf_text(path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    return " ".join(" ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).split())


def download_text(page, button_name: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name=button_name).click()
    return pdf_text(download.value.path())


@pytest.mark.django_db(transaction=True)
def test_a_marac_cycle_from_referral_to_closed_case(live_server, chromium, page, county, front_door):
    agencies = county["agencies"]
    marac = Marac.objects.create(
        agency=agencies["marac"], name="North MARAC", first_meeting=datetime(2026, 1, 13, 10, tzinfo=UTC), capacity=20
    )
    marac.districts.set([county["district"]])
    people = {
        "coordinator": staff_create(
            username="coord-jo", agency=agencies["marac"], role=Role.MARAC_COORDINATOR, password=PASSWORD
        ),
        "police": staff_create(username="ds-khan", agency=agencies["police"], role=Role.TRIAGE, password=PASSWORD),
        "housing": staff_create(
            username="housing-pat", agency=agencies["housing"], role=Role.CASEWORKER, password=PASSWORD
        ),
    }
    devices = {name: TOTPDevice.objects.create(user=u, name="app", confirmed=True) for name, u in people.items()}
    referral_create(data=police_referral(county, yes=15, consent="given", reference="INC-77"))
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    # The front door's MARAC referral task reaches the coordination: done, it makes the referral.
    sign_in(page, live_server.url, "coord-jo", devices["coordinator"])
    page.get_by_role("link", name="Your agency's tasks").click()
    page.get_by_role("row", name="Refer to MARAC").get_by_role("link", name="Referral").click()
    tasks = page.get_by_role("table", name="Tasks from the decision")
    tasks.get_by_role("row", name="Refer to MARAC").get_by_role("button", name="Refer to MARAC", exact=True).click()
    expect(page.get_by_text("Referred to MARAC with the DASH answers and reasons")).to_be_visible()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="MARAC referrals to check").click()
    row = page.get_by_role("row").filter(has_text="DASH score of 14 or more")
    expect(row).to_contain_text("High")
    row.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted as case 1 and listed for the meeting")).to_be_visible()
    assert "Quatermass" not in page.title()
    case = MaracCase.objects.get()

    page.get_by_label("Testshire Police").check()
    page.get_by_label("Northtown Housing").check()
    page.get_by_role("button", name="Ask for research").click()
    expect(page.get_by_text("Asked 2 agencies for research")).to_be_visible()

    # The police, at their own desk, return their research from the task in their queue.
    police = chromium.new_context().new_page()
    police.set_default_timeout(10_000)
    sign_in(police, live_server.url, "ds-khan", devices["police"])
    police.get_by_role("link", name="Your agency's tasks").click()
    police.get_by_role("row", name="Research for a MARAC meeting").get_by_role("link").first.click()
    police.get_by_label("What your agency holds on the victim").fill("Three call-outs since May.")
    police.get_by_label("What your agency holds on the person causing harm").fill("On bail: no contact.")
    police.get_by_role("button", name="Send to the MARAC").click()
    expect(police.get_by_text("Your research is with the MARAC.")).to_be_visible()
    police.context.close()

    # Housing's deadline passes without its research.
    MaracResearch.objects.filter(agency=agencies["housing"]).update(due_at=datetime.now(UTC) - timedelta(hours=2))
    page.goto(f"{live_server.url}/marac/cases/{case.pk}/")
    research = page.get_by_role("table", name="Research asked for, by agency")
    expect(research.get_by_role("row", name="Northtown Housing")).to_contain_text("Overdue")
    expect(page.get_by_text("Three call-outs since May.")).to_be_visible()

    # The agenda, for the police's copy.
    page.get_by_role("link", name=f"{case.meeting.starts_at:%A %-d %B %Y}").click()
    page.get_by_label("Agenda and minutes as PDFs, for").select_option(label="Testshire Police")
    agenda = download_text(page, "Download the agenda")
    assert "CONFIDENTIAL" in agenda and "copy for Testshire Police" in agenda and "Imogen Quatermass" in agenda

    # The meeting's day.
    MaracMeeting.objects.filter(pk=case.meeting_id).update(starts_at=datetime.now(UTC) - timedelta(hours=1))
    page.reload()
    page.get_by_role("radio", name="Present").check()
    page.get_by_label("Agency", exact=True).select_option(label="Testshire Police")
    page.get_by_label("Name and role of the person in the room").fill("DS Khan, DA unit")
    page.get_by_label("They have signed the confidentiality statement").check()
    page.get_by_role("button", name="Record attendance").click()
    page.get_by_role("radio", name="Sent apologies", exact=True).check()
    page.get_by_label("Agency", exact=True).select_option(label="Northtown Housing")
    page.get_by_role("button", name="Record attendance").click()
    attendance = page.get_by_role("table", name="Agencies and observers")
    expect(attendance.get_by_role("row", name="Testshire Police")).to_contain_text("Signed")
    expect(attendance.get_by_role("row", name="Northtown Housing")).to_contain_text("Sent apologies")

    page.get_by_role("link", name="1", exact=True).click()
    page.get_by_label("Summary of the case as the meeting heard it").fill("Escalating abuse since the separation.")
    page.get_by_label("Risks identified").fill("Strangulation; threats to kill.")
    page.get_by_role("button", name="Record what the meeting heard").click()
    page.get_by_role("radio", name="The victim").check()
    page.get_by_label("What is to be done").fill("Fit a sanctuary lock.")
    page.get_by_label("Agency that owns it").select_option(label="Northtown Housing")
    page.get_by_label("Named person at the agency").fill("P. Singh, tenancy officer")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    page.get_by_label("Due by").fill(f"{tomorrow:%d/%m/%Y}")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added to the plan.")).to_be_visible()
    page.get_by_label("Police lead").select_option(label="ds-khan (Testshire Police)")
    page.get_by_label("Arrest and charge for a criminal offence").check()
    page.get_by_role("button", name="Record the plan").click()
    expect(page.get_by_text("The risk-management plan for the person causing harm is recorded.")).to_be_visible()

    page.locator(f'a[href="/marac/meetings/{case.meeting_id}/"]').click()
    page.get_by_label("Chaired by (name and role)").fill("DI Ross, chair")
    page.get_by_role("button", name="Record the meeting as held").click()
    expect(page.get_by_text("The meeting is recorded as held.")).to_be_visible()
    page.get_by_label("Agenda and minutes as PDFs, for").select_option(label="Northtown Housing")
    minutes = download_text(page, "Download the minutes")
    assert "copy for Northtown Housing" in minutes and "Fit a sanctuary lock." in minutes
    assert "Escalating abuse since the separation." in minutes and "DS Khan, DA unit" in minutes

    # Two days on, the action is past its date and not reported on.
    MaracAction.objects.update(due_on=datetime.now(UTC).date() - timedelta(days=1))
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Overdue MARAC actions").click()
    row = page.get_by_role("row", name="Fit a sanctuary lock.")
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Northtown Housing")
    page.get_by_role("button", name="Chase the owning agencies now").click()
    expect(page.get_by_text("Chased 1 overdue action")).to_be_visible()

    page.get_by_role("link", name="1", exact=True).click()
    page.get_by_label("Why the case closes").fill("Perpetrator charged and remanded; plan complete.")
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text("The case is closed.")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert all(urlsplit(url).netloc == server for url in requested if url.startswith("http"))
