"""The quarterly MARAC return as a file: Excel, CSV or JSON, chosen by the file's extension.

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
from decimal import Decimal

from openpyxl import Workbook

from carepath.core.workbook import COUNT, RATE, Column, SheetWriter
from carepath.marac.returns import BY_AGENCY_TITLE, DECIMAL, PERCENT, MaracReturn

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
FIGURES_TITLE = "The return"
CSV_HEADER = ["MARAC", "Quarter", "Section", "Figure", "Number", "Percentage of cases discussed"]


class UnknownFormat(ValueError):
    pass


def format_for(filename: str) -> str:
    """The file format from the name's extension, or ``UnknownFormat`` naming the choices."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        shown = f"'.{extension}'" if extension else "no extension"
        raise UnknownFormat(
            f"{filename}: {shown} is not a format the return is written in: end the name in .xlsx (Excel), "
            ".csv or .json."
        )
    return extension


def _number(value):
    """A figure for a file: whole counts as integers, decimals as numbers, None as blank."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def _fraction(value: Decimal | None) -> float | None:
    return None if value is None else float(value) / 100


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "MARAC"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


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


def _csv_number(value) -> str:
    return "" if value is None else str(_number(value))


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
