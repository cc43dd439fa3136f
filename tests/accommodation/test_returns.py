"""The Domestic Abuse Act 2021 Part 4 annual return, counted from a hand-built year and
checked against figures counted by hand; the command writing it as Excel, CSV and JSON
with specific errors; and no address or name in any of them."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from carepath.accommodation import matching, report_selectors, returns
from carepath.accommodation.models import (
    AccommodationKind,
    DeclineReason,
    HoldStatus,
)
from carepath.people.models import Ethnicity, YesNoUnknown
from tests.accommodation.year_fixture import no_address_or_name, workbook_text

# Section, line, value: every figure counted by hand from the fixture's docstring.
EXPECTED = [
    # Units: refuge (Juniper: 3 commissioned, Flat 1 and Flat 2), dispersed (Rowan: 1, Flat A),
    # sanctuary (Safe at Home: 10, Scheme 1); 3 services, 14 commissioned, 4 recorded.
    (returns.UNITS, "Refuge: services", 1),
    (returns.UNITS, "Refuge: units commissioned", 3),
    (returns.UNITS, "Refuge: units recorded in Carepath", 2),
    (returns.UNITS, "Dispersed accommodation: units commissioned", 1),
    (returns.UNITS, "Sanctuary scheme: units commissioned", 10),
    (returns.UNITS, "Second-stage or move-on: services", 0),
    (returns.UNITS, "All services", 3),
    (returns.UNITS, "All units commissioned", 14),
    (returns.UNITS, "All units recorded in Carepath", 4),
    (returns.SPECIALIST, "Black and minoritised women", 1),
    (returns.SPECIALIST, "LGBT+ people", 1),
    (returns.SPECIALIST, "People with no recourse to public funds", 1),
    (returns.SPECIALIST, "Male victims", 0),
    (returns.SUPPORT, "Advocacy and advice", 2),
    (returns.SUPPORT, "Children's support", 1),
    (returns.SUPPORT, "Safety planning", 1),
    (returns.SUPPORT, "Counselling and therapy", 0),
    # Stays overlapping 2026 in the area's units: A, B, C, D, E, I (not F: out of the area;
    # not G: never arrived; not H: ended 31 December 2025, its last night the 30th).
    (returns.PEOPLE, "Households supported (stays)", 6),
    (returns.PEOPLE, "Of which in sanctuary schemes", 1),  # E
    # Adults, each once: P1, P2, P5 women; P4 a man; P3 trans.
    (returns.PEOPLE, "Women", 3),
    (returns.PEOPLE, "Men", 1),
    (returns.PEOPLE, "Trans adults", 1),
    (returns.PEOPLE, "Other adults in the households", 1),  # P1's second adult on B
    (returns.PEOPLE, "Children", 4),  # P1: the larger of 2 and 3; P4: 1
    (returns.PEOPLE, "All people supported", 10),  # 5 adults referred + 1 + 4
    (returns.CHARACTERISTICS, "Black and minoritised", 1),  # P1
    (returns.CHARACTERISTICS, "Black and minoritised: percentage of adults referred", Decimal("20.0")),  # 1 of 5
    (returns.CHARACTERISTICS, "Ethnicity not recorded", 1),  # P4
    (returns.CHARACTERISTICS, "LGBT+", 2),  # P2 bisexual, P3 trans
    (returns.CHARACTERISTICS, "LGBT+: percentage of adults referred", Decimal("40.0")),
    (returns.CHARACTERISTICS, "Disabled", 1),  # P1
    (returns.CHARACTERISTICS, "Aged 16 or 17", 1),  # P2, 16 on arrival on 1 February
    (returns.CHARACTERISTICS, "Aged 18 to 25", 1),  # P5, 23 on 1 September
    (returns.CHARACTERISTICS, "Aged 60 or over", 1),  # P3, 66
    (returns.CHARACTERISTICS, "Age not known", 1),  # P4
    (returns.CHARACTERISTICS, "No recourse to public funds", 1),  # P1 on A
    (returns.CHARACTERISTICS, "High support needs: mental health", 1),  # P1 on B
    (returns.CHARACTERISTICS, "High support needs: substance use", 1),  # P2
    (returns.CHARACTERISTICS, "Uses a wheelchair", 1),  # P3
    # Holds declined in 2026: two for no space, two for needs (wheelchair, a son's age),
    # one for no recourse; not the one at 23:00 on 31 December 2025, nor the accepted one.
    (returns.NOT_SUPPORTED, "Referrals declined", 5),
    (returns.NOT_SUPPORTED, "No space", 2),
    (returns.NOT_SUPPORTED, "Her needs cannot be met", 2),
    (returns.NOT_SUPPORTED, "No recourse to public funds", 1),
    (returns.NOT_SUPPORTED, "Risk to other residents", 0),
    (returns.NOT_SUPPORTED, "Her needs cannot be met: wheelchair access", 1),
    (returns.NOT_SUPPORTED, "Her needs cannot be met: the age of a son", 1),
    (returns.NOT_SUPPORTED, "Her needs cannot be met: a pet", 0),
    # Searches in 2026: three (not the one of 2025); two with no unit at all; two with children.
    (returns.UNMET, "No suitable unit available", 3),
    (returns.UNMET, "Of which no unit available at all", 2),
    (returns.UNMET, "With children", 2),
    (returns.UNMET, "Uses a wheelchair", 2),
    (returns.UNMET, "Has a pet coming with her", 1),
    (returns.UNMET, "No recourse to public funds", 0),
    # Stays in accommodation that ended in 2026: A (planned, social tenancy), C (left
    # unplanned, not recorded), I (asked to leave, family or friends); not D (2027).
    (returns.STOPPED, "Households whose stay ended", 3),
    (returns.STOPPED, "Planned move-on", 1),
    (returns.STOPPED, "Left without notice", 1),
    (returns.STOPPED, "Asked to leave", 1),
    (returns.STOPPED, "Moved for her safety", 0),
    (returns.MOVED_TO, "A social housing tenancy", 1),
    (returns.MOVED_TO, "Family or friends", 1),
    (returns.MOVED_TO, "Not recorded", 1),
    (returns.MOVED_TO, "Her own home, made safe", 0),  # E is a sanctuary scheme: apart
    (returns.SANCTUARY_STOPPED, "Households whose stay ended", 1),
    (returns.SANCTUARY_STOPPED, "Planned move-on", 1),
    # Nights of A, C, I: 69, 10, 3: median 10, mean 82 / 3 = 27.3.
    (returns.STAY, "Median length of stay", Decimal("10.0")),
    (returns.STAY, "Mean length of stay", Decimal("27.3")),
    # Referred in 2026: B, C, D, E, F, G, I = 7; C from outside; F referred out: 1 / 7 = 14.3%.
    (returns.STAY, "Referrals made", 7),
    (returns.STAY, "From outside the area", 1),
    (returns.STAY, "From outside the area: percentage", Decimal("14.3")),
    (returns.STAY, "Referred to a service outside the area", 1),
    (returns.STAY, "Referred outside the area: percentage", Decimal("14.3")),
    (returns.QUALITY, "Women's Aid National Quality Standards", 1),
    (returns.QUALITY, "SafeLives Leading Lights", 1),
    (returns.QUALITY, "Not recorded", 1),  # Rowan Court
    (returns.FINANCE, "Annual funding of all services", Decimal("300000")),
    (returns.FINANCE, "Services whose funding is not recorded", 1),
    (returns.FINANCE, "Annual funding: Refuge", Decimal("250000")),
    (returns.FINANCE, "Annual funding: Sanctuary scheme", Decimal("50000")),
    (returns.FINANCE, "Annual funding: Dispersed accommodation", Decimal("0")),
    (returns.FINANCE, "Funded by Testshire County Council", 2),
]


@pytest.fixture
def annual(year):
    return report_selectors.annual_return(year=2026)


@pytest.mark.parametrize(("section", "label", "expected"), EXPECTED, ids=[f"{s}: {k}" for s, k, _ in EXPECTED])
def test_each_figure_equals_the_count_by_hand(annual, section, label, expected):
    assert annual.value(section, label) == expected


def test_every_line_has_words_and_no_codes(annual):
    codes = {c for c, _ in report_selectors.words().declines + report_selectors.words().kinds} | set(matching.NEEDS)
    for line in annual.lines:
        assert line.label and line.section
        assert line.label not in codes and not any(f" {c} " in f" {line.label} " for c in codes if "_" in c)


def test_the_return_reads_a_handful_of_queries_whatever_the_rows(year, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        report_selectors.annual_return(year=2026)


def test_the_codes_the_return_reads_are_the_models_codes():
    assert returns.SANCTUARY == AccommodationKind.SANCTUARY
    assert returns.FAMILY_PLACE_KINDS <= set(AccommodationKind.values)
    assert returns.NEEDS_NOT_MET == DeclineReason.NEEDS_NOT_MET and returns.DECLINED == HoldStatus.DECLINED
    assert returns.DISABLED == YesNoUnknown.YES and returns.ETHNICITY_NOT_STATED == Ethnicity.NOT_STATED
    assert set(returns.CHARACTERISTIC_NEEDS) <= set(matching.NEEDS)


def _row(pk, person, arrived, left, **kw):
    return returns.PlacementRow(pk, person, arrived or date(2026, 1, 1), 1, 1, matching.WOMAN, arrived_on=arrived,
                                left_on=left, **kw)  # fmt: skip


def test_nights_are_counted_inside_the_period_and_the_last_morning_is_not_a_night():
    period = returns.Period(date(2026, 2, 1), date(2026, 2, 28))
    assert returns.nights_in(_row(1, 1, date(2026, 1, 20), date(2026, 2, 3)), period) == 2
    assert returns.nights_in(_row(1, 1, date(2026, 2, 27), None), period) == 2
    assert returns.nights_in(_row(1, 1, date(2026, 3, 1), None), period) == 0
    assert not returns.stay_overlaps(_row(1, 1, date(2025, 6, 1), date(2026, 1, 31)), period)
    assert returns.stay_overlaps(_row(1, 1, date(2025, 6, 1), date(2026, 2, 1)), period)


@pytest.mark.parametrize(
    ("text", "says"),
    [("26", "four figures"), ("2026Q3", "four figures"), ("", "four figures"), ("2019", "the duty began in 2021")],
)
def test_a_bad_year_says_what_to_type(text, says):
    with pytest.raises(returns.YearError, match=says):
        returns.year_parse(text)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(returns.PeriodError, match="ends before it starts"):
        returns.Period(date(2026, 3, 1), date(2026, 2, 1))


def _command(*arguments):
    out = io.StringIO()
    call_command("report", "safe-accommodation-return", *arguments, stdout=out)
    return out.getvalue()


def test_the_command_writes_an_excel_workbook_in_words(year, tmp_path):
    out = tmp_path / "return.xlsx"
    assert "January to December 2026" in _command("--year", "2026", "--out", str(out))
    book = openpyxl.load_workbook(out)
    cells = {row[0]: row[1] for sheet in book for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert cells["Women"] == 3 and cells["Referrals declined"] == 5 and cells["No suitable unit available"] == 3
    assert cells["Black and minoritised: percentage of adults referred"] == pytest.approx(0.2)
    assert cells["Mean length of stay"] == pytest.approx(27.3)
    text = workbook_text(out.read_bytes())
    no_address_or_name(text)
    assert "no_space" not in text and "needs_not_met" not in text


def test_the_command_writes_csv_and_json(year, tmp_path):
    _command("--year", "2026", "--out", str(tmp_path / "return.csv"))
    text = (tmp_path / "return.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Year", "Section", "Figure", "Number"]
    assert ["2026", returns.NOT_SUPPORTED, "No space", "2"] in rows
    assert ["2026", returns.STAY, "Median length of stay", "10"] in rows or [
        "2026", returns.STAY, "Median length of stay", "10.0"] in rows  # fmt: skip
    no_address_or_name(text)
    _command("--year", "2026", "--out", str(tmp_path / "return.json"))
    raw = (tmp_path / "return.json").read_text()
    data = json.loads(raw)
    assert data["year"] == 2026
    people = next(s for s in data["sections"] if s["section"] == returns.PEOPLE)
    assert {"line": "Children", "value": 4} in people["lines"]
    no_address_or_name(raw)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--year", "26", "--out", "x.xlsx"], "give the calendar year in four figures"),
        (["--year", "2019", "--out", "x.xlsx"], "the duty began in 2021"),
        (["--year", "2026", "--out", "return.pdf"], r"'\.pdf' is not a format the return is written in"),
        (["--year", "2026", "--out", "return"], "no extension"),
        (["--year", "2026", "--out", "/no/such/folder/return.csv"], "there is no folder /no/such/folder"),
    ],
)
def test_bad_inputs_get_a_specific_error(db, arguments, says):
    with pytest.raises(CommandError, match=says):
        _command(*arguments)


def test_an_empty_year_is_a_return_of_noughts_with_no_averages(db, tmp_path):
    annual = report_selectors.annual_return(year=2026)
    assert annual.value(returns.PEOPLE, "Women") == 0
    assert annual.value(returns.STAY, "Median length of stay") is None
    assert returns.in_words(None) == "Not given"
    _command("--year", "2026", "--out", str(tmp_path / "empty.json"))


def test_a_referral_a_provider_received_directly_and_declined_counts_as_not_supported(year, refuges):
    """Not only referrals on a hold from the board: one made to the provider directly (here
    from outside the area) and declined counts by its reason too."""
    from carepath.accommodation import services
    from carepath.accommodation.models import Suitability
    from carepath.referrals.intake import PersonDetails
    from tests.accommodation.year_fixture import noon

    worker, at = refuges["workers"]["haven"], noon(date(2026, 9, 1))
    received = services.placement_receive(
        unit=refuges["units"]["boys_to_12"],
        user=worker,
        new_victim=PersonDetails(given_name="Ana", family_name="Sousa"),
        referrer_elsewhere="Eastshire Women's Aid",
        household=services.Household(home_district=None, suitability=Suitability.NEEDS_REFUGE, adult=matching.WOMAN),
        now=at,
    )
    services.placement_decide(
        placement=received, user=worker, accept=False, reason=DeclineReason.RISK_TO_OTHERS, now=at
    )
    annual = report_selectors.annual_return(year=2026)
    assert annual.value(returns.NOT_SUPPORTED, "Referrals declined") == 6
    assert annual.value(returns.NOT_SUPPORTED, "Risk to other residents") == 1
