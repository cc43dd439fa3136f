"""The plan as an Excel workbook (openpyxl) and as a PDF (WeasyPrint), with the page's figures.

The workbook carries the plan's tables first and then the input sheets exactly as the
inputs module writes them (``inputs_add_sheets``), so a commissioner can edit the inputs and upload
the same file. The plan's sheets are named so that none clashes with an input sheet
(Excel treats "Costs" and "costs" as the same name).
"""

from datetime import date
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook

from carepath.core.pdf import pdf_from_template
from carepath.core.workbook import (
    COUNT,
    DATE,
    FTE,
    MONEY,
    PERCENT,
    RATE,
    THOUSANDS,
    Column,
)
from carepath.core.workbook import SheetWriter as _Sheet
from carepath.core.workbook import share_cell as _share
from carepath.planning.charts import plan_charts
from carepath.planning.inputs import PlanInputs, inputs_add_sheets, inputs_write_workbook


def _summary(sheet: _Sheet, plan: dict, comparison: dict | None) -> None:
    needs, idva, costs, funding = plan["needs"]["county"], plan["capacity"]["idva"], plan["costs"], plan["funding"]
    refuge, marac, checked = plan["refuge"], plan["marac"], plan["reconciliation"]
    sheet.title(f"Plan: {plan['inputs']['name']}")
    sheet.note(f"Produced by Carepath's planner on {timezone.localdate():%d %B %Y}. Money in pounds a year.")
    sheet.row += 1
    rows = [
        ("IDVAs needed (county, full-time)", idva["needed"], FTE),
        ("IDVAs funded", idva["funded"], FTE),
        ("IDVAs still to fund", idva["gap"], FTE),
        ("Visible high- and medium-risk victims a year", needs["visible_total"], COUNT),
        ("Children of visible victims", needs["visible_children_total"], COUNT),
        ("MARAC cases expected a year", marac["expected_cases"], COUNT),
        ("MARAC cases heard", marac["actual_cases"], COUNT),
        ("Refuge places", refuge["places"], COUNT),
        ("Refuge places the benchmark calls for", refuge["benchmark_places"], COUNT),
        ("Refuge places as a share of the benchmark", _share(refuge["percent_of_benchmark"]), PERCENT),
        ("Cost of the IDVA service needed (Appendix 3)", costs["total"], MONEY),
        ("Cost per IDVA", costs["per_idva"], MONEY),
        ("Cost per visible victim", costs["per_victim"], MONEY),
        ("Funding now (register total)", funding["total"], MONEY),
        ("Funding now, as the review states it", funding["headline"], MONEY),
        ("Spend per police incident now", funding["per_police_incident"], MONEY),
        ("Spend per visible victim now", funding["per_visible_victim"], MONEY),
    ]
    for scenario in plan["scenarios"]:
        rows += [
            (f"{scenario['scenario']}: total (Table 10)", scenario["total"], MONEY),
            (f"{scenario['scenario']}: spend per police incident", scenario["per_police_incident"], MONEY),
            (f"{scenario['scenario']}: spend per service user", scenario["per_service_user"], MONEY),
        ]
    if checked["checked"]:
        rows.append(
            ("Figures checked against the review that match", f"{checked['matching']} of {checked['checked']}", None)
        )
    sheet.pairs(rows, title="Key figures")
    sheet.table(
        [
            Column("Assumption", lambda r: r["label"], width=58),
            Column("Value", lambda r: r["value"], lambda r: RATE if r["unit"] == "share" else None, width=18),
            Column("Unit", lambda r: r["unit"]),
            Column("Source", lambda r: r["source"], width=90),
        ],
        [
            {
                "label": a["label"],
                "unit": a["unit"],
                "source": a["source"],
                "value": a["value"] if not isinstance(a["value"], str) else _date_or_text(a["value"]),
            }
            for a in plan["assumptions"].values()
        ],
        title="Assumptions used",
    )


