"""Benchmark the One Front Door's police extract import: read, check, score, route and
store every incident (people, event, DASH, decision, tasks, shares, history).

    .venv/bin/python bench/bench_police_import.py [--scales 1 110]

For each scale: ``carepath synth --police-extract`` writes the synthetic county's police
incidents as a force extract (scale 1 ~ 13,700 rows, a county-year; scale 110 ~ 1.5
million, a national year); then a fresh SQLite database is migrated and given the
county's agencies, and ``carepath import-police-extract`` imports the file. Reports rows
per second and the import's peak memory (the child's ``ru_maxrss``).
Targets (issue 3): a county-year under 30 s, the national year under 30 minutes.
"""

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from bench_synth import run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 110.0])
    args = parser.parse_args()
    carepath = [sys.executable, "-m", "carepath"]
    print(f"{'extract':<28}{'rows':>12}{'import s':>10}{'rows/s':>9}{'peak MiB':>10}  notes")
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
            tmp = Path(tmp)
            env = {**os.environ, "CAREPATH_TESTING": "1", "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}"}
            extract = tmp / "extract.csv"
            gen_wall, _, _ = run(
                [*carepath, "synth", "--seed", "1", "--scale", str(scale), "--police-extract", str(extract)],
                env,
                tmp / "gen.log",
            )
            run([*carepath, "migrate", "--no-input"], env, tmp / "migrate.log")
            # The county's partnership and agencies (a sliver of synthetic people comes with them).
            run([*carepath, "synth", "--seed", "2", "--scale", "0.001"], env, tmp / "agencies.log")
            wall, rss, text = run(
                [*carepath, "import-police-extract", str(extract), "--agency", "Hertfordshire Constabulary"],
                env,
                tmp / "import.log",
            )
            found = re.search(r"(\d+) rows read, (\d+) imported, (\d+) already imported, (\d+) rejected", text)
            rows, imported, _, rejected = (int(g) for g in found.groups())
            label = f"scale {scale:g}" + (
                " (county-year)" if scale == 1 else " (national year)" if scale >= 100 else ""
            )
            print(
                f"{label:<28}{rows:>12,}{wall:>10.1f}{rows / wall:>9,.0f}{rss:>10,.0f}  "
                f"{imported:,} imported, {rejected} rejected; extract written in {gen_wall:.0f} s, "
                f"{extract.stat().st_size / 1e6:,.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
