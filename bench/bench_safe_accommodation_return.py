"""Benchmark the Domestic Abuse Act 2021 Part 4 annual return of safe accommodation over a
national year.

    .venv/bin/python bench/bench_safe_accommodation_return.py [--services 4000] [--units 12000]
        [--referrals 30000] [--stays 12000] [--searches 20000] [--runs 5]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

England has about 4,000 safe-accommodation services with some 12,000 units (as
``bench_vacancy_board``), and a year of some 30,000 referrals to them, 12,000 of which
become a stay (references.md, No Woman Turned Away: most referrals fail). The set-up
writes them with ``core.bulk``: services of every kind with their specialisms, support,
quality standard and funding; units; a person for each referral with the characteristics
the return counts; 30,000 referrals (12,000 stays arriving through 2025 and 2026, some
still staying, the others declined, withdrawn or referred out of the area); 30,000 holds,
about half declined with a reason; and 20,000 vacancy searches that found nothing. Then
it times, median of ``--runs``: the return's figures (``report_selectors.annual_return``),
``carepath report safe-accommodation-return`` writing the Excel workbook, and the year's
operational reports. Target: under 10 s for the return.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from bench_synth import migrated_database, run

SETUP = """
import random, sys, time
from datetime import UTC, date, datetime, timedelta
import django
django.setup()
from django.db import transaction
from carepath.accommodation import matching
from carepath.accommodation.models import (AccommodationKind, DeclineReason, Departure, Hold, MoveOn, Placement,
    QualityStandard, SafeAccommodation, SpecialistGroup, SupportType, Unit, UnmetDemand, UnmetNeed)
from carepath.core.bulk import bulk_insert, large_write_prepare
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Partnership
from carepath.core.services import staff_create
from carepath.people.models import Person

services_n, units_n, referrals_n, stays_n, searches_n = map(int, sys.argv[1:6])
started = time.monotonic()
rng = random.Random(16)
partnership = Partnership.objects.create(name="England", population=57_000_000, women_16_plus=24_000_000)
districts = []
for a in range(120):
    area = MaracArea.objects.create(partnership=partnership, name=f"Area {a:03d}", population=1, women_16_plus=1)
    districts += [District.objects.create(marac_area=area, name=f"District {a:03d}-{d}", population=160_000,
                                          women_16_plus=64_000) for d in range(3)]
