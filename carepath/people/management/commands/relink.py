"""carepath relink [--backend duckdb|spark]

Rebuilds every identity in batch (issue 4): trains the linkage model on all person
records without labels, scores the blocked pairs, and regroups the records into people,
keeping every reviewer's decision. The new model then scores records arriving at the
front door. Prints counts only, among them how many dates of birth were no real date
and so were compared as written (digit by digit, not as dates).
"""

from django.core.management.base import BaseCommand

from carepath.people.linkage import splink_logging
from carepath.people.services import people_relink


class Command(BaseCommand):
    help = "Rebuild which person records are the same person (identity resolution), in batch."

    def add_arguments(self, parser):
        parser.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")

    def handle(self, *args, backend: str, verbosity: int, **options):
        splink_logging(verbose=verbosity >= 2)
        run = people_relink(backend=backend)
        self.stdout.write(
            f"{run.records} records, {run.pairs_scored} pairs scored at or above the review "
            f"probability, {run.identities} people; took "
            f"{(run.finished_at - run.started_at).total_seconds():.1f} s."
        )
        kept = run.dates_kept_as_written
        if kept:
            self.stdout.write(
                f"{kept:,} date{'s' if kept > 1 else ''} of birth {'were' if kept > 1 else 'was'} "
                "not a real date and compared as written."
            )
