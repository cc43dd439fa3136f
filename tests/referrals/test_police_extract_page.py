"""The police extract page: a force's file uploaded in the browser, imported all or
nothing, its rejected rows downloaded (and logged) to fix, and the history of imports."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from carepath.core.models import AccessLog, Agency, AgencyType, Role
from carepath.core.services import staff_create
from carepath.referrals.models import PoliceImport, Referral
from tests.conftest import PASSWORD
from tests.referrals.test_police_import import EXAMPLES, districts, rows_of  # noqa: F401 - a fixture

# Every test's county has the districts the example extract names.
pytestmark = pytest.mark.usefixtures("districts")

URL = "/referrals/police-extracts/"
NAMES = ("Thistlewood", "Llewellyn", "Wetherby")


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def one_bad_row() -> bytes:
    rows = rows_of(EXAMPLES / "police-extract-example.csv")
    rows[2]["occurred_at"] = "31/02/2026 10:00"
    return csv_bytes(rows)


def upload(client, content: bytes, name: str = "today.csv", **data):
    return client.post(URL, {"extract": SimpleUploadedFile(name, content, "text/csv"), **data})


@pytest.fixture
def mash(front_door):
    return staff_create(username="mash", agency=front_door, role=Role.TRIAGE, password=PASSWORD)


def test_an_officer_uploads_the_forces_file_and_sees_what_came_of_it(county, front_door, staff, login):
    officer = login(staff["officer"])
    response = upload(officer, one_bad_row())
    record = PoliceImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{record.pk}/"
    assert (record.agency, record.imported_by, record.source) == (
        county["agencies"]["police"],
        staff["officer"],
        "upload",
    )
    assert (record.rows, record.imported, record.already_imported, record.rejected) == (8, 7, 0, 1)
    assert Referral.objects.filter(channel="police_import").count() == 7

    page = officer.get(response["Location"]).content.decode()
    assert "Imported, with 1 row rejected" in page and "today.csv" in page
    assert "rejected row (CSV)" in page
    assert not any(name in page for name in NAMES)  # the result shows counts, never people

    history = officer.get(URL).content.decode()
    assert "today.csv" in history and "officer" in history


def test_a_date_of_birth_kept_as_written_is_counted_and_shown_in_plain_words(county, front_door, staff, login):
    officer = login(staff["officer"])
    rows = rows_of(EXAMPLES / "police-extract-example.csv")
    rows[0]["victim_dob"] = "1988-13-14"  # month 13
    response = upload(officer, csv_bytes(rows))
    record = PoliceImport.objects.get()
    assert (record.imported, record.rejected, record.dates_kept_as_written) == (8, 0, 1)

    page = officer.get(response["Location"]).content.decode()
    assert "Dates of birth kept as written" in page
    assert "1 (not a real date, such as 31/02/1980: imported as the force wrote it" in page
    assert "1988-13-14" not in page  # the result shows counts, never people

    victim = Referral.objects.get(external_reference=rows[0]["incident_ref"]).victim
    assert (victim.date_of_birth, victim.date_of_birth_as_written) == (None, "1988-13-14")
    person_page = officer.get(f"/people/{victim.pk}/").content.decode()
    assert "1988-13-14 (as written: not a real date)" in person_page
    assert "1988-13-14" not in person_page.split("</title>", 1)[0]


def test_the_rejected_rows_download_with_line_and_reason_is_logged_and_imports_once_fixed(
    county, front_door, staff, login
):
    officer = login(staff["officer"])
    upload(officer, one_bad_row())
    record = PoliceImport.objects.get()

    download = officer.get(f"{URL}{record.pk}/rejected.csv")
    assert download.status_code == 200 and download["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="today.rejected.csv"' in download["Content-Disposition"]
    body = download.content
    assert body.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    [row] = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert row["line"] == "4" and "not a real date" in row["reason"] and row["victim_family_name"]
    exported = AccessLog.objects.filter(user=staff["officer"], action="exported", content_type__model="policeimport")
    assert list(exported.values_list("object_id", flat=True)) == [record.pk]

    row["occurred_at"] = "28/02/2026 10:00"
    response = upload(officer, csv_bytes([row]), name="today.rejected.csv")
    fixed = PoliceImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert (fixed.rows, fixed.imported, fixed.rejected) == (1, 1, 0)
    assert Referral.objects.count() == 8


def test_the_same_file_again_adds_nothing_and_says_so(county, front_door, staff, login):
    officer = login(staff["officer"])
    content = (EXAMPLES / "police-extract-example.csv").read_bytes()
    upload(officer, content)
    again = upload(officer, content, name="again.csv")
    page = officer.get(again["Location"]).content.decode()
    record = PoliceImport.objects.order_by("pk").last()
    assert (record.imported, record.already_imported) == (0, 8)
    assert "The same file was imported before" in page
    assert Referral.objects.count() == 8


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("today.txt", b"incident_ref\n", "must be a CSV file (.csv)"),
        ("today.xlsx", (EXAMPLES / "police-extract-example.xlsx").read_bytes(), "save it as a CSV file"),
        ("today.csv", b"", "The selected file is empty"),
        ("today.csv", "incident_ref,occurred_at\nÉ,x\n".encode("latin-1"), "not UTF-8"),
        (
            "today.csv",
            b"incident_ref,occurred_at\nHC-1,2026-11-14 22:15\n",
            "Missing required columns: reported_at, district",
        ),
        ("today.csv", b"\xff\xfei\x00n\x00", "UTF-16"),
        ("today.csv", b"\n\n", "no header row"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_its_reason(
    county, front_door, staff, login, name, content, words
):
    response = upload(login(staff["officer"]), content, name=name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and words in page
    assert not Referral.objects.exists() and not PoliceImport.objects.exists()


def test_a_file_too_large_is_refused(county, front_door, staff, login, settings):
    settings.POLICE_EXTRACT_UPLOAD_MAX_MB = 1
    content = (EXAMPLES / "police-extract-example.csv").read_bytes()
    response = upload(login(staff["officer"]), content + b"\n" * (1024 * 1024))
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert not PoliceImport.objects.exists()


def test_no_file_chosen_is_named(county, front_door, staff, login):
    response = login(staff["officer"]).post(URL, {})
    assert "Select the police extract to upload" in response.content.decode()


def test_the_front_door_chooses_the_force_and_sees_every_forces_imports(county, front_door, staff, mash, login):
    other = Agency.objects.create(
        partnership=county["partnership"], name="Neighbourshire Police", agency_type=AgencyType.POLICE
    )
    client = login(mash)
    assert "Select the police force" in upload(client, one_bad_row()).content.decode()
    assert not PoliceImport.objects.exists()
    response = upload(client, one_bad_row(), force=str(other.pk))
    record = PoliceImport.objects.get()
    assert record.agency == other and response.status_code == 302
    assert client.get(f"{URL}{record.pk}/rejected.csv").status_code == 200

    # The force whose file it is not sees neither the import nor its rejected rows.
    officer = login(staff["officer"])
    assert "today.csv" not in officer.get(URL).content.decode()
    assert officer.get(f"{URL}{record.pk}/").status_code == 404
    assert officer.get(f"{URL}{record.pk}/rejected.csv").status_code == 404
    assert AccessLog.objects.filter(user=staff["officer"], action="refused").count() == 2


def test_an_officer_cannot_upload_for_another_force(county, front_door, staff, login):
    other = Agency.objects.create(
        partnership=county["partnership"], name="Neighbourshire Police", agency_type=AgencyType.POLICE
    )
    upload(login(staff["officer"]), one_bad_row(), force=str(other.pk))
    assert PoliceImport.objects.get().agency == county["agencies"]["police"]


@pytest.mark.parametrize("who", ["idva", "outsider", "admin"])
def test_staff_who_do_not_receive_the_file_are_refused(county, front_door, staff, login, who):
    client = login(staff[who])
    assert client.get(URL).status_code == 403
    assert b"Police extracts" not in client.get("/").content


def test_the_page_is_in_the_menu_of_those_who_use_it(county, front_door, staff, mash, login):
    for user in (staff["officer"], mash):
        assert b'href="/referrals/police-extracts/"' in login(user).get("/").content


def test_imports_at_the_terminal_are_in_the_history(county, front_door, staff, login, tmp_path):
    extract = tmp_path / "nightly.csv"
    extract.write_bytes(one_bad_row())
    call_command("import-police-extract", str(extract), "--agency", county["agencies"]["police"].name)
    page = login(staff["officer"]).get(URL).content.decode()
    assert "nightly.csv" in page and "Imported at the terminal" in page
    record = PoliceImport.objects.get()
    assert (record.source, record.imported_by, record.rejected) == ("command", None, 1)
    assert (tmp_path / "nightly.rejected.csv").exists()
