"""Refresher dates and the report's periods (``training.rules``), without a database."""

from datetime import date

import pytest

from carepath.training import rules

pytestmark = pytest.mark.no_database


@pytest.mark.parametrize(
    ("attended", "months", "current_to"),
    [
        (date(2025, 3, 15), 12, date(2026, 3, 14)),  # a year, less a day: due again on 15 March 2026
        (date(2025, 3, 15), 36, date(2028, 3, 14)),
        (date(2025, 1, 31), 1, date(2025, 2, 27)),  # no 31 February: due on the 28th
        (date(2025, 12, 1), 2, date(2026, 1, 31)),  # across the new year
    ],
)
def test_training_is_current_for_its_months_less_a_day(attended, months, current_to):
    assert rules.current_until(attended_on=attended, months=months) == current_to


def test_a_refresher_is_due_the_day_after_training_lapses():
    current_to = date(2026, 3, 14)
    on_the_last_day = rules.refresher_due(current_to=current_to, today=date(2026, 3, 14), warning_days=60)
    assert on_the_last_day == rules.RefresherDue(date(2026, 3, 15), overdue=False, due_soon=True)
    on_the_due_day = rules.refresher_due(current_to=current_to, today=date(2026, 3, 15), warning_days=60)
    assert on_the_due_day.overdue and not on_the_due_day.due_soon
    # 15 March is 61 days after 13 January: outside a 60-day warning, inside a 61-day one.
    assert not rules.refresher_due(current_to=current_to, today=date(2026, 1, 13), warning_days=60).due_soon
    assert rules.refresher_due(current_to=current_to, today=date(2026, 1, 13), warning_days=61).due_soon


def test_periods_are_the_whole_months_or_quarters_the_range_touches():
    months = rules.periods(kind=rules.MONTH, first=date(2025, 1, 15), last=date(2025, 3, 3))
    assert [(p.first, p.last, p.label) for p in months] == [
        (date(2025, 1, 1), date(2025, 1, 31), "Jan 2025"),
        (date(2025, 2, 1), date(2025, 2, 28), "Feb 2025"),
        (date(2025, 3, 1), date(2025, 3, 31), "Mar 2025"),
    ]
    quarters = rules.periods(kind=rules.QUARTER, first=date(2024, 12, 31), last=date(2025, 4, 1))
    assert [p.label for p in quarters] == ["Oct–Dec 2024", "Jan–Mar 2025", "Apr–Jun 2025"]
    assert quarters[0].first == date(2024, 10, 1) and quarters[-1].last == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("kind", "first", "last", "words"),
    [
        (rules.MONTH, date(2025, 3, 1), date(2025, 2, 1), "must not be before its start"),
        (rules.MONTH, date(2020, 1, 1), date(2025, 12, 31), "at most 60 periods"),
        ("week", date(2025, 1, 1), date(2025, 2, 1), "months or quarters"),
    ],
)
def test_a_range_the_report_cannot_show_is_refused_in_words(kind, first, last, words):
    with pytest.raises(rules.PeriodError, match=words):
        rules.periods(kind=kind, first=first, last=last)


def test_a_period_still_running_counts_as_far_as_today_and_one_not_begun_is_left_out():
    quarters = rules.periods(kind=rules.QUARTER, first=date(2025, 1, 1), last=date(2025, 12, 31))
    shown = rules.up_to(quarters, date(2025, 8, 14))
    assert [(p.first, p.last, p.label) for p in shown] == [
        (date(2025, 1, 1), date(2025, 3, 31), "Jan–Mar 2025"),
        (date(2025, 4, 1), date(2025, 6, 30), "Apr–Jun 2025"),
        (date(2025, 7, 1), date(2025, 8, 14), "Jul–Sep 2025 (so far)"),
    ]
