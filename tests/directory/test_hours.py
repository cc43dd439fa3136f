"""Opening hours in words, across evenings, weekends and England and Wales's bank holidays."""

from datetime import UTC, datetime, time

import pytest

from carepath.directory.hours import Opening, Week, is_open, next_opening, status_words, week_words
from carepath.triage.deadlines import LONDON

OFFICE = Week(openings=tuple(Opening(day, time(9), time(17)) for day in range(5)))
EVENINGS = Week(openings=(Opening(4, time(19), time(2)),))  # Friday 19:00 to Saturday 2:00


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (at(2026, 12, 2, 10, 0), "Open now until 17:00"),  # a Wednesday morning
        (at(2026, 12, 2, 8, 0), "Opens today at 9:00"),
        (at(2026, 12, 2, 17, 0), "Opens at 9:00 tomorrow"),  # closing time is closed
        (at(2026, 12, 4, 18, 0), "Opens Monday at 9:00"),  # a Friday evening
        (at(2026, 12, 6, 12, 0), "Opens at 9:00 tomorrow"),  # a Sunday
    ],
)
def test_office_hours_in_words(moment, words):
    assert status_words(OFFICE, moment) == words


def test_christmas_bank_holidays_close_an_office_hours_service():
    """Christmas Day 2026 is a Friday and Boxing Day's bank holiday is Monday 28th: from
    Christmas Eve's evening it next opens on Tuesday."""
    assert not is_open(OFFICE, at(2026, 12, 25, 10, 0))
    assert not is_open(OFFICE, at(2026, 12, 28, 10, 0))
    assert next_opening(OFFICE, at(2026, 12, 24, 18, 0)) == at(2026, 12, 29, 9, 0)
    assert status_words(OFFICE, at(2026, 12, 24, 18, 0)) == "Opens Tuesday at 9:00"


def test_a_service_open_on_bank_holidays_keeps_its_weekday_hours_on_them():
    week = Week(openings=OFFICE.openings, open_bank_holidays=True)
    assert is_open(week, at(2026, 12, 25, 10, 0))
    assert status_words(week, at(2026, 12, 24, 18, 0)) == "Opens at 9:00 tomorrow"


def test_a_long_closure_names_the_date():
    """New Year's Day 2027 is a Friday: a Friday-only service closed over two bank-holiday
    Fridays next opens a fortnight on, said with its date."""
    fridays = Week(openings=(Opening(4, time(10), time(12)),))
    assert status_words(fridays, at(2026, 12, 24, 13, 0)) == "Opens Friday 8 January at 10:00"


def test_an_evening_opening_runs_past_midnight():
    assert status_words(EVENINGS, at(2026, 12, 4, 20, 0)) == "Open now until 2:00 tomorrow"
    assert is_open(EVENINGS, at(2026, 12, 5, 1, 59))
    assert status_words(EVENINGS, at(2026, 12, 5, 1, 0)) == "Open now until 2:00"
    assert not is_open(EVENINGS, at(2026, 12, 5, 2, 0))
    assert status_words(EVENINGS, at(2026, 12, 5, 2, 0)) == "Opens Friday at 19:00"


def test_an_evening_on_a_bank_holiday_does_not_run_on_into_the_next_morning():
    """Christmas Day's evening opening is not held, so half past midnight on Boxing Day is
    closed too."""
    assert not is_open(EVENINGS, at(2026, 12, 26, 0, 30))


def test_open_24_hours():
    always = Week(always_open=True)
    assert is_open(always, at(2026, 12, 25, 3, 0))
    assert status_words(always, at(2026, 12, 25, 3, 0)) == "Open 24 hours"
    assert week_words(always) == [("Every day", "Open 24 hours")]


def test_openings_that_join_up_are_one_opening():
    """Midnight-to-midnight every weekday: on Wednesday it is open until Saturday's start."""
    weekdays = Week(openings=tuple(Opening(day, time(0), time(0)) for day in range(5)))
    assert status_words(weekdays, at(2026, 12, 2, 12, 0)) == "Open now until Saturday at 0:00"


def test_times_are_london_times_in_summer():
    """8:30 UTC in July is 9:30 in London: open."""
    assert is_open(OFFICE, datetime(2026, 7, 1, 8, 30, tzinfo=UTC))
    assert not is_open(OFFICE, datetime(2026, 7, 1, 16, 30, tzinfo=UTC))


def test_the_week_in_words():
    rows = dict(week_words(Week(openings=(Opening(0, time(9), time(17)), Opening(3, time(19, 30), time(21, 30))))))
    assert rows["Monday"] == "9:00 to 17:00"
    assert rows["Thursday"] == "19:30 to 21:30"
    assert rows["Sunday"] == "Closed"
