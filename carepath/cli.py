"""The ``carepath`` console command: Django's management commands under one name."""

import os
import sys

# Dry runs on the defaults in configuration/definitions.py: they work on a fresh install,
# with no keys and no database, unless told to read the partnership's configuration.
DRY_RUNS = ("route", "plan")
FROM_DATABASE = "--settings-from-db"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepath.settings")
    if args and args[0] in DRY_RUNS and FROM_DATABASE not in args:
        os.environ["CAREPATH_DRY_RUN"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["carepath", *args])
