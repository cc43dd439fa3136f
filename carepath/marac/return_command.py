"""``carepath report marac-return --quarter 2026Q3 [--marac NAME] --out FILE``: the SafeLives
quarterly return of one MARAC, or of every MARAC when ``--marac`` is left out, written as
Excel, CSV or JSON by the file's extension (``return_files``)."""

from pathlib import Path

from carepath.core.reports import Report, ReportError
from carepath.marac.return_files import UnknownFormat, format_for, return_file
from carepath.marac.returns import QuarterError, quarter_parse

HELP = "The SafeLives quarterly MARAC return, counted from the cases (Excel, CSV or JSON by the file's extension)."


def add_arguments(parser) -> None:
    parser.add_argument("--quarter", required=True, help="The calendar quarter, like 2026Q3 (July to September 2026).")
    parser.add_argument("--marac", default="", metavar="NAME", help="One MARAC by its name (default: every MARAC).")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="The file: .xlsx, .csv or .json.")


def run(*, quarter: str, marac: str, out: Path, **options) -> str:
    from carepath.marac import selectors

    try:
        chosen = quarter_parse(quarter)
        extension = format_for(out.name)
    except (QuarterError, UnknownFormat) as exc:
        raise ReportError(str(exc)) from None
    if not out.parent.is_dir():
        raise ReportError(f"{out}: there is no folder {out.parent} to write it in.")
    maracs = selectors.maracs_for_returns()
    names = list(maracs.values_list("name", flat=True))
    if not names:
        raise ReportError("There is no MARAC in Carepath yet: nothing to return.")
    if marac.strip():
        found = [n for n in names if n.casefold() == marac.strip().casefold()]
        if not found:
            raise ReportError(f"No MARAC is called {marac.strip()!r}. The MARACs are: {', '.join(names)}.")
        maracs = maracs.filter(name=found[0])
    returns = selectors.marac_returns(maracs=maracs, quarter=chosen)
    out.write_bytes(return_file(returns, extension))
    which = returns[0].marac if len(returns) == 1 else f"{len(returns)} MARACs"
    return f"Wrote the MARAC return of {which} for {chosen.months} to {out}."


REPORT = Report(name="marac-return", help=HELP, add_arguments=add_arguments, run=run)
