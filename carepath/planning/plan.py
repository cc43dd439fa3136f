"""The whole plan from one set of inputs, checked against what the review printed.

Pure Python. ``plan_compute`` runs needs, capacity, costs, funding and scenarios and
returns plain JSON values under the stable keys documented in ``docs/planner.md``
(schema ``carepath.plan/1``); ``plan_text`` prints it as tables for the terminal.
"""

from dataclasses import fields
from datetime import date
from decimal import Decimal

from carepath.planning.costs import service_cost
from carepath.planning.figure_words import figure_words
from carepath.planning.funding import funding_analysis
from carepath.planning.inputs import PlanInputs, PublishedFigure
from carepath.planning.needs import idva_capacity, marac_volume, needs_areas, needs_county, police_individuals
from carepath.planning.refuge import refuge_provision
from carepath.planning.scenarios import scenarios_cost

SCHEMA = "carepath.plan/1"
# Full-time equivalents and rates stay decimals in JSON (8.0 IDVAs, not 8).
_DECIMAL_KEYS = frozenset(
    {
        "idvas_high",
        "idvas_medium",
        "idvas_total",
        "idvas",
        "needed",
        "funded",
        "gap",
        "fte",
        "support_worker_fte",
        "repeat_rate",
        "marac_repeat_rate",
    }
)


def _plain(value, key: str = ""):
    if isinstance(value, dict):
        return {k: _plain(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, key) for v in value]
    if isinstance(value, Decimal):
        if key not in _DECIMAL_KEYS and value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _assumptions(inputs: PlanInputs) -> dict:
    return {
        f.name: {
            "value": getattr(inputs.assumptions, f.name),
            "label": f.metadata["label"],
            "source": inputs.assumption_source(f.name),
            "unit": f.metadata["unit"],
        }
        for f in fields(inputs.assumptions)
    }


def plan_figure(plan: dict, key: str):
    """The value at ``key`` in a plan: dot-separated, ``[NAME]`` picking the list element
    whose first value is NAME (``needs.areas[East].idvas_total``). None when absent."""
    node = plan
    for part in key.split("."):
        name, _, pick = part.partition("[")
        if name:
            if not isinstance(node, dict) or name not in node:
                return None
            node = node[name]
        if pick:
            wanted = pick.rstrip("]")
            node = next(
                (item for item in node if isinstance(item, dict) and str(next(iter(item.values()))) == wanted), None
            )
            if node is None:
                return None
    return node


def _reconciliation(plan: dict, published: tuple[PublishedFigure, ...]) -> dict:
    figures = []
    for figure in published:
        computed = plan_figure(plan, figure.key)
        matches = isinstance(computed, int | float) and Decimal(str(computed)) == figure.value
        figures.append(
            {
                "key": figure.key,
                "label": figure_words(figure.key),
                "published": figure.value,
                "computed": computed,
                "matches": matches,
                "source": figure.source,
                "note": figure.note or ("" if computed is not None else "The plan has no such figure."),
            }
        )
    return {"checked": len(figures), "matching": sum(f["matches"] for f in figures), "figures": figures}


