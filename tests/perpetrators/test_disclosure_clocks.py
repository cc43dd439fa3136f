"""The clocks of a Clare's Law application, worked out by hand in the comments: initial
checks in 24 hours round the clock, the meeting by the end of the 10th working day, the
decision and disclosure in 28 days (35 at most)."""

from datetime import UTC, datetime, timedelta

import pytest

from carepath.configuration.definitions import PartnershipSettings
from carepath.perpetrators.disclosure_clocks import disclosure_clocks, duration_words
from carepath.triage.deadlines import LONDON

pytestmark = pytest.mark.no_database
SETTINGS = PartnershipSettings()


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


def clocks(received, *, now, checks=None, meeting=None, decision=None, settings=SETTINGS):
    return disclosure_clocks(
        received_at=received,
        initial_checks_at=checks,
        meeting_at=meeting,
        decision_done_at=decision,
        now=now,
        settings=settings,
    )


def test_received_the_friday_before_christmas_the_meeting_skips_the_three_bank_holidays():
    # Friday 19 December 2025, 10:00. Working days after it: Mon 22 (1), Tue 23 (2), Wed 24 (3),
    # [Thu 25 Christmas Day, Fri 26 Boxing Day, weekend], Mon 29 (4), Tue 30 (5), Wed 31 (6),
    # [Thu 1 January New Year's Day], Fri 2 (7), [weekend], Mon 5 (8), Tue 6 (9), Wed 7 (10).
    received = at(2025, 12, 19, 10, 0)
    c = clocks(received, now=received)
    assert c.meeting.due.date().isoformat() == "2026-01-07"
    assert (c.meeting.due.hour, c.meeting.due.minute) == (23, 59)  # the end of that day
    # Initial checks: 24 hours round the clock, the Saturday counts: Saturday 20 December, 10:00.
    assert c.initial_checks.due == at(2025, 12, 20, 10, 0)
    # Decision: 19 December + 28 days = 16 January 2026 (12 days left in December + 16);
    # the latest: + 35 days = 23 January 2026.
    assert c.decision.due == at(2026, 1, 16, 10, 0)
    assert c.decision.latest == at(2026, 1, 23, 10, 0)


def test_received_on_a_saturday_the_checks_run_over_the_weekend_and_the_meeting_counts_from_monday():
    # Saturday 7 March 2026, 14:00. Checks: Sunday 8 March, 14:00 (weekends count).
    received = at(2026, 3, 7, 14, 0)
    c = clocks(received, now=received)
    assert c.initial_checks.due == at(2026, 3, 8, 14, 0)
    # Not a working day: it counts from Monday 9 March (day 0). Ten working days on:
    # Tue 10 (1) ... Fri 13 (4), Mon 16 (5) ... Fri 20 (9), Mon 23 (10). No bank holiday.
    assert c.meeting.due.date().isoformat() == "2026-03-23"
    # 7 March + 28 days = 4 April (24 days left in March + 4); + 35 = 11 April.
    assert c.decision.due == at(2026, 4, 4, 14, 0)
    assert c.decision.latest == at(2026, 4, 11, 14, 0)


def test_received_at_half_past_five_the_day_before_good_friday():
    # Thursday 2 April 2026, 17:30: a working day, so it is day 0 whatever the hour.
    # Checks: Good Friday 3 April, 17:30 (bank holidays count round the clock).
    received = at(2026, 4, 2, 17, 30)
    c = clocks(received, now=received)
    assert c.initial_checks.due == at(2026, 4, 3, 17, 30)
    # [Fri 3 Good Friday, weekend, Mon 6 Easter Monday], Tue 7 (1), Wed 8 (2), Thu 9 (3),
    # Fri 10 (4), Mon 13 (5) ... Fri 17 (9), Mon 20 (10).
    assert c.meeting.due.date().isoformat() == "2026-04-20"
    # 2 April + 28 days = 30 April; + 35 days = 7 May.
    assert c.decision.due == at(2026, 4, 30, 17, 30)
    assert c.decision.latest == at(2026, 5, 7, 17, 30)


