"""Benchmark casework service performance (issue 14, 6) over a county-year and a
national-size year of cases.

    .venv/bin/python bench/bench_casework_performance.py [--county 3000] [--national 300000]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

A county's IDVA and caseworker services take about 3,000 referrals a year (seed 002:
Hertfordshire's services, some 4,600 high- and medium-risk victims of whom about 2,000 are
visible); England and Wales about a hundred times as many. The set-up writes each with
``core.bulk`` (no model instances): services covering the districts of their MARAC areas,
workers of a hundred cases a year (some part time, some over safe), and for each case its
victim, a front-door referral from a district (one in five from a MARAC or another agency,
without one), a risk level, a status along the journey, first-contact deadlines and
contacts, and at closure the outcomes and the intake and exit scores, and for about one
closed case in six a place on a recovery programme (seed 002 plans on 15% taking one up),
some started or completed. Then it times the
figures for every service over 2026 (``selectors`` + ``measures``), and the page itself
for a commissioner, who sees every service. Targets: county under 1 s, national under 30 s.
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
from carepath.casework import rules
from carepath.casework.models import Case, RecoveryPlace, RecoveryProgramme, Service, Worker
from carepath.core.bulk import bulk_insert, large_write_prepare
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Partnership, User
from carepath.core.services import staff_create
from carepath.people.models import Person
from carepath.referrals.models import Referral

wanted, label = int(sys.argv[1]), sys.argv[2]
started = time.monotonic()
rng = random.Random(14)
areas_n = max(3, wanted // 7_500)
services_n = max(4, wanted // 750)
partnership = Partnership.objects.create(name=label, population=60_000_000, women_16_plus=25_000_000)
police = Agency.objects.create(partnership=partnership, name=f"{label} police", agency_type=AgencyType.POLICE)
office = Agency.objects.create(partnership=partnership, name=f"{label} partnership", agency_type=AgencyType.PARTNERSHIP)
staff_create(username=f"commissioner-{label}", agency=office, role=Role.COMMISSIONER, password=None)
districts = []
for a in range(areas_n):
    area = MaracArea.objects.create(partnership=partnership, name=f"{label} area {a:03d}", population=1, women_16_plus=1)
    districts.append([District.objects.create(marac_area=area, name=f"{label} district {a:03d}-{d}", population=1, women_16_plus=1)
                      for d in range(3)])
kinds = ["idva", "caseworker", "idva", "outreach", "hospital_idva", "young_people", "male_victims"]
services = []
for s in range(services_n):
    agency = Agency.objects.create(partnership=partnership, name=f"{label} provider {s}", agency_type=AgencyType.IDVA_SERVICE)
    service = Service.objects.create(agency=agency, name=f"{label} service {s:04d}", kind=kinds[s % len(kinds)])
    service.districts.set(districts[s % areas_n])
    services.append(service)
programme = RecoveryProgramme.objects.create(agency=services[0].agency, name=f"{label} Freedom Programme", kind="freedom")
PLACE_STATUSES = ["waiting", "offered", "started", "completed", "completed", "left_early", "declined"]
OUTCOMES = list(rules.OUTCOMES)
SCORES = ("safety", "wellbeing", "quality_of_life")
now = datetime(2026, 12, 1, tzinfo=UTC)
with transaction.atomic():
    large_write_prepare()
    per_service = wanted // services_n
    workers_n = max(2, per_service // 100)
    user_ids = bulk_insert(User, [
        {"username": f"{label}-worker-{s}-{w}", "first_name": "Worker", "last_name": f"{s}-{w}", "agency_id": services[s].agency_id,
         "role": Role.IDVA, "password": "!"}
        for s in range(services_n) for w in range(workers_n)
    ])
    worker_ids = bulk_insert(Worker, [
        {"user_id": user_ids[s * workers_n + w], "service_id": services[s].pk, "fte": rng.choice([1, 1, 1, 0.8, 0.5]),
         "is_manager": w == 0}
        for s in range(services_n) for w in range(workers_n)
    ])
    total = 0
    for s, service in enumerate(services):
        n = per_service
        people = bulk_insert(Person, [{"recorded_by_id": police.pk, "given_name": "Victim"} for _ in range(n)])
        referred = [datetime(2025, 10, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(60 * 24 * 426)) for _ in range(n)]
        with_referral = [rng.random() < 0.8 for _ in range(n)]
        referral_ids = iter(bulk_insert(Referral, [
            {"channel": "professional", "destination": "idva", "victim_id": people[i], "received_at": referred[i],
             "district_id": rng.choice(districts[s % areas_n]).pk if rng.random() < 0.9 else rng.choice(rng.choice(districts)).pk}
            for i in range(n) if with_referral[i]
        ]))
        rows = []
        for i in range(n):
            at = referred[i]
            risk = rng.choices(["high", "medium", "standard"], [45, 45, 10])[0]
            due = at + timedelta(days=1 if risk == "high" else 3)
            contacted = at + timedelta(hours=rng.randrange(1, 120)) if rng.random() < 0.8 else None
            contacted = contacted if contacted and contacted < now else None
            engaged = contacted + timedelta(days=rng.randrange(0, 7)) if contacted and rng.random() < 0.6 else None
            engaged = engaged if engaged and engaged < now else None
            closed = engaged + timedelta(days=rng.randrange(20, 150)) if engaged else None
            closed = closed if closed and closed < now else None
            status = ("closed" if closed else "ongoing_support" if engaged and rng.random() < 0.5 else "engaged" if engaged
                      else rng.choice(["contacting", "declined", "dropped_out"]) if contacted
                      else rng.choice(["referred", "not_contactable", "declined"]))
            row = {"service_id": service.pk, "victim_id": people[i], "source": "front_door" if with_referral[i] else "marac",
                   "referral_id": next(referral_ids) if with_referral[i] else None, "risk_level": risk, "status": status,
                   "worker_id": worker_ids[s * workers_n + rng.randrange(workers_n)] if status != "referred" else None,
                   "referred_at": at, "first_contact_due": due, "first_contact_at": contacted, "engaged_at": engaged,
                   "engagement_level": rng.choice([1, 2, 3]) if engaged else None, "closed_at": closed}
            if closed:
                row["outcomes"] = {a: rng.choice(OUTCOMES) for a in rules.ABUSE_TYPES if rng.random() < 0.6}
                row["intake_scores"] = {k: rng.randrange(1, 8) for k in SCORES}
                row["exit_scores"] = {k: rng.randrange(3, 11) for k in SCORES}
            rows.append(row)
        case_ids = bulk_insert(Case, rows)
        bulk_insert(RecoveryPlace, [
            {"case_id": case_id, "programme_id": programme.pk, "status": rng.choice(PLACE_STATUSES),
             "added_at": row["closed_at"], "added_by_id": user_ids[s * workers_n], "status_at": row["closed_at"], "note": ""}
            for case_id, row in zip(case_ids, rows) if row["closed_at"] and rng.random() < 0.16
        ])
        total += n
print(f"{total:,} cases at {services_n} services in {areas_n} MARAC areas, {services_n * workers_n:,} workers, "
      f"made in {time.monotonic() - started:.0f} s")
"""

