"""Deadlines are counted in UK local time, in working days, school days or hours. Pure: no database."""

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from carepath.configuration.definitions import PartnershipSettings
from carepath.risk.checklist import DASH_RIC_2009
from carepath.risk.dash import assess_risk
from carepath.triage.deadlines import due_at
from carepath.triage.routing import Case, Child, route

LONDON = ZoneInfo("Europe/London")
DEFAULTS = PartnershipSettings()


def due_of(kind: str, received: datetime, settings: PartnershipSettings = DEFAULTS, **case) -> datetime:
    case.setdefault("victim_age", 34)
    decision = route(Case(risk=assess_risk(2, None, settings, DASH_RIC_2009), consent="given", **case), settings)
    [found] = [a for a in decision.actions if a.type == kind]
    return due_at(received, found.due)


def test_late_friday_evening_in_utc_is_already_saturday_in_london():
    # 23:30 UTC on Friday 12 June 2026 is 00:30 on Saturday in British Summer Time:
    # the working day it counts from is Monday, so first contact is due on Tuesday.
    friday_night = datetime(2026, 6, 12, 23, 30, tzinfo=UTC)
    due = due_of("children_services_notification", friday_night, children=(Child(10),))
    assert due == datetime(2026, 6, 16, 9, 0, tzinfo=LONDON)


def test_a_deadline_keeps_the_london_time_of_day_across_the_clocks_changing():
    # Friday 23 October 2026, 17:00 BST; the clocks go back on Sunday 25 October.
    friday = datetime(2026, 10, 23, 16, 0, tzinfo=UTC)
    due = due_of("children_services_notification", friday, children=(Child(10),))
    assert due == datetime(2026, 10, 26, 17, 0, tzinfo=LONDON)


def test_the_school_hears_before_the_next_school_day_starts():
    monday_10am = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    assert due_of("school_notification", monday_10am, children=(Child(7),)) == datetime(
        2026, 11, 17, 8, 45, tzinfo=LONDON
    )


def test_an_incident_in_the_early_morning_reaches_the_school_before_it_opens_that_day():
    monday_6am = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
    assert due_of("school_notification", monday_6am, children=(Child(7),)) == datetime(
        2026, 11, 16, 8, 45, tzinfo=LONDON
    )


def test_over_easter_the_next_school_day_is_after_the_bank_holidays():
    # Thursday 2 April 2026, 20:00 BST; Good Friday and Easter Monday are bank holidays.
    thursday_evening = datetime(2026, 4, 2, 19, 0, tzinfo=UTC)
    assert due_of("school_notification", thursday_evening, children=(Child(7),)) == datetime(
        2026, 4, 7, 8, 45, tzinfo=LONDON
    )


def test_the_start_of_the_school_day_is_the_partnerships_to_set():
    monday_10am = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    earlier = replace(DEFAULTS, school_day_start=DEFAULTS.school_day_start.__class__("08:15"))
    assert due_of("school_notification", monday_10am, earlier, children=(Child(7),)) == datetime(
        2026, 11, 17, 8, 15, tzinfo=LONDON
    )


def test_a_harmed_child_is_referred_within_the_configured_hours_even_at_a_weekend():
    saturday_2pm = datetime(2026, 11, 14, 14, 0, tzinfo=UTC)
    two_hours = replace(DEFAULTS, child_protection_referral_hours=2)
    due = due_of("child_protection_referral", saturday_2pm, two_hours, children=(Child(9, harmed=True),))
    assert due == datetime(2026, 11, 14, 16, 0, tzinfo=LONDON)


def test_a_victim_under_16_is_referred_within_the_configured_hours():
    sunday_night = datetime(2026, 11, 15, 22, 0, tzinfo=UTC)
    three_hours = replace(DEFAULTS, child_victim_referral_hours=3)
    due = due_of("child_safeguarding_only", sunday_night, three_hours, victim_age=15)
    assert due == datetime(2026, 11, 16, 1, 0, tzinfo=LONDON)
