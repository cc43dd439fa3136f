"""The programmes report's arithmetic (seed 002 Appendix 12 Table 5) on rows whose figures
are worked out by hand below."""

from datetime import date
from decimal import Decimal

import pytest

from carepath.perpetrators import programme_figures as pf

FIRST, LAST = date(2025, 4, 1), date(2026, 3, 31)
COURT = pf.ProgrammeRow(
    id=1, name="Court", kind="Court-ordered programme", provider="Probation", places=100, cost=Decimal(4600),
    cost_basis=pf.PER_PERSON,
)  # fmt: skip
DADS = pf.ProgrammeRow(
    id=2, name="Dads", kind="Caring Dads", provider="HACRO", places=24, cost=Decimal(8500),
    cost_basis=pf.PER_COURSE, course_size=12,
)  # fmt: skip
UNSIZED = pf.ProgrammeRow(
    id=3, name="Unsized", kind="Drive", provider="X", places=10, cost=Decimal(9000), cost_basis=pf.PER_COURSE
)
R = pf.ReferralRow
REFERRALS = [
    # Court. Man 10 twice: his first referral before the period, started and completed in it;
    # his second referred, started and left (stopped attending) in it.
    R(1, 10, date(2025, 3, 20), 100, date(2025, 4, 10), completed_on=date(2025, 9, 30)),
    R(1, 10, date(2025, 10, 15), 100, date(2025, 11, 1), left_on=date(2026, 1, 10), left_reason="disengaged"),
    # Man 11: referred, started, taken into custody, all in the period.
    R(1, 11, date(2025, 5, 1), 101, date(2025, 6, 1), left_on=date(2025, 7, 1), left_reason="custody"),
    # Man 12: referred in the period, not started.
    R(1, 12, date(2026, 2, 1)),
    # Man 13: referred the day after the period; man 14: all before it. Neither counts.
    R(1, 13, date(2026, 4, 1)),
    R(1, 14, date(2024, 12, 1), None, date(2025, 1, 5), completed_on=date(2025, 3, 31)),
    # Dads. Man 10 again (one person across programmes): referred, started, completed.
    R(2, 10, date(2025, 6, 1), 100, date(2025, 6, 15), completed_on=date(2025, 12, 1)),
    # Man 20 twice: moved away, then referred again and excluded: his last reason counts.
    R(2, 20, date(2025, 6, 1), None, date(2025, 6, 15), left_on=date(2025, 8, 1), left_reason="moved"),
    R(2, 20, date(2025, 9, 1), None, date(2025, 9, 15), left_on=date(2025, 10, 1), left_reason="excluded"),
]
C = pf.ContactRow
CONTACTS = [
    C(1, 100, date(2025, 5, 1), True),
    C(1, 100, date(2025, 6, 1), True),  # the same partner again: one partner supported
    C(1, 101, date(2025, 6, 15), False),  # not reached: not supported
    C(1, 101, date(2024, 6, 1), True),  # reached, before the period
    C(2, 100, date(2025, 7, 1), True),
]


@pytest.fixture
def report():
    return pf.programme_report(
        programmes=[COURT, DADS, UNSIZED], referrals=REFERRALS, contacts=CONTACTS, first=FIRST, last=LAST
    )


def test_each_programme_counts_people_with_a_step_in_the_period(report):
    court, dads, unsized = (row.figures for row in report.programmes)
    # Court: referred {10 (second referral), 11, 12} = 3; started {10, 11} = 2 (10 twice is
    # one man); completed {10} = 1; left {10, 11} = 2; partners reached {100} = 1 (101 was
    # not reached in the period).
    assert (court.referred, court.started, court.completed, court.left, court.partners_supported) == (3, 2, 1, 2, 1)
    assert court.left_reasons == {"disengaged": 1, "custody": 1}
    assert court.completion_rate == 0.5  # 1 completed of 2 started
    # Dads: referred {10, 20} = 2; started {10, 20} = 2; completed {10} = 1; left {20} = 1,
    # by his last reason (excluded, not moved); partners reached {100} = 1.
    assert (dads.referred, dads.started, dads.completed, dads.left, dads.partners_supported) == (2, 2, 1, 1, 1)
    assert dads.left_reasons == {"excluded": 1}
    assert dads.completion_rate == 0.5
    assert (unsized.referred, unsized.started, unsized.left, unsized.left_reasons) == (0, 0, 0, {})
    assert unsized.completion_rate is None


def test_the_totals_count_a_man_on_two_programmes_once(report):
    t = report.totals
    # Referred {10, 11, 12, 20} = 4 (not 3 + 2); started {10, 11, 20} = 3; completed {10} = 1
    # (he completed both); left {10, 11, 20} = 3; partners {100} = 1 (supported on both).
    assert (t.referred, t.started, t.completed, t.left, t.partners_supported) == (4, 3, 1, 3, 1)
    assert t.left_reasons == {"disengaged": 1, "custody": 1, "excluded": 1}
    assert t.completion_rate == pytest.approx(1 / 3)


def test_cost_per_person_follows_the_cost_as_table_5_states_it(report):
    court, dads, unsized = report.programmes
    assert court.cost_per_person == Decimal("4600")  # per person: as stated
    assert dads.cost_per_person == Decimal("708.33")  # £8,500 a course of 12: 8500 / 12 = 708.333...
    assert unsized.cost_per_person is None  # per course, with no course size: not known


def test_seed_002_table_5s_own_figures_come_out():
    """IDAP in Table 5: 92 started, 61 completed, 92 supported by the women's safety worker,
    £4,600 per person: 61 / 92 = 66.3% completed."""
    idap = pf.ProgrammeRow(1, "IDAP", "Court-ordered programme", "Probation", 92, Decimal(4600), pf.PER_PERSON)
    day = date(2013, 6, 1)
    referrals = [R(1, n, day, 1000 + n, day, completed_on=day if n < 61 else None) for n in range(92)]
    contacts = [C(1, 1000 + n, day, True) for n in range(92)]
    row = pf.programme_report(
        programmes=[idap], referrals=referrals, contacts=contacts, first=date(2013, 4, 1), last=date(2014, 3, 31)
    ).programmes[0]
    assert (row.figures.started, row.figures.completed, row.figures.partners_supported) == (92, 61, 92)
    assert round(row.figures.completion_rate, 3) == 0.663
    assert row.cost_per_person == Decimal(4600)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        pf.programme_report(programmes=[], referrals=[], contacts=[], first=LAST, last=FIRST)
