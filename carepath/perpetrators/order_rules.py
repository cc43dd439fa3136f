"""The rules of an order's dates, pure (no Django).

An order (bail conditions, a non-molestation, occupation or restraining order, a DVPN or
DVPO, a DAPN or DAPO; seed 002 Appendix 4, seed 003 priority 4) is made on a day, starts
then or later, and runs to its end date or "until further order" (no end date). It is in
force from its start to its end, both days included. A breach happens while the order
exists: on or after its start, on or before its end, and not in the future.
"""

from datetime import date, datetime


def in_force(*, starts_on: date, ends_on: date | None, today: date) -> bool:
    return starts_on <= today and (ends_on is None or ends_on >= today)


def order_date_errors(*, made_on: date, starts_on: date, ends_on: date | None) -> dict[str, str]:
    """Errors by field, in words that name the field."""
    errors = {}
    if starts_on < made_on:
        errors["starts_on"] = "Starts: an order cannot start before the day it was made"
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "Ends: the end date must be on or after the start date"
    return errors


def breach_time_error(*, occurred_at: datetime, now: datetime, starts_on: date, ends_on: date | None) -> str:
    """Why a breach cannot be at ``occurred_at`` (a local time), or ""."""
    if occurred_at > now:
        return "When: a breach cannot be in the future"
    if occurred_at.date() < starts_on:
        return f"When: the order started on {starts_on:%-d %B %Y}; a breach is on or after it"
    if ends_on is not None and occurred_at.date() > ends_on:
        return f"When: the order ended on {ends_on:%-d %B %Y}; a breach is on or before it"
    return ""
