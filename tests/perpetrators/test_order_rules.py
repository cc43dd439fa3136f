"""An order's dates, by hand: made 1 Nov, from 2 Nov to 30 Nov, both days included."""

from datetime import UTC, date, datetime

import pytest

from carepath.perpetrators.order_rules import breach_time_error, in_force, order_date_errors

pytestmark = pytest.mark.no_database

START, END = date(2026, 11, 2), date(2026, 11, 30)


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 1), False), (START, True), (END, True), (date(2026, 12, 1), False)],
)
def test_in_force_from_its_start_to_its_end_both_included(today, expected):
    assert in_force(starts_on=START, ends_on=END, today=today) is expected


def test_until_further_order_stays_in_force():
    assert in_force(starts_on=START, ends_on=None, today=date(2036, 1, 1))


def test_dates_that_run_backwards_are_refused_by_field():
    assert order_date_errors(made_on=date(2026, 11, 1), starts_on=START, ends_on=END) == {}
    assert set(order_date_errors(made_on=date(2026, 11, 3), starts_on=START, ends_on=date(2026, 11, 1))) == {
        "starts_on",
        "ends_on",
    }


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (datetime(2026, 11, 2, 0, 5, tzinfo=UTC), ""),
        (datetime(2026, 11, 30, 23, 0, tzinfo=UTC), ""),
        (datetime(2026, 11, 1, 23, 0, tzinfo=UTC), "started on 2 November 2026"),
        (datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "ended on 30 November 2026"),
        (datetime(2026, 12, 9, 9, 0, tzinfo=UTC), "future"),
    ],
)
def test_a_breach_happens_while_the_order_exists_and_not_in_the_future(at, words):
    error = breach_time_error(occurred_at=at, now=datetime(2026, 12, 2, 12, tzinfo=UTC), starts_on=START, ends_on=END)
    assert (words in error) if words else error == ""
