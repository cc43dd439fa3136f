"""The staff pages: search, an entry, adding and changing one with clear errors, marking
it checked, the owner's queue and the downloads; who may do what."""

import csv
import io
from datetime import date, timedelta

import openpyxl
from django.urls import reverse

from carepath.core import access
from carepath.directory.models import Entry, Kind

GOOD = {
    "name": "Eastshire Advice",
    "kind": Kind.ADVICE,
    "description": "Free legal advice about housing and protective orders.",
    "area": "districts",
    "access_route": "both",
    "phone": "01632 960555",
    "who_for": ["women", "men", "standard_risk"],
    "opens_0": "09:00",
    "closes_0": "17:00",
    "opens_4": "19:00",
    "closes_4": "02:00",
}


def test_every_member_of_staff_searches_and_reads_the_directory(directory, staff, login):
    client = login(staff["outsider"])
    page = client.get(reverse("directory_search"), {"district": directory["south"].pk, "who_for": "men"})
    assert page.status_code == 200
    assert b"Southtown Men&#x27;s Line" in page.content and b"Northtown Helpline" not in page.content
    assert client.get(reverse("directory_entry", args=[directory["refuge"].pk])).status_code == 200


def test_a_bad_filter_gets_a_clear_error(directory, staff, login):
    page = login(staff["outsider"]).get(reverse("directory_search"), {"district": "999999", "who_for": "aliens"})
    assert page.status_code == 200
    assert b"Choose a district from the list." in page.content
    assert b"Select a valid choice" in page.content


def test_an_administrator_adds_an_entry_with_its_hours_and_owner(directory, staff, login):
    response = login(staff["admin"]).post(
        reverse("directory_entry_new"),
        {**GOOD, "districts": [directory["north"].pk], "owner": staff["idva"].pk},
    )
    entry = Entry.objects.get(name="Eastshire Advice")
    assert response.status_code == 302 and response["Location"] == reverse("directory_entry", args=[entry.pk])
    assert entry.owner == staff["idva"] and entry.last_checked_on == date.today()
    assert entry.for_men and entry.for_women and not entry.for_high_risk
    assert [(h.weekday, str(h.opens), str(h.closes)) for h in entry.hours.all()] == [
        (0, "09:00:00", "17:00:00"),
        (4, "19:00:00", "02:00:00"),
    ]
    assert entry.history.first().history_user == staff["admin"]


def test_the_form_says_what_is_wrong(directory, staff, login):
    bad = {
        **GOOD,
        "name": "",
        "phone": "",
        "who_for": [],
        "opens_2": "9am",
        "closes_3": "17:00",
        "email": "not-an-address",
        "owner": staff["idva"].pk,
    }
    page = login(staff["admin"]).post(reverse("directory_entry_new"), bad)
    assert page.status_code == 200
    text = page.content.decode()
    for message in (
        "Enter the service&#x27;s name.",
        "Choose at least one group the service is for.",
        "Wednesday opens: enter a time like 09:00 or 17:30.",
        "Thursday: give both the opening and the closing time, or neither.",
        "Choose the districts it serves, or say it serves all of the county.",
        "Enter an email address like help@example.org.",
    ):
        assert message in text, message
    assert not Entry.objects.filter(name="").exists()


def test_a_refuge_needs_its_front_gate_phone_and_takes_no_postcode(directory, staff, login):
    refuge = {
        **GOOD,
        "kind": Kind.REFUGE,
        "phone": "",
        "email": "gate@example.org",
        "accessibility": "Ramp at the back door, AL1 3XY",
        "districts": [directory["north"].pk],
        "owner": staff["idva"].pk,
    }
    text = login(staff["admin"]).post(reverse("directory_entry_new"), refuge).content.decode()
    assert "A refuge is listed by its front-gate phone: enter it." in text
    assert "A refuge&#x27;s location is never written in the directory: remove the postcode." in text
    assert not Entry.objects.filter(name="Eastshire Advice").exists()


def test_an_entry_has_no_address_field():
    assert not [
        f.name for f in Entry._meta.get_fields() if any(w in f.name for w in ("address", "postcode", "location"))
    ]


