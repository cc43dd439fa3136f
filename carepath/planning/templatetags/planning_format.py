"""How the planner prints numbers: as the review does (£1,364,400; £1.64m; 8.0 FTE; 75%)."""

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import wraps

from django import template

register = template.Library()

MINUS = "\u2212"  # a real minus sign: a hyphen is easy to miss in a table of money


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _numbers_only(format_number):
    """The filter formats a Decimal; nothing (None or "") is shown as nothing, and anything
    that is not a number (a note, a missing figure) as it is."""

    @wraps(format_number)
    def shown(value):
        try:
            number = _decimal(value)
        except (InvalidOperation, ValueError, TypeError):
            return str(value)
        return "" if number is None else format_number(number)

    return shown


@register.filter
@_numbers_only
def money(number: Decimal) -> str:
    """Whole pounds with thousands separators: £1,364,400 (−£5,000 below nought)."""
    sign = MINUS if number < 0 else ""
    return f"{sign}£{abs(number):,.0f}"


@register.filter
@_numbers_only
def money_change(number: Decimal) -> str:
    """A difference in pounds with its sign: +£60,000, −£500,000, £0."""
    return ("+" if number > 0 else "") + money(number)


@register.filter
@_numbers_only
def millions(number: Decimal) -> str:
    """A headline figure as the review's summary prints it: £1.64m, £2.4m."""
    text = f"{abs(number) / 1_000_000:.2f}".rstrip("0").rstrip(".")
    return f"{MINUS if number < 0 else ''}£{text}m"


@register.filter
@_numbers_only
def count(number: Decimal) -> str:
    """People, places, incidents, £'000: 17,700 (decimals kept when there are any)."""
    text = f"{abs(number):,f}" if number != number.to_integral_value() else f"{abs(number):,.0f}"
    return (MINUS if number < 0 else "") + text


@register.filter
@_numbers_only
def fte(number: Decimal) -> str:
    """Full-time equivalents to one decimal place: 8.0, 10.5 (−2.5 for a shortfall)."""
    return (MINUS if number < 0 else "") + f"{abs(number):,.1f}"


@register.filter
@_numbers_only
def percent(number: Decimal) -> str:
    return f"{count(number)}%"


@register.filter
@_numbers_only
def share(number: Decimal) -> str:
    """A share as a percentage: 0.26 -> 26%."""
    return percent(number * 100)


@register.filter
def lookup(mapping: dict, key):
    """``{{ row.cells|lookup:funder }}``: a dict's value by a key from a loop."""
    return mapping.get(key) if mapping else None


@register.filter
def day(value) -> str:
    """A plan's date (YYYY-MM-DD) as a person writes it: 31 March 2015."""
    try:
        when = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{when.day} {when:%B %Y}"


_KINDS = {"count": count, "fte": fte, "percent": share}


@register.filter
def of_kind(value, kind: str) -> str:
    """A compared input as its kind prints (``recorded.Comparison.kind``): 4,235, 6.0, 41%."""
    return _KINDS[kind](value)


@register.filter
def change_of_kind(value, kind: str) -> str:
    """A difference with its sign, a share's in percentage points: +1,200, −3.0, +5 points."""
    number = _decimal(value)
    if number is None:
        return ""
    if kind == "percent":
        number *= 100
        shown = count(number).lstrip(MINUS)
        return f"{'+' if number > 0 else MINUS if number < 0 else ''}{shown} point{'' if abs(number) == 1 else 's'}"
    return ("+" if number > 0 else "") + _KINDS[kind](number)
