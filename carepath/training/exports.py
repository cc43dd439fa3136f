"""The champions network report as an Excel workbook (``core.workbook``)."""

from io import BytesIO

from openpyxl import Workbook

from carepath.core.workbook import COUNT, Column, SheetWriter
from carepath.training.rules import ReportRow

#: What each column counts, as the page says it.
DEFINITIONS = (
    "Champions: the agency's champions in post on the last day of the period.",
    "Trained staff: the agency's staff whose training was current on the last day of the period.",
    "Referrals: the referrals the agency made that were received in the period, counted once each "
    "(a person referred twice counts twice).",
)


def report_workbook(*, agency: str, rows: list[ReportRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Champions network"
    writer = SheetWriter(sheet)
    writer.title(f"{agency}: champions, trained staff and referrals made")
    for line in DEFINITIONS:
        writer.note(line)
    writer.row += 1
    writer.table(
        [
            Column("Period", lambda r: r.period.label, width=18),
            Column("Champions", lambda r: r.champions, COUNT),
            Column("Trained staff", lambda r: r.trained, COUNT),
            Column("Referrals to the front door", lambda r: r.front_door, COUNT, width=26),
            Column("Referrals to the IDVA service", lambda r: r.idva, COUNT, width=28),
            Column("Referrals to MARAC", lambda r: r.marac, COUNT, width=20),
        ],
        rows,
    )
    writer.finish()
    out = BytesIO()
    book.save(out)
    return out.getvalue()