def plan_compute(inputs: PlanInputs) -> dict:
    """The plan for ``inputs``, as JSON-ready values under the documented keys."""
    a = inputs.assumptions
    area_rows = needs_areas(a, inputs.areas)
    county = needs_county(a, area_rows)
    police = police_individuals(inputs.areas)
    support_funding = sum((r.amount for r in inputs.funding if r.service == "refuge"), Decimal(0))
    plan = _plain(
        {
            "schema": SCHEMA,
            "inputs": {"name": inputs.name},
            "assumptions": _assumptions(inputs),
            "needs": {"county": county, "police": police, "areas": area_rows},
            "capacity": {"idva": idva_capacity(county, area_rows, inputs.funded_posts)},
            "marac": marac_volume(a, inputs.areas),
            "refuge": refuge_provision(a, inputs.areas, inputs.districts, inputs.refuges, support_funding),
            "costs": service_cost(a, inputs.costs, idvas=county["idvas_total"], victims=county["visible_total"]),
            "funding": funding_analysis(
                a,
                inputs.funding,
                inputs.districts,
                police_incidents=police["incidents"],
                visible_victims=county["visible_total"],
            ),
            "scenarios": scenarios_cost(
                inputs.recommendations, police_incidents=police["incidents"], service_users=county["visible_total"]
            ),
        }
    )
    plan["reconciliation"] = _plain(_reconciliation(plan, inputs.published))
    return plan


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def _table(title: str, headers: list[str], rows: list[list]) -> str:
    cells = [headers, *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return "\n".join([title, line(cells[0]), *(line(r) for r in cells[1:])])


def _money(value) -> str:
    return f"£{value:,.0f}"


def plan_text(plan: dict) -> str:
    """The plan as plain-text tables, in the order of the review's own sections."""
    county, police = plan["needs"]["county"], plan["needs"]["police"]
    capacity = {r["area"]: r for r in plan["capacity"]["idva"]["areas"]}
    costs, funding, refuge, marac = plan["costs"], plan["funding"], plan["refuge"], plan["marac"]
    parts = [
        f"Carepath plan: {plan['inputs']['name']}",
        _table(
            "Needs (Table 9)",
            ["", "High", "Medium", "Total"],
            [
                [
                    "Victims (women, crime survey)",
                    county["high_risk_victims"],
                    county["medium_risk_victims"],
                    county["high_medium_victims"],
                ],
                [
                    "Children of those victims",
                    county["children_high"],
                    county["children_medium"],
                    county["children_total"],
                ],
                [
                    "Visible victims near help-seeking",
                    county["visible_high"],
                    county["visible_medium"],
                    county["visible_total"],
                ],
                [
                    "Children of visible victims",
                    county["visible_children_high"],
                    county["visible_children_medium"],
                    county["visible_children_total"],
                ],
                ["IDVAs needed", county["idvas_high"], county["idvas_medium"], county["idvas_total"]],
            ],
        ),
        _table(
            "Police and MARAC (Table 8)",
            ["", "Incidents or cases", "Individuals"],
            [
                ["Police incidents, all risks", police["incidents"], police["individuals"]],
                ["High risk", police["incidents_high"], police["individuals_high"]],
                ["Medium risk", police["incidents_medium"], police["individuals_medium"]],
                ["MARAC cases", police["marac_cases"], police["marac_individuals"]],
                ["Children at MARAC", police["marac_children"], police["marac_children_individuals"]],
            ],
        ),
        _table(
            "IDVAs by MARAC area (Appendix 6)",
            [
                "Area",
                "Visible high",
                "Visible medium",
                "Children",
                "IDVAs high",
                "IDVAs medium",
                "IDVAs total",
                "Funded",
                "Gap",
            ],
            [
                [
                    r["area"],
                    r["visible_high"],
                    r["visible_medium"],
                    r["visible_children"],
                    r["idvas_high"],
                    r["idvas_medium"],
                    r["idvas_total"],
                    capacity[r["area"]]["funded"],
                    capacity[r["area"]]["gap"],
                ]
                for r in plan["needs"]["areas"]
            ]
            + [
                [
                    "County",
                    county["visible_high"],
                    county["visible_medium"],
                    county["visible_children_total"],
                    county["idvas_high"],
                    county["idvas_medium"],
                    county["idvas_total"],
                    plan["capacity"]["idva"]["funded"],
                    plan["capacity"]["idva"]["gap"],
                ]
            ],
        ),
        _table(
            "MARAC volume (expected at the configured rate per 10,000 women aged 16+)",
            ["Area", "Expected", "Heard", "% of expected"],
            [
                [r["area"], r["expected_cases"], r["actual_cases"], f"{r['percent_of_expected']}%"]
                for r in marac["areas"]
            ]
            + [["County", marac["expected_cases"], marac["actual_cases"], f"{marac['percent_of_expected']}%"]],
        ),
        _table(
            "Refuge places (Table 11)",
            ["Area", "Places", "Benchmark", "% of benchmark"],
            [[r["area"], r["places"], r["benchmark_places"], f"{r['percent_of_benchmark']}%"] for r in refuge["areas"]]
            + [["County", refuge["places"], refuge["benchmark_places"], f"{refuge['percent_of_benchmark']}%"]],
        ),
        f"Refuge: {refuge['victims']:,} victims a year, {refuge['support_worker_fte']:.1f} FTE support workers "
        f"({refuge['victims_per_worker']} each), support {_money(refuge['support_cost_per_victim'])} per victim.",
        _table(
            f"Service cost for {costs['idvas']:.1f} IDVAs (Appendix 3)",
            ["Item", "Salary", "FTE", "With on-costs", "Cost"],
            [
                [r["item"], _money(r["unit_cost"]), r["fte"], _money(r["unit_cost_with_on_costs"]), _money(r["cost"])]
                for r in costs["lines"]
            ]
            + [["Overheads", "", "", "", _money(costs["overheads"])], ["Total", "", "", "", _money(costs["total"])]],
        ),
        f"Per IDVA {_money(costs['per_idva'])}; per visible victim {_money(costs['per_victim'])}.",
        _table(
            f"Funding by funder (Table 5): {funding['streams']} streams",
            ["Funder", "£'000", "%", "Streams"],
            [[r["funder"], r["thousands"], f"{r['percent']}%", r["streams"]] for r in funding["funders"]]
            + [["Total", funding["total_thousands"], "", funding["streams"]]],
        ),
        _table(
            "Funding by service (Table 6)",
            ["Service", "£'000", "%", "Streams"],
            [[r["label"], r["thousands"], f"{r['percent']}%", r["streams"]] for r in funding["services"]]
            + [[g["label"], g["thousands"], f"{g['percent']}%", ""] for g in funding["service_groups"]],
        ),
        f"Total {_money(funding['total'])} (£{funding['headline'] / 1e6:.2f}m): "
        f"{_money(funding['per_police_incident'])} per police incident "
        f"(IDVA {_money(funding['idva_per_police_incident'])}), {_money(funding['per_visible_victim'])} per visible victim.",
        _table(
            f"Streams ending by {plan['assumptions']['ending_within_months']['value']} months after "
            f"{plan['assumptions']['funding_as_at']['value']}",
            ["Stream", "Funder", "Amount", "Ends"],
            [[r["stream"], r["funder"], _money(r["amount"]), r["end_date"]] for r in funding["ending_soon"]],
        ),
        _table(
            "Scenarios (Table 10)",
            ["Scenario", "Total", "Headline", "Per police incident", "Per service user"],
            [
                [
                    s["scenario"],
                    _money(s["total"]),
                    f"£{s['headline'] / 1e6:.1f}m",
                    _money(s["per_police_incident"]),
                    _money(s["per_service_user"]),
                ]
                for s in plan["scenarios"]
            ],
        ),
    ]
    check = plan["reconciliation"]
    if check["checked"]:
        parts.append(
            "\n".join(
                [
                    f"Checked against the review: {check['matching']} of {check['checked']} figures match.",
                    *(
                        f"  {f['key']}: published {_cell(f['published'])}, computed {_cell(f['computed'])}. {f['note']}".rstrip()
                        for f in check["figures"]
                        if not f["matches"]
                    ),
                ]
            )
        )
    return "\n\n".join(parts) + "\n"
