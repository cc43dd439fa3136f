"""Benchmark identity resolution inside Carepath (issue 4): the batch relink of a stored
county, and linking at the front door.

    .venv/bin/python bench/bench_identity.py [--years 1] [--arrivals 50]

A fresh SQLite database is given a synthetic county (``carepath synth --seed 1``), then
``carepath relink`` trains the model and groups every stored record (time and peak
memory of the child). Then a police extract of later incidents is written
(``synth --seed 7 --police-extract``, about 270 rows) and ``--arrivals`` of them arrive
one at a time through ``referral_create`` (as the form and the API send them): each is
linked against the people already known before it is routed. Reports the median and
95th percentile of one arrival (link, score, route and store) and the precision and recall
of the relink against the synthetic ground truth (pairs of records of one person). Last,
a whole county-year police extract (``--seed 7``) is imported with linking on.
"""

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench_synth import REPO, run

ARRIVALS = """
import sys, time, os
import django
django.setup()
from pathlib import Path
from carepath.core.models import Agency, District
from carepath.referrals import police_extract as extract
from carepath.referrals.police_import import referral_input_from_police_row
from carepath.referrals.services import referral_create
districts = dict(District.objects.values_list("name", "pk"))
police = Agency.objects.get(name="Hertfordshire Constabulary")
with extract.iter_police_extract(Path(sys.argv[1]), set(districts)) as reader:
    rows = [r for r in reader if type(r) is not extract.RejectedRow][: int(sys.argv[2])]
for row in rows:
    data = referral_input_from_police_row(row, agency_id=police.pk, district_ids=districts)
    started = time.perf_counter()
    referral_create(data=data)
    print(f"arrival {time.perf_counter() - started:.4f}")
"""

QUALITY = """
import itertools, collections
import django
django.setup()
from carepath.people.models import Person
from carepath.synth.models import SyntheticIdentity
truth = dict(SyntheticIdentity.objects.values_list("person_id", "true_person_key"))
found = {pk: key or pk for pk, key in Person.objects.filter(pk__in=truth).values_list("pk", "identity_key")}
def pairs(groups):
    members = collections.defaultdict(list)
    for record, key in groups.items():
        members[key].append(record)
    return {p for group in members.values() for p in itertools.combinations(sorted(group), 2)}
true_pairs, found_pairs = pairs(truth), pairs(found)
both = len(true_pairs & found_pairs)
print(f"quality precision={both / len(found_pairs):.4f} recall={both / len(true_pairs):.4f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--arrivals", type=int, default=50)
    args = parser.parse_args()
    carepath = [sys.executable, "-m", "carepath"]
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env = {
            **os.environ,
            "CAREPATH_TESTING": "1",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "carepath.settings",
            "PYTHONPATH": str(REPO),
        }
        run([*carepath, "migrate", "--no-input"], env, tmp / "migrate.log")
        run([*carepath, "synth", "--seed", "1", "--years", str(args.years)], env, tmp / "synth.log")
        wall, rss, text = run([*carepath, "relink"], env, tmp / "relink.log")
        print(f"relink of a {args.years}-year county: {text.strip()}  wall {wall:.1f} s, peak {rss:,.0f} MiB")
        _, _, quality = run([sys.executable, "-c", QUALITY], env, tmp / "quality.log")
        print("relink against the synthetic truth:", quality.strip().removeprefix("quality "))
        extract_path = tmp / "later.csv"
        run(
            [*carepath, "synth", "--seed", "7", "--scale", "0.02", "--police-extract", str(extract_path)],
            env,
            tmp / "extract.log",
        )
        _, _, text = run(
            [sys.executable, "-c", ARRIVALS, str(extract_path), str(args.arrivals)], env, tmp / "arrivals.log"
        )
        times = sorted(float(line.split()[1]) for line in text.splitlines() if line.startswith("arrival "))
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(
            f"one arrival at the front door, linked then routed ({len(times)} arrivals): "
            f"median {statistics.median(times) * 1000:.0f} ms, 95th percentile {p95 * 1000:.0f} ms"
        )
        year_path = tmp / "next-year.csv"
        run(
            [*carepath, "synth", "--seed", "7", "--start", "2014-08-01", "--police-extract", str(year_path)],
            env,
            tmp / "year.log",
        )
        wall, rss, text = run(
            [*carepath, "import-police-extract", str(year_path), "--agency", "Hertfordshire Constabulary"],
            env,
            tmp / "year-import.log",
        )
        print(
            f"a county-year police extract imported with linking (batches of 2,000 linked, then routed): "
            f"{next(line for line in text.splitlines() if 'rows read' in line)}  wall {wall:.1f} s, peak {rss:,.0f} MiB"
        )


if __name__ == "__main__":
    main()
