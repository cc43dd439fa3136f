"""In a real (headless) Chromium: a police officer uploads the force's extract with one bad
row, sees what came of it, and downloads the rejected row with its line and reason."""

import csv
import io
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from carepath.core.models import TOTPDevice
from carepath.referrals.models import PoliceImport, Referral
from tests.browser.test_planner import sign_in
from tests.referrals.test_police_extract_page import one_bad_row
from tests.referrals.test_police_import import districts  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("districts")


@pytest.mark.django_db(transaction=True)
def test_an_officer_uploads_an_extract_and_downloads_the_rejected_row(
    live_server, page, county, front_door, staff, tmp_path
):
    device = TOTPDevice.objects.create(user=staff["officer"], name="app", confirmed=True)
    extract = tmp_path / "incidents-today.csv"
    extract.write_bytes(one_bad_row())
    server = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server.url, "officer", device)
    page.get_by_role("link", name="Police extracts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Police incident extracts")
    page.get_by_label("Upload the force's incident extract").set_input_files(str(extract))
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Imported, with 1 row rejected")
    expect(page.get_by_role("definition").filter(has_text="incidents-today.csv")).to_be_visible()

    def figure(term: str):
        return page.locator(".govuk-summary-list__row").filter(has=page.get_by_text(term, exact=True))

    expect(figure("Rows read")).to_contain_text("8")
    expect(figure("Imported")).to_contain_text("7")
    expect(figure("Rejected")).to_contain_text("1")
    assert Referral.objects.count() == 7
    assert "Thistlewood" not in page.content()

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the 1 rejected row (CSV)").click()
    download = downloading.value
    assert download.suggested_filename == "incidents-today.rejected.csv"
    text = open(download.path(), encoding="utf-8-sig").read()
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["line"] == "4" and "not a real date" in row["reason"]

    page.get_by_role("link", name="Back to police extracts").click()
    history = page.get_by_role("row", name="incidents-today.csv")
    expect(history).to_contain_text("officer")
    assert PoliceImport.objects.get().rejected == 1
    assert all(urlsplit(url).netloc == server for url in requested if url.startswith("http"))
