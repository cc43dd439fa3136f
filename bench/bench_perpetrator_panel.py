"""Benchmark the serial and repeat perpetrator panel's ranking over a national year (issue 17).

    .venv/bin/python bench/bench_perpetrator_panel.py [--events 1500000] [--requests 3]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

A national year is about 1.5 million police-recorded domestic abuse incidents (the police
extract benchmark's scale 110). The set-up writes them with ``core.bulk``, all reported by
one force, so one analyst sees every one (the worst case): three in five by a man seen only
once, the rest by a pool of men seen about four times each, against one or two partners,
each of those men on two records linked as one person (``identity_key``); crimes and
non-crimes, risk levels high, medium, standard and not assessed, spread over the last 365
days; then the tables are analysed, as autovacuum would. Then it times what the panel's
page asks for: ``panel_selectors.panel_ranked`` (one pass over the events that keeps the men
with two or more, their events' few columns, and the ranking), median and slowest of
``--requests``. Target: under 10 s.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from bench_synth import migrated_database, run

SETUP = """
import random, sys, time
from datetime import timedelta
import django
django.setup()
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from carepath.core.bulk import bulk_insert, large_write_prepare
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, Partnership
from carepath.core.services import staff_create
from carepath.events.models import Event
from carepath.people.models import Person

wanted = int(sys.argv[1])
started = time.monotonic()
rng = random.Random(17)
partnership = Partnership.objects.create(name="England and Wales", population=60_000_000, women_16_plus=25_000_000)
police = Agency.objects.create(partnership=partnership, name="Bench Police", agency_type=AgencyType.POLICE)
staff_create(username="analyst", agency=police, role=Role.COMMISSIONER, password=None)
now = timezone.now()
RISKS = ["high"] * 10 + ["medium"] * 30 + ["standard"] * 45 + [""] * 15
person = lambda given: {"recorded_by_id": police.pk, "given_name": given, "family_name": "Bench"}

with transaction.atomic():
    large_write_prepare()
    # The men seen again: two linked records each, one or two partners (each one record).
    pool = int(wanted * 0.4 / 4)
    first = bulk_insert(Person, [person("Harm") for _ in range(pool)])
    Person.objects.filter(pk__gte=min(first), pk__lte=max(first)).update(identity_key=F("pk"))
    second = bulk_insert(Person, [{**person("Harm"), "identity_key": key} for key in first])
    partners = bulk_insert(Person, [person("Victim") for _ in range(pool * 3 // 2)])
    theirs = [[partners[n * 3 // 2]] + ([partners[n * 3 // 2 + 1]] if n % 2 else []) for n in range(pool)]
    made = 0
    chunk = 100_000
    while made < wanted:
        n = min(chunk, wanted - made)
        once = [rng.random() < 0.6 for _ in range(n)]
        singles = sum(once)
        lone_men = iter(bulk_insert(Person, [person("Harm") for _ in range(singles)]))
        lone_women = iter(bulk_insert(Person, [person("Victim") for _ in range(singles)]))
        rows = []
        for i in range(n):
            if once[i]:
                him, her = next(lone_men), next(lone_women)
            else:
                k = rng.randrange(pool)
                him, her = rng.choice((first[k], second[k])), rng.choice(theirs[k])
            at = now - timedelta(seconds=rng.randrange(365 * 86_400))
            rows.append({"agency_id": police.pk, "reference": f"INC-{made + i}", "occurred_at": at, "reported_at": at,
                         "victim_id": her, "perpetrator_id": him, "is_crime": rng.random() < 0.55,
                         "risk_level": rng.choice(RISKS)})
        bulk_insert(Event, rows)
        made += n
# Fresh statistics, as autovacuum's analyse gives a live database after a load: without them
# the planner takes the new tables for empty.
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(f"{Event.objects.count():,} events by {Person.objects.filter(given_name='Harm').count():,} perpetrator records "
      f"({pool:,} men seen again, each on two linked records), made in {time.monotonic() - started:.0f} s")
"""

TIMED = """
import statistics, sys, time
import django
django.setup()
from carepath.core.models import User
from carepath.perpetrators.panel_selectors import panel_ranked

analyst = User.objects.get(username="analyst")
times = []
for _ in range(int(sys.argv[1])):
    started = time.perf_counter()
    ranked = panel_ranked(user=analyst)
    times.append(time.perf_counter() - started)
serial = sum(r.entry.serial for r in ranked)
repeat = sum(r.entry.repeat for r in ranked)
print(f"ranked {len(ranked):,} perpetrators ({serial:,} serial, {repeat:,} repeat): "
      f"median {statistics.median(times):.1f} s, slowest {max(times):.1f} s (target under 10 s)")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_500_000)
    parser.add_argument("--requests", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env, backend = migrated_database(tmp)
        _, _, made = run([sys.executable, "-c", SETUP, str(args.events)], env, tmp / "setup.log")
        print(f"Perpetrator panel ranking on {backend}: {made.strip()}")
        _, peak, timings = run([sys.executable, "-c", TIMED, str(args.requests)], env, tmp / "timed.log")
        print(f"  {timings.strip()}; peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
