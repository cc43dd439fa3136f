"""Refuge places against the benchmark, and refuge caseloads (seed 002 §5.1, Table 11).

Pure Python. The benchmark is 1 family place per 10,000 population (Council of Europe;
domain.md "Caseloads and capacity"): Hertfordshire's 1,116,062 people call for 111.6,
printed as 112 places, of which its 84 are 75%. Caseload per support worker is victims
accommodated in a year / FTE support workers (241 / 18.0 = 13). Support cost per victim
is the register's refuge support funding / victims, rounded down to the pound as the
review prints it (£718,474 / 241 = £2,981).
"""

from decimal import Decimal

from carepath.planning.inputs import Area, Assumptions, District, Refuge
from carepath.planning.needs import PER_10K
from carepath.planning.rounding import percent, round_down, round_half_up


def _caseload(victims: int, fte: Decimal) -> Decimal:
    return round_half_up(Decimal(victims) / fte) if fte else Decimal(0)


def refuge_provision(
    a: Assumptions,
    areas: tuple[Area, ...],
    districts: tuple[District, ...],
    refuges: tuple[Refuge, ...],
    support_funding: Decimal,
) -> dict:
    area_of = {d.name: d.area for d in districts}

    def places(population: int, beds: int) -> dict:
        benchmark = round_half_up(population * a.refuge_places_per_10k_population / PER_10K)
        return {"places": beds, "benchmark_places": benchmark, "percent_of_benchmark": percent(beds, benchmark)}

    victims = sum(r.victims for r in refuges)
    fte = sum((r.support_worker_fte for r in refuges), Decimal(0))
    return {
        **places(sum(x.population for x in areas), sum(r.beds for r in refuges)),
        "victims": victims,
        "support_worker_fte": fte,
        "victims_per_worker": _caseload(victims, fte),
        "support_funding": support_funding,
        "support_cost_per_victim": round_down(support_funding / victims) if victims else Decimal(0),
        "areas": [
            {"area": x.name, **places(x.population, sum(r.beds for r in refuges if area_of.get(r.district) == x.name))}
            for x in areas
        ],
        "refuges": [
            {
                "refuge": r.name,
                "district": r.district,
                "area": area_of.get(r.district, ""),
                "victims": r.victims,
                "beds": r.beds,
                "support_worker_fte": r.support_worker_fte,
                "victims_per_worker": _caseload(r.victims, r.support_worker_fte),
            }
            for r in refuges
        ],
    }
