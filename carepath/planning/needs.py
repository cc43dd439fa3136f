"""Needs and capacity: how many victims, children and IDVAs, per MARAC area and county.

Pure Python. The review's chain (seed 002 §3.2-3.6, Tables 8 and 9, Appendix 6;
domain.md "Caseloads and capacity"):

1. female victims a year from crime-survey prevalence (17,700) x the high-and-medium
   share (26%) -> 4,602, of whom 40% high risk (1,840.8) and the rest medium (2,761.2);
   children = victims x share with children (60%) x children per family (1.8); each
   rounded to 100 only at the end (``rounding.estimate``);
2. victims visible and near help-seeking (1,000 high, 1,000 medium) are the review's
   judgement from CAADA's datasets, an input;
3. IDVAs = visible victims / caseload (65 high, 85 medium), to the nearest FTE for the
   county (15.4 -> 15, 11.8 -> 12: 27);
4. per area, visible victims are shared by the area's high- and medium-risk police
   incidents and rounded to 100 (1,000 x 1,555 / 3,803 = 409 -> 400 in the East); IDVAs
   are the area's rounded victims / caseload to the nearest half FTE (East: 6.0 + 4.5 =
   10.5). The review's areas therefore need 26.5 IDVAs against the county's 27: both
   are printed, neither is derived from the other;
5. children of visible victims per area from the area's rounded visible victims (East:
   800 x 1.08 = 864 -> 900); the county's figure is the sum of the areas (2,100) and the
   high-risk row what remains after the medium-risk row (2,100 - 1,100 = 1,000), which is
   how Table 9 comes to print 1,000 and 1,100 from the same ratios.

Police and MARAC individuals (Table 8) are incidents net of the repeat rate. The
county's repeat rates are the areas' weighted by incidents (or by cases) and rounded to
a whole percent, as Appendix 6's county column prints them (40.8% -> 41%).
"""

from decimal import Decimal

from carepath.planning.inputs import COUNTY_WIDE, Area, Assumptions, FundedPost
from carepath.planning.rounding import estimate, percent, round_half_up

COUNTY_FTE_STEP = Decimal(1)  # Appendix 6 footnotes 38-39: "Rounded to nearest FTE"
AREA_FTE_STEP = Decimal("0.5")  # what Appendix 6's area columns actually print
PER_10K = Decimal(10_000)


def _weighted_rate(areas: tuple[Area, ...], rate: str, weight: str) -> Decimal:
    total = sum(getattr(a, weight) for a in areas)
    if not total:
        return Decimal(0)
    weighted = sum(getattr(a, rate) * getattr(a, weight) for a in areas) / total
    return round_half_up(weighted, Decimal("0.01"))


def police_individuals(areas: tuple[Area, ...]) -> dict:
    """Table 8: police incidents and MARAC cases, and the people behind them net of repeats.

    Rounded as Table 8 prints them ("Estimates are rounded"): all incidents to 1,000,
    high and medium risk to 100, MARAC cases and children to 10.
    """
    repeat_rate = _weighted_rate(areas, "repeat_rate", "police_incidents")
    marac_repeat_rate = _weighted_rate(areas, "marac_repeat_rate", "marac_cases")
    incidents = sum(a.police_incidents for a in areas)
    high = sum(a.incidents_high for a in areas)
    medium = sum(a.incidents_medium for a in areas)
    marac_cases = sum(a.marac_cases for a in areas)
    marac_children = sum(a.marac_children for a in areas)
    net = 1 - repeat_rate
    return {
        "incidents": incidents,
        "repeat_rate": repeat_rate,
        "individuals": round_half_up(incidents * net, 1000),
        "incidents_high": high,
        "individuals_high": estimate(high * net),
        "incidents_medium": medium,
        "individuals_medium": estimate(medium * net),
        "incidents_high_medium": high + medium,
        "individuals_high_medium": estimate((high + medium) * net),
        "marac_cases": marac_cases,
        "marac_individuals": round_half_up(marac_cases * (1 - marac_repeat_rate), 10),
        "marac_children": marac_children,
        "marac_children_individuals": round_half_up(marac_children * (1 - marac_repeat_rate), 10),
        "marac_repeat_rate": marac_repeat_rate,
    }


def _idvas(victims, caseload: int, step: Decimal) -> Decimal:
    return round_half_up(Decimal(victims) / caseload, step)


