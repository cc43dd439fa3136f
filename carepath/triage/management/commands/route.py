"""carepath route FILE.json: a dry run of routing for partnerships testing their configuration.

Reads a JSON array of cases and prints a JSON array of decisions in the same order,
on the defaults in configuration/definitions.py and the SafeLives DASH RIC 2009 (no keys or
database needed), or with ``--settings-from-db`` on the partnership's configuration and
risk checklist in force. Stores nothing.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carepath.configuration.commands import reading_partnership_settings
from carepath.configuration.definitions import PartnershipSettings
from carepath.configuration.selectors import partnership_settings_get
from carepath.risk.checklist import DASH_RIC_2009
from carepath.risk.selectors import checklist_in_force
from carepath.triage.casejson import CaseInputError, route_cases


class Command(BaseCommand):
    help = "Route a JSON array of cases and print the decisions (a dry run: nothing is stored)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="JSON array of cases; '-' for standard input.")
        parser.add_argument(
            "--settings-from-db",
            action="store_true",
            help="Use the partnership's configuration from the database (default: Carepath's defaults).",
        )

    def handle(self, *args, file: Path, settings_from_db: bool, **options):
        try:
            text = self.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 text (byte {exc.start}). Save it as UTF-8.") from None
        try:
            cases = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.") from None
        configuration, checklist = PartnershipSettings(), DASH_RIC_2009
        if settings_from_db:
            with reading_partnership_settings():
                configuration, checklist = partnership_settings_get(), checklist_in_force()
        try:
            decisions, errors = route_cases(cases, configuration, checklist)
        except CaseInputError as exc:
            raise CommandError(f"{file}: {exc}") from None
        if errors:
            raise CommandError(f"{file}: " + "\n".join(errors))
        self.stdout.write(json.dumps(decisions, indent=2, ensure_ascii=False))
