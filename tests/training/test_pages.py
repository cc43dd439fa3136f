"""The champions network's pages: who may change which agency's champions, the register
and its certificates, the refreshers due, and every form's errors in words."""

from datetime import date, timedelta

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone

from carepath.core import access
from carepath.core.models import AccessLog
from carepath.training.models import AttendanceStatus, Booking, Champion, Session, Trainee


@pytest.fixture
def champions(county):
    a = county["agencies"]
    make = lambda agency, name: Champion.objects.create(  # noqa: E731
        agency=agency,
        name=name,
        job_title="Lead",
        team="Response",
        phone="01234 567890",
        champion_from=date(2024, 1, 1),
    )
    return {"police": make(a["police"], "Pat Police"), "housing": make(a["housing"], "Hal Housing")}


def champion_data(agency, **changes) -> dict:
    data = {
        "name": "Sam Champion",
        "job_title": "Team leader",
        "agency": agency.pk,
        "team": "Tenancy",
        "email": "sam@example.org",
        "phone": "",
        "champion_from": "1/4/2025",
        "champion_until": "",
    }
    return {**data, **changes}


def test_every_member_of_staff_finds_the_champions_with_their_contacts(staff, champions, login):
    client = login(staff["officer"])
    own = client.get(reverse("training_champions")).content.decode()
    assert "Pat Police" in own and "01234 567890" in own and "Hal Housing" not in own  # their agency first
    every = client.get(reverse("training_champions"), {"agency": "", "q": "response"}).content.decode()
    assert "Pat Police" in every and "Hal Housing" in every
    assert "/training/champions/" not in every  # a front-door officer changes nobody's champions
    assert client.get(reverse("training_champion_add")).status_code == 403
    home = client.get(reverse("home")).content.decode()
    section = home[home.index("Domestic abuse champions") :]
    assert "Pat Police" in section and "01234 567890" in section and "Hal Housing" not in section


def test_an_agency_lead_keeps_their_own_agencys_champions_only(staff, champions, login):
    client = login(staff["outsider_supervisor"])  # a supervisor at housing
    police_champion = reverse("training_champion_edit", args=[champions["police"].pk])
    # Another agency's champion answers as a missing one does, and the attempt is logged.
    assert client.get(police_champion).status_code == 404
    assert client.post(police_champion, champion_data(champions["police"].agency)).status_code == 404
    assert AccessLog.objects.filter(user=staff["outsider_supervisor"], action="refused").count() == 2
    champions["police"].refresh_from_db()
    assert champions["police"].name == "Pat Police"

    housing = champions["housing"].agency
    response = client.post(
        reverse("training_champion_edit", args=[champions["housing"].pk]), champion_data(housing, name="Hal Renamed")
    )
    assert response.status_code == 302
    champions["housing"].refresh_from_db()
    assert champions["housing"].name == "Hal Renamed"
    assert champions["housing"].history.latest().history_user == staff["outsider_supervisor"]
    # Adding one: for their own agency only, the police are not offered.
    response = client.post(reverse("training_champion_add"), champion_data(champions["police"].agency))
    assert "Choose an agency from the list." in response.content.decode()
    assert not Champion.objects.filter(name="Sam Champion").exists()


def test_the_champion_form_says_what_is_wrong(staff, champions, login):
    client = login(staff["admin"])
    empty = client.post(reverse("training_champion_add"), {}).content.decode()
    for words in (
        "Enter the champion&#x27;s full name.",
        "Enter their job title.",
        "Choose their agency.",
        "Enter the first day they are the champion.",
    ):
        assert words in empty
    agency = champions["police"].agency
    bad = client.post(
        reverse("training_champion_add"),
        champion_data(agency, champion_from="1/5/2025", champion_until="1/4/2025", email="", phone=""),
    ).content.decode()
    assert "The last day as champion must not be before the first." in bad
    assert "Enter an email address or a phone number, so colleagues can reach them." in bad
    assert (
        "Enter the first day as a date"
        in client.post(
            reverse("training_champion_add"), champion_data(agency, champion_from="next week")
        ).content.decode()
    )


@pytest.fixture
def session(courses):
    return Session.objects.create(
        course=courses["dash"], held_on=date(2025, 3, 12), venue="Civic Centre", trainer="Jo Trainer", places=2
    )