def test_twenty_four_hours_stay_twenty_four_when_the_clocks_go_forward():
    # Saturday 28 March 2026, 12:00 GMT; the clocks go forward at 01:00 on Sunday 29 March.
    # 24 real hours later is Sunday 12:00 GMT, which is 13:00 BST.
    c = clocks(at(2026, 3, 28, 12, 0), now=at(2026, 3, 28, 12, 0))
    assert c.initial_checks.due == at(2026, 3, 29, 13, 0)
    assert c.initial_checks.due.astimezone(UTC) - at(2026, 3, 28, 12, 0).astimezone(UTC) == timedelta(hours=24)


def test_states_in_words():
    received = at(2026, 3, 2, 9, 0)  # Monday 2 March 2026, 09:00
    # Checks due Tuesday 3 March 09:00; done at 08:00: on time.
    # Meeting due by the end of Monday 16 March (Tue 3 is 1 ... Mon 16 is 10); not held,
    # and now is Wednesday 18 March 12:00: 36 hours after midnight ending the 16th.
    # Decision due Monday 30 March 09:00: from 18 March 12:00, 11 days and 21 hours, said as 11 days.
    c = clocks(received, now=at(2026, 3, 18, 12, 0), checks=at(2026, 3, 3, 8, 0))
    assert c.initial_checks.state == "met on time"
    assert not c.initial_checks.missed
    assert c.meeting.overdue and c.meeting.state == "overdue by 36 hours"
    assert c.decision.state == "due in 11 days"
    assert not c.decision.due_soon
    assert c.needs_attention


def test_met_late_and_past_the_latest_date():
    received = at(2026, 3, 2, 9, 0)
    # Checks done Wednesday 4 March 15:00: 30 hours after Tuesday 09:00.
    # Disclosure made Monday 6 April 10:00: 7 days and 1 hour after 30 March 09:00, and
    # past the latest date (35 days: Monday 6 April 09:00) by an hour.
    c = clocks(
        received,
        now=at(2026, 4, 10, 9, 0),
        checks=at(2026, 3, 4, 15, 0),
        meeting=at(2026, 3, 10, 14, 0),
        decision=at(2026, 4, 6, 10, 0),
    )
    assert c.initial_checks.met_late and c.initial_checks.state == "met late, by 30 hours"
    assert c.meeting.state == "met on time"
    assert c.decision.state == "met late, by 7 days and past the latest date"
    assert c.decision.late_by == timedelta(days=7, hours=1)
    assert not c.needs_attention


def test_due_within_a_day_needs_attention():
    received = at(2026, 3, 2, 9, 0)
    # Now Monday 20:00: checks due Tuesday 09:00, 13 hours away.
    c = clocks(received, now=at(2026, 3, 2, 20, 0))
    assert c.initial_checks.state == "due in 13 hours"
    assert c.initial_checks.due_soon and c.needs_attention


def test_the_partnerships_own_numbers_are_used():
    settings = PartnershipSettings(disclosure_initial_checks_hours=48, disclosure_meeting_working_days=5)
    # Monday 2 March 09:00: checks Wednesday 4 March 09:00; meeting Mon 9 March (5 working days).
    c = clocks(at(2026, 3, 2, 9, 0), now=at(2026, 3, 2, 9, 0), settings=settings)
    assert c.initial_checks.due == at(2026, 3, 4, 9, 0)
    assert c.meeting.due.date().isoformat() == "2026-03-09"


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (timedelta(minutes=20), "less than an hour"),
        (timedelta(hours=1, minutes=59), "1 hour"),
        (timedelta(hours=47), "47 hours"),
        (timedelta(days=2), "2 days"),
        (timedelta(days=8, hours=23), "8 days"),
    ],
)
def test_duration_words(span, words):
    assert duration_words(span) == words
