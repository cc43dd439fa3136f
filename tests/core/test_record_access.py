"""Default deny: a person or event is seen only by an involved agency; every view of a
record, and of each person a page shows, leaves one access-log row, and so does every
refused attempt."""

import pytest
from django.urls import reverse

from carepath.core.models import AccessLog
from carepath.core.selectors import access_log_for_record
from tests.conftest import without_csrf_tokens


def person_url(person):
    return reverse("person_detail", args=[person.pk])


def event_url(event):
    return reverse("event_detail", args=[event.pk])


@pytest.mark.parametrize("record", ["victim", "perpetrator", "event"])
def test_uninvolved_agency_is_refused_and_nothing_is_logged(login, staff, reported_event, record):
    obj = reported_event if record == "event" else getattr(reported_event, record)
    url = event_url(obj) if record == "event" else person_url(obj)

    response = login(staff["outsider"]).get(url)

    assert response.status_code == 404
    assert b"Quatermass" not in response.content
    assert access_log_for_record(record=obj).count() == 0


def test_refusal_looks_the_same_as_a_missing_record(login, staff, reported_event):
    client = login(staff["outsider"])
    refused = client.get(person_url(reported_event.victim))
    missing = client.get(reverse("person_detail", args=[999_999]))
    assert refused.status_code == missing.status_code == 404
    assert without_csrf_tokens(refused) == without_csrf_tokens(missing)


def test_reporting_agency_sees_the_person_and_each_view_is_logged_once(login, staff, reported_event):
    victim = reported_event.victim
    client = login(staff["officer"])

    first = client.get(person_url(victim))
    assert first.status_code == 200
    assert b"Quatermass" in first.content
    assert access_log_for_record(record=victim).count() == 1

    client.get(person_url(victim))
    entries = list(access_log_for_record(record=victim))
    assert len(entries) == 2
    assert {e.user for e in entries} == {staff["officer"]}
    assert entries[0].agency == staff["officer"].agency


def test_event_view_is_logged_against_the_event_and_each_person_it_shows(login, staff, reported_event):
    response = login(staff["officer"]).get(event_url(reported_event))
    assert response.status_code == 200
    assert access_log_for_record(record=reported_event).count() == 1
    for person in (reported_event.victim, reported_event.perpetrator):
        [row] = access_log_for_record(record=person)
        assert (row.via_type.model, row.via_id) == ("event", reported_event.pk)


def test_a_colleague_at_another_involved_agency_is_not_enough(login, staff, reported_event):
    """The IDVA service is not involved until a referral or share says so; the attempt is
    logged as refused."""
    assert login(staff["idva"]).get(person_url(reported_event.victim)).status_code == 404
    [row] = AccessLog.objects.all()
    assert (row.action, row.user, row.object_id) == ("refused", staff["idva"], reported_event.victim.pk)


def test_anonymous_visitor_is_sent_to_login(client, reported_event):
    response = client.get(person_url(reported_event.victim))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


class TestAccessLogPage:
    def url(self, person):
        return reverse("access_log", args=["person", person.pk])

    def test_supervisor_of_involved_agency_reads_who_viewed(self, login, staff, reported_event):
        victim = reported_event.victim
        login(staff["officer"]).get(person_url(victim))
        response = login(staff["police_supervisor"]).get(self.url(victim))
        assert response.status_code == 200
        assert b"officer" in response.content
        # Reading the log is not a view of the person record.
        assert access_log_for_record(record=victim).count() == 1

    def test_administrator_reads_it_without_seeing_the_record(self, login, staff, reported_event):
        victim = reported_event.victim
        admin = login(staff["admin"])
        assert admin.get(self.url(victim)).status_code == 200
        assert admin.get(person_url(victim)).status_code == 404

    @pytest.mark.parametrize("who", ["officer", "outsider_supervisor"])
    def test_others_get_the_same_404_as_for_a_missing_record(self, login, staff, reported_event, who):
        client = login(staff[who])
        refused = client.get(self.url(reported_event.victim))
        missing = client.get(reverse("access_log", args=["person", 999_999]))
        assert refused.status_code == missing.status_code == 404
        assert without_csrf_tokens(refused) == without_csrf_tokens(missing)


def test_confidential_address_hidden_from_other_involved_agencies(login, staff, reported_event, county):
    """A refuge address recorded by one agency is not shown to another that is involved."""
    from carepath.people.models import Address

    victim = reported_event.victim
    Address.objects.filter(person=victim).update(is_confidential=True)
    victim.recorded_by = county["agencies"]["housing"]
    victim.save()
    page = login(staff["officer"]).get(person_url(victim))
    assert page.status_code == 200
    assert b"Juniper Crescent" not in page.content
    assert b"Juniper Crescent" in login(staff["outsider"]).get(person_url(victim)).content


def test_person_page_warns_which_channels_are_unsafe(login, staff, reported_event):
    """Voicemail was answered "no", letters and email never asked: none may be used."""
    page = login(staff["officer"]).get(person_url(reported_event.victim)).content.decode()
    assert "Do not contact by: voicemail, letter, email, home visit, at work." in page


def test_home_lists_only_the_agencys_own_events(login, staff, reported_event):
    assert "INC-0001" in login(staff["officer"]).get(reverse("home")).content.decode()
    assert "INC-0001" not in login(staff["outsider"]).get(reverse("home")).content.decode()


def test_home_shows_the_queues_of_the_users_role(login, staff):
    officer_home = login(staff["officer"]).get(reverse("home")).content.decode()
    assert "Your force&#x27;s referrals" in officer_home and "Triage queue" not in officer_home
    idva_home = login(staff["idva"]).get(reverse("home")).content.decode()
    assert "Your agency&#x27;s tasks" in idva_home and "Triage queue" not in idva_home