def _date_or_text(value: str):
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def _needs(sheet: _Sheet, plan: dict, comparison: dict | None) -> None:
    county, police = plan["needs"]["county"], plan["needs"]["police"]
    sheet.table(
        [
            Column("Risk", lambda r: r["risk"], width=18),
            Column("Victims (prevalence)", lambda r: r["victims"], COUNT, 18),
            Column("Their children", lambda r: r["children"], COUNT, 16),
            Column("Visible victims", lambda r: r["visible"], COUNT, 16),
            Column("Children of visible victims", lambda r: r["visible_children"], COUNT, 24),
            Column("IDVAs needed", lambda r: r["idvas"], FTE),
        ],
        [
            {
                "risk": "High",
                "victims": county["high_risk_victims"],
                "children": county["children_high"],
                "visible": county["visible_high"],
                "visible_children": county["visible_children_high"],
                "idvas": county["idvas_high"],
            },
            {
                "risk": "Medium",
                "victims": county["medium_risk_victims"],
                "children": county["children_medium"],
                "visible": county["visible_medium"],
                "visible_children": county["visible_children_medium"],
                "idvas": county["idvas_medium"],
            },
        ],
        totals=[
            {
                "risk": "High and medium",
                "victims": county["high_medium_victims"],
                "children": county["children_total"],
                "visible": county["visible_total"],
                "visible_children": county["visible_children_total"],
                "idvas": county["idvas_total"],
            }
        ],
        title="Need in the county (Table 9)",
    )
    sheet.table(
        [
            Column("Area", lambda r: r["area"], width=18),
            Column("Population", lambda r: r["population"], COUNT),
            Column("Women 16+", lambda r: r["female_16_plus"], COUNT),
            Column("Visible high", lambda r: r["visible_high"], COUNT),
            Column("Visible medium", lambda r: r["visible_medium"], COUNT),
            Column("Visible total", lambda r: r["visible_total"], COUNT),
            Column("Children of visible victims", lambda r: r["visible_children"], COUNT, 24),
            Column("IDVAs high", lambda r: r["idvas_high"], FTE),
            Column("IDVAs medium", lambda r: r["idvas_medium"], FTE),
            Column("IDVAs total", lambda r: r["idvas_total"], FTE),
        ],
        plan["needs"]["areas"],
        title="Need by MARAC area (Appendix 6). Areas round to the nearest half IDVA, the county to the nearest "
        "whole one, so the areas need not add up to the county.",
    )
    lines = [
        ("All incidents", "incidents", "individuals"),
        ("High risk", "incidents_high", "individuals_high"),
        ("Medium risk", "incidents_medium", "individuals_medium"),
        ("High and medium risk", "incidents_high_medium", "individuals_high_medium"),
        ("MARAC cases", "marac_cases", "marac_individuals"),
        ("Children at MARAC", "marac_children", "marac_children_individuals"),
    ]
    sheet.table(
        [
            Column("Police and MARAC, 12 months", lambda r: r["what"], width=28),
            Column("Incidents or cases", lambda r: r["count"], COUNT, 18),
            Column("Individuals, net of repeats", lambda r: r["individuals"], COUNT, 24),
        ],
        [
            {"what": what, "count": police[count], "individuals": police[individuals]}
            for what, count, individuals in lines
        ],
        title="Police incidents and MARAC (Table 8)",
    )


def _capacity(sheet: _Sheet, plan: dict, comparison: dict | None) -> None:
    idva, marac, refuge = plan["capacity"]["idva"], plan["marac"], plan["refuge"]
    sheet.table(
        [
            Column("Area", lambda r: r["area"], width=18),
            Column("IDVAs needed", lambda r: r["needed"], FTE),
            Column("IDVAs funded", lambda r: r["funded"], FTE),
            Column("Still to fund", lambda r: r["gap"], FTE),
        ],
        idva["areas"],
        totals=[{"area": "County", **idva}],
        title="IDVA capacity. County-wide posts are shared between areas by their share of need.",
    )
    sheet.table(
        [
            Column("Area", lambda r: r["area"], width=18),
            Column("Cases expected", lambda r: r["expected_cases"], COUNT),
            Column("Cases heard", lambda r: r["actual_cases"], COUNT),
            Column("Heard as share of expected", lambda r: _share(r["percent_of_expected"]), PERCENT, 24),
        ],
        marac["areas"],
        totals=[{"area": "County", **marac}],
        title="MARAC cases: expected against heard",
    )
    sheet.table(
        [
            Column("Area", lambda r: r["area"], width=18),
            Column("Refuge places", lambda r: r["places"], COUNT),
            Column("Benchmark places", lambda r: r["benchmark_places"], COUNT, 18),
            Column("Places as share of benchmark", lambda r: _share(r["percent_of_benchmark"]), PERCENT, 26),
        ],
        refuge["areas"],
        totals=[{"area": "County", **refuge}],
        title="Refuge places against the benchmark",
    )
    sheet.table(
        [
            Column("Refuge", lambda r: r["refuge"], width=30),
            Column("District", lambda r: r["district"], width=18),
            Column("Area", lambda r: r["area"]),
            Column("Victims a year", lambda r: r["victims"], COUNT),
            Column("Beds", lambda r: r["beds"], COUNT),
            Column("Support workers", lambda r: r["support_worker_fte"], FTE, 16),
            Column("Victims per worker", lambda r: r["victims_per_worker"], COUNT, 18),
        ],
        refuge["refuges"],
        totals=[
            {
                "refuge": "All refuges",
                "district": "",
                "area": "",
                "victims": refuge["victims"],
                "beds": refuge["places"],
                "support_worker_fte": refuge["support_worker_fte"],
                "victims_per_worker": refuge["victims_per_worker"],
            }
        ],
        title="Refuges (Table 11)",
    )
    sheet.pairs(
        [
            ("Refuge support funding", refuge["support_funding"], MONEY),
            ("Support cost per victim accommodated", refuge["support_cost_per_victim"], MONEY),
        ]
    )


