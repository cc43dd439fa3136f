"""The safe-accommodation annual return and the operational reports as files: Excel, CSV or
JSON by the file's extension (``core.report_files``, as the MARAC return).

Every file says each figure in words (``returns.Line`` labels), never a code, and holds
no name and no address: the rows it is written from have none. Layouts:

- **Excel**: the return on one sheet, a titled table per section (figure, number, how it
  is counted); the operational reports one table each, one under another.
- **CSV**: one row per figure (year, section, figure, number), a table to pivot.
- **JSON**: ``AnnualReturn.as_dict``: the sections with their lines, by their words.
"""

import csv
import io
import json
from collections.abc import Sequence

from openpyxl import Workbook

from carepath.accommodation import returns
from carepath.core.report_files import UnknownFormat, csv_number, fraction, number
from carepath.core.workbook import COUNT, MONEY, RATE, Column, SheetWriter

CSV_HEADER = ["Year", "Section", "Figure", "Number"]
TITLE = "Domestic Abuse Act 2021 Part 4 annual return of safe accommodation"
_FORMATS = {
    returns.COUNT: COUNT,
    returns.PERCENT: RATE,
    returns.NIGHTS: "#,##0.0",
    returns.DECIMAL: "#,##0.0",
    returns.MONEY: MONEY,
    returns.TEXT: None,
}


def _cell(value, kind: str):
    """A figure as Excel keeps it: a percentage as the fraction formatted as one."""
    return fraction(value) if kind == returns.PERCENT else number(value)


def return_workbook(annual: returns.AnnualReturn) -> bytes:
    book = Workbook()
    sheet = SheetWriter(book.active)
    book.active.title = f"Return {annual.year}"
    sheet.title(f"{TITLE}: {annual.year}")
    sheet.note(f"Period: {returns.Period.year(annual.year)}")
    for note in annual.notes:
        sheet.note(note)
    sheet.row += 1
    for section, lines in annual.sections:
        sheet.table(
            [
                Column("Figure", lambda r: r.label, width=62),
                Column("Number", lambda r: _cell(r.value, r.kind), lambda r: _FORMATS.get(r.kind), width=14),
                Column("How it is counted", lambda r: r.counted, width=90),
            ],
            lines,
            title=section,
        )
    sheet.finish()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reports_workbook(tables: Sequence[returns.Table], *, heading: str) -> bytes:
    """The operational reports, one table under another, each with its note."""
    book = Workbook()
    book.active.title = "Reports"
    sheet = SheetWriter(book.active)
    sheet.title(heading)
    sheet.row += 1
    for table in tables:
        if table.note:
            sheet.note(table.note)
        sheet.table(
            [
                Column(
                    header,
                    lambda r, i=i: _cell(*r[i]),
                    lambda r, i=i: _FORMATS.get(r[i][1]),
                    width=40 if i == 0 else 16,
                )
                for i, header in enumerate(table.columns)
            ],
            list(table.rows),
            title=table.title,
        )
    sheet.finish()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def return_csv(annual: returns.AnnualReturn) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in annual.lines:
        writer.writerow([annual.year, line.section, line.label, csv_number(line.value)])
    return out.getvalue()


def return_json(annual: returns.AnnualReturn) -> str:
    return json.dumps(annual.as_dict(), indent=2, ensure_ascii=False)


def return_file(annual: returns.AnnualReturn, extension: str) -> bytes:
    if extension == "xlsx":
        return return_workbook(annual)
    if extension == "csv":
        return return_csv(annual).encode("utf-8-sig")  # Excel reads the pound sign right
    if extension == "json":
        return return_json(annual).encode("utf-8")
    raise UnknownFormat(extension)


def return_filename(year: int, extension: str) -> str:
    return f"safe-accommodation-return-{year}.{extension}"
