"""carepath import-police-extract FILE --agency NAME [--rejects PATH] [--no-link]

Imports a police incident extract (CSV or Excel; the format is in docs/police-extract.md).
Each incident is scored, routed and queued at the One Front Door. Rejected rows go to
FILE.rejected.csv with their line number and reason: fix them there and import that file.
The import is recorded in the history on the police extract page, like an upload there.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carepath.core.models import Agency
from carepath.referrals.police_extract import PoliceExtractError
from carepath.referrals.police_import import police_extract_import


class Command(BaseCommand):
    help = "Import a police incident extract (CSV or .xlsx) into the One Front Door."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="The police force's agency name in Carepath.")
        parser.add_argument("--rejects", type=Path, help="Where to write rejected rows (default FILE.rejected.csv).")
        parser.add_argument(
            "--no-link",
            action="store_true",
            help="Do not link people to those already known while importing (for a large "
            "historical load; run `carepath relink` afterwards).",
        )

    def handle(self, *args, file: Path, agency: str, rejects: Path | None, no_link: bool, **options):
        agency_obj = Agency.objects.filter(name=agency).first()
        if agency_obj is None:
            raise CommandError(f"No agency called {agency!r}.")
        try:
            report = police_extract_import(path=file, agency=agency_obj, link_people=not no_link)
        except PoliceExtractError as exc:
            raise CommandError("Nothing was imported. " + " ".join(exc.errors)) from None
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(
            f"{report.file}: {report.rows} rows read, {report.imported} imported, "
            f"{report.already_imported} already imported, {report.rejected} rejected."
        )
        kept = report.dates_kept_as_written
        if kept:
            self.stdout.write(
                f"{kept} date{'s' if kept > 1 else ''} of birth {'were' if kept > 1 else 'was'} not a real date "
                f"and {'were' if kept > 1 else 'was'} kept as written: compared when matching people, "
                "never used as a date."
            )
        if report.rejects_csv:
            target = rejects or file.with_name(f"{file.stem}.rejected.csv")
            # With a byte-order mark, so that Excel opens it as UTF-8.
            target.write_text(report.rejects_csv, encoding="utf-8-sig", newline="")
            self.stdout.write(f"Rejected rows, with line and reason: {target}. Fix them there and import that file.")
