"""How the review rounds, so the planner prints what the review printed.

Pure Python. Seed 002 was worked by hand in spreadsheets and does not round one way
throughout; each rule below was found by recomputing the published figures from their
inputs (``docs/review-arithmetic.md`` traces each one to the seed's lines):

- estimates of people are rounded only at the end of the chain, to the nearest 100
  (Table 9: 17,700 x 26% x 40% = 1,840.8 -> 1,800; children from the unrounded 1,840.8);
- IDVAs to the nearest FTE for the county and the nearest half FTE for an area, each from
  the area's rounded victims (Appendix 6: 300 / 65 = 4.6 -> 4.5; 400 / 65 = 6.2 -> 6.0);
- money totals to the nearest £1,000 in the tables (Appendix 3's overheads 314,820 ->
  315,000; Tables 5 and 6 in £'000), ties rounded down (perpetrator programmes £43,500
  -> 43);
- money per person, incident or post is rounded *down* to the precision printed (£50,533
  -> £50,500 per IDVA, £682 -> £680 per victim, £175.72 -> £175 per police incident).

Ties only matter where a figure lands exactly on a half, which the review's own data do
a handful of times; the review itself is not consistent there (Appendix 8 rounds £45,500
up and £8,500 down), so each rule is the one that reproduces its Tables 5 and 6.
"""

from decimal import ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal

_ONE = Decimal(1)


def _to_step(value, step, rounding) -> Decimal:
    step = Decimal(step)
    return (Decimal(value) / step).quantize(_ONE, rounding=rounding) * step


def round_half_up(value, step=1) -> Decimal:
    """Nearest multiple of ``step``, halves away from zero (2.5 -> 3)."""
    return _to_step(value, step, ROUND_HALF_UP)


def round_half_down(value, step=1) -> Decimal:
    """Nearest multiple of ``step``, halves towards zero (43.5 -> 43)."""
    return _to_step(value, step, ROUND_HALF_DOWN)


def round_down(value, step=1) -> Decimal:
    """The multiple of ``step`` at or below ``value`` (175.72 -> 175)."""
    return _to_step(value, step, ROUND_FLOOR)


def estimate(value) -> Decimal:
    """An estimate of people, to the nearest 100 (Table 9, §3.4, §3.6)."""
    return round_half_up(value, 100)


def thousands(amount) -> Decimal:
    """Pounds to £'000 as Tables 5, 6 and Appendix 8 print them: nearest, ties down."""
    return round_half_down(Decimal(amount) / 1000)


def percent(part, whole) -> Decimal:
    """A share as a whole percentage, halves up (Table 6: 402 / 1,642 = 24.48% -> 24%)."""
    if not whole:
        return Decimal(0)
    return round_half_up(Decimal(part) * 100 / Decimal(whole))
