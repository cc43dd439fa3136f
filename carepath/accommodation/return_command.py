"""``carepath report safe-accommodation-return --year 2026 --out FILE``: the Domestic Abuse
Act 2021 Part 4 annual return of safe accommodation for a calendar year, written as Excel,
CSV or JSON by the file's extension (``return_files``)."""

from pathlib import Path

from carepath.accommodation.returns import YearError, year_parse
from carepath.core.report_files import UnknownFormat, format_for
from carepath.core.reports import Report, ReportError

HELP = (
    "The Domestic Abuse Act 2021 Part 4 annual return of safe accommodation for a calendar year "
    "(Excel, CSV or JSON by the file's extension)."
)


def add_arguments(parser) -> None:
    parser.add_argument("--year", required=True, help="The calendar year, like 2026 (January to December).")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="The file: .xlsx, .csv or .json.")


def run(*, year: str, out: Path, **options) -> str:
    from carepath.accommodation import report_selectors
    from carepath.accommodation.return_files import return_file

    try:
        chosen = year_parse(year)
        extension = format_for(out.name)
    except (YearError, UnknownFormat) as exc:
        raise ReportError(str(exc)) from None
    if not out.parent.is_dir():
        raise ReportError(f"{out}: there is no folder {out.parent} to write it in.")
    annual = report_selectors.annual_return(year=chosen)
    out.write_bytes(return_file(annual, extension))
    return f"Wrote the safe accommodation return for January to December {chosen} to {out}."


REPORT = Report(name="safe-accommodation-return", help=HELP, add_arguments=add_arguments, run=run)
