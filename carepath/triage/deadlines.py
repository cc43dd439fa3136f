"""Deadlines (domain.md "Routing": first contact within 1 working day for high risk, 3 for
medium; the school told before the next school day, Operation Encompass). Pure Python.

Days are counted in UK local time (Europe/London) whatever time zone the arrival time
carries: 23:30 UTC on a Friday in summer is already Saturday for the people doing the work.

A working day is Monday to Friday except bank holidays in England (the ``holidays``
package). School days are counted as working days: term dates differ by school. Urgent
deadlines in hours run round the clock (children's services have an out-of-hours team).
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from carepath.triage.routing import Due

LONDON = ZoneInfo("Europe/London")
#: Where a start outside working days counts from, on the next working day.
WORKING_DAY_START = time(9, 0)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    """A bank holiday in England and Wales (the two share one list; the directory's opening
    hours use it too)."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def _local(moment: datetime) -> datetime:
    """The moment in London; a time with no zone is taken to be London's already."""
    return moment.astimezone(LONDON) if moment.tzinfo else moment.replace(tzinfo=LONDON)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LONDON)


def add_working_days(start: datetime, days: int) -> datetime:
    """The same London time of day ``days`` working days later; 0 means the same day. A
    start outside working days counts from 09:00 on the next working day."""
    current = _local(start)
    if not is_working_day(current.date()):
        day = current.date() + timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
        current = _at(day, WORKING_DAY_START)
    day = current.date()
    for _ in range(days):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return _at(day, current.time())


def working_days_before(moment: datetime, days: int) -> datetime:
    """The same London time of day ``days`` working days before ``moment`` (a MARAC's
    research is due two working days before its meeting); 0 means the same moment."""
    current = _local(moment)
    day = current.date()
    for _ in range(days):
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
    return _at(day, current.time())


def before_school_day(start: datetime, school_days: int, school_day_start: time) -> datetime:
    """The start of the ``school_days``-th school day to begin after ``start`` (1: the next)."""
    local = _local(start)
    day = local.date()
    if local.time() >= school_day_start or not is_working_day(day):
        day += timedelta(days=1)
    for counted in range(school_days):
        while not is_working_day(day):
            day += timedelta(days=1)
        if counted < school_days - 1:
            day += timedelta(days=1)
    return _at(day, school_day_start)


def due_at(start: datetime, due: Due | None) -> datetime | None:
    if due is None:
        return None
    if due.hours is not None:
        return _local(start) + timedelta(hours=due.hours)
    if due.school_day_start is not None:
        return before_school_day(start, due.school_days or 1, time.fromisoformat(due.school_day_start))
    days = due.working_days if due.working_days is not None else due.school_days
    return add_working_days(start, days)
