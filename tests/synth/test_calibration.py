"""The calibration data matches its sources (seed 002 Appendix 6, Appendix 7, Table 11)."""

from carepath.core.codes import AgencyType, values
from carepath.synth import hertfordshire as herts


def test_areas_sum_to_the_county():
    assert [a.name for a in herts.AREAS] == ["Central", "East", "West"]
    assert sum(a.population for a in herts.AREAS) == herts.PARTNERSHIP.population == 1_116_062
    assert sum(a.women_16_plus for a in herts.AREAS) == herts.PARTNERSHIP.women_16_plus == 459_661
    assert sum(a.police_incidents for a in herts.AREAS) == 13_658
    assert sum(a.high_risk_incidents for a in herts.AREAS) == 364
    assert sum(a.medium_risk_incidents for a in herts.AREAS) == 3_439
    assert sum(a.marac_cases for a in herts.AREAS) == 694


def test_ten_districts_sum_to_their_areas():
    assert len(herts.DISTRICTS) == 10
    for area in herts.AREAS:
        districts = [d for d in herts.DISTRICTS if d.area == area.name]
        assert sum(d.population for d in districts) == area.population
        assert sum(d.women_16_plus for d in districts) == area.women_16_plus
    by_name = {d.name: d for d in herts.DISTRICTS}
    assert by_name["St Albans"].population == 140_664
    assert by_name["Dacorum"].population == 144_870  # adjusted: see the comment in hertfordshire.py
    # Women 16+ are pro rata to population within the area (largest remainder: within 1).
    central = herts.AREAS[0]
    expected = central.women_16_plus * by_name["Hertsmere"].population / central.population
    assert abs(by_name["Hertsmere"].women_16_plus - expected) < 1


def test_postcodes_are_hertfordshire_outward_codes():
    prefixes = ("AL", "SG", "WD", "EN", "HP", "CM2")
    for d in herts.DISTRICTS:
        for _town, outwards in d.towns:
            assert outwards and all(o.startswith(prefixes) for o in outwards)


def test_largest_remainder_sums_exactly():
    assert herts.largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(herts.largest_remainder(1_163, [347, 148, 134, 4])) == 1_163
    assert herts.largest_remainder(0, [1, 2]) == [0, 0]


def test_agencies_are_unique_typed_and_cover_each_district():
    names = [a.name for a in herts.AGENCIES]
    assert len(names) == len(set(names))
    types = {a.agency_type for a in herts.AGENCIES}
    assert types <= set(values(AgencyType))
    assert types == set(values(AgencyType))  # every type is represented
    district_names = {d.name for d in herts.DISTRICTS}
    for agency_type in ("housing", "gp", "health_visiting", "education"):
        covered = {a.district for a in herts.AGENCIES if a.agency_type == agency_type}
        assert covered == district_names, agency_type
    county_wide = [a for a in herts.AGENCIES if a.district is None]
    for agency_type in (
        "police",
        "childrens_services",
        "adult_social_care",
        "idva_service",
        "victim_support",
        "probation",
        "mental_health",
        "substance_misuse",
        "marac",
        "partnership",
        "front_door",
    ):
        assert sum(a.agency_type == agency_type for a in county_wide) == 1, agency_type
    assert sum(a.agency_type == "acute_hospital" for a in herts.AGENCIES) == 2


def test_refuges_match_table_11():
    assert len(herts.REFUGES) == 7
    assert sum(r.units for r in herts.REFUGES) == 84 == herts.REFUGE_TOTAL_UNITS
    assert sum(r.support_worker_fte for r in herts.REFUGES) == 18.0
    assert sum(r.accommodated_victims for r in herts.REFUGES) == 241
    providers = {a.name for a in herts.AGENCIES if a.agency_type == "refuge_provider"}
    assert {r.provider for r in herts.REFUGES} == providers
    assert {r.district for r in herts.REFUGES} <= {d.name for d in herts.DISTRICTS}
    assert [r.units for r in herts.REFUGES if r.provider == "Safer Places"] == [19, 10]


def test_appendix_7_totals():
    assert sum(herts.IDVA_REFERRALS_BY_SOURCE.values()) == herts.IDVA_REFERRALS_TOTAL == 1_163
    assert sum(herts.MARAC_REFERRALS_BY_SOURCE.values()) == herts.MARAC_REFERRALS_TOTAL == 694
    assert herts.IDVA_REFERRALS_BY_SOURCE["marac"] == 347
    assert herts.IDVA_REFERRALS_BY_SOURCE["self"] == 151
    assert herts.MARAC_REFERRALS_BY_SOURCE["idva"] == 170
    assert set(herts.IDVA_REFERRALS_BY_SOURCE) | set(herts.MARAC_REFERRALS_BY_SOURCE) == set(herts.SOURCE_LABELS)
