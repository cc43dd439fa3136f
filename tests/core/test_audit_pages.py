"""What a data-protection officer and the administrators ask of the access log: who looked
at this person (across their linked records), what did this user look at, and who keeps
being refused."""

import pytest
from django.test import override_settings
from django.urls import reverse

from carepath.core.codes import Role
from carepath.core.models import AccessAlert, AccessLog, Task
from carepath.core.services import staff_create
from carepath.people.models import Person
from tests.conftest import PASSWORD


@pytest.fixture
def dpo(county):
    return staff_create(
        username="dpo", agency=county["agencies"]["partnership"], role=Role.DATA_PROTECTION_OFFICER, password=PASSWORD
    )


@pytest.fixture
def linked_victim(reported_event, county):
    """The victim's record at the police and a housing record linked as the same person."""
    victim = reported_event.victim
    housing_record = Person.objects.create(
        recorded_by=county["agencies"]["housing"], given_name="Imogen", family_name="Quatermass", identity_key=victim.pk
    )
    Person.objects.filter(pk=victim.pk).update(identity_key=victim.pk)
    return victim, housing_record


def test_who_looked_at_a_person_covers_every_linked_record(login, staff, dpo, linked_victim):
    police_record, housing_record = linked_victim
    login(staff["officer"]).get(reverse("person_detail", args=[police_record.pk]))
    login(staff["outsider"]).get(reverse("person_detail", args=[housing_record.pk]))
    login(staff["idva"]).get(reverse("person_detail", args=[police_record.pk]))  # refused

    page = login(dpo).get(reverse("audit_person", args=[housing_record.pk])).content.decode()
    assert "officer" in page and "outsider" in page and "idva" in page
    assert "Refused" in page
    assert "Quatermass" not in page  # ids and staff only, never the person's details


def test_what_a_user_looked_at(login, staff, dpo, reported_event):
    login(staff["officer"]).get(reverse("event_detail", args=[reported_event.pk]))
    page = login(dpo).get(reverse("audit_user", args=[staff["officer"].pk])).content.decode()
    assert f"Event {reported_event.pk}" in page and f"Person {reported_event.victim.pk}" in page
    assert "Quatermass" not in page


def test_the_audit_lookup_form_finds_a_user_and_explains_mistakes(login, staff, dpo):
    client = login(dpo)
    found = client.get(reverse("audit_home"), {"username": "officer"})
    assert found.status_code == 302 and found["Location"] == reverse("audit_user", args=[staff["officer"].pk])
    page = client.get(reverse("audit_home"), {"username": "nobody-here"}).content.decode()
    assert "There is no member of staff with that username" in page


@pytest.mark.parametrize("who", ["officer", "police_supervisor", "outsider"])
def test_only_auditors_open_the_audit_pages(login, staff, who, reported_event):
    client = login(staff[who])
    for url in (
        reverse("audit_home"),
        reverse("audit_person", args=[reported_event.victim.pk]),
        reverse("audit_user", args=[staff["officer"].pk]),
    ):
        assert client.get(url).status_code == 403


@override_settings(CAREPATH_REFUSAL_ALERT_COUNT=5, CAREPATH_REFUSAL_ALERT_MINUTES=10)
def test_a_burst_of_refusals_is_flagged_to_the_administrators_once(login, staff, reported_event):
    guesser = login(staff["outsider"])
    for pk in range(1, 9):  # walking through record numbers
        assert guesser.get(reverse("person_detail", args=[pk])).status_code == 404
    assert AccessLog.objects.filter(action="refused", user=staff["outsider"]).count() == 8
    [alert] = AccessAlert.objects.all()
    assert alert.user == staff["outsider"] and alert.refusals == 5
    [task] = Task.objects.filter(action_type="review_access_alert")
    assert task.owner_agency == staff["admin"].agency

    admin = login(staff["admin"])
    home = admin.get(reverse("home")).content.decode()
    assert "Your agency&#x27;s tasks" in home
    assert "Review refused attempts to open records" in admin.get(reverse("task_list")).content.decode()
    page = admin.get(reverse("access_alert_detail", args=[alert.pk])).content.decode()
    assert "5 refused attempts by outsider" in page or "refused attempts by outsider" in page

    response = admin.post(
        reverse("access_alert_detail", args=[alert.pk]), {"note": "Trainee testing links; spoken to."}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    task.refresh_from_db()
    assert alert.reviewed_by == staff["admin"] and task.status == "done"


@override_settings(CAREPATH_REFUSAL_ALERT_COUNT=3)
def test_the_flagged_user_cannot_review_their_own_alert(login, staff, county):
    suspect = staff_create(
        username="admin-two", agency=county["agencies"]["partnership"], role=Role.ADMINISTRATOR, password=PASSWORD
    )
    client = login(suspect)
    for pk in range(100, 104):
        client.get(reverse("event_detail", args=[pk]))
    alert = AccessAlert.objects.get(user=suspect)
    page = client.post(reverse("access_alert_detail", args=[alert.pk]), {"note": "Nothing to see"}).content.decode()
    assert "Someone else must review an alert about your own account" in page
    alert.refresh_from_db()
    assert alert.reviewed_at is None
