"""carepath synth [--seed 1] [--years 1] [--scale 1.0] [--start 2013-08-01] [--replace] [--csv DIR]

Generates a deterministic synthetic county (imaginary people, never real ones) calibrated
on Hertfordshire (seed 002), and loads it into the configured database, or with --csv
writes it to CSV files instead without touching the database. Prints counts and headline
shares only: never a name.
"""

from __future__ import annotations

import csv
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carepath.synth.generator import DEFAULT_START, SyntheticCounty, iter_shards, marginals, shard_scales

PEOPLE_COLUMNS = [
    "record_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "address",
    "postcode",
    "national_id",
    "sex",
    "phone",
]
EVENT_COLUMNS = [
    "event_id",
    "agency",
    "reference",
    "occurred_at",
    "reported_at",
    "district",
    "area",
    "victim_record_id",
    "perpetrator_record_id",
    "is_crime",
    "risk_level",
    "dash_score",
    "children_present",
    "child_record_ids",
    "child_involvement",
]
REFERRAL_COLUMNS = [
    "referral_id",
    "destination",
    "channel",
    "source",
    "agency",
    "victim_record_id",
    "event_id",
    "district",
    "area",
    "received_at",
    "is_repeat",
]
MAX_YEARS = 50
MAX_SCALE = 1000.0


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise CommandError(f"--years must be a whole number, got {value!r}") from None
    if not 1 <= n <= MAX_YEARS:
        raise CommandError(f"--years must be between 1 and {MAX_YEARS}, got {n}")
    return n


def _scale(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise CommandError(f"--scale must be a number, got {value!r}") from None
    if not (0 < x <= MAX_SCALE):
        raise CommandError(f"--scale must be greater than 0 and at most {MAX_SCALE:g} (1 = one county), got {value}")
    return x


def _start(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CommandError(f"--start must be a date as YYYY-MM-DD, got {value!r}") from None


def _seed(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"--seed must be a whole number, got {value!r}") from None


class Command(BaseCommand):
    help = "Generate a synthetic county (never real people) and load it, or write it as CSV with --csv."

    def add_arguments(self, parser):
        parser.add_argument("--seed", default="1", help="Random seed (same seed, same county). Default 1.")
        parser.add_argument("--years", default="1", help="Consecutive years to generate. Default 1.")
        parser.add_argument(
            "--scale",
            default="1.0",
            help="Volume multiplier: 1 = one county (Hertfordshire), ~110 = England and Wales. Default 1.",
        )
        parser.add_argument("--start", default=DEFAULT_START.isoformat(), help="First day, YYYY-MM-DD.")
        parser.add_argument("--replace", action="store_true", help="Delete previously loaded synthetic data first.")
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Load even though the database holds people who are not synthetic (never in a live system).",
        )
        parser.add_argument(
            "--police-extract",
            metavar="FILE",
            help="Write the police incidents as a force's extract (docs/police-extract.md) instead.",
        )
        parser.add_argument(
            "--csv",
            metavar="DIR",
            help="Write people.csv (link-people format), truth.csv, "
            "events.csv and referrals.csv to DIR instead of loading.",
        )

    def handle(self, *args, **options):
        seed = _seed(options["seed"])
        years = _positive_int(options["years"])
        scale = _scale(options["scale"])
        start = _start(options["start"])
        shards = iter_shards(seed=seed, years=years, scale=scale, start=start)
        single = len(shard_scales(scale)) == 1
        started = time.monotonic()
        if options["police_extract"]:
            from carepath.synth.police_extract import write_police_extract

            counts, last = {"police incidents": write_police_extract(shards, Path(options["police_extract"]))}, None
        elif options["csv"]:
            counts, last = self._write_csv(Path(options["csv"]), shards)
        else:
            from carepath.synth.load import SynthLoadError, synth_load

            last = None

            def remember(stream):
                nonlocal last
                for shard in stream:
                    last = shard
                    yield shard

            try:
                counts = synth_load(
                    remember(shards), replace=options["replace"], allow_real_data=options["allow_real_data"]
                )
            except SynthLoadError as exc:
                raise CommandError(str(exc)) from None
        elapsed = time.monotonic() - started
        target = options["police_extract"] or options["csv"]
        where = f"written to {target}" if target else "loaded"
        self.stdout.write(
            f"Synthetic county (seed {seed}, {years} year(s), scale {scale:g}) {where} in {elapsed:.1f} s:"
        )
        for label, n in counts.items():
            self.stdout.write(f"  {label:<24} {n:>10,}")
        if single and last is not None:
            self.stdout.write("Marginals:")
            for label, value in marginals(last).items():
                shown = f"{value:.1%}" if isinstance(value, float) else f"{value:,}"
                self.stdout.write(f"  {label:<32} {shown:>10}")

    def _write_csv(self, directory: Path, shards) -> tuple[dict[str, int], SyntheticCounty | None]:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {directory}: {exc.strerror}") from None
        counts = {"person records": 0, "events": 0, "referrals": 0}
        last = None
        with (
            open(directory / "people.csv", "w", newline="", encoding="utf-8") as people_f,
            open(directory / "truth.csv", "w", newline="", encoding="utf-8") as truth_f,
            open(directory / "events.csv", "w", newline="", encoding="utf-8") as events_f,
            open(directory / "referrals.csv", "w", newline="", encoding="utf-8") as referrals_f,
        ):
            people, truth = csv.writer(people_f), csv.writer(truth_f)
            events, referrals = csv.writer(events_f), csv.writer(referrals_f)
            people.writerow(PEOPLE_COLUMNS)
            truth.writerow(["record_id", "true_person_key"])
            events.writerow(EVENT_COLUMNS)
            referrals.writerow(REFERRAL_COLUMNS)
            for shard in shards:
                last = shard
                current = {}
                for a in shard.addresses:  # the record's current address is its last one
                    current[a.record] = a
                for r in shard.records:
                    a = current.get(r.key)
                    people.writerow(
                        [
                            r.key,
                            r.given_name,
                            r.family_name,
                            r.date_of_birth.isoformat() if r.date_of_birth else "",
                            f"{a.line_1}, {a.town}" if a else "",
                            a.postcode if a else "",
                            r.nhs_number,
                            r.sex if r.sex != "not_known" else "",
                            r.phone,
                        ]
                    )
                    truth.writerow([r.key, r.true_person_key])
                for e in shard.events:
                    events.writerow(
                        [
                            e.key,
                            e.agency,
                            e.reference,
                            e.occurred_at.isoformat(),
                            e.reported_at.isoformat(),
                            e.district,
                            e.area,
                            e.victim_record,
                            e.perpetrator_record or "",
                            int(e.is_crime),
                            e.risk_level,
                            "" if e.dash_score is None else e.dash_score,
                            int(e.children_present),
                            " ".join(str(c) for c, _ in e.children),
                            " ".join(i for _, i in e.children),
                        ]
                    )
                for r in shard.referrals:
                    referrals.writerow(
                        [
                            r.key,
                            r.destination,
                            r.channel,
                            r.source,
                            r.agency or "",
                            r.victim_record,
                            r.event or "",
                            r.district,
                            r.area,
                            r.received_at.isoformat(),
                            int(r.is_repeat),
                        ]
                    )
                counts["person records"] += len(shard.records)
                counts["events"] += len(shard.events)
                counts["referrals"] += len(shard.referrals)
        return counts, last