def needs_areas(a: Assumptions, areas: tuple[Area, ...]) -> list[dict]:
    """Appendix 6's "CAADA estimates need" rows for each MARAC area."""
    high_medium = sum(x.incidents_high + x.incidents_medium for x in areas)
    children_per_victim = a.share_with_children * a.children_per_family
    rows = []
    for area in areas:
        share = Decimal(area.incidents_high + area.incidents_medium) / high_medium if high_medium else Decimal(0)
        visible_high = estimate(a.visible_high * share)
        visible_medium = estimate(a.visible_medium * share)
        idvas_high = _idvas(visible_high, a.idva_caseload_high, AREA_FTE_STEP)
        idvas_medium = _idvas(visible_medium, a.idva_caseload_medium, AREA_FTE_STEP)
        rows.append(
            {
                "area": area.name,
                "population": area.population,
                "female_16_plus": area.female_16_plus,
                "visible_high": visible_high,
                "visible_medium": visible_medium,
                "visible_total": visible_high + visible_medium,
                "visible_children": estimate((visible_high + visible_medium) * children_per_victim),
                "idvas_high": idvas_high,
                "idvas_medium": idvas_medium,
                "idvas_total": idvas_high + idvas_medium,
            }
        )
    return rows


def needs_county(a: Assumptions, area_rows: list[dict]) -> dict:
    """Table 9 for the whole partnership (see the module docstring for each step)."""
    high_medium = a.female_victims * a.high_medium_share
    high = high_medium * a.high_share
    medium = high_medium - high
    children_per_victim = a.share_with_children * a.children_per_family
    visible_children_total = sum(r["visible_children"] for r in area_rows)
    visible_children_medium = estimate(a.visible_medium * children_per_victim)
    idvas_high = _idvas(a.visible_high, a.idva_caseload_high, COUNTY_FTE_STEP)
    idvas_medium = _idvas(a.visible_medium, a.idva_caseload_medium, COUNTY_FTE_STEP)
    return {
        "female_victims": a.female_victims,
        "high_medium_victims": estimate(high_medium),
        "high_risk_victims": estimate(high),
        "medium_risk_victims": estimate(medium),
        "children_high": estimate(high * children_per_victim),
        "children_medium": estimate(medium * children_per_victim),
        "children_total": estimate(high_medium * children_per_victim),
        "visible_high": a.visible_high,
        "visible_medium": a.visible_medium,
        "visible_total": a.visible_high + a.visible_medium,
        # Never below nought: with no high-risk victims the areas' rounding could say so.
        "visible_children_high": max(Decimal(0), visible_children_total - visible_children_medium),
        "visible_children_medium": visible_children_medium,
        "visible_children_total": visible_children_total,
        "idvas_high": idvas_high,
        "idvas_medium": idvas_medium,
        "idvas_total": idvas_high + idvas_medium,
    }


def idva_capacity(county: dict, area_rows: list[dict], posts: tuple[FundedPost, ...]) -> dict:
    """IDVAs needed against IDVAs funded, per area and county.

    A county-wide service (Hertfordshire's one IDVA contract, seed 002 §2.2) serves
    every area: its posts are shown against each area in proportion to the area's need,
    to one decimal place.
    """
    idva_posts = [p for p in posts if p.service == "idva"]
    county_wide = sum((p.fte for p in idva_posts if p.area == COUNTY_WIDE), Decimal(0))
    area_need = sum(r["idvas_total"] for r in area_rows)
    areas = []
    for row in area_rows:
        own = sum((p.fte for p in idva_posts if p.area == row["area"]), Decimal(0))
        shared = county_wide * row["idvas_total"] / area_need if area_need else Decimal(0)
        funded = round_half_up(own + shared, Decimal("0.1"))
        areas.append(
            {"area": row["area"], "needed": row["idvas_total"], "funded": funded, "gap": row["idvas_total"] - funded}
        )
    funded = sum((p.fte for p in idva_posts), Decimal(0))
    return {"needed": county["idvas_total"], "funded": funded, "gap": county["idvas_total"] - funded, "areas": areas}


def marac_volume(a: Assumptions, areas: tuple[Area, ...]) -> dict:
    """MARAC cases expected at 40 a year per 10,000 women aged 16+ (domain.md, SafeLives)
    against the cases heard (Appendix 6: 694 for 459,661 women, 38% of the 1,839 expected)."""

    def row(women: int, actual: int) -> dict:
        expected = round_half_up(women * a.marac_cases_per_10k_women / PER_10K)
        return {"expected_cases": expected, "actual_cases": actual, "percent_of_expected": percent(actual, expected)}

    county = row(sum(x.female_16_plus for x in areas), sum(x.marac_cases for x in areas))
    county["areas"] = [{"area": x.name, **row(x.female_16_plus, x.marac_cases)} for x in areas]
    return county
