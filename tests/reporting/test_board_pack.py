"""The board pack: a real PDF and a real Excel workbook, each saying what the page says."""

import io

import openpyxl
import pypdfium2
from django.urls import reverse

from tests.planning.test_planner_exports import pdf_text

QUERY = {"period": "2026Q3", "small_numbers": "on"}


def _page_tables(client):
    page = client.get(reverse("board_dashboard"), QUERY)
    assert page.status_code == 200
    return [section.table for section in page.context["sections"]]


def test_the_pdf_is_a_real_document_with_the_pages_figures(board, login):
    client = login(board["commissioner"])
    response = client.get(reverse("board_pack_pdf"), QUERY)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="board-pack-the-whole-partnership-july-to-september-2026.pdf"'
    )
    document = pypdfium2.PdfDocument(response.content)
    try:
        first = document[0].render(scale=1).to_pil().convert("L")
        assert sum(first.histogram()[:128]) > 2000, "the title page is blank"
        chart_page = document[2].render(scale=1).to_pil().convert("L")
        assert sum(chart_page.histogram()[:128]) > 5000, "the first measure's page is blank"
        text = pdf_text(document)
    finally:
        document.close()
    assert "The whole partnership: July to September 2026" in text
    assert "What changed since April to June 2026" in text
    for table in _page_tables(client):
        assert table.heading in text
        for row in table.rows:
            # Each row as the page shows it: its label, then its figures in order.
            label = row[0].value
            assert label in text, label
    # Hand-checked figures of the first table: 5 incidents, 3 high risk (60.0%), 4 victims.
    assert "High risk 3 60.0% 2 50.0%" in text
    assert "All 5 4" in text


def test_the_workbook_has_a_sheet_per_table_with_the_pages_figures(board, login):
    client = login(board["commissioner"])
    response = client.get(reverse("board_pack_excel"), QUERY)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    tables = _page_tables(client)
    assert book.sheetnames[0] == "Contents"
    assert len(book.sheetnames) == len(tables) + 1
    for sheet_title, table in zip(book.sheetnames[1:], tables, strict=True):
        sheet = book[sheet_title]
        assert sheet["A1"].value == table.heading
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        header = next(i for i, r in enumerate(cells) if r[: len(table.columns)] == list(table.columns))
        for offset, row in enumerate(table.rows, start=1):
            got = cells[header + offset][: len(row)]
            for cell, value in zip(row, got, strict=True):
                if cell.kind == "percent" and cell.value is not None:
                    assert abs(value - float(cell.value) / 100) < 1e-9
                elif cell.kind in ("count", "decimal") and cell.value is not None:
                    assert value == cell.value
                else:
                    assert (value or "") == (cell.value or ""), (table.heading, cell)
    contents = [c.value for c in book["Contents"]["A"] if c.value]
    assert any("rose from" in line or "fell from" in line or "the same as" in line for line in contents)


def test_the_pack_hides_small_numbers_unless_asked(board, login):
    client = login(board["commissioner"])
    response = client.get(reverse("board_pack_excel"), {"period": "2026Q3"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert "fewer than 5" in values


def test_a_pack_for_a_choice_not_offered_goes_back_to_the_page(board, login):
    response = login(board["commissioner"]).get(reverse("board_pack_pdf"), {"period": "2026Q9"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("board_dashboard"))


def test_others_may_not_download_the_pack(board, staff, login):
    for view in ("board_pack_pdf", "board_pack_excel"):
        assert login(staff["idva"]).get(reverse(view), QUERY).status_code == 403
