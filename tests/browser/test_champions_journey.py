"""The training co-ordinator in a real (headless) Chromium: marks who came to a session,
downloads a certificate, and opens the report to see its chart beside its table."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from carepath.people.models import Person
from carepath.referrals.models import Channel, Destination, Referral
from carepath.training.models import AttendanceStatus, Booking, Champion, Course, CourseKind, Session, Trainee
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD


@pytest.fixture
def coordinator(county):
    user = staff_create(
        username="training-coordinator",
        agency=county["agencies"]["partnership"],
        role=Role.COMMISSIONER,
        password=PASSWORD,
    )
    return user, TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


@pytest.mark.django_db(transaction=True)
def test_the_coordinator_marks_a_register_downloads_a_certificate_and_reads_the_report(
    live_server, page, coordinator, county
):
    user, device = coordinator
    police = county["agencies"]["police"]
    today = timezone.localdate()
    Champion.objects.create(
        agency=police, name="Pat Ridley", job_title="Sergeant", phone="01707 100200", champion_from=date(2024, 1, 1)
    )
    course = Course.objects.create(name="Using the DASH checklist", kind=CourseKind.DASH)
    session = Session.objects.create(
        course=course, held_on=today - timedelta(days=3), venue="County Hall", trainer="Jo Trainer", places=10
    )
    for name in ("Rowan Ashby", "Kit Morley"):
        Booking.objects.create(session=session, trainee=Trainee.objects.create(name=name, agency=police))
    victim = Person.objects.create(recorded_by=police, given_name="V", family_name="Test")
    Referral.objects.create(
        channel=Channel.PROFESSIONAL,
        destination=Destination.MARAC,
        referring_agency=police,
        victim=victim,
        received_at=timezone.now(),
    )
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server.url, user.username, device)
    page.get_by_role("link", name="Find a champion in any agency").click()
    page.get_by_role("link", name="Sessions and registers").click()
    page.get_by_role("link", name=f"{session.held_on:%-d %B %Y}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register for")

    page.get_by_role("group", name="Attendance of Rowan Ashby").get_by_label("Attended").check()
    page.get_by_role("group", name="Attendance of Kit Morley").get_by_label("Did not attend").check()
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("The register is saved (2 changed).")).to_be_visible()
    assert Booking.objects.get(trainee__name="Rowan Ashby").status == AttendanceStatus.ATTENDED

    # Only the person who came has a certificate.
    expect(page.get_by_role("link", name="Download certificate for Kit Morley (PDF)")).to_have_count(0)
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download certificate for Rowan Ashby (PDF)").click()
    download = downloading.value
    assert download.suggested_filename.startswith("certificate-") and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.get_by_role("link", name="Training and referrals report").click()
    page.get_by_label("Agency", exact=True).select_option(label="Testshire Police")
    page.get_by_role("button", name="Show the report").click()
    chart = page.locator("svg.carepath-chart")
    expect(chart).to_be_visible()
    table = page.locator("#network-table")
    expect(table).to_be_visible()
    last = table.locator("tbody tr").last
    # This quarter: 1 champion, 1 trained (Rowan; Kit did not attend), no front-door or IDVA
    # referral, 1 to MARAC.
    expect(last.locator("td")).to_have_text(["1", "1", "0", "0", "1"])
    assert all(urlsplit(url).netloc == server for url in requested if url.startswith("http")), "another host"
