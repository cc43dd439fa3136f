"""Clare's Law pages: the police's queue with each clock, an application's steps, the
clocks report and its download; refused to an IDVA and to an uninvolved agency."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from carepath.core import access
from carepath.core.models import AccessLog
from carepath.perpetrators.models import DisclosureApplication, DisclosureDecision, DisclosureRoute


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def application(reported_event, staff):
    """Received 13 days ago: its checks done on time, the meeting not held."""
    received = timezone.now() - timedelta(days=13)
    return DisclosureApplication.objects.create(
        route=DisclosureRoute.RIGHT_TO_ASK,
        agency=reported_event.agency,
        person_at_risk=reported_event.victim,
        subject=reported_event.perpetrator,
        received_at=received,
        initial_checks_at=received + timedelta(hours=3),
        owner=staff["officer"],
    )


def test_the_police_see_the_queue_with_each_clock_in_words(application, staff, login):
    response = login(staff["officer"]).get(reverse("disclosure_queue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Imogen Quatermass" in html and "Darius Vantablack" in html
    # 13 calendar days hold at least 9 working days and at most 10 (9 with a bank holiday
    # in them): the meeting is due, or at most a day overdue.
    assert "Met on time" in html  # the checks, 3 hours after receipt
    # The decision: 28 days from receipt, 15 days less the moments since (14 days in
    # words), or a day either side of that when the clocks changed in between.
    assert "Due in 15 days" in html or "Due in 14 days" in html
    assert "Quatermass" not in html.split("<title>")[1].split("</title>")[0]
    logged = set(AccessLog.objects.filter(user=staff["officer"], action="listed").values_list("object_id", flat=True))
    assert {application.person_at_risk_id, application.subject_id} <= logged


def test_an_overdue_meeting_is_highlighted(application, staff, login):
    # Received 30 days ago: 30 calendar days hold at least 20 working days less at most 4
    # bank holidays (Christmas to New Year), so 16 or more: the 10 are over.
    DisclosureApplication.objects.filter(pk=application.pk).update(received_at=timezone.now() - timedelta(days=30))
    html = login(staff["officer"]).get(reverse("disclosure_queue")).content.decode()
    assert 'govuk-tag--red">Overdue by' in html


@pytest.mark.parametrize("who", ["idva", "outsider"])
def test_an_idva_and_an_uninvolved_agency_are_refused(who, application, staff, login):
    client = login(staff[who])
    for url in (
        reverse("disclosure_queue"),
        reverse("disclosure_application_new"),
        reverse("disclosure_application_detail", args=[application.pk]),
        reverse("disclosure_report"),
        reverse("disclosure_report_download"),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("disclosure_checks_record", args=[application.pk]), {"checks-at": "x"})
    assert response.status_code == 403


def test_the_application_page_opens_through_the_access_registry(application, staff, login):
    response = login(staff["officer"]).get(reverse("disclosure_application_detail", args=[application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Imogen Quatermass" in html and "Darius Vantablack" in html
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Quatermass" not in title and "Vantablack" not in title
    assert AccessLog.objects.filter(user=staff["officer"], action="opened", content_type__model="person").count() == 2
    assert access.record_type_for("disclosure-application").model is DisclosureApplication


def test_bad_input_gives_form_errors_not_a_server_error(application, staff, login):
    client = login(staff["officer"])
    url = reverse("disclosure_meeting_record", args=[application.pk])
    response = client.post(url, {"meeting-at": "yesterday"})
    assert response.status_code == 400
    assert "Enter when the meeting was held as a date and time" in response.content.decode()
    # Before the initial checks.
    response = client.post(url, {"meeting-at": _when(application.received_at)})
    assert response.status_code == 400
    assert "The time cannot be before the initial checks." in response.content.decode()
    # In the future.
    response = client.post(url, {"meeting-at": _when(timezone.now() + timedelta(days=2))})
    assert "The time cannot be in the future." in response.content.decode()
    response = client.post(reverse("disclosure_decision_record", args=[application.pk]), {"decision-decision": "maybe"})
    assert response.status_code == 400
    assert "Choose disclose, no disclosure or withdrawn." in response.content.decode()
    application.refresh_from_db()
    assert application.meeting_at is None and not application.decision


def test_each_step_in_turn_and_no_disclosure_without_a_support_worker(application, staff, login):
    client = login(staff["officer"])
    received = application.received_at
    response = client.post(
        reverse("disclosure_meeting_record", args=[application.pk]), {"meeting-at": _when(received + timedelta(days=6))}
    )
    assert response.status_code == 302
    # Decided on day 8, within the 28 days: no reason for a delay is asked for.
    response = client.post(
        reverse("disclosure_decision_record", args=[application.pk]),
        {"decision-decision": "disclose", "decision-at": _when(received + timedelta(days=8))},
    )
    assert response.status_code == 302
    url = reverse("disclosure_delivered_record", args=[application.pk])
    response = client.post(url, {"delivered-at": _when(received + timedelta(days=9))})
    assert response.status_code == 400
    assert (
        "Name the support worker who was present, and their service: a disclosure is made with a support worker "
        "present." in response.content.decode()
    )
    application.refresh_from_db()
    assert application.disclosed_at is None
    response = client.post(
        url,
        {"delivered-at": _when(received + timedelta(days=9)), "delivered-support_worker_present": "Ana, IDVA service"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.decision == DisclosureDecision.DISCLOSE
    assert application.support_worker_present == "Ana, IDVA service"
    # Closed now: it leaves the queue.
    assert "Imogen Quatermass" not in client.get(reverse("disclosure_queue")).content.decode()
    page = client.get(reverse("disclosure_application_detail", args=[application.pk])).content.decode()
    assert "Closed: disclosure made" in page and "with Ana, IDVA service present" in page


def test_a_decision_after_28_days_needs_a_reason(application, staff, login):
    client = login(staff["officer"])
    DisclosureApplication.objects.filter(pk=application.pk).update(
        received_at=timezone.now() - timedelta(days=40),
        initial_checks_at=timezone.now() - timedelta(days=39),
        meeting_at=timezone.now() - timedelta(days=30),
    )
    url = reverse("disclosure_decision_record", args=[application.pk])
    late = {"decision-decision": "no_disclosure", "decision-at": _when(timezone.now() - timedelta(days=1))}
    response = client.post(url, late)
    assert response.status_code == 400
    assert "Say why it took longer than 28 days" in response.content.decode()
    response = client.post(url, {**late, "decision-delay_reason": "Waiting for another force's records."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.delay_reason == "Waiting for another force's records."


def test_a_new_application_from_people_the_force_holds(reported_event, staff, login):
    client = login(staff["officer"])
    url = reverse("disclosure_application_new")
    found = client.get(url, {"name": "Quatermass"}).content.decode()
    assert "Choose as the person at risk" in found
    victim, subject = reported_event.victim, reported_event.perpetrator
    # Without both people chosen: a clear error, not a record.
    response = client.post(url, {"route": "right_to_ask", "applicant_is_person_at_risk": "yes", "received_at": "x"})
    assert response.status_code == 400
    assert "Enter when the application was received as a date and time" in response.content.decode()
    response = client.post(
        f"{url}?at_risk={victim.pk}",
        {"route": "right_to_ask", "applicant_is_person_at_risk": "yes", "received_at": _when(timezone.now())},
    )
    assert "Choose the person at risk and the person asked about" in response.content.decode()
    response = client.post(
        url,
        {
            "at_risk": victim.pk,
            "subject": subject.pk,
            "route": "right_to_know",
            "applicant_is_person_at_risk": "yes",
            "received_at": _when(timezone.now() - timedelta(hours=2)),
        },
    )
    assert response.status_code == 302
    made = DisclosureApplication.objects.get()
    assert (made.person_at_risk, made.subject, made.route) == (victim, subject, DisclosureRoute.RIGHT_TO_KNOW)
    # Right to know: nobody applied.
    assert not made.applicant_is_person_at_risk
    assert made.agency == staff["officer"].agency and made.owner == staff["officer"]


def test_a_person_the_force_does_not_hold_cannot_be_chosen(reported_event, staff, login, county):
    from carepath.people.models import Person

    stranger = Person.objects.create(recorded_by=county["agencies"]["housing"], given_name="Zed", family_name="Other")
    client = login(staff["officer"])
    assert "Zed Other" not in client.get(reverse("disclosure_application_new"), {"name": "Other"}).content.decode()
    response = client.post(
        reverse("disclosure_application_new"),
        {
            "at_risk": reported_event.victim.pk,
            "subject": stranger.pk,
            "route": "right_to_ask",
            "applicant_is_person_at_risk": "yes",
            "received_at": _when(timezone.now()),
        },
    )
    assert response.status_code == 400 and not DisclosureApplication.objects.exists()


def test_the_report_counts_the_clocks_met_and_missed_and_downloads(application, staff, login):
    # The application: received 13 days ago, checks 3 hours later (met); the meeting not
    # yet held and not more than a day overdue at most; the decision not yet due.
    # A second one received 40 days ago, checks after 30 hours (met late by 6 hours),
    # never met: meeting and decision overdue.
    received = timezone.now() - timedelta(days=40)
    late = DisclosureApplication.objects.create(
        route=DisclosureRoute.RIGHT_TO_KNOW,
        agency=application.agency,
        person_at_risk=application.person_at_risk,
        subject=application.subject,
        received_at=received,
        initial_checks_at=received + timedelta(hours=30),
        owner=application.owner,
    )
    client = login(staff["officer"])
    today = timezone.localdate()
    query = {"first": (today - timedelta(days=60)).strftime("%d/%m/%Y"), "last": today.strftime("%d/%m/%Y")}
    response = client.get(reverse("disclosure_report"), query)
    html = response.content.decode()
    assert "2 applications" in html
    assert f"Application {late.pk}</a>" in html
    assert "Met late, by 6 hours" in html
    assert "Imogen" not in html  # numbers, not names
    download = client.get(reverse("disclosure_report_download"), query)
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    rows = [r for r in book.active.iter_rows(values_only=True) if any(r)]
    figures = {r[0]: r[1:6] for r in rows if r[0] in ("Initial checks", "Multi-agency meeting")}
    # Initial checks: 2 applications, 1 met on time, 1 met late, none overdue or running.
    assert figures["Initial checks"] == (2, 1, 1, 0, 0)
    # The meeting: the late one overdue; the other running or, at most, just overdue.
    assert figures["Multi-agency meeting"][0] == 2 and figures["Multi-agency meeting"][3] >= 1
    # A period given backwards is a form error.
    response = client.get(reverse("disclosure_report"), {"first": query["last"], "last": query["first"]})
    assert "The end of the period must not be before its start." in response.content.decode()


def test_a_refusal_about_a_step_whose_form_is_gone_is_still_shown(application, staff, login):
    # The checks are recorded, so their form is no longer on the page (posted twice, from
    # an old page): the refusal is shown at the top.
    response = login(staff["officer"]).post(
        reverse("disclosure_checks_record", args=[application.pk]), {"checks-at": _when(timezone.now())}
    )
    assert response.status_code == 400
    assert "The initial checks are already recorded." in response.content.decode()
