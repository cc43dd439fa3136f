"""Benchmark the SafeLives quarterly MARAC return over a national-size year (issue 13, 7).

    .venv/bin/python bench/bench_marac_return.py [--cases 120000] [--maracs 250]

Runs on the database in ``DATABASE_URL`` (``make bench`` starts a throwaway PostgreSQL with
``scripts/with-postgres``), or on a temporary SQLite file when it is unset.

England and Wales hear about 120,000 MARAC cases a year at some 250 MARACs (SafeLives'
national dataset). The set-up writes a year of them with ``core.bulk`` (no model
instances): every MARAC meeting monthly, each case with its victim, the person causing
harm and the children, referred by a spread of agencies, heard at the next meeting (one
in seven again at the meeting after), a third of them repeats, one meeting in twenty
cancelled. Then it times the return of July to September for every MARAC: the figures
alone (``selectors.marac_returns``), and ``carepath report marac-return`` writing the
Excel workbook (a sheet per MARAC). Target: under 30 s.
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
from carepath.core.bulk import bulk_insert, large_write_prepare
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Partnership
from carepath.core.services import staff_create
from carepath.marac.models import Marac, MaracCase, MaracDiscussion, MaracMeeting
from carepath.marac.rules import meeting_times
from carepath.people.models import Person
from carepath.referrals.models import Referral, ReferralChild

wanted, marac_count = int(sys.argv[1]), int(sys.argv[2])
started = time.monotonic()
rng = random.Random(13)
partnership = Partnership.objects.create(name="England and Wales", population=60_000_000, women_16_plus=25_000_000)
area = MaracArea.objects.create(partnership=partnership, name="National", population=1, women_16_plus=1)
make = lambda name, kind: Agency.objects.create(partnership=partnership, name=name, agency_type=kind)
referrers = [make(f"Bench {kind.label}", kind) for kind in AgencyType if kind not in (AgencyType.MARAC, AgencyType.PARTNERSHIP)]
weights = [43 if a.agency_type == "police" else 24 if a.agency_type == "idva_service" else 2 for a in referrers]
coordinations = [make(f"Bench MARAC coordination {n}", AgencyType.MARAC) for n in range(max(1, marac_count // 6))]
coordinator = staff_create(username="coordinator", agency=coordinations[0], role=Role.MARAC_COORDINATOR, password=None)
maracs = []
for n in range(marac_count):
    district = District.objects.create(marac_area=area, name=f"District {n}", population=240_000, women_16_plus=100_000)
    marac = Marac.objects.create(
        agency=coordinations[n % len(coordinations)], name=f"MARAC {n:03d}",
        first_meeting=datetime(2026, 1, 6 + n % 20, 10, tzinfo=UTC),
    )
    marac.districts.set([district])
    maracs.append(marac)

ETHNICITIES = ["white_british"] * 70 + ["white_irish", "white_other", "white_other", "white_gypsy_traveller", "white_roma",
    "mixed_white_asian", "asian_indian", "asian_pakistani", "asian_bangladeshi", "black_african", "black_caribbean",
    "arab", "other"] + ["not_stated"] * 10
ORIENTATIONS = ["heterosexual"] * 80 + ["gay_lesbian", "bisexual", "other"] + ["not_stated"] * 15

with transaction.atomic():
    large_write_prepare()
    meetings = {}  # marac id -> [(meeting id, starts_at)]
    for marac in maracs:
        times = meeting_times("monthly", marac.first_meeting, after=datetime(2026, 1, 1, tzinfo=UTC), count=13)
        ids = bulk_insert(MaracMeeting, [
            {"marac_id": marac.pk, "starts_at": t, "capacity": 60,
             "status": "cancelled" if rng.random() < 0.05 else ("held" if t < datetime(2026, 12, 1, tzinfo=UTC) else "planned")}
            for t in times
        ])
        meetings[marac.pk] = list(zip(ids, times))
    per_marac = wanted // len(maracs)
    total = discussions = children_made = 0
    for marac in maracs:
        n = per_marac
        referred = sorted(date(2026, 1, 1) + timedelta(days=rng.randrange(335)) for _ in range(n))
        people = []
        for i in range(n):
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 58))
            people.append({"recorded_by_id": referrers[0].pk, "given_name": "Victim", "family_name": "Bench",
                           "date_of_birth": born if rng.random() > 0.1 else None,
                           "sex": "male" if rng.random() < 0.05 else "female",
                           "gender_identity": "not_known", "trans": "yes" if rng.random() < 0.01 else "not_known",
                           "ethnicity": rng.choice(ETHNICITIES), "disability": "yes" if rng.random() < 0.08 else "no",
                           "sexual_orientation": rng.choice(ORIENTATIONS)})
            people.append({"recorded_by_id": referrers[0].pk, "given_name": "Harm", "family_name": "Bench",
                           "date_of_birth": date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 58)), "sex": "male"})
        person_ids = bulk_insert(Person, people)
        victims, perpetrators = person_ids[0::2], person_ids[1::2]
        referral_ids = bulk_insert(Referral, [
            {"channel": "professional", "destination": "marac",
             "referring_agency_id": rng.choices(referrers, weights)[0].pk, "victim_id": victims[i],
             "perpetrator_id": perpetrators[i], "received_at": datetime.combine(referred[i], datetime.min.time(), UTC),
             "receiving_agency_id": marac.agency_id, "risk_level": "high"}
            for i in range(n)
        ])
        kids = [(referral_ids[i], rng.randrange(13)) for i in range(n) for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))]
        child_ids = bulk_insert(Person, [{"recorded_by_id": referrers[0].pk, "given_name": "Child"} for _ in kids])
        bulk_insert(ReferralChild, [{"referral_id": r, "child_id": c, "age": age} for (r, age), c in zip(kids, child_ids)])
        children_made += len(kids)
        held = meetings[marac.pk]
        case_ids = bulk_insert(MaracCase, [
            {"marac_id": marac.pk, "referral_id": referral_ids[i], "victim_id": victims[i], "number": i + 1,
             "status": "discussed", "referred_on": referred[i], "checked_by_id": coordinator.pk,
             "checked_at": datetime.combine(referred[i], datetime.min.time(), UTC)}
            for i in range(n)
        ])
        MaracCase.objects.filter(pk__in=[c for c in case_ids[1:] if rng.random() < 0.33]).update(
            repeat_of_id=case_ids[0]
        )
        heard = []
        for i, case_id in enumerate(case_ids):
            when = datetime.combine(referred[i] + timedelta(days=5), datetime.min.time(), UTC)
            later = [m for m in held if m[1] >= when]
            for meeting_id, at in later[: 2 if rng.random() < 1 / 7 else 1]:
                heard.append({"case_id": case_id, "meeting_id": meeting_id, "summary": "Heard.", "risks": "Risks.",
                              "recorded_by_id": coordinator.pk, "recorded_at": at})
        bulk_insert(MaracDiscussion, heard)
        total += n
        discussions += len(heard)
print(f"{total:,} MARAC cases at {len(maracs)} MARACs, {discussions:,} hearings, {children_made:,} children, "
      f"made in {time.monotonic() - started:.0f} s")
"""

