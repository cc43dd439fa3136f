"""The MARAC meeting (issue 13, 3-6): attendance with signed confidentiality statements,
each case heard with its summary, risks and action plan, the perpetrator's plan led by a
police officer, actions reported on and chased when overdue, cases closed, kept for review
or transferred."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carepath.core.codes import ActionType, TaskStatus
from carepath.core.models import Agency, AgencyType, InformationShare, Role, Task
from carepath.core.services import staff_create
from carepath.marac.models import ActionStatus, CaseSource, CaseStatus, Marac, MaracMeeting, MeetingStatus
from carepath.marac.services import (
    marac_action_add,
    marac_action_update,
    marac_actions_chase,
    marac_attendance_record,
    marac_case_close,
    marac_case_discuss,
    marac_case_review_set,
    marac_case_transfer,
    marac_meeting_held,
    marac_referral_accept,
    risk_management_plan_record,
)
from carepath.referrals.models import Referral
from tests.marac.factories import NOW, marac_referral

# The listed cases' meeting is on Tuesday 8 December 2026 at 10:00.
MEETING_DAY = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)


@pytest.fixture
def listed(county, marac, coordinator):
    return marac_referral_accept(referral=marac_referral(county, coordinator), user=coordinator, now=NOW)


@pytest.fixture
def heard(listed, coordinator):
    marac_case_discuss(
        case=listed, user=coordinator, summary="Escalating abuse.", risks="Strangulation; threats.", now=MEETING_DAY
    )
    listed.refresh_from_db()
    return listed


def test_everyone_in_the_room_signs_the_confidentiality_statement(county, listed, coordinator, staff):
    meeting, police = listed.meeting, county["agencies"]["police"]
    with pytest.raises(ValidationError, match="confidentiality statement"):
        marac_attendance_record(
            meeting=meeting, user=coordinator, agency=police, attendee="DS Khan", attendance="present"
        )
    with pytest.raises(ValidationError, match="name and role"):
        marac_attendance_record(
            meeting=meeting, user=coordinator, agency=police, attendance="present", confidentiality_signed=True
        )
    present = marac_attendance_record(
        meeting=meeting,
        user=coordinator,
        agency=police,
        attendee="DS Khan, DA unit",
        attendance="present",
        confidentiality_signed=True,
        now=MEETING_DAY,
    )
    assert present.confidentiality_signed_at == MEETING_DAY
    with pytest.raises(ValidationError, match="already recorded"):
        marac_attendance_record(
            meeting=meeting,
            user=coordinator,
            agency=police,
            attendee="PC Jones",
            attendance="present",
            confidentiality_signed=True,
        )
    # Apologies and information sent need no signature: nobody from the agency hears the cases.
    sent = marac_attendance_record(
        meeting=meeting, user=coordinator, agency=county["agencies"]["housing"], attendance="information_sent"
    )
    assert sent.confidentiality_signed_at is None
    with pytest.raises(ValidationError, match="Only an observer"):
        marac_attendance_record(meeting=meeting, user=coordinator, organisation="A university", attendance="present")
    observer = marac_attendance_record(
        meeting=meeting,
        user=coordinator,
        organisation="Northshire MARAC",
        attendee="A. Coordinator (observing)",
        attendance="observer",
        confidentiality_signed=True,
    )
    assert observer.who == "Northshire MARAC"
    with pytest.raises(PermissionDenied):
        marac_attendance_record(meeting=meeting, user=staff["officer"], agency=police, attendance="apologies")


def test_a_case_is_heard_on_the_day_not_before(listed, coordinator):
    with pytest.raises(ValidationError, match="record it on the day"):
        marac_case_discuss(case=listed, user=coordinator, summary="s", risks="r", now=NOW)
    with pytest.raises(ValidationError) as refused:
        marac_case_discuss(case=listed, user=coordinator, summary=" ", risks="", now=MEETING_DAY)
    assert set(refused.value.message_dict) == {"summary", "risks"}
    discussion = marac_case_discuss(case=listed, user=coordinator, summary="S", risks="R", now=MEETING_DAY)
    listed.refresh_from_db()
    assert listed.status == CaseStatus.DISCUSSED and discussion.meeting == listed.meeting


def test_an_action_is_shared_with_its_agency_reported_on_and_chased_when_overdue(county, heard, coordinator, staff):
    housing = county["agencies"]["housing"]
    with pytest.raises(ValidationError) as refused:
        marac_action_add(
            case=heard,
            user=coordinator,
            action_for="child",
            action="",
            agency=housing,
            owner="",
            due_on=date(2026, 12, 1),
        )
    assert set(refused.value.message_dict) == {"child", "action", "owner", "due_on"}
    action = marac_action_add(
        case=heard,
        user=coordinator,
        action_for="victim",
        action="Fit a sanctuary lock.",
        agency=housing,
        owner="J. Patel, tenancy officer",
        due_on=date(2026, 12, 15),
        now=MEETING_DAY,
    )
    share = InformationShare.objects.get(object_id=heard.pk, shared_with=housing)
    assert "action for your agency" in share.what

    # Not yet due: nothing to chase. The day after it was due: housing is told once, in its queue.
    assert marac_actions_chase(now=datetime(2026, 12, 15, 18, 0, tzinfo=UTC)) == 0
    assert marac_actions_chase(now=datetime(2026, 12, 16, 9, 0, tzinfo=UTC)) == 1
    assert marac_actions_chase(now=datetime(2026, 12, 17, 9, 0, tzinfo=UTC)) == 0
    chase = Task.objects.get(action_type=ActionType.MARAC_ACTION)
    assert chase.owner_agency == housing and "15 December 2026" in chase.reason and "sanctuary" not in chase.reason

    # Housing may not say it did not act; it says what changed, and its reminder is done.
    with pytest.raises(PermissionDenied):
        marac_action_update(action=action, user=staff["outsider"], status="not_acted", note="x")
    with pytest.raises(ValidationError, match="what changed"):
        marac_action_update(action=action, user=staff["outsider"], status="not_possible")
    marac_action_update(action=action, user=staff["outsider"], status="not_possible", note="She moved out.")
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_POSSIBLE and action.status_by == staff["outsider"]
    chase.refresh_from_db()
    assert chase.status == TaskStatus.DONE
    with pytest.raises(PermissionDenied):
        marac_action_update(action=action, user=staff["idva"], status="done")


def test_the_perpetrators_plan_is_led_by_a_police_officer(county, heard, coordinator, staff):
    with pytest.raises(ValidationError) as refused:
        risk_management_plan_record(case=heard, user=coordinator, police_lead=staff["idva"], options=["made_up"])
    assert set(refused.value.message_dict) == {"police_lead", "options"}
    plan = risk_management_plan_record(
        case=heard,
        user=coordinator,
        police_lead=staff["officer"],
        options=["clares_law", "arrest_charge"],
        notes="Outstanding warrant.",
        review_on=date(2027, 1, 12),
    )
    assert plan.options == ["arrest_charge", "clares_law"]  # in the order of the options
    assert InformationShare.objects.filter(object_id=heard.pk, shared_with=county["agencies"]["police"]).exists()


def test_a_heard_case_closes_or_is_kept_for_review_at_a_later_meeting(heard, coordinator):
    with pytest.raises(ValidationError, match="review date after"):
        marac_case_review_set(case=heard, user=coordinator, review_on=date(2026, 12, 8), now=MEETING_DAY)
    reviewed = marac_case_review_set(case=heard, user=coordinator, review_on=date(2027, 2, 1), now=MEETING_DAY)
    assert reviewed.status == CaseStatus.LISTED and reviewed.meeting.starts_at.date() == date(2027, 2, 9)
    with pytest.raises(ValidationError, match="has heard"):
        marac_case_close(case=reviewed, user=coordinator, reason="Plan in place")
    marac_case_discuss(
        case=reviewed, user=coordinator, summary="Safer.", risks="Few.", now=datetime(2027, 2, 9, 12, tzinfo=UTC)
    )
    closed = marac_case_close(case=reviewed, user=coordinator, reason="Perpetrator remanded; plan complete.")
    assert closed.status == CaseStatus.CLOSED and closed.closed_at and len(closed.discussions.all()) == 2


def test_a_transfer_within_the_partnership_keeps_the_history_and_is_not_a_repeat(
    county, listed, coordinator, partnership_district
):
    south_agency = Agency.objects.create(
        partnership=county["partnership"], name="Southshire MARAC", agency_type=AgencyType.MARAC
    )
    south = Marac.objects.create(agency=south_agency, name="South MARAC", first_meeting=listed.marac.first_meeting)
    south.districts.set([partnership_district])
    with pytest.raises(ValidationError, match="why"):
        marac_case_transfer(case=listed, user=coordinator, to_marac=south, reason=" ")
    moved = marac_case_transfer(case=listed, user=coordinator, to_marac=south, reason="Moved to Southtown.", now=NOW)
    assert moved.status == CaseStatus.TRANSFERRED_OUT and moved.closed_reason == "Moved to Southtown."
    referral = Referral.objects.get(receiving_agency=south_agency)
    south_coordinator = staff_create(
        username="south", agency=south_agency, role=Role.MARAC_COORDINATOR, password="s" * 20
    )
    arrived = marac_referral_accept(referral=referral, user=south_coordinator, now=NOW + timedelta(hours=1))
    assert arrived.source == CaseSource.TRANSFER_IN and arrived.transferred_from == listed
    assert arrived.repeat_of is None and arrived.number == 1
    with pytest.raises(ValidationError, match="Only an open case"):
        marac_case_transfer(case=moved, user=coordinator, to_outside="Elsewhere MARAC", reason="x")


def test_a_transfer_out_of_the_partnership_records_where_it_went(listed, coordinator):
    moved = marac_case_transfer(case=listed, user=coordinator, to_outside="Bedfordshire MARAC", reason="Moved away.")
    assert moved.transferred_to_outside == "Bedfordshire MARAC" and moved.status == CaseStatus.TRANSFERRED_OUT


def test_a_meeting_is_held_once_someone_was_present_and_unheard_cases_roll_forward(
    county, listed, heard_too, coordinator
):
    meeting = listed.meeting
    with pytest.raises(ValidationError, match="who was present"):
        marac_meeting_held(meeting=meeting, user=coordinator, chair="DI Ross", now=MEETING_DAY)
    marac_attendance_record(
        meeting=meeting,
        user=coordinator,
        agency=county["agencies"]["police"],
        attendee="DI Ross, chair",
        attendance="present",
        confidentiality_signed=True,
    )
    held = marac_meeting_held(meeting=meeting, user=coordinator, chair="DI Ross", now=MEETING_DAY)
    assert held.status == MeetingStatus.HELD
    listed.refresh_from_db()
    heard_too.refresh_from_db()
    assert heard_too.meeting == meeting and heard_too.status == CaseStatus.DISCUSSED
    assert listed.status == CaseStatus.LISTED and listed.meeting.starts_at.date() == date(2027, 1, 12)
    assert MaracMeeting.objects.get(pk=meeting.pk).cases.count() == 1


@pytest.fixture
def heard_too(county, marac, coordinator):
    case = marac_referral_accept(referral=marac_referral(county, coordinator, yes=17), user=coordinator, now=NOW)
    marac_case_discuss(case=case, user=coordinator, summary="S", risks="R", now=MEETING_DAY)
    return case


@pytest.fixture
def partnership_district(county):
    from carepath.core.models import District

    return District.objects.create(name="Southtown", marac_area=county["area"], population=80_000, women_16_plus=32_000)
