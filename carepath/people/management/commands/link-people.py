"""carepath link-people INPUT.csv --out OUTPUT.csv [--backend duckdb|spark] [--model FILE] [--save-model FILE]

Links person records into people (issue 4; the contract is in docs/architecture.md):
reads ``record_id, first_name, last_name, date_of_birth, address, postcode`` (and optionally
``national_id, sex, phone, pnc_id``), writes ``record_id, person_id``, one person_id per real
person. Trains the model on the input without labels unless ``--model`` gives a saved one.
Prints counts only, never a name or an address; splink's own log only with ``-v 2``.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carepath.people.linkage import (
    DEFAULT_MATCH_PROBABILITY,
    LinkageError,
    LinkageModel,
    link,
    splink_logging,
)
from carepath.people.linkage_csv import (
    LinkPeopleInputError,
    dates_kept_as_written,
    read_people_csv,
    write_person_ids,
)


def _probability(value: str) -> float:
    try:
        p = float(value)
    except ValueError:
        raise CommandError(f"--match-probability must be a number, got {value!r}") from None
    if not 0 < p < 1:
        raise CommandError(f"--match-probability must be between 0 and 1 (exclusive), got {value}")
    return p


class Command(BaseCommand):
    help = "Link person records (CSV) into people: writes record_id, person_id."
    requires_system_checks = []  # reads and writes files only: no database needed

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, metavar="INPUT.csv")
        parser.add_argument("--out", type=Path, required=True, metavar="OUTPUT.csv")
        parser.add_argument(
            "--backend",
            choices=("duckdb", "spark"),
            default="duckdb",
            help="duckdb (embedded, default) or spark (local mode) for data that outgrow one machine.",
        )
        parser.add_argument(
            "--model", type=Path, metavar="FILE", help="Use this saved model instead of training one on the input."
        )
        parser.add_argument("--save-model", type=Path, metavar="FILE", help="Save the trained model here.")
        parser.add_argument(
            "--match-probability",
            default=str(DEFAULT_MATCH_PROBABILITY),
            help=f"Link pairs at or above this probability. Default {DEFAULT_MATCH_PROBABILITY}.",
        )

    def handle(
        self,
        *args,
        input: Path,
        out: Path,
        backend: str,
        model: Path | None,
        save_model: Path | None,
        match_probability: str,
        verbosity: int,
        **options,
    ):
        threshold = _probability(match_probability)
        splink_logging(verbose=verbosity >= 2)
        if model is not None and save_model is not None:
            raise CommandError("--model and --save-model cannot be used together: a given model is not trained.")
        started = time.monotonic()
        try:
            records = read_people_csv(input)
            given = LinkageModel.load(model) if model is not None else None
            result = link(
                records, model=given, backend=backend, match_probability=threshold, review_probability=threshold
            )
            write_person_ids(out, records, result.clusters)
            if save_model is not None:
                result.model.save(save_model)
        except LinkPeopleInputError as exc:
            raise CommandError("Nothing was linked.\n" + "\n".join(exc.errors)) from None
        except LinkageError as exc:
            raise CommandError(f"Nothing was linked. {exc}") from None
        except OSError as exc:
            raise CommandError(f"Cannot write {exc.filename}: {exc.strerror}") from None
        people = len(set(result.clusters.values()))
        if verbosity >= 1:
            self.stdout.write(
                f"{input}: {len(records):,} records linked into {people:,} people "
                f"({len(records) - people:,} duplicate records) in {time.monotonic() - started:.1f} s "
                f"({backend}); written to {out}."
            )
            kept = dates_kept_as_written(records)
            if kept:
                self.stdout.write(
                    f"{kept:,} date{'s' if kept > 1 else ''} of birth {'were' if kept > 1 else 'was'} "
                    "not a real date and kept as written: compared digit by digit, not as dates."
                )