TIMED = """
import io, sys, time
import django
django.setup()
from django.core.management import call_command
from carepath.marac.returns import Quarter
from carepath.marac.selectors import marac_returns, maracs_for_returns

out = sys.argv[1]
started = time.perf_counter()
made = marac_returns(maracs=maracs_for_returns(), quarter=Quarter(2026, 3))
figures = time.perf_counter() - started
discussed = sum(r["cases_discussed"] for r in made)
started = time.perf_counter()
call_command("report", "marac-return", "--quarter", "2026Q3", "--out", out, stdout=io.StringIO())
command = time.perf_counter() - started
print(f"July to September: {discussed:,} cases discussed at {len(made)} MARACs; "
      f"the figures in {figures:.1f} s, the command writing the Excel workbook in {command:.1f} s (target 30 s)")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=120_000)
    parser.add_argument("--maracs", type=int, default=250)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env, backend = migrated_database(tmp)
        _, _, made = run([sys.executable, "-c", SETUP, str(args.cases), str(args.maracs)], env, tmp / "setup.log")
        print(f"MARAC quarterly return on {backend}: {made.strip()}")
        _, _, timings = run([sys.executable, "-c", TIMED, str(tmp / "return.xlsx")], env, tmp / "timed.log")
        print("  " + timings.strip())


if __name__ == "__main__":
    main()
