"""The planner's input files: the Hertfordshire 2014 set (seed 002) and the checks on bad input."""

import csv
import io
import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from carepath.planning.inputs import (
    COUNTY_WIDE,
    HERTFORDSHIRE_2014,
    Assumptions,
    PlanInputErrors,
    assumptions_replace,
    inputs_load,
    inputs_load_workbook,
    inputs_write_workbook,
)

pytestmark = pytest.mark.no_database

FUNDERS = (
    "Accommodation Solutions",
    "PCC or Herts County Constabulary",
    "County Community Safety Unit",
    "Children's Services",
    "Borough/district councils",
    "NHS (CCG)",
    "Ministry of Justice",
)


@pytest.fixture(scope="module")
def herts():
    return inputs_load()


@pytest.fixture
def folder(tmp_path):
    """A copy of the Hertfordshire files to spoil."""
    return shutil.copytree(HERTFORDSHIRE_2014, tmp_path / "herts")


def edit(folder, stem, row, column, value):
    """Set one cell of ``stem``.csv; ``row`` is the spreadsheet line (header = 1)."""
    path = folder / f"{stem}.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def append(folder, stem, row):
    with (folder / f"{stem}.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(row)


def problems(path) -> list[str]:
    with pytest.raises(PlanInputErrors) as caught:
        inputs_load(path)
    assert str(caught.value) == "\n".join(str(e) for e in caught.value.errors)
    return [str(e) for e in caught.value.errors]


def sums(rows, key, value) -> dict:
    """``value`` summed over ``rows`` by ``key``."""
    out = {}
    for r in rows:
        out[key(r)] = out.get(key(r), 0) + value(r)
    return out


# --- The Hertfordshire 2014 set ----------------------------------------------------------


def test_bundled_set_is_named_and_keeps_the_reviews_assumptions(herts):
    assert herts.name == "Hertfordshire 2014 (CAADA review)"
    assert inputs_load(str(HERTFORDSHIRE_2014)).name == herts.name
    assert herts.assumptions == Assumptions()


def test_areas_sum_to_appendix_6_county_column(herts):
    """Seed 002 Appendix 6 Table 1 L1306-L1315: Central + East + West = Hertfordshire."""
    assert [a.name for a in herts.areas] == ["Central", "East", "West"]
    county = {
        "population": 1_116_062,
        "female_16_plus": 459_661,
        "police_incidents": 13_658,
        "incidents_high": 364,
        "incidents_medium": 3_439,
        "marac_cases": 694,
        "marac_children": 937,
    }
    assert {k: sum(getattr(a, k) for a in herts.areas) for k in county} == county
    assert [(a.repeat_rate, a.marac_repeat_rate) for a in herts.areas] == [
        (Decimal("0.41"), Decimal("0.18")),
        (Decimal("0.39"), Decimal("0.19")),
        (Decimal("0.43"), Decimal("0.17")),
    ]


def test_ten_districts_in_three_areas(herts):
    areas = sums(herts.districts, lambda d: d.area, lambda d: 1)
    assert areas == {"Central": 3, "East": 4, "West": 3}
    assert {d.name for d in herts.districts} >= {"St Albans", "East Hertfordshire", "Three Rivers", "Watford"}


def test_funding_register_reproduces_tables_5_and_6(herts):
    """Appendix 9's 40 rows: 36 streams, £1,643,254 (L1428), Table 5's funders in £'000
    (L436-L442) and Table 6's services to the pound (docs/review-arithmetic.md §3)."""
    funding = herts.funding
    assert len(funding) == 40
    assert len({f.stream for f in funding}) == 36
    assert sum(f.amount for f in funding) == 1_643_254
    thousands = {k: round(v / 1000) for k, v in sums(funding, lambda f: f.funder, lambda f: f.amount).items()}
    assert thousands == dict(zip(FUNDERS, (813, 300, 172, 148, 140, 40, 30)))
    assert sums(funding, lambda f: f.service, lambda f: f.amount) == {
        "idva": 402_369,
        "other_community": 271_370,
        "refuge": 718_474,
        "refuge_children": 93_936,
        "perpetrators": 43_500,
        "other": 113_605,
    }


def test_funding_streams_split_as_the_review_describes(herts):
    streams = sums(herts.funding, lambda f: f.stream, lambda f: f.amount)
    split = {s: a for s, a in streams.items() if sum(f.stream == s for f in herts.funding) > 1}
    # Welwyn Hatfield's £40,000 core grant, the PCC's £30,000, the Watford hospital IDVA and its top-up.
    assert sorted(split.values()) == [26_146, 30_000, 40_000]


def test_funding_districts_and_end_dates(herts):
    rows = {f.row: f for f in herts.funding}
    assert rows[6].districts == ("St Albans", "Hertsmere")  # "St albans Hertsmere", L1381
    assert rows[15].districts == ("East Hertfordshire", "Broxbourne")
    assert rows[2].districts == ("Welwyn Hatfield",) and rows[2].end_date == date(2015, 3, 31)
    ongoing = [f for f in herts.funding if f.end_date is None]
    assert {f.description for f in ongoing} == {
        "IDVA service (2 posts managed by VS paid by police)",
        "Police pay for hotel accom if unable to access refuge overnight (£2242 last six months 21 victims / 29 nights)",
    }
    assert all(f.districts == () for f in herts.funding if f.recipient == "Victim Support")
    assert min(f.end_date for f in herts.funding if f.end_date) == date(2014, 3, 31)  # Caring Dads, "Ended 03/2014"


def test_imputed_amounts_say_so(herts):
    imputed = {f.amount for f in herts.funding if "imputed" in f.source}
    assert imputed == {60_045, 40_000, 21_674, 5_515}


def test_refuges_match_table_11(herts):
    assert len(herts.refuges) == 7
    assert sum(r.victims for r in herts.refuges) == 241
    assert sum(r.beds for r in herts.refuges) == 84
    assert sum(r.support_worker_fte for r in herts.refuges) == Decimal("18.0")


def test_funded_posts_and_cost_model(herts):
    assert [(p.area, p.service, p.fte) for p in herts.funded_posts] == [
        (COUNTY_WIDE, "idva", 6),
        (COUNTY_WIDE, "idva", 3),
        (COUNTY_WIDE, "idva", 2),
    ]
    costs = {c.item: c for c in herts.costs}
    assert list(costs) == ["IDVA", "Administrator", "Manager", "Other costs"]
    # Appendix 3 with 27 IDVAs: 27 / 9 = 3.0 administrators, 27 / 10.8 = 2.5 managers.
    assert 27 / costs["Administrator"].idvas_per_post == 3
    assert 27 / costs["Manager"].idvas_per_post == Decimal("2.5")
    assert (costs["Other costs"].quantity, costs["Other costs"].on_costs) == (2, False)
    assert all(c.on_costs for c in herts.costs if c.idvas_per_post)


def test_recommendations_total_table_10(herts):
    scenarios = sums(herts.recommendations, lambda r: r.scenario, lambda r: r.marginal_cost)
    assert scenarios == {"CAADA recommendations (Table 10)": 2_440_000, "High-risk IDVA service only": 1_940_000}
    caada = [r for r in herts.recommendations if r.scenario == "CAADA recommendations (Table 10)"]
    assert len(caada) == 16
    assert {r.cost_basis for r in caada if r.marginal_cost == 0} == {
        "Minimal",
        "Mainstream cost",
        "To be funded by innovation grant",
    }
    assert {r.tier for r in caada} == {
        "Commissioning",
        "Tier 1",
        "Tier 2",
        "Tier 3",
        "Innovation, learning and development",
    }


def test_published_figures(herts):
    published = {p.key: p for p in herts.published}
    assert len(published) == len(herts.published)
    assert published["needs.county.idvas_total"].value == 27
    assert published["needs.areas[East].idvas_total"].value == Decimal("10.5")
    assert published["costs.total"].value == 1_364_400
    assert published["funding.matrix.rows[refuge].cells.Accommodation Solutions"].value == 668
    assert published["scenarios[CAADA recommendations (Table 10)].total"].value == 2_440_000
    assert sum(k.startswith("funding.matrix.rows[") for k in published) == 16  # Appendix 8's non-empty cells
    assert sum(k.startswith("funding.funders[") for k in published) == 14
    noted = {k for k, p in published.items() if p.note}
    assert {
        "funding.funders[NHS (CCG)].percent",
        "funding.matrix.rows[idva].cells.PCC or Herts County Constabulary",
        "funding.matrix.rows[other_community].cells.Children's Services",
    } <= noted


def test_every_bundled_row_says_where_it_came_from():
    for path in HERTFORDSHIRE_2014.glob("*.csv"):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            # Two assumptions are Carepath's or SafeLives', not the review's (their sources say so).
            assert (
                "Hertfordshire domestic abuse review (2014)" in row["source"]
                or path.name == "assumptions.csv"
                and row["source"]
            ), (path.name, row)


# --- Workbooks ---------------------------------------------------------------------------


def test_workbook_round_trip_is_lossless(herts, tmp_path):
    path = tmp_path / "plan.xlsx"
    inputs_write_workbook(herts, path)
    assert inputs_load(path) == replace(herts, name="plan")
    stream = io.BytesIO()
    inputs_write_workbook(herts, stream)
    stream.seek(0)
    assert inputs_load_workbook(stream, name=herts.name) == herts


def test_workbook_has_bold_headers_and_keeps_sources(herts, tmp_path):
    path = tmp_path / "plan.xlsx"
    inputs_write_workbook(herts, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "assumptions",
        "areas",
        "districts",
        "funding",
        "refuges",
        "funded_posts",
        "costs",
        "recommendations",
        "published",
    ]
    funding = book["funding"]
    header = [c.value for c in funding[1]]
    assert all(c.font.bold for c in funding[1])
    assert funding.cell(2, header.index("source") + 1).value == "Hertfordshire domestic abuse review (2014) Appendix 9"


def test_edited_workbook_is_read_with_its_changes(herts, tmp_path):
    path = tmp_path / "plan.xlsx"
    inputs_write_workbook(herts, path)
    book = openpyxl.load_workbook(path)
    book["funding"]["D2"] = 20_000  # amount, as Excel stores a typed number
    book["areas"]["E2"] = 0.5
    book["funding"]["I2"] = "2016-03"
    book.save(path)
    inputs = inputs_load(path)
    assert inputs.funding[0].amount == 20_000
    assert inputs.funding[0].end_date == date(2016, 3, 31)
    assert inputs.areas[0].repeat_rate == Decimal("0.5")


def test_workbook_errors_name_the_file_and_sheet(herts, tmp_path):
    path = tmp_path / "plan.xlsx"
    inputs_write_workbook(herts, path)
    book = openpyxl.load_workbook(path)
    book["funding"]["D7"] = -5000
    book["funding"]["H8"] = "Hitchin"
    del book["districts"]
    book.save(path)
    assert problems(path) == [
        "plan.xlsx: districts sheet: missing (every set of inputs needs it)",
        "plan.xlsx: funding sheet, row 7, amount: must not be negative (got -5,000)",
    ]
    # With the districts sheet missing, its absence is reported once, not on every row
    # naming a district (row 8's Hitchin).


def test_workbook_errors_refer_to_other_sheets_by_name(herts, tmp_path):
    path = tmp_path / "plan.xlsx"
    inputs_write_workbook(herts, path)
    book = openpyxl.load_workbook(path)
    book["funding"]["H8"] = "Hitchin"
    book.save(path)
    assert problems(path) == [
        "plan.xlsx: funding sheet, row 8, district: 'Hitchin' is not a district in the districts sheet (or County-wide)"
    ]


def test_an_upload_that_is_not_a_workbook():
    upload = io.BytesIO(b"stream,funder\n")
    upload.name = "funding.xlsx"
    with pytest.raises(PlanInputErrors) as caught:
        inputs_load_workbook(upload)
    assert str(caught.value) == "funding.xlsx: cannot be read as an Excel workbook (.xlsx)"


def test_an_upload_read_from_memory_is_named_by_its_file_name(herts):
    stream = io.BytesIO()
    inputs_write_workbook(replace(herts, funding=()), stream)
    stream.seek(0)
    with pytest.raises(PlanInputErrors) as caught:
        inputs_load_workbook(stream, file_name="partnership.xlsx")
    assert str(caught.value) == "partnership.xlsx: funding sheet: has no rows"


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stem, row, column, value, expected",
    [
        ("funding", 7, "amount", "-5,000", "funding.csv, row 7, amount: must not be negative (got -5,000)"),
        ("funding", 3, "funder", "", "funding.csv, row 3, funder: must not be empty"),
        ("areas", 2, "population", "abc", "areas.csv, row 2, population: must be a number (got 'abc')"),
        (
            "funding",
            2,
            "district",
            "Hitchin",
            "funding.csv, row 2, district: 'Hitchin' is not a district in districts.csv (or County-wide)",
        ),
        (
            "funding",
            4,
            "district",
            "Watford; Hitchin",
            "funding.csv, row 4, district: 'Hitchin' is not a district in districts.csv (or County-wide)",
        ),
        (
            "refuges",
            3,
            "district",
            "Hitchin",
            "refuges.csv, row 3, district: 'Hitchin' is not a district in districts.csv",
        ),
        (
            "funding",
            5,
            "service",
            "refugee",
            "funding.csv, row 5, service: unknown service 'refugee' (one of idva, other_community, refuge, "
            "refuge_children, perpetrators, other, or its label)",
        ),
        (
            "funding",
            2,
            "end_date",
            "Mar, 2015",
            "funding.csv, row 2, end_date: must be a date as YYYY-MM-DD or YYYY-MM, or ongoing (got 'Mar, 2015')",
        ),
        ("funding", 2, "end_date", "2015-13", None),
        ("assumptions", 3, "name", "prevalence", "assumptions.csv, row 3, name: unknown assumption 'prevalence'"),
        (
            "assumptions",
            3,
            "value",
            "1.2",
            "assumptions.csv, row 3, value: must be a share between 0 and 1, or a percentage (got 1.2)",
        ),
        ("assumptions", 9, "value", "0", "assumptions.csv, row 9, value: must be at least 1 (got 0)"),
        (
            "areas",
            3,
            "repeat_rate",
            "140%",
            "areas.csv, row 3, repeat_rate: must be a share between 0 and 1, or a percentage (got 140%)",
        ),
        ("districts", 5, "area", "North", "districts.csv, row 5, area: 'North' is not an area in areas.csv"),
        (
            "funded_posts",
            2,
            "area",
            "North",
            "funded_posts.csv, row 2, area: 'North' is not an area in areas.csv (or County-wide)",
        ),
        ("refuges", 2, "victims", "2.5", "refuges.csv, row 2, victims: must be a whole number (got '2.5')"),
        ("costs", 2, "on_costs", "maybe", "costs.csv, row 2, on_costs: must be yes or no (got 'maybe')"),
        (
            "costs",
            2,
            "idvas_per_post",
            "",
            "costs.csv, row 2, quantity: give a quantity, or idvas_per_post for a staff line",
        ),
        ("costs", 2, "quantity", "27", "costs.csv, row 2, quantity: give a quantity or idvas_per_post, not both"),
        ("costs", 3, "idvas_per_post", "0", "costs.csv, row 3, idvas_per_post: must be more than 0 (got 0)"),
        (
            "recommendations",
            2,
            "cost_basis",
            "",
            "recommendations.csv, row 2, marginal_cost: empty: give a cost, or a cost_basis saying why there is none "
            "(e.g. Minimal)",
        ),
        (
            "funding",
            5,
            "stream",
            "CS-WHW-CYP",
            "funding.csv, row 5, funder: stream 'CS-WHW-CYP' has funder 'Children's Services' on row 2",
        ),
        ("published", 2, "value", "n/a", "published.csv, row 2, value: must be a number (got 'n/a')"),
    ],
)
def test_a_bad_cell_is_named_by_file_row_and_field(folder, stem, row, column, value, expected):
    edit(folder, stem, row, column, value)
    found = problems(folder)
    assert len(found) == 1
    if expected:
        assert found == [expected]
    else:
        assert found[0].startswith(f"{stem}.csv, row {row}, {column}: must be a date")


