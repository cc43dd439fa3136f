"""Perpetrator programmes' pages: refer a man, record his progress and his partner's
support, keep the programmes; an uninvolved agency refused everywhere; bad input answered
in words, never a server error."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carepath.core import access
from carepath.core.codes import AgencyType, Role
from carepath.core.models import AccessLog, Agency
from carepath.core.services import staff_create
from carepath.people.models import Person
from carepath.perpetrators.models import (
    CostBasis,
    LeftReason,
    PartnerContact,
    Programme,
    ProgrammeKind,
    ProgrammeReferral,
    ProgrammeStatus,
)
from tests.conftest import PASSWORD

TODAY = timezone.localdate()


def day(n: int) -> str:
    """The date ``n`` days ago, as a user types it."""
    return (TODAY - timedelta(days=n)).strftime("%d/%m/%Y")


@pytest.fixture
def provider(county):
    """A voluntary-sector provider running Drive, with its partner support worker."""
    agency = Agency.objects.create(
        partnership=county["partnership"], name="Testshire Change", agency_type=AgencyType.VOLUNTARY_SECTOR
    )
    programme = Programme.objects.create(
        name="Testshire Drive", kind=ProgrammeKind.DRIVE, provider=agency, places=20, cost=2400
    )
    worker = staff_create(username="wsw", agency=agency, role=Role.CASEWORKER, password=PASSWORD)
    return {"agency": agency, "programme": programme, "worker": worker}


@pytest.fixture
def referral(provider, reported_event, county):
    """The police referred Darius 20 days ago, naming Imogen as his partner."""
    return ProgrammeReferral.objects.create(
        programme=provider["programme"],
        perpetrator=reported_event.perpetrator,
        partner=reported_event.victim,
        referred_by=county["agencies"]["police"],
        referred_on=TODAY - timedelta(days=20),
    )


def test_an_uninvolved_agency_is_refused_on_every_page(referral, provider, staff, login):
    client = login(staff["outsider"])
    ids = {"programme_referral_id": referral.pk}
    pages = [
        reverse("perpetrator_programmes"),
        reverse("perpetrator_programme_add"),
        reverse("perpetrator_programme_detail", args=[provider["programme"].pk]),
        reverse("perpetrator_programme_edit", args=[provider["programme"].pk]),
        reverse("programme_referral_create") + f"?perpetrator={referral.perpetrator_id}",
        reverse("programme_referrals_waiting"),
        reverse("programme_referral_detail", kwargs=ids),
        reverse("programme_referral_progress", kwargs=ids),
        reverse("partner_contact_record", kwargs=ids),
        reverse("programme_report"),
        reverse("programme_report_download"),
    ]
    for url in pages:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"status": "started", "on": day(1), "reached": "yes"})
            assert response.status_code in (403, 404), (method, url)
            assert b"Darius" not in response.content and b"Imogen" not in response.content
    assert not PartnerContact.objects.exists()
    assert ProgrammeReferral.objects.get().status == ProgrammeStatus.REFERRED


def test_the_police_refer_a_man_from_a_link_naming_his_partner(provider, reported_event, staff, login):
    client = login(staff["officer"])
    url = reverse("programme_referral_create")
    page = client.get(url, {"perpetrator": reported_event.perpetrator_id})
    assert page.status_code == 200
    assert "Darius Vantablack" in page.content.decode()
    assert "Imogen Quatermass" in page.content.decode()  # his victim, offered as his partner
    response = client.post(
        url,
        {
            "perpetrator": reported_event.perpetrator_id,
            "programme": provider["programme"].pk,
            "partner": reported_event.victim_id,
            "referred_on": day(0),
        },
    )
    referral = ProgrammeReferral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "programme_referral_detail", args=[referral.pk]
    )
    assert (referral.perpetrator, referral.partner, referral.referred_by) == (
        reported_event.perpetrator,
        reported_event.victim,
        staff["officer"].agency,
    )
    # A second open referral to the same programme is refused, in words.
    again = client.post(
        url,
        {"perpetrator": reported_event.perpetrator_id, "programme": provider["programme"].pk, "referred_on": day(0)},
    )
    assert again.status_code == 400
    assert "already has an open referral" in again.content.decode()


def test_the_man_is_found_by_a_search_of_the_people_the_agency_holds(provider, reported_event, staff, login):
    client = login(staff["officer"])
    page = client.get(reverse("programme_referral_create"), {"name": "Vantablack"})
    assert f"?perpetrator={reported_event.perpetrator_id}" in page.content.decode()
    assert AccessLog.objects.filter(
        user=staff["officer"], content_type__model="person", object_id=reported_event.perpetrator_id, action="listed"
    ).exists()


def test_choosing_a_man_found_by_name_keeps_the_programme_chosen_on_the_way_in(provider, reported_event, staff, login):
    client = login(staff["officer"])
    programme = provider["programme"].pk
    page = client.get(reverse("programme_referral_create"), {"name": "Vantablack", "programme": programme})
    assert f"?programme={programme}&amp;perpetrator={reported_event.perpetrator_id}" in page.content.decode()
    chosen = client.get(
        reverse("programme_referral_create"), {"programme": programme, "perpetrator": reported_event.perpetrator_id}
    )
    assert chosen.context["form"]["programme"].value() == programme


def test_a_man_the_agency_does_not_hold_is_answered_as_one_that_does_not_exist(provider, reported_event, county, login):
    childrens = Agency.objects.create(
        partnership=county["partnership"], name="Testshire Children", agency_type=AgencyType.CHILDRENS_SERVICES
    )
    social_worker = staff_create(username="sw", agency=childrens, role=Role.SAFEGUARDING_LEAD, password=PASSWORD)
    client = login(social_worker)
    url = reverse("programme_referral_create")
    held_by_police = client.get(url, {"perpetrator": reported_event.perpetrator_id})
    missing = client.get(url, {"perpetrator": 987_654})
    assert held_by_police.status_code == missing.status_code == 200
    assert b"Vantablack" not in held_by_police.content
    assert "not one your agency holds" in held_by_police.content.decode()
    posted = client.post(
        url,
        {"perpetrator": reported_event.perpetrator_id, "programme": provider["programme"].pk, "referred_on": day(0)},
    )
    assert posted.status_code == 400 and not ProgrammeReferral.objects.exists()


@pytest.mark.parametrize("query", [{"perpetrator": "9" * 40}, {"perpetrator": "-1"}, {"programme": "x"}, {"name": "%"}])
def test_bad_input_on_the_referral_form_is_never_a_server_error(query, provider, staff, login):
    assert login(staff["officer"]).get(reverse("programme_referral_create"), query).status_code == 200


def test_the_provider_sees_the_referral_in_its_queue(referral, provider, staff):
    queue = {q["title"]: q for q in access.queues_for(provider["worker"])}["Programme referrals to assess or start"]
    assert queue["count"] == 1
    assert queue["items"][0]["url"] == reverse("programme_referral_detail", args=[referral.pk])
    assert "Darius" not in queue["items"][0]["text"]  # the home page shows work, not people
    assert "Programme referrals to assess or start" not in {q["title"] for q in access.queues_for(staff["officer"])}


def test_the_waiting_page_lists_the_providers_men_and_logs_them(referral, provider, login):
    page = login(provider["worker"]).get(reverse("programme_referrals_waiting"))
    assert "Darius Vantablack" in page.content.decode()
    assert AccessLog.objects.filter(
        user=provider["worker"], content_type__model="person", object_id=referral.perpetrator_id
    ).exists()


def progress(client, referral, **data):
    return client.post(reverse("programme_referral_progress", args=[referral.pk]), data)


def test_the_provider_records_his_progress_with_dates_in_order(referral, provider, login):
    client = login(provider["worker"])
    # Before his referral (20 days ago): refused, saying when he was referred.
    early = progress(client, referral, status="started", on=day(25))
    assert early.status_code == 400
    assert "cannot be before he was referred" in early.content.decode()
    # No date: refused.
    assert "Enter the date it happened" in progress(client, referral, status="started").content.decode()
    # Completed is not a step before he started.
    assert progress(client, referral, status="completed", on=day(1)).status_code == 400
    assert progress(client, referral, status="started", on=day(10)).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.started_on) == (ProgrammeStatus.STARTED, TODAY - timedelta(days=10))
    # Left without a reason, or before he started: refused; in the future: refused.
    assert "Choose why he left" in progress(client, referral, status="left", on=day(2)).content.decode()
    before = progress(client, referral, status="left", on=day(15), left_reason=LeftReason.CUSTODY)
    assert "cannot be before he started" in before.content.decode()
    tomorrow = (TODAY + timedelta(days=1)).strftime("%d/%m/%Y")
    assert "cannot be in the future" in progress(client, referral, status="completed", on=tomorrow).content.decode()
    assert "real date" in progress(client, referral, status="completed", on="31/02/2026").content.decode()
    assert progress(client, referral, status="left", on=day(2), left_reason=LeftReason.CUSTODY).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.left_reason) == (ProgrammeStatus.LEFT, LeftReason.CUSTODY)
    page = client.get(reverse("programme_referral_detail", args=[referral.pk])).content.decode()
    assert "taken into custody" in page and "Record his progress" not in page  # closed: nothing follows
    closed = progress(client, referral, status="completed", on=day(1))
    assert closed.status_code == 400 and "closed" in closed.content.decode()


def test_only_the_provider_records_progress(referral, staff, login):
    client = login(staff["officer"])  # the referring agency: sees the referral, does not keep it
    assert client.get(reverse("programme_referral_detail", args=[referral.pk])).status_code == 200
    assert progress(client, referral, status="started", on=day(1)).status_code == 403
    assert ProgrammeReferral.objects.get().status == ProgrammeStatus.REFERRED


def test_the_partner_support_worker_records_contacts_whose_notes_stay_with_the_provider(
    referral, provider, staff, login
):
    client = login(provider["worker"])
    url = reverse("partner_contact_record", args=[referral.pk])
    bad = client.post(url, {"on": day(1), "time": "25:99", "reached": "yes"})
    assert bad.status_code == 400 and "Enter the time like 14:30" in bad.content.decode()
    early = client.post(url, {"on": day(30), "time": "10:00", "reached": "yes"})
    assert "cannot be before he was referred" in early.content.decode()
    assert (
        client.post(url, {"on": day(1), "time": "10:00", "reached": "yes", "note": "Safety plan kept"}).status_code
        == 302
    )
    assert client.post(url, {"on": day(0), "time": "00:01", "reached": "no"}).status_code == 302
    assert list(PartnerContact.objects.values_list("reached", flat=True)) == [True, False]
    assert "Safety plan kept" in client.get(reverse("programme_referral_detail", args=[referral.pk])).content.decode()
    police_view = login(staff["officer"]).get(reverse("programme_referral_detail", args=[referral.pk])).content.decode()
    assert "Not reached" in police_view and "Safety plan kept" not in police_view
    assert login(staff["officer"]).post(url, {"on": day(1), "time": "10:00", "reached": "yes"}).status_code == 403


def test_the_referral_page_logs_both_people(referral, provider, login):
    login(provider["worker"]).get(reverse("programme_referral_detail", args=[referral.pk]))
    logged = set(
        AccessLog.objects.filter(user=provider["worker"], content_type__model="person").values_list(
            "object_id", flat=True
        )
    )
    assert {referral.perpetrator_id, referral.partner_id} <= logged


@pytest.fixture
def commissioner(county):
    return staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=PASSWORD
    )


def test_a_commissioner_adds_a_programme_priced_per_course(commissioner, provider, login):
    client = login(commissioner)
    url = reverse("perpetrator_programme_add")
    data = {
        "name": "Testshire Caring Dads",
        "kind": ProgrammeKind.CARING_DADS,
        "provider": provider["agency"].pk,
        "places": "24",
        "cost": "8500",
        "cost_basis": CostBasis.PER_COURSE,
    }
    missing_size = client.post(url, data)
    assert missing_size.status_code == 400
    assert "how many people one course takes" in missing_size.content.decode()
    assert "Enter the cost as an amount" in client.post(url, {**data, "cost": "lots"}).content.decode()
    assert "already exists" in client.post(url, {**data, "name": "Testshire Drive"}).content.decode()
    assert client.post(url, {**data, "course_size": "12"}).status_code == 302
    dads = Programme.objects.get(name="Testshire Caring Dads")
    assert (dads.cost, dads.course_size, dads.cost_basis) == (8500, 12, CostBasis.PER_COURSE)


def test_the_provider_changes_its_own_programme_and_nobody_elses(provider, staff, login):
    programme = provider["programme"]
    url = reverse("perpetrator_programme_edit", args=[programme.pk])
    data = {
        "name": programme.name,
        "kind": programme.kind,
        "provider": provider["agency"].pk,
        "places": "30",
        "cost": "2400",
        "cost_basis": CostBasis.PER_PERSON,
    }
    assert login(provider["worker"]).post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.places == 30
    assert login(staff["officer"]).get(url).status_code == 403  # the police refer, and do not keep it
    # The provider may name only itself as the provider.
    moved = login(provider["worker"]).post(url, {**data, "provider": staff["officer"].agency_id})
    assert moved.status_code == 400 and "Choose a provider from the list" in moved.content.decode()


def test_the_programme_page_lists_only_the_referrals_the_agency_is_involved_with(
    referral, provider, commissioner, login
):
    url = reverse("perpetrator_programme_detail", args=[provider["programme"].pk])
    assert "Darius Vantablack" in login(provider["worker"]).get(url).content.decode()
    counted = login(commissioner).get(url).content.decode()
    assert "Darius" not in counted and "1 other referral" in counted
    listed = login(commissioner).get(reverse("perpetrator_programmes")).content.decode()
    assert "Testshire Drive" in listed and "Darius" not in listed
    assert login(commissioner).get(reverse("perpetrator_programme_detail", args=[987_654])).status_code == 404


def test_a_person_the_page_shows_is_one_of_the_referral(referral):
    assert list(access.record_type_for("programme-referral").people(referral)) == [
        (referral.perpetrator_id, "Referred to the programme"),
        (referral.partner_id, "His partner, supported while he is on it"),
    ]
    assert Person.objects.filter(pk=referral.partner_id).exists()
