"""The planner's arithmetic responds to a commissioner's changes as the review's rules say."""

import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from carepath.planning.inputs import (
    COUNTY_WIDE,
    HERTFORDSHIRE_2014,
    FundedPost,
    Recommendation,
    assumptions_replace,
    inputs_load,
)
from carepath.planning.plan import plan_compute, plan_figure
from carepath.planning.rounding import round_down, round_half_down, round_half_up, thousands
from carepath.planning.scenarios import scenarios_compare, scenarios_cost

pytestmark = pytest.mark.no_database


@pytest.fixture(scope="module")
def hertfordshire():
    return inputs_load()


def _with(inputs, **assumptions):
    return replace(inputs, assumptions=replace(inputs.assumptions, **assumptions))


def test_the_reviews_rounding_rules():
    assert round_half_up(Decimal("4.75"), Decimal("0.5")) == Decimal("5.0")
    assert round_half_up(Decimal("4.62"), Decimal("0.5")) == Decimal("4.5")
    assert round_half_down(Decimal("43.5")) == 43
    assert thousands(43_500) == 43 and thousands(43_501) == 44
    assert round_down(Decimal("175.99")) == 175
    assert round_down(Decimal("50533"), 100) == 50500


def test_a_lower_medium_risk_caseload_needs_more_idvas_and_costs_more(hertfordshire):
    plan = plan_compute(_with(hertfordshire, idva_caseload_medium=65))
    county = plan["needs"]["county"]
    assert (county["idvas_medium"], county["idvas_total"]) == (15.0, 30.0)  # 1,000 / 65 = 15.4 -> 15
    assert {r["area"]: r["idvas_medium"] for r in plan["needs"]["areas"]} == {"Central": 4.5, "East": 6.0, "West": 4.5}
    lines = {r["item"]: r["fte"] for r in plan["costs"]["lines"]}
    # Administrators and managers follow the IDVAs at Appendix 3's ratios, to the half FTE.
    assert (lines["IDVA"], lines["Administrator"], lines["Manager"]) == (30.0, 3.5, 3.0)
    assert plan["costs"]["total"] > 1_364_400
    assert plan["capacity"]["idva"]["gap"] == 30.0 - 11.0


def test_more_visible_victims_are_shared_between_areas_by_their_high_and_medium_risk_incidents(hertfordshire):
    plan = plan_compute(_with(hertfordshire, visible_high=2000))
    areas = {r["area"]: r["visible_high"] for r in plan["needs"]["areas"]}
    # 2,000 x 1,149 / 3,803 = 604 -> 600; x 1,555 / 3,803 = 818 -> 800; x 1,099 / 3,803 = 578 -> 600
    assert areas == {"Central": 600, "East": 800, "West": 600}
    assert plan["needs"]["county"]["idvas_high"] == 31.0  # 2,000 / 65 = 30.8


def test_funded_idva_posts_are_set_against_each_areas_need(hertfordshire):
    plan = plan_compute(hertfordshire)
    capacity = plan["capacity"]["idva"]
    assert (capacity["needed"], capacity["funded"], capacity["gap"]) == (27.0, 11.0, 16.0)
    # The 11 county-wide posts shared by need: 8.0 / 26.5, 10.5 / 26.5, 8.0 / 26.5.
    assert {r["area"]: r["funded"] for r in capacity["areas"]} == {"Central": 3.3, "East": 4.4, "West": 3.3}

    east_post = FundedPost(area="East", service="idva", fte=Decimal(2), description="Hospital IDVA")
    plan = plan_compute(replace(hertfordshire, funded_posts=(*hertfordshire.funded_posts, east_post)))
    assert {r["area"]: r["funded"] for r in plan["capacity"]["idva"]["areas"]}["East"] == 6.4
    assert plan["capacity"]["idva"]["funded"] == 13.0


def test_a_smaller_population_needs_fewer_refuge_places(hertfordshire):
    plan = plan_compute(_with(hertfordshire, refuge_places_per_10k_population=Decimal("0.5")))
    assert (plan["refuge"]["benchmark_places"], plan["refuge"]["percent_of_benchmark"]) == (56, 150)
    assert {r["area"]: r["places"] for r in plan["refuge"]["areas"]} == {"Central": 32, "East": 38, "West": 14}