def test_duplicate_names(folder):
    append(folder, "areas", ["central", 1, 1, 1, "0.1", 1, 1, 1, 1, "0.1"])
    append(folder, "districts", ["Watford", "West"])
    append(folder, "costs", ["Manager", "1", "1", "", "no"])
    append(folder, "refuges", ["Watford Women's Refuge", "", "Watford", 1, 1, 1])
    assert problems(folder) == [
        "areas.csv, row 5, area: 'central' is already on row 2",
        "districts.csv, row 12, district: 'Watford' is already on row 11",
        "refuges.csv, row 9, refuge: 'Watford Women's Refuge' is already on row 4",
        "costs.csv, row 6, item: 'Manager' is already on row 4",
    ]


def test_missing_column_is_named(folder):
    path = folder / "funding.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    col = rows[0].index("funder")
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([r[:col] + r[col + 1 :] for r in rows])
    assert problems(folder) == ["funding.csv, row 1, funder: missing column"]


def test_missing_required_file_but_not_optional_ones(folder):
    (folder / "published.csv").unlink()
    (folder / "assumptions.csv").unlink()
    inputs = inputs_load(folder)
    assert inputs.published == () and inputs.assumptions == Assumptions()
    assert inputs.name == "herts"
    (folder / "costs.csv").unlink()
    (folder / "funding.csv").write_text("stream,funder,amount,service,district\n", encoding="utf-8")
    assert problems(folder) == ["costs.csv: missing (every set of inputs needs it)", "funding.csv: has no rows"]


