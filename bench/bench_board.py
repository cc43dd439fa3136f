"""Benchmark the board's dashboard and its pack (issue 18) for a county-year and for five
national years.

    .venv/bin/python bench/bench_board.py [--size county national] [--requests 3] [--national-requests 1]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

Sizes: a **county** is Hertfordshire's 13,658 police incidents a year (seed 002) over two
years, in 10 districts of 3 MARAC areas; **national** is 1.5 million incidents a year over
five years (7.5 million), in 330 districts of 40 areas. The set-up writes them with
``core.bulk``: three in five victims seen once, the rest from a pool seen about four times,
each of those on two records linked as one person; perpetrators likewise; risk levels high,
medium, standard and not assessed; one incident in four referred by the police (the high-risk
ones routed to MARAC and an IDVA, half the medium-risk ones to an IDVA, as tasks naming the
criterion), and one referral from a GP for every fifty incidents. Casework, MARAC meetings
and refuges are left empty: their figures come from their own reports' queries, measured by
their own benchmarks. Then the tables are analysed, as autovacuum would.

Then, as a commissioner signed in, it times the dashboard for the last full calendar year
(the year's figures, its eight quarters' trends and the year before, rendered with its
charts) and the board pack as PDF and as Excel, median and slowest of ``--requests``, with
the peak memory of the process. Targets: county under 2 s, national under 60 s.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from bench_synth import SIGNED_IN_CLIENT, migrated_database, run

SIZES = {"county": (13_658, 2, 3, 10), "national": (1_500_000, 5, 40, 330)}

SETUP = """
import random, sys, time
from datetime import timedelta
import django
django.setup()
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from carepath.core.bulk import bulk_insert, large_write_prepare
from carepath.core.codes import ActionType, AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Partnership, Task
from carepath.core.services import staff_create
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.referrals.models import Referral

per_year, years, n_areas, n_districts = (int(a) for a in sys.argv[1:5])
wanted = per_year * years
started = time.monotonic()
rng = random.Random(18)
partnership = Partnership.objects.create(name="Bench", population=60_000_000, women_16_plus=25_000_000)
areas = [MaracArea.objects.create(partnership=partnership, name=f"Area {a}", population=1_000_000,
                                  women_16_plus=400_000) for a in range(n_areas)]
districts = [District.objects.create(marac_area=areas[d % n_areas], name=f"District {d}", population=150_000,
                                     women_16_plus=60_000).pk for d in range(n_districts)]
police = Agency.objects.create(partnership=partnership, name="Bench Police", agency_type=AgencyType.POLICE)
gp = Agency.objects.create(partnership=partnership, name="Bench Surgery", agency_type=AgencyType.GP)
office = Agency.objects.create(partnership=partnership, name="Bench Office", agency_type=AgencyType.PARTNERSHIP)
staff_create(username="commissioner", agency=office, role=Role.COMMISSIONER, password=None)
referral_type = ContentType.objects.get_for_model(Referral).pk
now = timezone.now()
RISKS = ["high"] * 10 + ["medium"] * 30 + ["standard"] * 45 + [""] * 15
ETHNICITIES = ["white_british"] * 75 + ["asian_indian"] * 8 + ["black_african"] * 7 + ["white_irish"] * 5 + ["not_stated"] * 5
person = lambda given: {"recorded_by_id": police.pk, "given_name": given, "family_name": "Bench",
                        "ethnicity": rng.choice(ETHNICITIES)}


def linked_pool(size, given):
    first = bulk_insert(Person, [person(given) for _ in range(size)])
    Person.objects.filter(pk__gte=min(first), pk__lte=max(first)).update(identity_key=F("pk"))
    second = bulk_insert(Person, [{**person(given), "identity_key": key} for key in first])
    return list(zip(first, second))


