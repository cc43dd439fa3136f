"""Where the money comes from and where it goes (seed 002 §2.3, Tables 5 and 6, Appendices 8 and 9).

Pure Python. The register holds each funding stream's allocations to a service in
pounds. From it:

- Table 5, by funder, and Table 6, by service: each amount in £'000, nearest, ties
  down (``rounding.thousands``: perpetrator programmes £43,500 -> 43); each share is the
  rounded amount over the sum of the table's rounded rows, to a whole percent halves up
  (Table 6: 402 / 1,642 = 24%; Table 5: 813 / 1,643 = 49%). Table 6's subtotals are sums
  of its rounded rows (673 = 402 + 271). The printed shares need not add up to 100%
  (Table 6's add up to 101%), as in the review;
- Appendix 8: the funder x service matrix, each cell in £'000 the same way;
- the headline total as the review's summary states it, to the nearest £10,000 (£1.64m);
- spend per police incident and per visible victim from the headline, rounded down to
  the pound (£1.64m / 13,658 = £120; / 2,000 = £820); IDVA spend per incident from
  Table 6's IDVA row (£402,000 / 13,658 = £29);
- streams ending within N months of the date the register is read at, oldest first,
  including any already ended (a stream's end is its latest allocation's).
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from carepath.planning.inputs import COUNTY_WIDE, SERVICE_GROUPS, SERVICES, Assumptions, District, FundingAllocation
from carepath.planning.rounding import percent, round_down, round_half_up, thousands

HEADLINE_STEP = 10_000  # "£1.64m" (Tables 5 and 6, §2.3)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _streams(allocations: tuple[FundingAllocation, ...]) -> dict[str, list[FundingAllocation]]:
    streams: dict[str, list[FundingAllocation]] = defaultdict(list)
    for row in allocations:
        streams[row.stream].append(row)
    return streams


def _stream_end(rows: list[FundingAllocation]) -> date | None:
    """A stream ends with its last allocation; one without an end date never ends."""
    ends = [r.end_date for r in rows]
    return None if None in ends else max(ends)


def _shares(rows: list[dict]) -> None:
    whole = sum(r["thousands"] for r in rows)
    for r in rows:
        r["percent"] = percent(r["thousands"], whole)


def _by_area(allocations: tuple[FundingAllocation, ...], districts: tuple[District, ...]) -> list[dict]:
    """Money by MARAC area; an allocation to several districts is shared equally between them."""
    area_of = {d.name: d.area for d in districts}
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for row in allocations:
        if not row.districts:
            amounts[COUNTY_WIDE] += row.amount
            continue
        for name in row.districts:
            amounts[area_of[name]] += row.amount / len(row.districts)
    order = list(dict.fromkeys(d.area for d in districts)) + [COUNTY_WIDE]
    return [
        {"area": area, "amount": round_half_up(amounts[area], Decimal("0.01")), "thousands": thousands(amounts[area])}
        for area in order
        if area in amounts
    ]


def funding_analysis(
    a: Assumptions,
    allocations: tuple[FundingAllocation, ...],
    districts: tuple[District, ...],
    *,
    police_incidents: int,
    visible_victims: int,
) -> dict:
    total = sum((r.amount for r in allocations), Decimal(0))
    headline = round_half_up(total, HEADLINE_STEP)

    funder_amounts: dict[str, Decimal] = defaultdict(Decimal)
    funder_streams: dict[str, set] = defaultdict(set)
    service_amounts: dict[str, Decimal] = defaultdict(Decimal)
    service_streams: dict[str, set] = defaultdict(set)
    cells: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in allocations:
        funder_amounts[row.funder] += row.amount
        funder_streams[row.funder].add(row.stream)
        service_amounts[row.service] += row.amount
        service_streams[row.service].add(row.stream)
        cells[row.service, row.funder] += row.amount

    funders = [
        {"funder": f, "amount": amount, "thousands": thousands(amount), "streams": len(funder_streams[f])}
        for f, amount in sorted(funder_amounts.items(), key=lambda item: (-item[1], item[0]))
    ]
    _shares(funders)
    services = [
        {
            "service": key,
            "label": label,
            "amount": service_amounts[key],
            "thousands": thousands(service_amounts[key]),
            "streams": len(service_streams[key]),
        }
        for key, label in SERVICES.items()
    ]
    _shares(services)
    service_whole = sum(r["thousands"] for r in services)
    by_service = {r["service"]: r for r in services}
    groups = []
    for key, (label, _after, members) in SERVICE_GROUPS.items():
        group_thousands = sum(by_service[m]["thousands"] for m in members)
        groups.append(
            {
                "group": key,
                "label": label,
                "thousands": group_thousands,
                "percent": percent(group_thousands, service_whole),
            }
        )

    funder_names = [f["funder"] for f in funders]
    matrix = {
        "funders": funder_names,
        "rows": [
            {
                "service": key,
                "label": label,
                "cells": {f: thousands(cells[key, f]) for f in funder_names if (key, f) in cells},
                "total": by_service[key]["thousands"],
            }
            for key, label in SERVICES.items()
        ],
        "totals": {f["funder"]: f["thousands"] for f in funders},
    }

    streams = _streams(allocations)
    ending = []
    for stream, rows in streams.items():
        end = _stream_end(rows)
        if end is None or _months_between(a.funding_as_at, end) > a.ending_within_months:
            continue
        ending.append(
            {
                "stream": stream,
                "funder": rows[0].funder,
                "amount": sum((r.amount for r in rows), Decimal(0)),
                "end_date": end,
                "months_left": _months_between(a.funding_as_at, end),
            }
        )
    ending.sort(key=lambda r: (r["end_date"], r["stream"]))

    idva_thousands = by_service["idva"]["thousands"]
    return {
        "total": total,
        "total_thousands": thousands(total),
        "headline": headline,
        "streams": len(streams),
        "allocations": len(allocations),
        "funders": funders,
        "services": services,
        "service_groups": groups,
        "matrix": matrix,
        "areas": _by_area(allocations, districts),
        "ending_soon": ending,
        "per_police_incident": round_down(headline / police_incidents) if police_incidents else Decimal(0),
        "idva_per_police_incident": round_down(idva_thousands * 1000 / police_incidents)
        if police_incidents
        else Decimal(0),
        "per_visible_victim": round_down(headline / visible_victims) if visible_victims else Decimal(0),
    }