def test_file_that_is_not_utf8(folder):
    path = folder / "refuges.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Women's", "Women\u2019s").encode("cp1252"))
    assert problems(folder) == ["refuges.csv: is not UTF-8 text: save it as 'CSV UTF-8'"]


def test_errors_in_several_files_are_reported_together(folder):
    edit(folder, "funding", 7, "amount", "-5,000")
    edit(folder, "areas", 2, "population", "abc")
    edit(folder, "costs", 3, "on_costs", "")
    edit(folder, "recommendations", 4, "marginal_cost", "lots")
    assert problems(folder) == [
        "areas.csv, row 2, population: must be a number (got 'abc')",
        "funding.csv, row 7, amount: must not be negative (got -5,000)",
        "costs.csv, row 3, on_costs: must not be empty",
        "recommendations.csv, row 4, marginal_cost: must be a number (got 'lots')",
    ]


def test_a_long_cell_is_echoed_shortened(folder):
    edit(folder, "funding", 2, "service", "x" * 500)
    (message,) = problems(folder)
    assert len(message) < 200 and "x" * 37 + "..." in message


def test_not_a_folder_or_workbook(tmp_path):
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: no such folder or workbook"]
    (tmp_path / "plan.ods").write_bytes(b"")
    assert problems(tmp_path / "plan.ods") == [
        f"{tmp_path / 'plan.ods'}: is not a folder of CSV files or an .xlsx workbook"
    ]


