"""The perpetrator programmes report: the arithmetic, from plain rows (no Django).

Seed 002 Appendix 12 Table 5, "Perpetrator programme attendance and Women Safety Worker
numbers Apr13-Mar14", gives for each programme over one year: the number started, the
number completed, the number supported by the women's safety worker (the partners
supported) and the cost, stated as the programme is bought: "£2,500 per person",
"£4,600 per person", "£1,500 per person", or "£8,500 per course" (Caring Dads; the text
says "Children's services paid £8,500 to fund one course"). Issue 17 part 3 adds the
referrals, attrition with its reasons, and the cost per person.

How each figure is counted, for one period (first and last day included):

- People are counted as people: a man referred twice (or recorded twice by two agencies
  and linked as one person, ``identity``) is one person referred. Each figure counts the
  distinct people with at least one such step dated in the period.
- Referred, started, completed, left: people with a referral made, a start, a completion,
  or a leaving before completing, dated in the period.
- Reasons for leaving: each person who left once, by the reason of his last leaving in
  the period; so the reasons add up to the people who left.
- Partners supported (Table 5's "No supported by WSW"): distinct partners with at least one
  contact in the period in which the partner's support worker reached her.
- Cost per person: the cost as Table 5 states it when it is per person; per course, the
  course's cost shared by the people on one course. Table 5 states no spend per
  completion, so neither does this report.
- Completion rate: completed divided by started in the same period, as Table 5's two
  columns compare them (IDAP: 61 of 92). People who completed may have started in an
  earlier period, so the rate can pass 100% in a short period.
- The totals row counts people across programmes: a man on two programmes is one person.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PER_PERSON = "per_person"
PER_COURSE = "per_course"
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class ProgrammeRow:
    id: int
    name: str
    kind: str  # in words
    provider: str
    places: int
    cost: Decimal
    cost_basis: str  # PER_PERSON or PER_COURSE
    course_size: int | None = None


@dataclass(frozen=True)
class ReferralRow:
    """One referral; ``person`` and ``partner`` are identities (linked records are one)."""

    programme_id: int
    person: int
    referred_on: date
    partner: int | None = None
    started_on: date | None = None
    completed_on: date | None = None
    left_on: date | None = None
    left_reason: str = ""


@dataclass(frozen=True)
class ContactRow:
    """A partner support worker's contact with the partner of a man on a programme."""

    programme_id: int
    partner: int
    on: date
    reached: bool


@dataclass(frozen=True)
class Figures:
    referred: int
    started: int
    completed: int
    left: int
    left_reasons: dict[str, int]
    partners_supported: int

    @property
    def completion_rate(self) -> float | None:
        """Completed over started (Table 5's columns); None when nobody started."""
        return self.completed / self.started if self.started else None


@dataclass(frozen=True)
class ProgrammeFigures:
    programme: ProgrammeRow
    figures: Figures
    cost_per_person: Decimal | None = field(default=None)


@dataclass(frozen=True)
class Report:
    first: date
    last: date
    programmes: list[ProgrammeFigures]
    totals: Figures


def cost_per_person(programme: ProgrammeRow) -> Decimal | None:
    """Per person, the cost as stated; per course, the cost over the people on a course
    (to the penny); None when a course's size is not known."""
    if programme.cost_basis == PER_PERSON:
        return Decimal(programme.cost)
    if programme.course_size:
        return (Decimal(programme.cost) / programme.course_size).quantize(PENNY, rounding=ROUND_HALF_UP)
    return None


def _within(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last


def figures_of(referrals: Iterable[ReferralRow], contacts: Iterable[ContactRow], first: date, last: date) -> Figures:
    """The figures of a set of referrals and partner contacts, people counted once."""
    referrals = list(referrals)
    last_leaving: dict[int, tuple[date, str]] = {}
    for r in referrals:
        if _within(r.left_on, first, last) and (r.person not in last_leaving or r.left_on >= last_leaving[r.person][0]):
            last_leaving[r.person] = (r.left_on, r.left_reason)
    return Figures(
        referred=len({r.person for r in referrals if _within(r.referred_on, first, last)}),
        started=len({r.person for r in referrals if _within(r.started_on, first, last)}),
        completed=len({r.person for r in referrals if _within(r.completed_on, first, last)}),
        left=len(last_leaving),
        left_reasons=dict(Counter(reason for _, reason in last_leaving.values())),
        partners_supported=len({c.partner for c in contacts if c.reached and _within(c.on, first, last)}),
    )


def programme_report(
    *,
    programmes: Iterable[ProgrammeRow],
    referrals: Iterable[ReferralRow],
    contacts: Iterable[ContactRow],
    first: date,
    last: date,
) -> Report:
    """Table 5 for the period, one row a programme, with the totals across them."""
    if first > last:
        raise ValueError("The period ends before it starts.")
    referrals, contacts = list(referrals), list(contacts)
    rows = [
        ProgrammeFigures(
            programme=p,
            figures=figures_of(
                (r for r in referrals if r.programme_id == p.id),
                (c for c in contacts if c.programme_id == p.id),
                first,
                last,
            ),
            cost_per_person=cost_per_person(p),
        )
        for p in programmes
    ]
    return Report(first=first, last=last, programmes=rows, totals=figures_of(referrals, contacts, first, last))
