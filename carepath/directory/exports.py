"""The directory as a download (CSV and Excel) for partners who keep their own lists: one
row an entry, the same columns as its page. No address, ever: an entry has none (a refuge
is listed by its front-gate phone, ``models``)."""

import csv
from io import BytesIO, StringIO

from openpyxl import Workbook

from carepath.core.report_files import csv_text
from carepath.core.workbook import DATE, Column, SheetWriter
from carepath.directory import hours, selectors
from carepath.directory.models import Entry


def _districts(entry: Entry) -> str:
    if entry.area != "districts":
        return str(entry.area_words)
    return ", ".join(d.name for d in entry.districts.all())


def _hours(entry: Entry) -> str:
    return "; ".join(f"{day}: {words}" for day, words in hours.week_words(selectors.week_of(entry)))


COLUMNS = [
    Column("Name", lambda e: e.name, width=40),
    Column("Kind", lambda e: str(e.kind_words), width=24),
    Column("What it does", lambda e: e.description, width=60),
    Column("Who it is for", lambda e: "; ".join(str(w) for w in e.who_for_words()), width=40),
    Column("Where it serves", _districts, width=30),
    Column("How people get in", lambda e: str(e.access_words), width=30),
    Column("Phone", lambda e: e.phone, width=18),
    Column("Text", lambda e: e.text_number, width=18),
    Column("Email", lambda e: e.email, width=30),
    Column("Website", lambda e: e.website, width=30),
    Column("Opening hours", _hours, width=60),
    Column("Open on bank holidays", lambda e: "Yes" if e.open_bank_holidays or e.open_24_hours else "No"),
    Column("Languages", lambda e: e.languages, width=24),
    Column("Interpreters", lambda e: "Yes" if e.interpreters else "No"),
    Column("Accessibility", lambda e: e.accessibility, width=40),
    Column("Kept by", lambda e: f"{e.owner.username} ({e.owner.agency})", width=30),
    Column("Last checked", lambda e: e.last_checked_on, DATE),
]


def _entries(entries):
    return entries.select_related("owner__agency").prefetch_related("districts")


def directory_csv(entries) -> str:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    for entry in _entries(entries):
        writer.writerow([csv_text(c.value(entry)) for c in COLUMNS])
    return out.getvalue()


def directory_xlsx(entries, *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Directory"
    writer = SheetWriter(sheet)
    writer.title(title)
    writer.table(COLUMNS, list(_entries(entries)))
    writer.finish()
    out = BytesIO()
    book.save(out)
    return out.getvalue()
