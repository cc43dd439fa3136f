"""Opening hours in words: is a service open now, and when does it next open ("Open now
until 17:00", "Opens at 9:00 tomorrow", "Opens Monday at 9:00"). Pure Python.

Sources: the issue's words for the hours ("open now", "opens at 9:00 tomorrow"); seed 002
Appendix 13 Table 7, whose helplines keep weekday, evening and 24-hour hours; GOV.UK's
style for times ("9:00", "17:00"; https://www.gov.uk/guidance/style-guide/a-to-z#times).
Bank holidays are England and Wales's, from the list the front door's deadlines use
(``carepath.triage.deadlines.is_bank_holiday``, the ``holidays`` package): on a bank
holiday a service opens only if it says it does.

Times are London's (``deadlines.LONDON``). An opening whose closing time is at or before
its opening time runs past midnight into the next morning (an evening line, 19:00 to
2:00); one whose closing time equals its opening time runs for 24 hours.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import dateformat
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from carepath.triage.deadlines import LONDON, is_bank_holiday

#: How far ahead to look for the next opening: three weeks covers a weekly service whose
#: day falls on both Christmas's and New Year's bank holidays.
LOOK_AHEAD_DAYS = 22


@dataclass(frozen=True)
class Opening:
    weekday: int  # 0 is Monday
    opens: time
    closes: time


@dataclass(frozen=True)
class Week:
    openings: tuple[Opening, ...] = ()
    always_open: bool = False
    open_bank_holidays: bool = False


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON) if moment.tzinfo else moment.replace(tzinfo=LONDON)


def _intervals(week: Week, day: date) -> list[tuple[datetime, datetime]]:
    """The openings that start on ``day``, as (start, end) London times."""
    if is_bank_holiday(day) and not week.open_bank_holidays:
        return []
    found = []
    for opening in week.openings:
        if opening.weekday != day.weekday():
            continue
        start = datetime.combine(day, opening.opens, tzinfo=LONDON)
        end_day = day + timedelta(days=1) if opening.closes <= opening.opens else day
        found.append((start, datetime.combine(end_day, opening.closes, tzinfo=LONDON)))
    return found


def is_open(week: Week, at: datetime) -> bool:
    if week.always_open:
        return True
    now = _local(at)
    today = now.date()
    return any(start <= now < end for day in (today - timedelta(days=1), today) for start, end in _intervals(week, day))


def _closes_at(week: Week, now: datetime) -> datetime | None:
    """When the opening the service is in now ends, joining openings that run on into
    each other (Monday 0:00 to 0:00, Tuesday 0:00 to 0:00...)."""
    today = now.date()
    current = [
        finish
        for day in (today - timedelta(days=1), today)
        for start, finish in _intervals(week, day)
        if start <= now < finish
    ]
    if not current:
        return None
    end = max(current)
    day = today
    # Only an opening starting on or before the day the current one ends can join it.
    while day <= end.date() and day < today + timedelta(days=LOOK_AHEAD_DAYS):
        for start, finish in sorted(_intervals(week, day)):
            if start <= end < finish:
                end = finish
        day += timedelta(days=1)
    return end


def next_opening(week: Week, at: datetime) -> datetime | None:
    now = _local(at)
    for offset in range(LOOK_AHEAD_DAYS):
        starts = [start for start, _end in _intervals(week, now.date() + timedelta(days=offset)) if start > now]
        if starts:
            return min(starts)
    return None


def clock(moment: datetime | time) -> str:
    """9:00, 17:30 (GOV.UK style: 24-hour clock, no leading zero)."""
    return f"{moment.hour}:{moment.minute:02d}"


def _day_words(day: date, today: date) -> str | None:
    """ "today", "tomorrow" or None for another day."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return None


def status_words(week: Week, at: datetime) -> str:
    """The service's state at ``at`` in words, for a list of services."""
    if week.always_open:
        return _("Open 24 hours")
    now = _local(at)
    if is_open(week, now):
        end = _closes_at(week, now)
        if end is None or end - now > timedelta(days=LOOK_AHEAD_DAYS - 2):
            return _("Open 24 hours")
        when = _day_words(end.date(), now.date())
        if when == "today":
            return _("Open now until %(time)s") % {"time": clock(end)}
        if when == "tomorrow":
            return _("Open now until %(time)s tomorrow") % {"time": clock(end)}
        return _("Open now until %(day)s at %(time)s") % {"day": WEEKDAYS[end.weekday()], "time": clock(end)}
    start = next_opening(week, now)
    if start is None:
        return _("Opening hours not known: phone to check")
    when = _day_words(start.date(), now.date())
    if when == "today":
        return _("Opens today at %(time)s") % {"time": clock(start)}
    if when == "tomorrow":
        return _("Opens at %(time)s tomorrow") % {"time": clock(start)}
    if start.date() - now.date() < timedelta(days=7):
        return _("Opens %(day)s at %(time)s") % {"day": WEEKDAYS[start.weekday()], "time": clock(start)}
    return _("Opens %(date)s at %(time)s") % {"date": dateformat.format(start, "l j F"), "time": clock(start)}


def week_words(week: Week) -> list[tuple[str, str]]:
    """The week's hours, one (day, hours) pair a day, for an entry's page."""
    if week.always_open:
        return [(_("Every day"), _("Open 24 hours"))]
    rows = []
    for weekday in range(7):
        openings = [o for o in week.openings if o.weekday == weekday]
        if openings:
            hours = ", ".join(
                _("24 hours from %(time)s") % {"time": clock(o.opens)}
                if o.opens == o.closes
                else _("%(opens)s to %(closes)s") % {"opens": clock(o.opens), "closes": clock(o.closes)}
                for o in openings
            )
        else:
            hours = _("Closed")
        rows.append((WEEKDAYS[weekday], hours))
    return rows
