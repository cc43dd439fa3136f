"""``carepath report <name> [options]``: the reports the apps register (``core.reports``),
for example ``carepath report marac-return --quarter 2026Q3 --out return.xlsx``."""

from django.core.management.base import BaseCommand, CommandError

from carepath.core.reports import ReportError, registry


class Command(BaseCommand):
    help = "Write one of Carepath's reports to a file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        for report in sorted(registry.values(), key=lambda r: r.name):
            report.add_arguments(sub.add_parser(report.name, help=report.help, description=report.help))

    def handle(self, *args, report: str, **options):
        try:
            self.stdout.write(registry[report].run(**options))
        except ReportError as exc:
            raise CommandError(str(exc)) from None
