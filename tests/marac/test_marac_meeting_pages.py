"""The meeting as the coordinator and an agency use it on screen (issue 13, 3-6): forms
that keep what was typed when refused, the minutes PDF, the action-tracking report."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from carepath.marac.models import ActionStatus, CaseStatus, MaracAction, MaracMeeting, MeetingStatus
from carepath.marac.services import marac_referral_accept
from carepath.people.models import Address, SafeContact
from tests.marac.factories import NOW, marac_referral
from tests.marac.test_marac_agenda import pdf_text


@pytest.fixture
def today_case(county, marac, coordinator):
    """A listed case whose meeting started an hour ago, its victim with a safe phone and a
    confidential refuge address."""
    case = marac_referral_accept(referral=marac_referral(county, coordinator), user=coordinator, now=NOW)
    MaracMeeting.objects.filter(pk=case.meeting_id).update(starts_at=datetime.now(UTC) - timedelta(hours=1))
    SafeContact.objects.create(person=case.victim, safe_phone="07700 900777", voicemail_safe="no", text_safe="yes")
    Address.objects.create(
        person=case.victim,
        line_1="Refuge House, 3 Hidden Lane",
        town="Northtown",
        postcode="NT9 9ZZ",
        is_confidential=True,
    )
    case.refresh_from_db()
    return case


def test_a_meeting_recorded_on_screen_from_attendance_to_minutes(county, today_case, coordinator, staff, login):
    police = county["agencies"]["police"]
    client = login(coordinator)
    meeting_url = reverse("marac_meeting_detail", args=[today_case.meeting_id])
    refused = client.post(
        reverse("marac_attendance", args=[today_case.meeting_id]),
        {"attendance": "present", "agency": police.pk, "attendee": "DS Khan, DA unit"},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "signs the confidentiality statement" in page and 'value="DS Khan, DA unit"' in page
    client.post(
        reverse("marac_attendance", args=[today_case.meeting_id]),
        {"attendance": "present", "agency": police.pk, "attendee": "DS Khan, DA unit", "confidentiality_signed": "on"},
    )
    assert "Signed" in client.get(meeting_url).content.decode()

    case_url = reverse("marac_case_detail", args=[today_case.pk])
    client.post(
        reverse("marac_case_discuss", args=[today_case.pk]),
        {"summary": "Escalating abuse since the separation.", "risks": "Strangulation; threats to kill."},
    )
    bad_date = client.post(
        reverse("marac_action_add", args=[today_case.pk]),
        {
            "action_for": "victim",
            "action": "Fit a sanctuary lock.",
            "agency": police.pk,
            "owner": "DS Khan",
            "due_on": "31/02/2027",
        },
    )
    assert bad_date.status_code == 400 and "Enter a real date" in bad_date.content.decode()
    client.post(
        reverse("marac_action_add", args=[today_case.pk]),
        {
            "action_for": "victim",
            "action": "Fit a sanctuary lock.",
            "agency": police.pk,
            "owner": "DS Khan",
            "due_on": "15/01/2027",
        },
    )
    client.post(
        reverse("marac_plan", args=[today_case.pk]),
        {"police_lead": staff["officer"].pk, "options": ["arrest_charge", "clares_law"]},
    )
    page = client.get(case_url).content.decode()
    assert "Fit a sanctuary lock." in page and "Consider a right-to-know disclosure" in page

    # The police see the case for their action, and their action only: not the meeting's record.
    officer_page = login(staff["officer"]).get(case_url).content.decode()
    assert "Fit a sanctuary lock." in officer_page and "Escalating abuse" not in officer_page
    assert "Agency did not act" not in officer_page  # only the coordinator says that
    action = MaracAction.objects.get()
    login(staff["officer"]).post(reverse("marac_action_update", args=[today_case.pk, action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    # Housing owns nothing in this case and was never asked: the case does not exist for it.
    assert login(staff["outsider"]).get(case_url).status_code == 404

    minutes = client.get(reverse("marac_minutes_pdf", args=[today_case.meeting_id]), {"for": police.pk})
    text = " ".join(pdf_text(minutes.content).split())
    assert "CONFIDENTIAL" in text and f"copy for {police.name}" in text
    assert "Escalating abuse since the separation." in text and "Fit a sanctuary lock." in text
    assert "DS Khan, DA unit" in text and "Arrest and charge" in text
    for secret in ("07700 900777", "07700900777", "Hidden Lane", "NT9 9ZZ", "Refuge House"):
        assert secret not in text

    client.post(reverse("marac_meeting_held", args=[today_case.meeting_id]), {"chair": "DI Ross"})
    assert MaracMeeting.objects.get(pk=today_case.meeting_id).status == MeetingStatus.HELD
    client.post(reverse("marac_case_close", args=[today_case.pk]), {"reason": "Plan in place; perpetrator charged."})
    today_case.refresh_from_db()
    assert today_case.status == CaseStatus.CLOSED
    # Closed, it stays on the agenda of the meeting that heard it; research is no longer asked.
    assert "Heard, closed" in client.get(meeting_url).content.decode()
    assert "Ask agencies for research" not in client.get(case_url).content.decode()


def test_the_action_tracking_report_shows_overdue_actions_and_downloads(county, today_case, coordinator, login):
    from carepath.marac.services import marac_action_add, marac_case_discuss

    marac_case_discuss(case=today_case, user=coordinator, summary="S", risks="R")
    marac_action_add(
        case=today_case,
        user=coordinator,
        action_for="victim",
        action="Refer to the IDVA.",
        agency=county["agencies"]["idva"],
        owner="A. Shah",
        due_on=datetime.now(UTC).date(),
    )
    MaracAction.objects.update(due_on=datetime.now(UTC).date() - timedelta(days=3))
    client = login(coordinator)
    page = client.get(reverse("marac_actions"), {"overdue": "1"}).content.decode()
    assert "Overdue" in page and "Refer to the IDVA." in page and "1 overdue action not chased yet" in page
    client.post(reverse("marac_actions_chase"))
    assert MaracAction.objects.get().chased_at is not None
    download = client.get(reverse("marac_actions"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(BytesIO(download.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "MARAC")
    row = dict(zip(header, rows[rows.index(header) + 1], strict=True))
    assert row["Case"] == today_case.number and row["Action"] == "Refer to the IDVA." and row["Status"] == "Open"
    assert row["Agency"] == county["agencies"]["idva"].name and row["Chased"] is not None
