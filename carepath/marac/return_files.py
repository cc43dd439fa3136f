"""The quarterly MARAC return as a file: Excel, CSV or JSON, chosen by the file's extension
(``core.report_files``).

Every file says each figure in words (``returns.FIELDS`` labels, agency types in words),
never a code. Layouts:

- **Excel**: one sheet per MARAC, laid out as the return a coordinator sends SafeLives
  (each MARAC sends its own, figure by figure): the figures with their percentage of the
  cases discussed and how each is counted, then the cases discussed by referring agency.
- **CSV**: one row per MARAC and figure (MARAC, quarter, section, figure, number,
  percentage), so several MARACs and the agency breakdown sit in one table a
  spreadsheet can pivot.
- **JSON**: one object per MARAC with its figures and referring agencies, by their words.
"""

import csv
import io
import json
import re
from collections.abc import Sequence

from openpyxl import Workbook

from carepath.core.report_files import (  # noqa: F401 - FORMATS, UnknownFormat and format_for are the views' and command's
    FORMATS,
    UnknownFormat,
    csv_number,
    format_for,
    fraction,
    number,
    sheet_name,
)
from carepath.core.workbook import COUNT, RATE, Column, SheetWriter
from carepath.marac.returns import BY_AGENCY_TITLE, DECIMAL, PERCENT, MaracReturn

FIGURES_TITLE = "The return"
CSV_HEADER = ["MARAC", "Quarter", "Section", "Figure", "Number", "Percentage of cases discussed"]
_number, _fraction, _csv_number = number, fraction, csv_number


def _sheet_name(name: str, taken: set[str]) -> str:
    return sheet_name(name, taken, fallback="MARAC")


def _value_format(row) -> str | None:
    kind = row.field.kind
    return RATE if kind == PERCENT else ("#,##0.0" if kind == DECIMAL else COUNT)


def _value_cell(row):
    return _fraction(row.value) if row.field.kind == PERCENT else _number(row.value)


def return_workbook(returns: Sequence[MaracReturn]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for one in returns:
        sheet = SheetWriter(book.create_sheet(_sheet_name(one.marac, taken)))
        sheet.title(f"SafeLives MARAC return: {one.marac}")
        sheet.note(f"Quarter: {one.quarter.months} ({one.quarter})")
        for note in one.notes:
            sheet.note(note)
        sheet.row += 1
        sheet.table(
            [
                Column("Figure", lambda r: r.field.label, width=58),
                Column("Number", _value_cell, _value_format, width=12),
                Column("Percentage of cases discussed", lambda r: _fraction(r.share), RATE, width=16),
                Column("How it is counted", lambda r: r.field.counted, width=90),
            ],
            list(one.figures),
            title=FIGURES_TITLE,
        )
        sheet.table(
            [
                Column("Referring agency", lambda r: r.agency, width=58),
                Column("Cases", lambda r: r.cases, COUNT, width=12),
                Column("Percentage of cases discussed", lambda r: _fraction(r.share), RATE, width=16),
            ],
            list(one.by_agency),
            title=BY_AGENCY_TITLE,
        )
        sheet.finish()
    if not returns:
        book.create_sheet("No MARAC")["A1"] = "No MARAC to return."
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def return_csv(returns: Sequence[MaracReturn]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for one in returns:
        for f in one.figures:
            writer.writerow(
                [one.marac, str(one.quarter), FIGURES_TITLE, f.field.label, _csv_number(f.value), _csv_number(f.share)]
            )
        for a in one.by_agency:
            writer.writerow(
                [one.marac, str(one.quarter), BY_AGENCY_TITLE, a.agency, _csv_number(a.cases), _csv_number(a.share)]
            )
    return out.getvalue()


def return_json(returns: Sequence[MaracReturn]) -> str:
    def figure(label, value, share):
        return {"figure": label, "number": _number(value), "percentage_of_cases_discussed": _number(share)}

    return json.dumps(
        {
            "returns": [
                {
                    "marac": one.marac,
                    "quarter": str(one.quarter),
                    "months": one.quarter.months,
                    "figures": [figure(f.field.label, f.value, f.share) for f in one.figures],
                    "cases_by_referring_agency": [figure(a.agency, a.cases, a.share) for a in one.by_agency],
                    "notes": list(one.notes),
                }
                for one in returns
            ]
        },
        indent=2,
        ensure_ascii=False,
    )


def return_file(returns: Sequence[MaracReturn], extension: str) -> bytes:
    if extension == "xlsx":
        return return_workbook(returns)
    if extension == "csv":
        return return_csv(returns).encode("utf-8-sig")  # Excel reads the pound sign and accents right
    if extension == "json":
        return return_json(returns).encode("utf-8")
    raise UnknownFormat(extension)


def return_filename(returns: Sequence[MaracReturn], quarter, extension: str) -> str:
    which = re.sub(r"[^a-z0-9]+", "-", returns[0].marac.lower()).strip("-") if len(returns) == 1 else "all"
    return f"marac-return-{quarter}-{which}.{extension}"
