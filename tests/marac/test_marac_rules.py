"""The MARAC's pure rules: when meetings fall, where a case is listed, what is a repeat and
which MARAC hears a case (carepath.marac.rules)."""

from datetime import UTC, date, datetime

import pytest

from carepath.marac import rules
from carepath.marac.rules import (
    EarlierCase,
    MaracScope,
    MeetingRoom,
    marac_for,
    meeting_times,
    meeting_with_room,
    repeat_of,
)

pytestmark = pytest.mark.no_database

SECOND_TUESDAY = datetime(2026, 1, 13, 10, 0, tzinfo=UTC)


def test_a_monthly_marac_meets_on_the_same_weekday_of_every_month():
    times = meeting_times("monthly", SECOND_TUESDAY, after=datetime(2026, 11, 30, tzinfo=UTC), count=3)
    assert [t.date() for t in times] == [date(2026, 12, 8), date(2027, 1, 12), date(2027, 2, 9)]
    assert all(t.weekday() == 1 and t.hour == 10 for t in times)


def test_a_fortnightly_marac_meets_every_fourteen_days_from_its_anchor():
    times = meeting_times("fortnightly", SECOND_TUESDAY, after=datetime(2026, 1, 28, tzinfo=UTC), count=2)
    assert [t.date() for t in times] == [date(2026, 2, 10), date(2026, 2, 24)]
    # A meeting exactly at the moment asked for counts.
    assert meeting_times("weekly", SECOND_TUESDAY, after=SECOND_TUESDAY, count=1) == [SECOND_TUESDAY]


def test_a_full_meeting_rolls_the_case_forward_and_says_which_it_rolled_past():
    meetings = [
        MeetingRoom(1, datetime(2026, 12, 1, tzinfo=UTC), listed=3, capacity=20),  # too soon for research
        MeetingRoom(2, datetime(2026, 12, 8, tzinfo=UTC), listed=20, capacity=20),  # full
        MeetingRoom(3, datetime(2026, 12, 15, tzinfo=UTC), listed=19, capacity=20),
    ]
    chosen = meeting_with_room(meetings, earliest=datetime(2026, 12, 3, tzinfo=UTC))
    assert chosen.meeting_id == 3 and chosen.rolled_past == (2,) and chosen.rolled_over
    everything_full = meeting_with_room(meetings[:2], earliest=datetime(2026, 12, 3, tzinfo=UTC))
    assert everything_full.meeting_id is None and everything_full.rolled_past == (2,)
    with_room = meeting_with_room(meetings, earliest=datetime(2026, 11, 30, tzinfo=UTC))
    assert with_room.meeting_id == 1 and not with_room.rolled_over


def test_a_repeat_is_within_the_window_of_the_last_marac_referral_and_no_later():
    earlier = [EarlierCase(7, date(2025, 3, 1)), EarlierCase(9, date(2025, 12, 1))]
    assert repeat_of(date(2026, 12, 1), earlier, window_days=365) == EarlierCase(9, date(2025, 12, 1))  # day 365
    assert repeat_of(date(2026, 12, 2), earlier, window_days=365) is None  # day 366
    assert repeat_of(date(2025, 2, 1), earlier, window_days=365) is None  # nothing before it
    assert repeat_of(date(2026, 1, 1), [], window_days=365) is None


def test_a_banded_marac_hears_its_scores_in_its_districts_and_the_area_marac_the_rest():
    north, south = 1, 2
    area = MaracScope(10, frozenset({north, south}))
    medium = MaracScope(11, frozenset({north}), min_score=10, max_score=13)
    scopes = [area, medium]
    assert marac_for(scopes, district_id=north, score=11) == 11
    assert marac_for(scopes, district_id=north, score=16) == 10
    assert marac_for(scopes, district_id=south, score=11) == 10
    assert marac_for(scopes, district_id=north, score=None) == 10  # no score: not the medium-risk MARAC's
    assert marac_for([medium], district_id=south, score=11) is None


def test_an_action_is_chased_once_the_day_after_it_was_due():
    due = date(2026, 12, 15)
    chased = datetime(2026, 12, 16, 7, tzinfo=UTC)
    actions = [(1, due, None), (2, due, chased), (3, date(2026, 12, 16), None)]
    assert rules.actions_to_chase(actions, today=date(2026, 12, 15)) == []
    assert rules.actions_to_chase(actions, today=date(2026, 12, 16)) == [1]
    assert rules.actions_to_chase(actions, today=date(2026, 12, 17)) == [1, 3]


def test_the_plans_options_read_in_the_reviews_order_and_an_unknown_one_is_left_out():
    assert rules.options_in_words(["clares_law", "made_up", "arrest_charge"]) == [
        "Arrest and charge for a criminal offence",
        "Consider a right-to-know disclosure (Clare's Law)",
    ]