def _costs(sheet: _Sheet, plan: dict, comparison: dict | None) -> None:
    costs = plan["costs"]
    blank = {"unit_cost": None, "unit_cost_with_on_costs": None, "fte": None}
    sheet.table(
        [
            Column("Item", lambda r: r["item"], width=40),
            Column("Unit cost", lambda r: r["unit_cost"], MONEY),
            Column("With on-costs", lambda r: r["unit_cost_with_on_costs"], MONEY),
            Column("FTE or quantity", lambda r: r["fte"], FTE, 16),
            Column("Cost", lambda r: r["cost"], MONEY),
        ],
        costs["lines"],
        totals=[
            {**blank, "item": "Staff", "cost": costs["staff_total"]},
            {**blank, "item": "Other costs", "cost": costs["other_total"]},
            {**blank, "item": "Overheads", "cost": costs["overheads"]},
            {**blank, "item": "Total", "cost": costs["total"]},
        ],
        title=f"Cost of an IDVA service for {float(costs['idvas']):g} IDVAs (Appendix 3)",
    )
    sheet.pairs(
        [
            ("IDVAs", costs["idvas"], FTE),
            ("Visible victims", costs["victims"], COUNT),
            ("Cost per IDVA", costs["per_idva"], MONEY),
            ("Cost per visible victim", costs["per_victim"], MONEY),
        ]
    )


def _funding(sheet: _Sheet, plan: dict, comparison: dict | None) -> None:
    funding = plan["funding"]
    sheet.table(
        [
            Column("Funder", lambda r: r["funder"], width=40),
            Column("Amount", lambda r: r["amount"], MONEY),
            Column("£'000", lambda r: r["thousands"], THOUSANDS),
            Column("Share", lambda r: _share(r["percent"]), PERCENT),
            Column("Streams", lambda r: r["streams"], COUNT),
        ],
        funding["funders"],
        totals=[
            {
                "funder": "Total",
                "amount": funding["total"],
                "thousands": funding["total_thousands"],
                "percent": None,
                "streams": funding["streams"],
            }
        ],
        title="Funding by funder (Table 5)",
    )
    sheet.table(
        [
            Column("Service", lambda r: r["label"], width=60),
            Column("Amount", lambda r: r.get("amount"), MONEY),
            Column("£'000", lambda r: r["thousands"], THOUSANDS),
            Column("Share", lambda r: _share(r["percent"]), PERCENT),
            Column("Streams", lambda r: r.get("streams"), COUNT),
        ],
        funding["services"],
        totals=funding["service_groups"],
        title="Funding by service (Table 6)",
    )
    sheet.table(
        [
            Column("Area", lambda r: r["area"], width=40),
            Column("Amount", lambda r: r["amount"], MONEY),
            Column("£'000", lambda r: r["thousands"], THOUSANDS),
        ],
        funding["areas"],
        title="Funding by MARAC area (an allocation to several districts is shared equally)",
    )
    sheet.table(
        [
            Column("Stream", lambda r: r["stream"], width=60),
            Column("Funder", lambda r: r["funder"], width=30),
            Column("Amount", lambda r: r["amount"], MONEY),
            Column("Ends", lambda r: _date_or_text(r["end_date"]), DATE),
            Column("Months left", lambda r: r["months_left"], COUNT),
        ],
        funding["ending_soon"],
        title="Funding streams ending soon",
    )
    sheet.pairs(
        [
            ("Funding now, as the review states it", funding["headline"], MONEY),
            ("Spend per police incident", funding["per_police_incident"], MONEY),
            ("IDVA spend per police incident", funding["idva_per_police_incident"], MONEY),
            ("Spend per visible victim", funding["per_visible_victim"], MONEY),
        ],
        title="Spend",
    )


