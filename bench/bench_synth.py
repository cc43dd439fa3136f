"""Benchmark ``carepath synth``: wall time and peak memory of the child process.

    .venv/bin/python bench/bench_synth.py [--years 1 10] [--national-scale 110] [--skip-national]

For each number of years: a fresh temporary SQLite database, ``carepath migrate``, then
``carepath synth --years N`` (generation + load). Then pure generation at national scale
(~110 counties), streamed shard by shard as the loader and the CSV writer consume it.
Peak RSS is the child's own ``ru_maxrss`` from ``os.wait4``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: A benchmark child's opening: Django set up and ``client``, a test client signed in (past
#: the second factor) as the user named in ``sys.argv[2]``.
SIGNED_IN_CLIENT = """
import statistics, sys, time
import django
django.setup()
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from carepath.core.models import TOTPDevice, User

user = User.objects.get(username=sys.argv[2])
device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
"""

NATIONAL = """
import sys, time
from carepath.synth.generator import iter_shards
scale = float(sys.argv[1])
started = time.monotonic()
counts = dict(shards=0, records=0, events=0, police=0, referrals=0)
for shard in iter_shards(seed=1, years=1, scale=scale):
    counts["shards"] += 1
    counts["records"] += len(shard.records)
    counts["events"] += len(shard.events)
    counts["police"] += sum(e.agency == "Hertfordshire Constabulary" for e in shard.events)
    counts["referrals"] += len(shard.referrals)
    del shard
print(" ".join(f"{k}={v}" for k, v in counts.items()), f"seconds={time.monotonic() - started:.1f}")
"""


def run(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float, str]:
    """Run a child; return (wall seconds, peak RSS MiB, output)."""
    with open(log, "w") as out:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-3000:]}")
    return wall, usage.ru_maxrss / 1024, text


def migrated_database(tmp: Path) -> tuple[dict[str, str], str]:
    """The environment of a benchmark's children: the database in ``DATABASE_URL`` (a
    throwaway PostgreSQL under ``scripts/with-postgres``) or a SQLite file in ``tmp``,
    migrated. Returns the environment and the backend's name."""
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "CAREPATH_TESTING": "1",
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "carepath.settings",
        "PYTHONPATH": str(REPO),
    }
    run([sys.executable, "-m", "carepath", "migrate", "--no-input"], env, tmp / "migrate.log")
    return env, "PostgreSQL" if database.startswith("postgres") else "SQLite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--national-scale", type=float, default=110.0)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        for years in args.years:
            db = Path(tmp) / f"synth-{years}y.sqlite3"
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "CAREPATH_TESTING": "1"}
            carepath = [sys.executable, "-m", "carepath"]
            m_wall, m_rss, _ = run([*carepath, "migrate", "-v0"], env, Path(tmp) / "migrate.log")
            wall, rss, text = run(
                [*carepath, "synth", "--seed", "1", "--years", str(years)], env, Path(tmp) / f"synth-{years}.log"
            )
            people = next((line.split()[-1] for line in text.splitlines() if line.strip().startswith("people ")), "?")
            events = next((line.split()[-1] for line in text.splitlines() if line.strip().startswith("events ")), "?")
            size = db.stat().st_size / 2**20
            rows.append(
                (
                    f"synth --years {years} (generate + load, SQLite)",
                    wall,
                    rss,
                    f"{people} people, {events} events, db {size:.0f} MiB; migrate {m_wall:.1f} s",
                )
            )
        if not args.skip_national:
            env = {**os.environ, "CAREPATH_TESTING": "1"}
            wall, rss, text = run(
                [sys.executable, "-c", NATIONAL, str(args.national_scale)], env, Path(tmp) / "national.log"
            )
            rows.append((f"generate only, --scale {args.national_scale:g} (streamed)", wall, rss, text.strip()))

    print(f"{'run':<48} {'wall s':>8} {'peak RSS MiB':>13}  notes")
    for name, wall, rss, notes in rows:
        print(f"{name:<48} {wall:>8.1f} {rss:>13.0f}  {notes}")


if __name__ == "__main__":
    main()