idva = Agency.objects.create(partnership=partnership, name="An IDVA service", agency_type=AgencyType.IDVA_SERVICE)
user = staff_create(username="idva-bench", agency=idva, role=Role.IDVA, password=None)
staff_create(username="commissioner-bench", agency=idva, role=Role.COMMISSIONER, password=None)
kinds = [k.value for k in AccommodationKind]
ETHNICITIES = ["white_british"] * 70 + ["white_other", "asian_pakistani", "black_african", "arab"] * 4 + ["not_stated"] * 14
ORIENTATIONS = ["heterosexual"] * 80 + ["gay_lesbian", "bisexual"] * 3 + ["not_stated"] * 14
NEEDS = list(matching.NEEDS)
at = lambda day: datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
day_in = lambda first, days: first + timedelta(days=rng.randrange(days))
with transaction.atomic():
    large_write_prepare()
    providers = bulk_insert(Agency, [
        {"partnership_id": partnership.pk, "name": f"Provider {p:04d}", "agency_type": AgencyType.REFUGE_PROVIDER}
        for p in range(services_n // 4)
    ])
    services = bulk_insert(SafeAccommodation, [
        {"provider_id": providers[s // 4], "name": f"Service {s:04d}", "kind": rng.choice(kinds),
         "district_id": rng.choice(districts).pk, "units": units_n // services_n, "support_worker_fte": 1,
         "confidential_address": "", "specialist_for": rng.sample(SpecialistGroup.values, k=rng.choice([0, 1, 2])),
         "support_types": rng.sample(SupportType.values, k=rng.randrange(1, 5)),
         "quality_standard": rng.choice(QualityStandard.values + [""]),
         "annual_funding": rng.randrange(40_000, 600_000) if rng.random() < 0.9 else None,
         "funded_by": rng.choice(["The county council", "The county council and the NHS", "A charitable trust"])}
        for s in range(services_n)
    ])
    states = ["available"] * 12 + ["on_hold"] * 6 + ["temporarily_closed"] * 4 + ["occupied"] * 78
    units = bulk_insert(Unit, [
        {"accommodation_id": services[u % services_n], "name": f"Unit {u}", "bedrooms": 2, "cots": 0,
         "children_spaces": 2, "oldest_boy_age": None, "wheelchair_accessible": False, "accessibility_notes": "",
         "pets": False, "male_victims": False, "trans_women": True, "staff_languages": [],
         "no_recourse_to_public_funds": False, "mental_health_support": False, "substance_use_support": False,
         "culturally_specific": "", "vacancy": rng.choice(states), "confirmed_at": None}
        for u in range(units_n)
    ])
    people = bulk_insert(Person, [
        {"recorded_by_id": idva.pk, "given_name": "Resident", "family_name": "Bench",
         "date_of_birth": day_in(date(1950, 1, 1), 365 * 58) if rng.random() > 0.1 else None,
         "ethnicity": rng.choice(ETHNICITIES), "disability": "yes" if rng.random() < 0.15 else "no",
         "sexual_orientation": rng.choice(ORIENTATIONS), "trans": "yes" if rng.random() < 0.01 else "not_known"}
        for _ in range(referrals_n)
    ])
    rows = []
    for i in range(referrals_n):
        stay = i < stays_n
        referred = day_in(date(2025, 7, 1), 540)
        row = {"unit_id": rng.choice(units), "service_elsewhere": "", "person_id": people[i],
               "referring_agency_id": idva.pk, "referrer_elsewhere": "", "referred_by_id": user.pk,
               "referred_at": at(referred), "home_district_id": rng.choice(districts).pk if rng.random() > 0.2 else None,
               "suitability": "needs_refuge", "adult": rng.choices([matching.WOMAN, matching.MAN, matching.TRANS_WOMAN],
                                                                 [94, 5, 1])[0],
               "adults": rng.choice([1] * 9 + [2]), "children": rng.choice([0, 0, 1, 1, 2, 3]),
               "needs": rng.sample(NEEDS, k=rng.choice([0, 0, 0, 1, 2])), "notes": "", "status": "declined",
               "decided_at": at(referred), "arrived_on": None, "support_plan": "", "children_support": "",
               "children_supported": 0, "left_on": None, "departure": "", "move_on": ""}
        if not stay and rng.random() < 0.1:
            row.update(unit_id=None, service_elsewhere="A service elsewhere", status="staying", arrived_on=referred)
        elif stay:
            left = referred + timedelta(days=rng.randrange(7, 300))
            row.update(status="staying", arrived_on=referred + timedelta(days=1))
            if left <= date(2026, 11, 30):
                row.update(status="left", left_on=left, departure=rng.choice(Departure.values),
                           move_on=rng.choice(MoveOn.values + [""]))
        rows.append(row)
    bulk_insert(Placement, rows)
    holds = []
    for _ in range(referrals_n):
        placed = at(day_in(date(2025, 7, 1), 540))
        status = rng.choice(["declined", "declined", "accepted", "cancelled", "expired"])
        reason = rng.choice(DeclineReason.values) if status == "declined" else ""
        holds.append({"unit_id": rng.choice(units), "agency_id": idva.pk, "placed_by_id": user.pk, "placed_at": placed,
                      "expires_at": placed + timedelta(hours=4), "status": status,
                      "ended_at": placed + timedelta(hours=2), "decline_reason": reason,
                      "unmet_need": rng.choice(UnmetNeed.values) if reason == "needs_not_met" else ""})
    bulk_insert(Hold, holds)
    bulk_insert(UnmetDemand, [
        {"searched_at": at(day_in(date(2025, 7, 1), 540)), "agency_id": idva.pk,
         "district_id": rng.choice(districts).pk, "adult": matching.WOMAN, "adults": 1,
         "children": rng.choice([0, 1, 2, 3]), "oldest_boy_age": None,
         "needs": rng.sample(NEEDS, k=rng.choice([0, 1, 1, 2])), "languages": [], "districts_avoided": 0,
         "available_units": rng.choice([0, 0, 3, 40, 1500])}
        for _ in range(searches_n)
    ])
print(f"{services_n:,} services, {units_n:,} units, {referrals_n:,} referrals ({stays_n:,} stays), "
      f"{referrals_n:,} holds, {searches_n:,} unmet searches in {len(districts)} districts, "
      f"made in {time.monotonic() - started:.0f} s")
"""

TIMED = """
import io, statistics, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from carepath.accommodation import report_selectors, returns

runs, out = int(sys.argv[1]), sys.argv[2]


def timed(work):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        made = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), made


figures, annual = timed(lambda: report_selectors.annual_return(year=2026))
command, _ = timed(lambda: call_command("report", "safe-accommodation-return", "--year", "2026", "--out", out,
                                        stdout=io.StringIO()))
reports, _ = timed(lambda: report_selectors.operational_reports(period=returns.Period.year(2026)))
people = annual.value(returns.PEOPLE, "All people supported")
declined = annual.value(returns.NOT_SUPPORTED, "Referrals declined")
print(f"2026: {people:,} people supported, {declined:,} referrals declined; median of {runs}: the figures in "
      f"{figures:.2f} s, the command writing the Excel workbook ({Path(out).stat().st_size // 1024} KiB) in "
      f"{command:.2f} s, the year's operational reports in {reports:.2f} s (target 10 s)")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=4_000)
    parser.add_argument("--units", type=int, default=12_000)
    parser.add_argument("--referrals", type=int, default=30_000)
    parser.add_argument("--stays", type=int, default=12_000)
    parser.add_argument("--searches", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env, backend = migrated_database(tmp)
        sizes = [str(n) for n in (args.services, args.units, args.referrals, args.stays, args.searches)]
        _, _, made = run([sys.executable, "-c", SETUP, *sizes], env, tmp / "setup.log")
        print(f"Safe accommodation annual return on {backend}: {made.strip()}")
        _, _, timings = run([sys.executable, "-c", TIMED, str(args.runs), str(tmp / "return.xlsx")], env,
                            tmp / "timed.log")  # fmt: skip
        print("  " + timings.strip())


if __name__ == "__main__":
    main()
