"""Benchmark the commissioner's planner: how long a plan takes, small and large.

    .venv/bin/python bench/bench_planner.py [--repeat 20] [--scale 100]

1. ``carepath plan --format json`` on the Hertfordshire 2014 inputs, as a child process
   (wall time and peak RSS, Django start-up included): what a commissioner waits for at
   the terminal.
2. ``plan_compute`` alone on the Hertfordshire inputs, median of ``--repeat`` runs: what the
   planner page adds to each change of an assumption.
3. ``plan_compute`` on a register ``--scale`` times Hertfordshire's (the 40 allocations
   repeated as distinct streams) and as many recommendations: a national-scale register.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from carepath.planning.inputs import inputs_load  # noqa: E402
from carepath.planning.plan import plan_compute  # noqa: E402


def _child(cmd: list[str]) -> tuple[float, float]:
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def _median_ms(inputs, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        plan_compute(inputs)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args()

    carepath = str(REPO / ".venv" / "bin" / "carepath")
    wall, rss = _child([carepath, "plan", "--format", "json"])
    print(f"carepath plan (Hertfordshire 2014): {wall:.2f} s wall, {rss:.0f} MiB peak")

    herts = inputs_load()
    print(
        f"plan_compute, Hertfordshire 2014 ({len(herts.funding)} allocations): "
        f"median {_median_ms(herts, args.repeat):.1f} ms of {args.repeat}"
    )

    funding = tuple(replace(row, stream=f"{row.stream}-{copy}") for copy in range(args.scale) for row in herts.funding)
    recommendations = tuple(
        replace(r, scenario=f"Scenario {copy}") for copy in range(args.scale) for r in herts.recommendations
    )
    large = replace(herts, funding=funding, recommendations=recommendations, published=())
    print(
        f"plan_compute, register x{args.scale} ({len(funding):,} allocations, {len(recommendations):,} "
        f"recommendations): median {_median_ms(large, max(3, args.repeat // 4)):.1f} ms"
    )


if __name__ == "__main__":
    main()