def test_the_owner_changes_their_entry_but_not_its_owner(directory, staff, login):
    refuge = directory["refuge"]
    client = login(staff["idva"])
    assert b'name="owner"' not in client.get(reverse("directory_entry_edit", args=[refuge.pk])).content
    data = {
        **GOOD,
        "name": "Northtown Refuge",
        "kind": Kind.REFUGE,
        "districts": [directory["north"].pk],
        "owner": staff["outsider"].pk,
    }
    assert client.post(reverse("directory_entry_edit", args=[refuge.pk]), data).status_code == 302
    refuge.refresh_from_db()
    assert refuge.owner == staff["idva"] and refuge.phone == "01632 960555"


def test_another_agency_cannot_change_or_check_an_entry(directory, staff, login):
    refuge = directory["refuge"]
    client = login(staff["outsider"])
    assert client.get(reverse("directory_entry_edit", args=[refuge.pk])).status_code == 403
    assert client.post(reverse("directory_entry_edit", args=[refuge.pk]), {**GOOD}).status_code == 403
    assert client.post(reverse("directory_entry_checked", args=[refuge.pk])).status_code == 403
    assert client.get(reverse("directory_entry_new")).status_code == 403
    refuge.refresh_from_db()
    assert refuge.name == "Northtown Refuge"
    page = client.get(reverse("directory_entry", args=[refuge.pk]))
    assert b"Mark as checked" not in page.content


def test_a_stale_entry_is_flagged_to_its_owner_who_marks_it_checked(directory, staff, login):
    stale = directory["stale"]
    queue = access.registry.queues["directory_to_check"]
    assert queue.count(staff["idva"]) == 1 and queue.shown_to(staff["idva"])
    assert not queue.shown_to(staff["outsider"])
    client = login(staff["idva"])
    home = client.get(reverse("home")).content.decode()
    assert "Directory entries to check" in home
    page = client.get(reverse("directory_to_check")).content.decode()
    assert "Forgotten Line" in page and "Hidden from the public" in page and "Northtown Refuge" not in page
    response = client.post(reverse("directory_entry_checked", args=[stale.pk]), {"next": "queue"})
    assert response["Location"] == reverse("directory_to_check")
    stale.refresh_from_db()
    assert stale.last_checked_on == date.today()
    assert stale.history.first().history_user == staff["idva"]
    assert queue.count(staff["idva"]) == 0


def test_an_entry_is_due_for_checking_a_month_before_it_is_hidden(directory, staff):
    queue = access.registry.queues["directory_to_check"]
    refuge = directory["refuge"]
    Entry.objects.filter(pk=refuge.pk).update(last_checked_on=date.today() - timedelta(days=149))
    assert queue.count(staff["idva"]) == 1  # only the stale one
    Entry.objects.filter(pk=refuge.pk).update(last_checked_on=date.today() - timedelta(days=151))
    assert queue.count(staff["idva"]) == 2


def test_the_downloads_list_the_search_and_never_a_refuge_address(directory, staff, login):
    client = login(staff["outsider"])
    csv_response = client.get(reverse("directory_download_csv"), {"who_for": "children"})
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
    assert [r["Name"] for r in rows] == ["Northtown Refuge"]
    assert rows[0]["Phone"] == "01632 960999"
    assert not [h for h in rows[0] if "ddress" in h or "ostcode" in h]
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("directory_download_xlsx")).content))
    values = [[c for c in row] for row in book.active.iter_rows(values_only=True)]
    assert any(row[0] == "Northtown Refuge" for row in values)
    assert not any("ddress" in str(v) for row in values for v in row if v)


def test_text_that_looks_like_a_formula_stays_text_in_both_downloads(directory, staff, login):
    """A partner opening the download must never run what someone typed into an entry."""
    trap = '=HYPERLINK("http://example.invalid/","Click")'
    Entry.objects.filter(pk=directory["refuge"].pk).update(description=trap, languages="+English")
    client = login(staff["outsider"])
    csv_response = client.get(reverse("directory_download_csv"), {"who_for": "children"})
    row = next(csv.DictReader(io.StringIO(csv_response.content.decode())))
    assert (row["What it does"], row["Languages"]) == ("'" + trap, "'+English")
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("directory_download_xlsx")).content))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value == trap]
    assert cells and all(cell.data_type == "s" for cell in cells)