with transaction.atomic():
    large_write_prepare()
    pool = max(1, int(wanted * 0.4 / 4))
    victims, men = linked_pool(pool, "Victim"), linked_pool(pool, "Harm")
    made = 0
    chunk = 100_000
    while made < wanted:
        n = min(chunk, wanted - made)
        once = [rng.random() < 0.6 for _ in range(n)]
        singles = sum(once)
        lone_women = iter(bulk_insert(Person, [person("Victim") for _ in range(singles)]))
        lone_men = iter(bulk_insert(Person, [person("Harm") for _ in range(singles)]))
        events, referrals = [], []
        for i in range(n):
            if once[i]:
                her, him = next(lone_women), next(lone_men)
            else:
                k = rng.randrange(pool)
                her, him = rng.choice(victims[k]), rng.choice(men[k])
            at = now - timedelta(seconds=rng.randrange(years * 365 * 86_400))
            risk = rng.choice(RISKS)
            district = rng.choice(districts)
            events.append({"agency_id": police.pk, "reference": f"INC-{made + i}", "occurred_at": at,
                           "reported_at": at, "victim_id": her, "perpetrator_id": him, "district_id": district,
                           "is_crime": rng.random() < 0.55, "risk_level": risk})
            if rng.random() < 0.25:
                referrals.append(({"channel": "police_import", "destination": "triage", "referring_agency_id": police.pk,
                                   "victim_id": her, "district_id": district, "received_at": at, "risk_level": risk},
                                  risk))
            if rng.random() < 0.02:
                referrals.append(({"channel": "professional", "destination": "marac", "referring_agency_id": gp.pk,
                                   "victim_id": her, "district_id": district, "received_at": at, "risk_level": "high"},
                                  ""))
        bulk_insert(Event, events)
        ids = bulk_insert(Referral, [r for r, _ in referrals])
        tasks = []
        for pk, (_, risk) in zip(ids, referrals):
            task = {"content_type_id": referral_type, "object_id": pk, "reason": "Routed.", "status": "open",
                    "concerns": "victim", "contact_channels": [], "lawful_basis": ""}
            if risk == "high":
                rule = rng.choice(["marac.visible_high_risk", "marac.repeat", "marac.visible_high_risk+repeat"])
                tasks.append({**task, "action_type": ActionType.MARAC_REFERRAL, "rule": rule,
                              "owner_agency_type": AgencyType.MARAC})
            if risk == "high" or (risk == "medium" and rng.random() < 0.5):
                tasks.append({**task, "action_type": ActionType.IDVA_REFERRAL, "rule": "routing.high_risk",
                              "owner_agency_type": AgencyType.IDVA_SERVICE})
        bulk_insert(Task, tasks)
        made += n
# Fresh statistics, as autovacuum's analyse gives a live database after a load.
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(f"{Event.objects.count():,} incidents over {years} years, {Referral.objects.count():,} referrals, "
      f"{Task.objects.count():,} routing tasks, made in {time.monotonic() - started:.0f} s")
"""

TIMED = (
    SIGNED_IN_CLIENT
    + """
from django.utils import timezone
year = timezone.localdate().year - 1
times = {}
for name, url in (("dashboard", "/board/"), ("board pack (PDF)", "/board/pack.pdf"),
                  ("board pack (Excel)", "/board/pack.xlsx")):
    times[name] = []
    for _ in range(int(sys.argv[1])):
        started = time.perf_counter()
        response = client.get(url, {"period": str(year)})
        times[name].append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
for name, seconds in times.items():
    print(f"{name}: median {statistics.median(seconds):.2f} s, slowest {max(seconds):.2f} s")
"""
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", nargs="+", choices=sorted(SIZES), default=["county", "national"])
    parser.add_argument("--requests", type=int, default=3, help="timed requests of each page, county")
    parser.add_argument("--national-requests", type=int, default=1, help="timed requests of each page, national")
    args = parser.parse_args()
    for size in args.size:
        with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
            tmp = Path(tmp)
            env, backend = migrated_database(tmp)
            if backend == "PostgreSQL" and size != args.size[0]:
                # One throwaway server for both sizes: empty it between them.
                run([sys.executable, "-m", "carepath", "flush", "--no-input"], env, tmp / "flush.log")
            _, _, made = run([sys.executable, "-c", SETUP, *(str(v) for v in SIZES[size])], env, tmp / "setup.log")
            print(f"Board dashboard and pack, {size}, on {backend}: {made.strip()}")
            _, peak, timings = run(
                [
                    sys.executable,
                    "-c",
                    TIMED,
                    str(args.requests if size == "county" else args.national_requests),
                    "commissioner",
                ],
                env,
                tmp / "timed.log",
            )
            for line in timings.strip().splitlines():
                print(f"  {line}")
            print(f"  peak memory {peak:.0f} MiB (target: {'2' if size == 'county' else '60'} s)")


if __name__ == "__main__":
    main()
