"""The planner's downloads: the Excel workbook and the PDF show the page's figures for the
same address, the workbook's input sheets can be edited and uploaded again, and the PDF
is a real document that fetches nothing."""

import re
from io import BytesIO

import openpyxl
import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carepath.core.models import Role
from carepath.core.pdf import pdf_url_fetcher
from carepath.core.services import staff_create
from carepath.planning import exports
from carepath.planning.inputs import inputs_load, inputs_load_workbook
from carepath.planning.models import PlanningInputs
from carepath.planning.plan import plan_compute
from tests.conftest import PASSWORD

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLAN_SHEETS = ["Summary", "Needs", "Capacity", "Cost model", "Funding tables", "Matrix", "Scenarios", "Reconciliation"]
INPUT_SHEETS = [
    "assumptions",
    "areas",
    "districts",
    "funding",
    "refuges",
    "funded_posts",
    "costs",
    "recommendations",
    "published",
]


@pytest.fixture
def client(login, county):
    commissioner = staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=PASSWORD
    )
    return login(commissioner)


def workbook(client, query: str = ""):
    response = client.get(reverse("planner_excel") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert re.fullmatch(
        r'attachment; filename="carepath-plan-hertfordshire-2014-caada-review-\d{4}-\d\d-\d\d\.xlsx"',
        response["Content-Disposition"],
    )
    return openpyxl.load_workbook(BytesIO(response.content)), response.content


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def row_starting(sheet, first: str, after: str | None = None) -> tuple:
    """The first row whose first cell is ``first`` (below the row starting ``after``, if given)."""
    seen_after = after is None
    for row in rows(sheet):
        if row[0] == after:
            seen_after = True
        elif seen_after and row[0] == first:
            return row
    raise AssertionError(f"no row {first!r} in {sheet.title}")


def cell_of(sheet, first: str, after: str | None = None):
    """The openpyxl cell in column B of that row (for its number format)."""
    for index, row in enumerate(rows(sheet), start=1):
        if row[0] == first:
            return sheet.cell(index, 2)
    raise AssertionError(first)


def test_the_workbook_has_the_plan_then_the_inputs(client):
    book, _ = workbook(client)
    assert book.sheetnames == PLAN_SHEETS + INPUT_SHEETS
    assert book.active.title == "Summary"


def test_the_workbook_shows_the_hertfordshire_figures(client):
    book, _ = workbook(client)
    summary = book["Summary"]
    assert row_starting(summary, "IDVAs needed (county, full-time)")[1] == 27
    assert row_starting(summary, "Cost of the IDVA service needed (Appendix 3)")[1] == 1_364_400
    assert row_starting(summary, "Funding now (register total)")[1] == 1_643_254
    assert row_starting(summary, "Spend per police incident now")[1] == 120
    assert row_starting(summary, "CAADA recommendations (Table 10): total (Table 10)")[1] == 2_440_000
    assert row_starting(summary, "CAADA recommendations (Table 10): spend per police incident")[1] == 175
    assert row_starting(summary, "Refuge places as a share of the benchmark")[1] == 0.75

    capacity = book["Capacity"]
    assert [row_starting(capacity, area)[1] for area in ("Central", "East", "West")] == [8, 10.5, 8]
    assert row_starting(capacity, "County")[1:3] == (27, 11)

    costs = book["Cost model"]
    assert row_starting(costs, "Total")[4] == 1_364_400
    assert row_starting(costs, "Cost per IDVA")[1] == 50_500
    assert row_starting(costs, "Cost per visible victim")[1] == 680

    funding = book["Funding tables"]
    thousands = {row[0]: row[2] for row in rows(funding)[2:9]}
    assert thousands == {
        "Accommodation Solutions": 813,
        "PCC or Herts County Constabulary": 300,
        "County Community Safety Unit": 172,
        "Children's Services": 148,
        "Borough/district councils": 140,
        "NHS (CCG)": 40,
        "Ministry of Justice": 30,
    }
    assert row_starting(funding, "Total")[1:3] == (1_643_254, 1643)

    matrix = book["Matrix"]
    assert row_starting(matrix, "Total")[1:] == (813, 300, 172, 148, 140, 40, 30, 1643)

    scenarios = book["Scenarios"]
    assert row_starting(scenarios, "CAADA recommendations (Table 10)")[1:5] == (2_440_000, 2_400_000, 175, 1200)
    totals = [row for row in rows(scenarios) if row[:2] == (None, "Total")][0]
    assert totals[2:5] == (2_440_000, 1_940_000, -500_000)

    plan = plan_compute(inputs_load())
    title = rows(book["Reconciliation"])[0][0]
    assert title == (
        f"Checked against the review: {plan['reconciliation']['matching']} of "
        f"{plan['reconciliation']['checked']} figures match"
    )


def test_numbers_are_numbers_with_formats_and_headers_bold_and_frozen(client):
    book, _ = workbook(client)
    summary = book["Summary"]
    money = cell_of(summary, "Cost of the IDVA service needed (Appendix 3)")
    assert isinstance(money.value, int | float) and "£" in money.number_format
    assert cell_of(summary, "Refuge places as a share of the benchmark").number_format == "0%"
    for title in PLAN_SHEETS:
        sheet = book[title]
        assert sheet.freeze_panes is not None, title
        header_row = int(re.sub(r"\D", "", sheet.freeze_panes)) - 1
        assert all(cell.font.bold for cell in sheet[header_row] if cell.value is not None), title
        assert sheet.column_dimensions["A"].width >= 14, title


def test_the_workbook_shows_the_same_figures_as_the_page_for_the_same_address(client):
    query = "?idva_caseload_medium=60&visible_high=1300"
    html = client.get(reverse("planner") + query).content.decode()
    page_total = re.search(r'id="idvas-total"><strong>([\d.]+)</strong>', html).group(1)
    page_cost = re.search(r'id="costs-total"><strong>£([\d,]+)</strong>', html).group(1)
    book, _ = workbook(client, query)
    summary = book["Summary"]
    assert row_starting(summary, "IDVAs needed (county, full-time)")[1] == float(page_total) == 37  # 20 + 17
    assert row_starting(summary, "Cost of the IDVA service needed (Appendix 3)")[1] == int(page_cost.replace(",", ""))
    assessed = {row[0]: row[1] for row in rows(summary) if row[0] and row[0].startswith("Medium-risk victims a year")}
    assert list(assessed.values()) == [60]
    assert {row[0]: row[1] for row in rows(book["assumptions"])}["idva_caseload_medium"] == 60


def test_the_downloaded_workbook_can_be_uploaded_again(client):
    _, content = workbook(client, "?visible_high=1300")
    response = client.post(
        reverse("planner_inputs_upload"), {"workbook": SimpleUploadedFile("plan.xlsx", content, content_type=XLSX)}
    )
    assert response.status_code == 302
    assert PlanningInputs.objects.get().name == "plan"
    html = client.get(reverse("planner")).content.decode()
    assert re.search(r'id="idvas-total"><strong>32.0</strong>', html)  # 1,300 / 65 = 20, plus 12


def test_the_inputs_download_reads_back_as_the_same_inputs(client):
    response = client.get(reverse("planner_inputs_download"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert 'filename="carepath-planner-inputs-hertfordshire-2014-caada-review.xlsx"' in response["Content-Disposition"]
    read = inputs_load_workbook(BytesIO(response.content), name="Hertfordshire 2014 (CAADA review)")
    assert read == inputs_load()


def pdf_text(document) -> str:
    """Every page's text, with line breaks and runs of spaces as single spaces."""
    return " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))


def pdf(client, query: str = "") -> bytes:
    response = client.get(reverse("planner_pdf") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    return response.content


def test_the_pdf_is_a_real_document_with_the_plans_figures(client):
    document = pypdfium2.PdfDocument(pdf(client))
    try:
        assert len(document) >= 5
        first = document[0].render(scale=1).to_pil().convert("L")
        width, height = first.size
        assert (abs(width - 595), abs(height - 842)) <= (1, 1)  # A4 at 72 dpi
        dark = sum(first.histogram()[:128])
        assert dark > 2000, "the title page is blank"
        text = pdf_text(document)
    finally:
        document.close()
    assert "Hertfordshire 2014 (CAADA review)" in text
    assert "needs, capacity, cost and funding" in text
    for figure in (
        "27.0",
        "£1,364,400",
        "£50,500",
        "£1,643,254",
        "£1.64m",
        "£2,440,000",
        "£120",
        "Accommodation Solutions",
        "813",
        "84 of the 112 the benchmark calls for (75%)",
    ):
        assert figure in text, figure
    plan = plan_compute(inputs_load())
    assert (
        f"Checked against the review: {plan['reconciliation']['matching']} of "
        f"{plan['reconciliation']['checked']} figures match"
    ) in text


def test_the_pdf_follows_the_address(client):
    document = pypdfium2.PdfDocument(pdf(client, "?idva_caseload_medium=60"))
    try:
        text = pdf_text(document)
    finally:
        document.close()
    assert "32.0 (15.0 for high-risk and 17.0 for medium-risk victims)" in text


def test_the_pdf_fetches_nothing(monkeypatch):
    from weasyprint.urls import URLFetcher

    asked: list[str] = []
    original = URLFetcher.fetch
    monkeypatch.setattr(
        URLFetcher, "fetch", lambda self, url, headers=None: asked.append(url) or original(self, url, headers)
    )
    plan = plan_compute(inputs_load())
    assert exports.plan_pdf(plan, None).startswith(b"%PDF")
    assert all(url.startswith("data:") for url in asked), asked


def test_the_pdf_fetcher_refuses_anything_but_data_urls():
    fetcher = pdf_url_fetcher()
    for url in ("https://example.org/logo.png", "http://127.0.0.1:8000/static/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
