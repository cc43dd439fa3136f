"""What a properly staffed IDVA service costs (seed 002 Appendix 3).

Pure Python. Each staff line costs its salary plus on-costs (20%, "incl NI and pension")
times its FTE; IDVAs are the county's IDVAs needed (27), and the other grades follow from
them at the lines' ratio (3.0 administrators and 2.5 managers for 27 IDVAs), to the
nearest half FTE. Other costs carry no on-costs. Overheads are 30% of staff and other
costs together, to the nearest £1,000 (0.3 x 1,049,400 = 314,820 -> 315,000; 30% of
staff alone would be 305,820). The total is then £1,364,400: about £50,500 per IDVA and
£680 per visible victim, each rounded down as Appendix 3 prints them.
"""

from decimal import Decimal

from carepath.planning.inputs import Assumptions, CostLine
from carepath.planning.needs import AREA_FTE_STEP
from carepath.planning.rounding import round_down, round_half_up


def _fte(line: CostLine, idvas: Decimal) -> Decimal:
    if line.quantity is not None:
        return line.quantity
    return round_half_up(idvas / line.idvas_per_post, AREA_FTE_STEP)


def service_cost(a: Assumptions, lines: tuple[CostLine, ...], *, idvas: Decimal, victims: int) -> dict:
    rows = []
    for line in lines:
        unit = line.unit_cost * (1 + a.on_cost_rate) if line.on_costs else line.unit_cost
        fte = _fte(line, idvas)
        rows.append(
            {
                "item": line.item,
                "unit_cost": line.unit_cost,
                "fte": fte,
                "unit_cost_with_on_costs": unit,
                "cost": unit * fte,
                "on_costs": line.on_costs,
            }
        )
    staff = sum((r["cost"] for r in rows if r["on_costs"]), Decimal(0))
    other = sum((r["cost"] for r in rows if not r["on_costs"]), Decimal(0))
    overheads = round_half_up(a.overhead_rate * (staff + other), 1000)
    total = staff + other + overheads
    return {
        "idvas": idvas,
        "victims": victims,
        "lines": [{k: v for k, v in r.items() if k != "on_costs"} for r in rows],
        "staff_total": staff,
        "other_total": other,
        "overheads": overheads,
        "total": total,
        "per_idva": round_down(total / idvas, 100) if idvas else Decimal(0),
        "per_victim": round_down(total / victims, 10) if victims else Decimal(0),
    }
