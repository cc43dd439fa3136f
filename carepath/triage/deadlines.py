"""Deadlines in working days (domain.md "Routing": first contact within 1 working day for
high risk, 3 for medium). Pure Python.

A working day is Monday to Friday except bank holidays in England (the ``holidays``
package). School days are counted as working days: term dates differ by school, so a
school notification is due by the next working day at the latest.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from carepath.triage.routing import Due


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """The same time of day ``days`` working days later; 0 means the same day. A start
    outside working days counts from the next working day."""
    current = start
    while not is_working_day(current.date()):
        current = (current + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    for _ in range(days):
        current += timedelta(days=1)
        while not is_working_day(current.date()):
            current += timedelta(days=1)
    return current


def due_at(start: datetime, due: Due | None) -> datetime | None:
    if due is None:
        return None
    days = due.working_days if due.working_days is not None else due.school_days
    return add_working_days(start, days)