TIMED = """
import sys, time
from datetime import UTC, datetime
import django
django.setup()
from django.test import RequestFactory
from carepath.casework import measures, selectors, views
from carepath.casework.models import Service
from carepath.core.models import User

label = sys.argv[1]
period = measures.period_from_code("2026")
from carepath.triage.deadlines import is_working_day
started = time.perf_counter()
is_working_day(datetime(2026, 1, 1).date())  # the bank holidays' one-off load in this process
holidays = time.perf_counter() - started
started = time.perf_counter()
ids = list(Service.objects.filter(agency__partnership__name=label).values_list("pk", flat=True))
rows = selectors.performance_case_rows(service_ids=ids, period=period)
workers = selectors.performance_worker_rows(service_ids=ids, period=period)
loaded = time.perf_counter() - started
figures = measures.by_service(rows=rows, workers=workers, service_ids=ids, period=period,
                              now=datetime(2026, 12, 1, tzinfo=UTC), safe=selectors.safe_caseload_get())
computed = time.perf_counter() - started
referred = sum(f.engagement.referred for f in figures.values())
engaged = sum(f.engagement.engaged for f in figures.values())
over = sum(c.over for f in figures.values() for c in f.caseloads)
stepped_down = sum(f.recovery_uptake.stepped_down for f in figures.values())
request = RequestFactory().get("/casework/performance/", {"period": "2026"})
request.user = User.objects.get(username=f"commissioner-{label}")
started = time.perf_counter()
response = views.performance_view(request)
page = time.perf_counter() - started
started = time.perf_counter()
response = views.performance_view(request)
again = time.perf_counter() - started
assert response.status_code == 200
print(f"(England's bank holidays loaded once per process in {holidays:.2f} s) 2026 for {len(ids)} services: {len(rows):,} case rows, {referred:,} referred, {engaged:,} engaged, "
      f"{over} workers over safe, {stepped_down:,} closed cases stepped down to recovery; rows loaded in {loaded:.2f} s, figures in {computed:.2f} s; "
      f"the page for a commissioner in {page:.2f} s, again (warm) in {again:.2f} s "
      f"({len(response.content) // 1024:,} KiB)")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--county", type=int, default=3_000)
    parser.add_argument("--national", type=int, default=300_000)
    args = parser.parse_args()
    for label, cases, target in (("County", args.county, 1), ("National", args.national, 30)):
        if not cases:
            continue
        with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
            tmp = Path(tmp)
            env, backend = migrated_database(tmp)
            _, _, made = run([sys.executable, "-c", SETUP, str(cases), label], env, tmp / "setup.log")
            print(f"Casework performance, {label.lower()}-year on {backend} (target {target} s): {made.strip()}")
            _, _, timings = run([sys.executable, "-c", TIMED, label], env, tmp / "timed.log")
            print("  " + timings.strip())


if __name__ == "__main__":
    main()
