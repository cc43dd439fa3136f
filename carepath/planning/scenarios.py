"""What a set of recommendations costs (seed 002 Table 10 and §1.4).

Pure Python. A scenario's total is the sum of its recommendations' marginal costs; those
costed "Minimal", "Mainstream cost" or "To be funded by innovation grant" count as
nothing (Table 10: £2,440,000). The review's summary states that total to the nearest
£100,000 ("£2.4m", §1.4) and divides the rounded figure: £2.4m / 13,658 police incidents
= £175 per incident and £2.4m / 2,000 expected service users (the visible victims) =
£1,200 each, rounded down to the pound. Note that Table 10 keeps the refuge's existing
£800,000: a scenario's total is what the partnership would spend on its
recommendations, not only the new money.
"""

from decimal import Decimal

from carepath.planning.inputs import Recommendation
from carepath.planning.rounding import round_down, round_half_up

HEADLINE_STEP = 100_000  # "£2.4m" (§1.4)


def scenarios_cost(
    recommendations: tuple[Recommendation, ...], *, police_incidents: int, service_users: int
) -> list[dict]:
    names = list(dict.fromkeys(r.scenario for r in recommendations))
    result = []
    for name in names:
        rows = [r for r in recommendations if r.scenario == name]
        total = sum((r.marginal_cost for r in rows), Decimal(0))
        headline = round_half_up(total, HEADLINE_STEP)
        result.append(
            {
                "scenario": name,
                "total": total,
                "headline": headline,
                "per_police_incident": round_down(headline / police_incidents) if police_incidents else Decimal(0),
                "per_service_user": round_down(headline / service_users) if service_users else Decimal(0),
                "recommendations": [
                    {
                        "tier": r.tier,
                        "recommendation": r.recommendation,
                        "marginal_cost": r.marginal_cost,
                        "cost_basis": r.cost_basis,
                    }
                    for r in rows
                ],
            }
        )
    return result


def scenarios_compare(first: dict, second: dict) -> dict:
    """Two costed scenarios side by side, recommendation by recommendation (matched by
    name), with what differs: a cost, or a recommendation only one of them makes."""
    costs_first = {r["recommendation"]: r for r in first["recommendations"]}
    costs_second = {r["recommendation"]: r for r in second["recommendations"]}
    rows = []
    for name in dict.fromkeys([*costs_first, *costs_second]):
        a, b = costs_first.get(name), costs_second.get(name)
        cost_a = a["marginal_cost"] if a else None
        cost_b = b["marginal_cost"] if b else None
        rows.append(
            {
                "recommendation": name,
                "tier": (a or b)["tier"],
                "first": cost_a,
                "second": cost_b,
                "difference": (cost_b or 0) - (cost_a or 0),
                "differs": a is None or b is None or cost_a != cost_b,
            }
        )
    totals = {
        key: {"first": first[key], "second": second[key], "difference": second[key] - first[key]}
        for key in ("total", "headline", "per_police_incident", "per_service_user")
    }
    return {"first": first["scenario"], "second": second["scenario"], "rows": rows, "totals": totals}
