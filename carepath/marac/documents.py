"""The MARAC's papers: the agenda and the minutes as PDFs (WeasyPrint), marked confidential
and naming the agency the copy is for, and the action-tracking report as a workbook.
Never a refuge address or a safe-contact detail: the rows they are made from
(``selectors.AgendaItem``, ``selectors.MinutesItem``) carry neither."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook

from carepath.core.pdf import pdf_from_template
from carepath.core.workbook import DATE, Column, SheetWriter


def _pdf(template: str, context: dict) -> bytes:
    return pdf_from_template(template, {**context, "produced": timezone.localtime()})


def agenda_pdf(*, meeting, items, recipient) -> bytes:
    return _pdf("marac/agenda_print.html", {"meeting": meeting, "items": items, "recipient": recipient})


def minutes_pdf(*, meeting, items, attendance, recipient) -> bytes:
    return _pdf(
        "marac/minutes_print.html",
        {"meeting": meeting, "items": items, "attendance": attendance, "recipient": recipient},
    )


ACTION_COLUMNS = [
    Column("MARAC", lambda a: a.case.marac.name, width=22),
    Column("MARAC date", lambda a: timezone.localtime(a.meeting.starts_at).date(), DATE, width=12),
    Column("Case", lambda a: a.case.number, width=8),
    Column("For", lambda a: a.get_action_for_display(), width=22),
    Column("Action", lambda a: a.action, width=60),
    Column("Agency", lambda a: a.agency.name, width=28),
    Column("Named person", lambda a: a.owner, width=24),
    Column("Due", lambda a: a.due_on, DATE, width=12),
    Column("Status", lambda a: a.get_status_display(), width=30),
    Column("Note", lambda a: a.status_note, width=40),
    Column("Chased", lambda a: timezone.localtime(a.chased_at).date() if a.chased_at else None, DATE, width=12),
]


def action_tracking_xlsx(*, actions, title: str) -> bytes:
    """The action-tracking report as a workbook: one row per action."""
    workbook = Workbook()
    sheet = SheetWriter(workbook.active)
    workbook.active.title = "Actions"
    sheet.title(title)
    sheet.note("CONFIDENTIAL: MARAC actions. Keep it secure; do not forward it.")
    sheet.table(ACTION_COLUMNS, list(actions))
    sheet.finish()
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
