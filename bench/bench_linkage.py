"""Benchmark ``carepath link-people`` (issue 4): accuracy against the synthetic truth, time
and peak memory.

    .venv/bin/python bench/bench_linkage.py [--scales 1 4 40] [--spark-scale 40] [--skip-spark]

For each scale (1 = one county-year, Hertfordshire: ~26,000 person records; 4 ≈ 100,000;
40 ≈ 1,000,000): ``carepath synth --seed 1 --scale S --csv DIR`` writes people.csv and its
truth, then ``carepath link-people`` trains a model without labels and links (DuckDB), and
the bench scores the person ids against the truth: pairwise precision, recall and F1 (a
pair of records is a true pair when the truth says they are one person). Then the Spark
run: ``link-people --backend spark`` in local mode on 2 cores, with the model the DuckDB
run of the same scale trained (so it times linking, and checks that both backends agree).

Peak memory: the child's own ``ru_maxrss`` (``os.wait4``), and for the whole process tree
(Python plus Spark's JVM) the largest sum of VmRSS sampled every 0.2 s from /proc.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Issue 12: F1 at the default threshold, by scale (a county-year; a million records).
TARGET_F1 = {1.0: 0.985, 40.0: 0.97}


def _tree_rss_mib(root: int) -> float:
    """Sum of VmRSS of ``root`` and its descendants, MiB (0 once it has gone)."""
    children: dict[int, list[int]] = defaultdict(list)
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children[int(fields["PPid"])].append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total / 1024


def run(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float, float, str]:
    """Run a child; return (wall seconds, child peak RSS MiB, process-tree peak MiB, output)."""
    with open(log, "w") as out:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        peak = [0.0]
        done = threading.Event()

        def sample():
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_rss_mib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-3000:]}")
    child = usage.ru_maxrss / 1024
    return wall, child, max(peak[0], child), text


def _groups(path: Path, key: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            groups[row[key]].append(row["record_id"])
    return groups


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for members in groups.values() for p in itertools.combinations(members, 2)}


def pairwise_scores(truth_csv: Path, output_csv: Path) -> tuple[float, float, float, int, int]:
    """(precision, recall, F1, true pairs, predicted pairs) of link-people's output."""
    true_pairs = _pairs(_groups(truth_csv, "true_person_key"))
    found = _pairs(_groups(output_csv, "person_id"))
    hits = len(true_pairs & found)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(true_pairs) if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(true_pairs), len(found)


def _records_grouped_differently(a_csv: Path, b_csv: Path) -> int:
    """How many records are not with exactly the same other records in both outputs."""
    groups = []
    for path in (a_csv, b_csv):
        members = _groups(path, "person_id")
        groups.append({r: frozenset(m) for m in members.values() for r in m})
    return sum(groups[0][r] != groups[1].get(r) for r in groups[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 4.0, 40.0])
    parser.add_argument("--spark-scale", type=float, default=40.0)
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--workdir", type=Path, help="Keep the files here (default: a temporary directory).")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="carepath-bench-linkage-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "CAREPATH_TESTING": "1"}
        carepath = [sys.executable, "-m", "carepath"]
        scales = list(dict.fromkeys([*args.scales, *([] if args.skip_spark else [args.spark_scale])]))
        for scale in scales:
            data = work / f"scale-{scale:g}"
            if not (data / "people.csv").exists():
                run(
                    [*carepath, "synth", "--seed", "1", "--scale", f"{scale:g}", "--csv", str(data)],
                    env,
                    work / f"synth-{scale:g}.log",
                )
            with open(data / "people.csv", "rb") as f:
                n = sum(1 for _ in f) - 1
            out, model = data / "duckdb.csv", data / "model.json"
            wall, child, tree, _ = run(
                [*carepath, "link-people", str(data / "people.csv"), "--out", str(out), "--save-model", str(model)],
                env,
                work / f"link-{scale:g}.log",
            )
            p, r, f1, n_true, n_found = pairwise_scores(data / "truth.csv", out)
            rows.append(
                (
                    f"duckdb, train + link, scale {scale:g}",
                    n,
                    wall,
                    child,
                    tree,
                    f"P {p:.4f} R {r:.4f} F1 {f1:.4f} ({n_true:,} true pairs, {n_found:,} linked)"
                    + (f"; target F1 >= {TARGET_F1[scale]}" if scale in TARGET_F1 else ""),
                )
            )
            if not args.skip_spark and scale == args.spark_scale:
                spark_out = data / "spark.csv"
                wall, child, tree, _ = run(
                    [
                        *carepath,
                        "link-people",
                        str(data / "people.csv"),
                        "--out",
                        str(spark_out),
                        "--backend",
                        "spark",
                        "--model",
                        str(model),
                    ],
                    env,
                    work / f"spark-{scale:g}.log",
                )
                p, r, f1, _, _ = pairwise_scores(data / "truth.csv", spark_out)
                differ = _records_grouped_differently(out, spark_out)
                same = f"{differ:,} records grouped differently from DuckDB" if differ else "same clusters as DuckDB"
                rows.append(
                    (
                        f"spark local[2], link (DuckDB's model), scale {scale:g}",
                        n,
                        wall,
                        child,
                        tree,
                        f"P {p:.4f} R {r:.4f} F1 {f1:.4f}; {same}",
                    )
                )

    print(f"{'run':<48} {'records':>10} {'wall s':>8} {'child MiB':>10} {'tree MiB':>9}  notes")
    for name, n, wall, child, tree, notes in rows:
        print(f"{name:<48} {n:>10,} {wall:>8.1f} {child:>10.0f} {tree:>9.0f}  {notes}")


if __name__ == "__main__":
    main()
