"""Benchmark the directory's searches (issue 16, 1) over 5,000 entries: the public "Find
help near you" page and the staff search, each with typical filters.

    .venv/bin/python bench/bench_directory_search.py [--entries 5000] [--searches 60]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

Hertfordshire's directory holds a few dozen services (seed 002 Appendix 13); 5,000 is a
national directory's size. The set-up writes them with ``core.bulk``: every kind, who
each is for spread as a directory would have them, one to three of 360 districts or
county-wide, weekday, evening or 24-hour hours, languages, and about one in ten not
checked in time (hidden from the public). Then it times each page through its whole view
(rate-limit count, search, hours in words, rendering) for typical searches. Target: under
100 ms a search.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from bench_synth import migrated_database, run

SETUP = """
import random, sys, time
from datetime import date, time as clock, timedelta
import django
django.setup()
from django.db import transaction
from carepath.core.bulk import bulk_insert, large_write_prepare
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Partnership
from carepath.core.services import staff_create
from carepath.directory.models import Entry, Kind, OpeningHours, WhoFor

entries_n = int(sys.argv[1])
started = time.monotonic()
rng = random.Random(16)
partnership = Partnership.objects.create(name="England", population=57_000_000, women_16_plus=24_000_000)
districts = []
for a in range(120):
    area = MaracArea.objects.create(partnership=partnership, name=f"Area {a:03d}", population=1, women_16_plus=1)
    districts += [District.objects.create(marac_area=area, name=f"District {a:03d}-{d}", population=1, women_16_plus=1)
                  for d in range(3)]
front_door = Agency.objects.create(partnership=partnership, name="A front door", agency_type=AgencyType.FRONT_DOOR)
owner = staff_create(username="triage-bench", agency=front_door, role=Role.TRIAGE, password=None)
kinds = [k.value for k in Kind]
# How often each group is served: most services take women at every risk level.
share = {"standard_risk": 0.7, "medium_risk": 0.8, "high_risk": 0.6, "women": 0.85, "men": 0.35,
         "trans_non_binary": 0.4, "aged_16_17": 0.3, "lgbt": 0.35, "black_minoritised": 0.3, "disabled_deaf": 0.3,
         "complex_needs": 0.2, "perpetrators": 0.05, "children": 0.15}
languages = ["English", "English, Welsh", "English, Polish", "English, Urdu, Punjabi", "English, Arabic", "English, BSL"]
today = date.today()
weeks = [
    [(d, clock(9), clock(17)) for d in range(5)],
    [(d, clock(10), clock(22)) for d in range(5)],
    [(d, clock(19), clock(2)) for d in range(7)],
    [(d, clock(9, 30), clock(16, 30)) for d in (0, 1, 2, 3)] + [(5, clock(10), clock(13))],
    [],  # open 24 hours
]
with transaction.atomic():
    large_write_prepare()
    rows = []
    for n in range(entries_n):
        row = {"name": f"Service {n:05d}", "kind": rng.choice(kinds),
               "description": rng.choice(["Advice and support.", "Housing and legal advice.", "A listening line.",
                                          "Drop-in sessions and groups.", "Safe housing with support."]),
               "description_cy": "", "area": rng.choices(["districts", "county", "national"], [85, 12, 3])[0],
               "open_24_hours": False, "open_bank_holidays": rng.random() < 0.2, "access_route": rng.choice(["self", "professional", "both"]),
               "phone": f"01632 {960000 + n % 1000}", "text_number": "", "email": "", "website": "",
               "languages": rng.choice(languages), "interpreters": rng.random() < 0.5, "accessibility": "",
               "owner_id": owner.pk,
               "last_checked_on": today - timedelta(days=rng.choice([rng.randint(0, 170)] * 9 + [rng.randint(181, 400)]))}
        row.update({f"for_{code}": rng.random() < share[code] for code in WhoFor.values})
        rows.append(row)
    week_of = [rng.choices(range(len(weeks)), [40, 20, 10, 20, 10])[0] for _ in range(entries_n)]
    for row, week in zip(rows, week_of):
        row["open_24_hours"] = week == len(weeks) - 1
    ids = bulk_insert(Entry, rows)
    bulk_insert(OpeningHours, [
        {"entry_id": entry_id, "weekday": d, "opens": o, "closes": c}
        for entry_id, week in zip(ids, week_of) for d, o, c in weeks[week]
    ])
    through = Entry.districts.through
    bulk_insert(through, [
        {"entry_id": entry_id, "district_id": district.pk}
        for entry_id, row in zip(ids, rows) if row["area"] == "districts"
        for district in rng.sample(districts, k=rng.choice([1, 1, 2, 3]))
    ])
print(f"{entries_n:,} entries in {len(districts)} districts ({OpeningHours.objects.count():,} opening rows), "
      f"made in {time.monotonic() - started:.0f} s")
"""

TIMED = """
import statistics, sys, time
import django
django.setup()
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from carepath.core.models import District, User
from carepath.directory import public_views, views

settings.RATE_LIMIT_PUBLIC_SEARCH = "1000000/h"  # the count is still made and timed, never reached
searches = int(sys.argv[1])
user = User.objects.get(username="triage-bench")
district = str(District.objects.order_by("name")[150].pk)
cases = [
    ("public: district, a woman", public_views.public_services, "/help/services/",
     {"district": district, "needs": ["women"], "search": "1"}, AnonymousUser()),
    ("public: district, a man aged 16 or 17, open now", public_views.public_services, "/help/services/",
     {"district": district, "needs": ["men", "aged_16_17"], "open_now": "on", "search": "1"}, AnonymousUser()),
    ("public: anywhere, open now", public_views.public_services, "/help/services/",
     {"open_now": "on", "search": "1"}, AnonymousUser()),
    ("staff: everything (first page)", views.directory_search, "/directory/", {}, user),
    ("staff: district, high risk, refuge or IDVA", views.directory_search, "/directory/",
     {"district": district, "who_for": ["high_risk"], "kind": ["refuge", "idva"]}, user),
    ("staff: words, language, self-referral, open now", views.directory_search, "/directory/",
     {"q": "housing advice", "language": "polish", "access_route": "self", "open_now": "on"}, user),
]
for words, view, path, query, who in cases:
    times = []
    for _ in range(searches):
        request = RequestFactory().get(path, query)
        request.user = who
        started = time.perf_counter()
        response = view(request)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    page = response.content.decode()
    times.sort()
    print(f"{words}: median {statistics.median(times):.1f} ms, 95th percentile {times[int(len(times) * 0.95) - 1]:.1f} ms "
          f"({page.count('tel:') + page.count('/directory/') // 2} links, {len(page) // 1024} KiB)")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("--searches", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env, backend = migrated_database(tmp)
        _, _, made = run([sys.executable, "-c", SETUP, str(args.entries)], env, tmp / "setup.log")
        print(f"Directory search on {backend} (target 100 ms a search): {made.strip()}")
        _, _, timings = run([sys.executable, "-c", TIMED, str(args.searches)], env, tmp / "timed.log")
        for line in timings.strip().splitlines():
            print("  " + line)


if __name__ == "__main__":
    main()
