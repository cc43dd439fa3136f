"""carepath plan [--inputs DIR_OR_WORKBOOK] [--format text|json]

The commissioner's plan (issue 5): needs, IDVAs per area and county, children, refuge
places, MARAC volume, the service's cost, the funding analysis and the scenarios'
totals, checked against the figures the review printed. With no ``--inputs`` it runs on
the Hertfordshire 2014 inputs shipped with Carepath. The caseloads and benchmarks the
partnership also configures are Carepath's defaults (no keys or database needed), or
with ``--settings-from-db`` the partnership's. JSON keys: docs/planner.md.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carepath.configuration.commands import reading_partnership_settings
from carepath.planning.inputs import PlanInputErrors, inputs_load
from carepath.planning.plan import plan_compute, plan_text
from carepath.planning.selectors import plan_with_assumptions


class Command(BaseCommand):
    help = "Print the commissioner's plan (needs, capacity, cost, funding, scenarios) from a set of inputs."
    requires_system_checks = []  # reads files only: no database needed without --settings-from-db

    def add_arguments(self, parser):
        parser.add_argument(
            "--inputs",
            type=Path,
            metavar="DIR_OR_WORKBOOK",
            help="A folder of the planner's CSV files, or an Excel workbook with a sheet per file. "
            "Default: Hertfordshire 2014 (the CAADA review).",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--settings-from-db",
            action="store_true",
            help="Take the caseloads and benchmarks the partnership configures from the database "
            "(default: Carepath's defaults).",
        )

    def handle(self, *args, inputs: Path | None, format: str, settings_from_db: bool, **options):
        if inputs is not None and not inputs.exists():
            raise CommandError(f"{inputs}: no such file or folder")
        try:
            if settings_from_db:
                with reading_partnership_settings():
                    plan = plan_with_assumptions(inputs_load(inputs), {})[1]
            else:
                plan = plan_compute(inputs_load(inputs))
        except PlanInputErrors as exc:
            raise CommandError("The inputs were not used:\n" + "\n".join(f"  {e}" for e in exc.errors)) from None
        if format == "json":
            self.stdout.write(json.dumps(plan, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(plan_text(plan), ending="")