# --- What is accepted --------------------------------------------------------------------


def test_numbers_shares_dates_and_names_as_people_type_them(folder):
    edit(folder, "funding", 2, "amount", "£14,930.50")
    edit(folder, "funding", 2, "service", "Refuge Children's Support")
    edit(folder, "funding", 2, "district", "welwyn hatfield; St Albans")
    edit(folder, "funding", 2, "end_date", "2015-02")
    edit(folder, "funding", 3, "end_date", "2015-06-15")
    edit(folder, "funding", 4, "end_date", "")
    edit(folder, "funding", 5, "district", "county-wide")
    edit(folder, "areas", 2, "repeat_rate", "26%")
    edit(folder, "recommendations", 3, "marginal_cost", "")  # keeps its cost_basis
    inputs = inputs_load(folder)
    first = inputs.funding[0]
    assert (first.amount, first.service, first.districts, first.end_date) == (
        Decimal("14930.50"),
        "refuge_children",
        ("Welwyn Hatfield", "St Albans"),
        date(2015, 2, 28),
    )
    assert inputs.funding[1].end_date == date(2015, 6, 15)
    assert inputs.funding[2].end_date is None
    assert inputs.funding[3].districts == ()
    assert inputs.areas[0].repeat_rate == Decimal("0.26")
    assert inputs.recommendations[1].marginal_cost == 0


