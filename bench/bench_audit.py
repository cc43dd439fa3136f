"""Benchmark the access log's hash chain (issue 10): what logging costs a page view, and
how long ``carepath audit verify`` takes over a large log.

    .venv/bin/python bench/bench_audit.py [--rows 10000000] [--views 2000]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

1. Page views: ``--views`` times, one transaction each as a page makes it, the log rows of
   a person page (the record and the person: 2 rows, chained under the lock) and of a list
   page (50 people); median and 95th percentile.
2. A log of ``--rows`` valid chained rows is written in bulk (COPY on PostgreSQL), then
   ``carepath audit verify`` runs in a process of its own: wall time and peak memory.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from bench_synth import migrated_database, run

SETUP = """
import sys
import django
django.setup()
from datetime import date, datetime, timezone
from carepath.core.models import Agency, Partnership
from carepath.core.codes import AgencyType, Role
from carepath.core.services import staff_create
from carepath.people.models import Person
partnership = Partnership.objects.create(name="Benchshire", population=1, women_16_plus=1)
agency = Agency.objects.create(partnership=partnership, name="Benchshire Police", agency_type=AgencyType.POLICE)
user = staff_create(username="officer", agency=agency, role=Role.TRIAGE, password=None)
Person.objects.bulk_create([Person(recorded_by=agency, given_name="A", family_name=str(n)) for n in range(50)])
"""

VIEWS = """
import statistics, sys, time
import django
django.setup()
from carepath.core import audit
from carepath.core.codes import AccessAction
from carepath.core.models import User
from carepath.people.models import Person
user = User.objects.get(username="officer")
people = list(Person.objects.order_by("pk")[:50])
def timed(action, n):
    times = []
    for _ in range(n):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000
n = int(sys.argv[1])
person = timed(lambda: (audit.views_record(user=user, action=AccessAction.OPENED, records=[people[0]], path="/people/1/"),
                        audit.views_record(user=user, action=AccessAction.OPENED, records=[people[1]], path="/people/1/")), n)
listed = timed(lambda: audit.views_record(user=user, action=AccessAction.LISTED, records=people, path="/referrals/triage/"), n // 4)
print(f"person page (2 rows): median {person[0]:.2f} ms, p95 {person[1]:.2f} ms")
print(f"list page (50 rows): median {listed[0]:.2f} ms, p95 {listed[1]:.2f} ms")
"""

FILL = """
import sys, time
import django
django.setup()
from datetime import datetime, timedelta, timezone
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from carepath.core.audit import row_digest
from carepath.core.bulk import bulk_insert
from carepath.core.models import AccessLog, User
from carepath.people.models import Person
rows_wanted = int(sys.argv[1])
user = User.objects.get(username="officer")
person_type = ContentType.objects.get_for_model(Person).pk
key = settings.CAREPATH_AUDIT_KEY.encode()
seq, previous = AccessLog.objects.order_by("-seq").values_list("seq", "digest").first()
start = datetime(2025, 1, 1, tzinfo=timezone.utc)
started = time.perf_counter()
while seq < rows_wanted:
    batch = []
    for _ in range(min(100_000, rows_wanted - seq)):
        seq += 1
        at = start + timedelta(seconds=seq)
        path = f"/people/{seq % 50_000}/"
        previous = row_digest(key, previous, seq, user.pk, user.agency_id, "opened", person_type, seq % 50_000,
                              None, None, at, path)
        batch.append({"seq": seq, "user_id": user.pk, "agency_id": user.agency_id, "action": "opened",
                      "content_type_id": person_type, "object_id": seq % 50_000, "via_type_id": None, "via_id": None,
                      "viewed_at": at, "path": path, "digest": previous})
    with transaction.atomic():
        bulk_insert(AccessLog, batch)
print(f"filled {seq:,} rows in {time.perf_counter() - started:.0f} s")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--views", type=int, default=2000)
    args = parser.parse_args()
    carepath = [sys.executable, "-m", "carepath"]
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env, backend = migrated_database(tmp)
        run([sys.executable, "-c", SETUP], env, tmp / "setup.log")
        _, _, views = run([sys.executable, "-c", VIEWS, str(args.views)], env, tmp / "views.log")
        print(f"Access log cost per page view on {backend} ({args.views} views):")
        print("  " + views.strip().replace("\n", "\n  "))
        _, _, filled = run([sys.executable, "-c", FILL, str(args.rows)], env, tmp / "fill.log")
        print(f"  {filled.strip()}")
        wall, rss, verified = run([*carepath, "audit", "verify"], env, tmp / "verify.log")
        print(f"carepath audit verify over {args.rows:,} rows on {backend}: wall {wall:.1f} s, peak {rss:,.0f} MiB")
        print(f"  {verified.strip()}")


if __name__ == "__main__":
    main()
