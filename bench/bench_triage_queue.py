"""Benchmark the front door's triage queue page with many open referrals (issue 11).

    .venv/bin/python bench/bench_triage_queue.py [--referrals 20000] [--requests 40]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

``--referrals`` open referrals arrive through the front door's own service (police rows
with their DASH answers, a fifth without, over the last 30 days, so some deadlines are
missed), then a signed-in triage supervisor asks for the queue page through Django's
test client — the whole request: middleware, access rule, the missed-deadline ordering
across the whole queue, the count, the team's load, rendering and the access log's rows
for the 50 people listed. Median and 95th percentile of ``--requests`` requests each:
the first page, a filtered page and a page deep in the queue.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from bench_synth import SIGNED_IN_CLIENT, migrated_database, run

SETUP = """
import dataclasses, random, sys
from datetime import date, timedelta
import django
django.setup()
from django.utils import timezone
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Partnership
from carepath.core.services import staff_create
from carepath.referrals.intake import DashAnswer, PersonDetails, ReferralInput
from carepath.referrals.services import referrals_create

wanted = int(sys.argv[1])
partnership = Partnership.objects.create(name="Benchshire", population=1_000_000, women_16_plus=400_000)
area = MaracArea.objects.create(partnership=partnership, name="North", population=1, women_16_plus=1)
districts = [District.objects.create(marac_area=area, name=f"District {n}", population=1, women_16_plus=1) for n in range(10)]
make = lambda name, kind: Agency.objects.create(partnership=partnership, name=name, agency_type=kind)
police, front_door = make("Benchshire Police", AgencyType.POLICE), make("Benchshire MASH", AgencyType.FRONT_DOOR)
for name, kind in [("IDVA", AgencyType.IDVA_SERVICE), ("MARAC", AgencyType.MARAC),
                   ("Children", AgencyType.CHILDRENS_SERVICES), ("Victim Support", AgencyType.VICTIM_SUPPORT)]:
    make(f"Benchshire {name}", kind)
team = [staff_create(username=f"worker{n}", agency=front_door, role=Role.TRIAGE, password=None) for n in range(8)]
staff_create(username="supervisor", agency=front_door, role=Role.TRIAGE, password=None, is_supervisor=True)

rng = random.Random(11)
now = timezone.now()
batch = []
for n in range(wanted):
    at = now - timedelta(minutes=rng.randrange(30 * 24 * 60))
    yes = rng.choice([3, 9, 11, 15, 17])
    batch.append(ReferralInput(
        channel="police_import", received_at=at, occurred_at=at, referring_agency_id=police.pk,
        district_id=rng.choice(districts).pk, external_reference=f"INC-{n}",
        victim=PersonDetails(given_name=f"Victim{n}", family_name="Bench", date_of_birth=date(1990, 1, 1), sex="female"),
        perpetrator=PersonDetails(given_name=f"Harm{n}", family_name="Bench", age=40, sex="male"),
        relationship="partner", consent=rng.choice(["given", "refused", "not_sought"]),
        dash_answers=None if n % 5 == 0 else {q: DashAnswer("yes" if q <= yes else "no", "police officer") for q in range(1, 25)},
        crime_recorded=True,
    ))
    if len(batch) == 2000:
        referrals_create(batch, link_people=False)
        batch = []
if batch:
    referrals_create(batch, link_people=False)
print(f"{wanted:,} open referrals")
"""

REQUESTS = (
    SIGNED_IN_CLIENT
    + """
from carepath.referrals.models import Referral

n = int(sys.argv[1])
pages = Referral.objects.count() // 50

def timed(params):
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get("/referrals/triage/", params)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200 and b"Overdue" in response.content, response.status_code
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000

for label, params in [("first page", {}), ("high risk, missed deadlines only", {"risk": "high", "overdue": "on"}),
                      (f"page {pages // 2} of {pages}", {"page": pages // 2})]:
    median, p95 = timed(params)
    print(f"{label}: median {median:.0f} ms, p95 {p95:.0f} ms")
"""
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--referrals", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env, backend = migrated_database(tmp)
        wall, _, made = run([sys.executable, "-c", SETUP, str(args.referrals)], env, tmp / "setup.log")
        print(f"Triage queue page on {backend}: {made.strip()} made in {wall:.0f} s")
        _, _, timings = run(
            [sys.executable, "-c", REQUESTS, str(args.requests), "supervisor"], env, tmp / "requests.log"
        )
        print("  " + timings.strip().replace("\n", "\n  "))


if __name__ == "__main__":
    main()
