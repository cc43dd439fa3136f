"""The board pack: the dashboard as a PDF (WeasyPrint, from ``reporting/pack_print.html``)
and as an Excel workbook (one sheet per table), for the period and place chosen, with the
narrative of what changed since the period before. The figures are the dashboard's own
``Section`` objects, so the files say what the page says. No name and no address: the
tables hold counts only."""

import io

from django.utils import timezone
from openpyxl import Workbook

from carepath.core.pdf import pdf_from_template
from carepath.core.report_files import fraction, number, sheet_name
from carepath.core.workbook import COUNT, MONEY, RATE, Column, SheetWriter
from carepath.reporting import measures

_FORMATS = {
    measures.COUNT: COUNT,
    measures.PERCENT: RATE,
    measures.DECIMAL: "#,##0.0",
    measures.MONEY: MONEY,
    measures.TEXT: None,
}


def _value(cell: measures.Cell):
    """A figure as Excel keeps it: a percentage as the fraction formatted as one."""
    if cell.kind == measures.PERCENT:
        return fraction(cell.value)
    return number(cell.value)


def pack_pdf(context: dict) -> bytes:
    return pdf_from_template("reporting/pack_print.html", {**context, "produced": timezone.localtime()})


def pack_workbook(*, sections, period, place, narrative: list[str], small_numbers: bool) -> bytes:
    """A contents sheet (the period, the place, what changed, whether small numbers are
    shown), then one sheet per table: its figures, then its trend by quarter."""
    book = Workbook()
    contents = SheetWriter(book.active)
    book.active.title = "Contents"
    contents.title(f"The board pack: {place.name}, {period.label}")
    contents.note(
        "Small numbers are shown: for the partnership only, not for circulation."
        if small_numbers
        else "Small counts are shown as 'fewer than' the partnership's threshold, as they could identify someone."
    )
    contents.row += 1
    contents.table(
        [Column("What changed since the period before", lambda r: r, width=120)], narrative or ["No earlier figures."]
    )
    taken = {"contents"}
    names = []
    for section in sections:
        table = section.table
        sheet = book.create_sheet(sheet_name(table.heading, taken))
        names.append(sheet.title)
        writer = SheetWriter(sheet)
        writer.title(table.heading)
        writer.note(table.measure.counts)
        writer.row += 1
        writer.table(
            [
                Column(
                    header,
                    lambda r, i=i: _value(r[i]),
                    lambda r, i=i: _FORMATS.get(r[i].kind),
                    width=40 if i == 0 else 18,
                )
                for i, header in enumerate(table.columns)
            ],
            list(table.rows),
            title=f"{period.label}, {place.name}",
        )
        if section.trend:
            kind = _FORMATS.get(table.headline_kind)
            writer.table(
                [
                    Column("Quarter", lambda r: r[0], width=40),
                    Column(
                        table.headline,
                        lambda r, k=table.headline_kind: _value(measures.Cell(r[1], k)),
                        kind,
                        width=18,
                    ),
                ],
                section.trend,
                title=f"{table.headline}, by quarter",
            )
        for note in (table.note, f"Source: {table.measure.source}"):
            if note:
                writer.note(note)
        writer.finish()
    contents.row += 1
    contents.table([Column("Sheets", lambda r: r, width=60)], names)
    contents.finish()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
