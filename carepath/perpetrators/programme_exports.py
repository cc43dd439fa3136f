"""The perpetrator programmes report as an Excel workbook (``core.workbook``): the same
figures and words as its page."""

from io import BytesIO

from openpyxl import Workbook

from carepath.core.workbook import COUNT, PERCENT, Column, SheetWriter
from carepath.perpetrators.models import CostBasis
from carepath.perpetrators.programme_figures import Report

#: Pounds and pence: a course's cost shared by its places is rarely whole pounds.
MONEY = '"£"#,##0.00'
#: What each figure counts, as the page says it.
DEFINITIONS = (
    "People are counted as people: a man referred twice, or recorded by two agencies and linked as one "
    "person, is one person. Each figure counts the people with at least one such step in the period.",
    "Referred, started, completed, left: people referred, starting, completing, or leaving before "
    "completing, in the period.",
    "Reasons for leaving: each man who left, by the reason he last left for in the period.",
    "Partners supported: the partners the partner support worker reached at least once in the period.",
    "Cost per person: the cost when it is per person; when it is per course, the course's cost shared by "
    "the people on one course.",
    "Completion rate: completed divided by started in the period. Some who completed started earlier, "
    "so in a short period it can pass 100%.",
    "All programmes: a man on two programmes counts once.",
)


def _words(basis: str) -> str:
    return CostBasis(basis).label


def report_workbook(*, report: Report, reasons: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Perpetrator programmes"
    writer = SheetWriter(sheet)
    writer.title(f"Perpetrator programmes, {report.first:%-d %B %Y} to {report.last:%-d %B %Y}")
    for line in DEFINITIONS:
        writer.note(line)
    writer.row += 1
    rows = [
        {
            "name": r.programme.name,
            "kind": r.programme.kind,
            "provider": r.programme.provider,
            "places": r.programme.places,
            "figures": r.figures,
            "cost": r.programme.cost,
            "basis": _words(r.programme.cost_basis),
            "course": r.programme.course_size,
            "per_person": r.cost_per_person,
        }
        for r in report.programmes
    ]
    total = {"name": "All programmes", "figures": report.totals}
    writer.table(
        [
            Column("Programme", lambda r: r["name"], width=34),
            Column("Kind", lambda r: r.get("kind"), width=30),
            Column("Provider", lambda r: r.get("provider"), width=30),
            Column("Places a year", lambda r: r.get("places"), COUNT),
            Column("People referred", lambda r: r["figures"].referred, COUNT, width=16),
            Column("Started", lambda r: r["figures"].started, COUNT),
            Column("Completed", lambda r: r["figures"].completed, COUNT),
            Column("Left before completing", lambda r: r["figures"].left, COUNT, width=22),
            Column("Completion rate", lambda r: r["figures"].completion_rate, PERCENT, width=16),
            Column("Partners supported", lambda r: r["figures"].partners_supported, COUNT, width=18),
            Column("Cost", lambda r: r.get("cost"), MONEY),
            Column("Cost is", lambda r: r.get("basis")),
            Column("People on a course", lambda r: r.get("course"), COUNT, width=18),
            Column("Cost per person", lambda r: r.get("per_person"), MONEY, width=16),
        ],
        rows,
        title="Started, completed and partners supported",
        totals=[total],
    )
    writer.table(
        [
            Column("Why they left", lambda r: r["label"], width=34),
            *[
                Column(row["name"], lambda r, i=i: r["counts"][i], COUNT, width=max(14, min(len(row["name"]), 30)))
                for i, row in enumerate(rows)
            ],
            Column("All programmes", lambda r: r["total"], COUNT, width=16),
        ],
        reasons,
        title="Left before completing, by reason",
    )
    writer.finish()
    out = BytesIO()
    book.save(out)
    return out.getvalue()