def test_the_coordinator_books_marks_the_register_and_downloads_a_certificate(coordinator, county, session, login):
    client = login(coordinator)
    url = reverse("training_session", args=[session.pk])
    police = county["agencies"]["police"]
    client.post(url, {"action": "book", "book-name": "Rowan Ashby", "book-agency": police.pk, "book-job_title": "PC"})
    booking = Booking.objects.get(trainee__name="Rowan Ashby")
    # Not attended yet: no certificate.
    assert client.get(reverse("training_certificate", args=[booking.pk])).status_code == 404

    response = client.post(url, {"action": "register", f"booking-{booking.pk}": AttendanceStatus.ATTENDED})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == AttendanceStatus.ATTENDED

    response = client.get(reverse("training_certificate", args=[booking.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    try:
        text = " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    finally:
        document.close()
    assert "Rowan Ashby" in text and "Using the DASH checklist" in text
    assert "12 March 2025" in text and "current until 11 March 2026" in text


def test_the_register_and_booking_forms_say_what_is_wrong(coordinator, county, courses, session, login):
    client = login(coordinator)
    url = reverse("training_session", args=[session.pk])
    police = county["agencies"]["police"]
    html = client.post(url, {"action": "book", "book-name": "", "book-agency": "99999"}).content.decode()
    assert "Enter the person&#x27;s full name." in html and "Choose an agency from the list." in html
    for name in ("A One", "B Two"):
        client.post(url, {"action": "book", "book-name": name, "book-agency": police.pk})
    full = client.post(url, {"action": "book", "book-name": "C Three", "book-agency": police.pk}).content.decode()
    assert "The session is full: all 2 places are booked." in full
    again = client.post(url, {"action": "book", "book-name": "a one", "book-agency": police.pk})
    assert Booking.objects.filter(session=session).count() == 2 and again.status_code == 200

    future = Session.objects.create(
        course=courses["dash"], held_on=timezone.localdate() + timedelta(days=7), venue="V", trainer="T", places=5
    )
    booking = Booking.objects.create(session=future, trainee=Trainee.objects.get(name="A One"))
    html = client.post(
        reverse("training_session", args=[future.pk]),
        {"action": "register", f"booking-{booking.pk}": AttendanceStatus.ATTENDED},
    ).content.decode()
    assert "The session has not happened yet" in html
    booking.refresh_from_db()
    assert booking.status == AttendanceStatus.BOOKED

    sessions = client.post(reverse("training_sessions"), {"places": "lots", "held_on": "31/2/2025"}).content.decode()
    for words in (
        "Choose the course.",
        "Enter the date like 27/3/2026.",
        "Enter where it is held.",
        "Enter the number of places as a whole number, like 20.",
    ):
        assert words in sessions
    course = client.post(reverse("training_courses"), {"name": courses["dash"].name, "kind": "dash"})
    assert "There is already a course with that name." in course.content.decode()


def test_only_the_coordinators_run_the_network(staff, session, login):
    for user in (staff["officer"], staff["outsider_supervisor"], staff["idva"]):
        client = login(user)
        for name, args in (
            ("training_sessions", []),
            ("training_session", [session.pk]),
            ("training_courses", []),
            ("training_refreshers", []),
            ("training_report", []),
        ):
            assert client.get(reverse(name, args=args)).status_code == 403, (user, name)


def test_the_refreshers_due_list_and_the_coordinators_queue(coordinator, county, courses, login):
    police = county["agencies"]["police"]
    today = timezone.localdate()

    def attended(name, kind, days_ago):
        session = Session.objects.create(
            course=courses[kind], held_on=today - timedelta(days=days_ago), venue="V", trainer="T", places=9
        )
        trainee = Trainee.objects.create(name=name, agency=police)
        Booking.objects.create(session=session, trainee=trainee, status=AttendanceStatus.ATTENDED)

    attended("Lapsed Lee", "dash", 400)  # a year's DASH training ran out about a month ago
    attended("Soon Sol", "dash", 330)  # runs out in about a month: inside the 60-day warning
    attended("Fresh Fay", "dash", 10)
    attended("Founded Fin", "foundation", 400)  # three years: current
    html = login(coordinator).get(reverse("training_refreshers")).content.decode()
    overdue = html[html.index('id="overdue-table"') : html.index('id="due-soon-table"')]
    soon = html[html.index('id="due-soon-table"') :]
    assert "Lapsed Lee" in overdue and "Soon Sol" not in overdue
    assert "Soon Sol" in soon
    assert "Fresh Fay" not in html and "Founded Fin" not in html
    queues = {q["title"]: q["count"] for q in access.queues_for(coordinator)}
    assert queues["Refreshers due"] == 1
