"""Benchmark the safe-accommodation vacancy board (issue 15, 2) over a national-size
register of units.

    .venv/bin/python bench/bench_vacancy_board.py [--services 4000] [--units 12000] [--searches 40]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

England has about 4,000 safe-accommodation services with some 12,000 units (issue 15; seed
002 §5: Hertfordshire's 84 refuge units in seven refuges). The set-up writes them with
``core.bulk``: services of every kind in 360 districts, units of one to three bedrooms
with cots, children's spaces and an oldest boy accepted, wheelchair access, pets, male
victims, trans women, staff languages, no recourse to public funds and high support
needs spread as a register would have them; about one unit in eight available, some of
them stale, the rest on hold, closed or occupied. Then it times the board page for an
IDVA, through the whole view (lapsed holds let go, matching, unmet demand recorded when
nothing matches, rendering), for three families: a woman alone; a woman with a son of 14
and a daughter of 9; a woman in a wheelchair with no recourse to public funds and a dog.
Target: under 200 ms a search.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from bench_synth import migrated_database, run

SETUP = """
import random, sys, time
from datetime import UTC, datetime, timedelta
import django
django.setup()
from django.db import transaction
from carepath.accommodation.models import AccommodationKind, SafeAccommodation, Unit
from carepath.core.bulk import bulk_insert, large_write_prepare
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Partnership
from carepath.core.services import staff_create

services_n, units_n = int(sys.argv[1]), int(sys.argv[2])
started = time.monotonic()
rng = random.Random(15)
partnership = Partnership.objects.create(name="England", population=57_000_000, women_16_plus=24_000_000)
districts = []
for a in range(120):
    area = MaracArea.objects.create(partnership=partnership, name=f"Area {a:03d}", population=1, women_16_plus=1)
    districts += [District.objects.create(marac_area=area, name=f"District {a:03d}-{d}", population=1, women_16_plus=1)
                  for d in range(3)]
idva = Agency.objects.create(partnership=partnership, name="An IDVA service", agency_type=AgencyType.IDVA_SERVICE)
staff_create(username="idva-bench", agency=idva, role=Role.IDVA, password=None)
kinds = [k.value for k in AccommodationKind]
now = datetime.now(UTC)
with transaction.atomic():
    large_write_prepare()
    providers = bulk_insert(Agency, [
        {"partnership_id": partnership.pk, "name": f"Provider {p:04d}", "agency_type": AgencyType.REFUGE_PROVIDER}
        for p in range(services_n // 4)
    ])
    services = bulk_insert(SafeAccommodation, [
        {"provider_id": providers[s // 4], "name": f"Service {s:04d}", "kind": rng.choice(kinds),
         "district_id": rng.choice(districts).pk, "units": units_n // services_n, "support_worker_fte": 1,
         "confidential_address": ""}
        for s in range(services_n)
    ])
    states = ["available"] * 12 + ["on_hold"] * 6 + ["temporarily_closed"] * 4 + ["occupied"] * 78
    languages = ["Polish", "Urdu", "Punjabi", "Bengali", "Arabic", "Romanian", "Somali", "Welsh"]
    bulk_insert(Unit, [
        {"accommodation_id": services[u % services_n], "name": f"Unit {u}", "bedrooms": rng.choice([1, 1, 2, 2, 3]),
         "cots": rng.choice([0, 0, 1, 2]), "children_spaces": rng.choice([0, 1, 2, 3, 4]),
         "oldest_boy_age": rng.choice([None, None, 12, 14, 16]), "wheelchair_accessible": rng.random() < 0.15,
         "accessibility_notes": "", "pets": rng.random() < 0.1, "male_victims": rng.random() < 0.1,
         "trans_women": rng.random() < 0.8, "staff_languages": rng.sample(languages, k=rng.choice([0, 0, 1, 2])),
         "no_recourse_to_public_funds": rng.random() < 0.1, "mental_health_support": rng.random() < 0.2,
         "substance_use_support": rng.random() < 0.15, "culturally_specific": "",
         "vacancy": rng.choice(states), "confirmed_at": now - timedelta(hours=rng.uniform(0, 40))}
        for u in range(units_n)
    ])
available = Unit.objects.filter(vacancy="available").count()
print(f"{services_n:,} services with {units_n:,} units ({available:,} available now) in {len(districts)} districts, "
      f"made in {time.monotonic() - started:.0f} s")
"""

TIMED = """
import statistics, sys, time
import django
django.setup()
from django.test import RequestFactory
from carepath.accommodation import views
from carepath.core.models import User

searches = int(sys.argv[1])
user = User.objects.get(username="idva-bench")
families = {
    "a woman alone": {"adult": "woman", "adults": "1"},
    "a woman with a son of 14 and a daughter of 9": {"adult": "woman", "adults": "1", "boys": "14", "girls": "9"},
    "a woman in a wheelchair, no recourse to public funds, with a dog": {
        "adult": "woman", "adults": "1", "needs": ["wheelchair", "no_recourse_to_public_funds", "pets"]},
}
for words, query in families.items():
    times = []
    for _ in range(searches):
        request = RequestFactory().get("/accommodation/vacancies/", query)
        request.user = user
        started = time.perf_counter()
        response = views.vacancy_board(request)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    page = response.content.decode()
    found = page.count('name="unit"')
    times.sort()
    print(f"{words}: median {statistics.median(times):.0f} ms, 95th percentile {times[int(len(times) * 0.95) - 1]:.0f} ms "
          f"({found} units offered to hold, {len(page) // 1024} KiB)")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=4_000)
    parser.add_argument("--units", type=int, default=12_000)
    parser.add_argument("--searches", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env, backend = migrated_database(tmp)
        _, _, made = run([sys.executable, "-c", SETUP, str(args.services), str(args.units)], env, tmp / "setup.log")
        print(f"Vacancy board on {backend} (target 200 ms a search): {made.strip()}")
        _, _, timings = run([sys.executable, "-c", TIMED, str(args.searches)], env, tmp / "timed.log")
        for line in timings.strip().splitlines():
            print("  " + line)


if __name__ == "__main__":
    main()