def _matrix(sheet: _Sheet, plan: dict, comparison: dict | None) -> None:
    matrix = plan["funding"]["matrix"]
    columns = [Column("Service (£'000)", lambda r: r["label"], width=60)]
    columns += [
        Column(funder, lambda r, f=funder: r["cells"].get(f), THOUSANDS, max(10, len(funder) + 2))
        for funder in matrix["funders"]
    ]
    columns.append(Column("Total", lambda r: r["total"], THOUSANDS))
    sheet.table(
        columns,
        matrix["rows"],
        totals=[{"label": "Total", "cells": matrix["totals"], "total": plan["funding"]["total_thousands"]}],
        title="Funding by funder and service, £'000 (Appendix 8)",
    )


def _scenarios(sheet: _Sheet, plan: dict, comparison: dict | None) -> None:
    sheet.table(
        [
            Column("Scenario", lambda r: r["scenario"], width=40),
            Column("Total", lambda r: r["total"], MONEY),
            Column("As the review states it", lambda r: r["headline"], MONEY, 22),
            Column("Per police incident", lambda r: r["per_police_incident"], MONEY, 20),
            Column("Per service user", lambda r: r["per_service_user"], MONEY, 18),
        ],
        plan["scenarios"],
        title="Scenarios (Table 10)",
    )
    if comparison:
        totals = comparison["totals"]
        labels = {
            "total": "Total",
            "headline": "Total as the review states it",
            "per_police_incident": "Spend per police incident",
            "per_service_user": "Spend per service user",
        }
        sheet.table(
            [
                Column("Tier", lambda r: r.get("tier", ""), width=16),
                Column("Recommendation", lambda r: r["recommendation"], width=70),
                Column(comparison["first"], lambda r: r["first"], MONEY, 20),
                Column(comparison["second"], lambda r: r["second"], MONEY, 20),
                Column("Difference", lambda r: r["difference"], MONEY),
                Column("Differs", lambda r: "Differs" if r.get("differs") else ""),
            ],
            comparison["rows"],
            totals=[
                {"recommendation": labels[key], "differs": values["difference"] != 0, **values}
                for key, values in totals.items()
            ],
            highlight=lambda r: r["differs"],
            title=f"{comparison['first']} and {comparison['second']} side by side (an empty cost: not in that scenario)",
        )
    for scenario in plan["scenarios"]:
        sheet.table(
            [
                Column("Tier", lambda r: r["tier"], width=16),
                Column("Recommendation", lambda r: r["recommendation"], width=70),
                Column("Marginal cost", lambda r: r["marginal_cost"], MONEY, 20),
                Column("Cost basis", lambda r: r["cost_basis"], width=30),
            ],
            scenario["recommendations"],
            title=scenario["scenario"],
        )


def _reconciliation(sheet: _Sheet, plan: dict, comparison: dict | None) -> None:
    checked = plan["reconciliation"]
    sheet.table(
        [
            Column("Figure", lambda r: r["label"], width=44),
            Column("Published", lambda r: r["published"], width=14),
            Column("Computed", lambda r: r["computed"], width=14),
            Column("Matches", lambda r: "Yes" if r["matches"] else "No", width=10),
            Column("Source", lambda r: r["source"], width=50),
            Column("Note", lambda r: r["note"], width=60),
        ],
        checked["figures"],
        highlight=lambda r: not r["matches"],
        title=f"Checked against the review: {checked['matching']} of {checked['checked']} figures match",
    )


PLAN_SHEETS = [
    ("Summary", _summary),
    ("Needs", _needs),
    ("Capacity", _capacity),
    ("Cost model", _costs),
    ("Funding tables", _funding),
    ("Matrix", _matrix),
    ("Scenarios", _scenarios),
    ("Reconciliation", _reconciliation),
]


def inputs_workbook(inputs: PlanInputs) -> bytes:
    """The inputs alone, as a workbook to edit and upload again."""
    out = BytesIO()
    inputs_write_workbook(inputs, out)
    return out.getvalue()


def plan_workbook(plan: dict, inputs: PlanInputs, comparison: dict | None) -> bytes:
    """The plan's tables, then the input sheets it was computed from."""
    book = Workbook()
    book.remove(book.active)
    for title, write in PLAN_SHEETS:
        sheet = _Sheet(book.create_sheet(title))
        write(sheet, plan, comparison)
        sheet.finish()
    inputs_add_sheets(inputs, book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def plan_pdf(plan: dict, comparison: dict | None, *, stored=None, records: dict | None = None) -> bytes:
    """The plan's main tables and charts as a PDF, from ``planning/plan_print.html``,
    with everything (styles, SVG charts) inside the HTML itself. ``records`` (the page's
    ``Planner.records``) adds the partnership's records beside the input set's figures."""
    return pdf_from_template(
        "planning/plan_print.html",
        {
            "plan": plan,
            "comparison": comparison,
            "charts": plan_charts(plan),
            "stored": stored,
            "records": records,
            "produced": timezone.localtime(),
        },
    )