# --- Changing assumptions ----------------------------------------------------------------


def test_assumptions_replace_parses_each_value_as_its_type(herts):
    changed = assumptions_replace(
        herts,
        {
            "high_share": "45%",
            "on_cost_rate": Decimal("0.25"),
            "idva_caseload_high": "70",
            "visible_high": 1_200,
            "children_per_family": "1.9",
            "funding_as_at": "2015-06",
            "ending_within_months": 6,
        },
    )
    a = changed.assumptions
    assert (a.high_share, a.on_cost_rate, a.idva_caseload_high, a.visible_high) == (
        Decimal("0.45"),
        Decimal("0.25"),
        70,
        1_200,
    )
    assert (a.children_per_family, a.funding_as_at, a.ending_within_months) == (Decimal("1.9"), date(2015, 6, 30), 6)
    assert changed.funding == herts.funding and herts.assumptions == Assumptions()
    assert assumptions_replace(herts, {"funding_as_at": date(2015, 1, 1)}).assumptions.funding_as_at == date(2015, 1, 1)


def test_assumptions_replace_refuses_bad_values_all_at_once(herts):
    with pytest.raises(PlanInputErrors) as caught:
        assumptions_replace(
            herts,
            {
                "high_share": "1.5",
                "idva_caseload_medium": 0,
                "visible_high": "2.5",
                "female_victims": "-100",
                "funding_as_at": "December",
                "overhead_rate": "",
                "caseload": 60,
            },
        )
    assert [str(e) for e in caught.value.errors] == [
        "assumptions, high_share: must be a share between 0 and 1, or a percentage (got 1.5)",
        "assumptions, idva_caseload_medium: must be at least 1 (got 0)",
        "assumptions, visible_high: must be a whole number (got '2.5')",
        "assumptions, female_victims: must not be negative (got -100)",
        "assumptions, funding_as_at: must be a date as YYYY-MM-DD or YYYY-MM (got 'December')",
        "assumptions, overhead_rate: must not be empty",
        "assumptions, caseload: unknown assumption",
    ]
    assert {e.file for e in caught.value.errors} == {"assumptions"}