def test_streams_ending_within_the_window_including_those_already_ended(hertfordshire):
    plan = plan_compute(_with(hertfordshire, funding_as_at=date(2014, 12, 1), ending_within_months=3))
    ending = plan["funding"]["ending_soon"]
    months = {r["months_left"] for r in ending}
    assert max(months) == 3  # March 2015
    assert min(months) < 0  # Caring Dads ended in March 2014 and is still in the review's totals
    assert [r["end_date"] for r in ending] == sorted(r["end_date"] for r in ending)
    later = plan_compute(_with(hertfordshire, funding_as_at=date(2014, 12, 1), ending_within_months=12))
    assert len(later["funding"]["ending_soon"]) > len(ending)


def test_two_scenarios_side_by_side_show_what_differs():
    rows = (
        Recommendation("A", "Tier 2", "Medium-risk IDVAs", Decimal(500_000), ""),
        Recommendation("A", "Tier 3", "Refuge", Decimal(800_000), ""),
        Recommendation("A", "Tier 1", "Champions", Decimal(0), "Minimal"),
        Recommendation("B", "Tier 3", "Refuge", Decimal(800_000), ""),
        Recommendation("B", "Tier 1", "Champions", Decimal(25_000), ""),
    )
    first, second = scenarios_cost(rows, police_incidents=13_658, service_users=2_000)
    comparison = scenarios_compare(first, second)
    assert {
        r["recommendation"]: (r["first"], r["second"], r["difference"], r["differs"]) for r in comparison["rows"]
    } == {
        "Medium-risk IDVAs": (500_000, None, -500_000, True),
        "Refuge": (800_000, 800_000, 0, False),
        "Champions": (0, 25_000, 25_000, True),
    }
    assert comparison["totals"]["total"] == {"first": 1_300_000, "second": 825_000, "difference": -475_000}
    assert comparison["totals"]["per_police_incident"]["second"] == 58  # £0.8m / 13,658 = £58.57


def test_a_figure_is_found_by_its_published_key(hertfordshire):
    plan = plan_compute(hertfordshire)
    assert plan_figure(plan, "needs.areas[East].idvas_total") == 10.5
    assert plan_figure(plan, "funding.funders[NHS (CCG)].thousands") == 40
    assert plan_figure(plan, "funding.matrix.rows[refuge].cells.Accommodation Solutions") == 668
    assert plan_figure(plan, "needs.areas[North].idvas_total") is None
    assert plan_figure(plan, "needs.nothing") is None


def test_county_wide_funding_is_its_own_row_by_area(hertfordshire):
    areas = {r["area"]: r["thousands"] for r in plan_compute(hertfordshire)["funding"]["areas"]}
    assert set(areas) == {"Central", "East", "West", COUNTY_WIDE}
    assert sum(areas.values()) in range(1641, 1646)  # each area rounded to £'000 on its own


def test_an_assumption_keeps_the_source_its_input_set_gives_and_says_when_it_was_changed(tmp_path, hertfordshire):
    folder = tmp_path / "inputs"
    shutil.copytree(HERTFORDSHIRE_2014, folder)
    (folder / "assumptions.csv").write_text("name,value,source\nvisible_high,1200,MARAC data 2025\n", encoding="utf-8")
    inputs = inputs_load(folder)
    plan = plan_compute(inputs)
    assert plan["assumptions"]["visible_high"] == {
        **plan["assumptions"]["visible_high"],
        "value": 1200,
        "source": "MARAC data 2025",
    }
    assert (
        "Hertfordshire domestic abuse review (2014)" in plan["assumptions"]["visible_medium"]["source"]
    )  # not in the file: the review's

    changed = plan_compute(assumptions_replace(inputs, {"visible_medium": "900", "visible_high": "1200"}))
    assert changed["assumptions"]["visible_medium"]["source"] == "Changed from 1000 in the planner"
    assert changed["assumptions"]["visible_high"]["source"] == "MARAC data 2025"  # unchanged value, same source
