"""A commissioner uses the board's dashboard in a real (headless) Chromium: changes the period
and the area, sees the figures change, and downloads the board pack as a PDF and as Excel."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from carepath.core.models import Role, TOTPDevice
from carepath.core.services import staff_create
from tests.browser.test_planner import sign_in
from tests.conftest import PASSWORD
from tests.reporting.conftest import board  # noqa: F401 - the board's records, as a fixture


@pytest.mark.django_db(transaction=True)
def test_a_commissioner_changes_the_period_and_area_and_downloads_the_pack(live_server, page, board):  # noqa: F811
    user = staff_create(
        username="board-commissioner", agency=board["commissioner"].agency, role=Role.COMMISSIONER, password=PASSWORD
    )
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    sign_in(page, live_server.url, user.username, device)
    page.get_by_role("link", name="Board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The board's dashboard")

    page.get_by_label("Period", exact=True).select_option(label="July to September 2026")
    page.get_by_label("Show small numbers").check()
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", name="The whole partnership: July to September 2026")).to_be_visible()
    incidents = page.get_by_role("table", name="Police incidents by risk level: July to September 2026")
    # Five incidents in the quarter, four victims (Ada on two records is one).
    expect(incidents.get_by_role("row", name="All")).to_contain_text("5")
    expect(incidents.get_by_role("row", name="All")).to_contain_text("4")
    assert page.locator("svg.carepath-chart").count() >= 5

    page.get_by_label("Area", exact=True).select_option(label="South (MARAC area)")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", name="South: July to September 2026")).to_be_visible()
    south = page.get_by_role("table", name="Police incidents by risk level: July to September 2026, South")
    expect(south.get_by_role("row", name="High risk")).to_contain_text("1")
    expect(south.get_by_role("row", name="All")).to_contain_text("1")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the board pack (PDF)").click()
    assert pdf.value.suggested_filename == "board-pack-south-july-to-september-2026.pdf"
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as excel:
        page.get_by_role("link", name="Download the board pack (Excel)").click()
    assert excel.value.suggested_filename == "board-pack-south-july-to-september-2026.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(open(excel.value.path(), "rb").read()))
    assert book["Contents"]["A1"].value == "The board pack: South, July to September 2026"
