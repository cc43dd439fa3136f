"""Referrals into casework from outside the front door (issue 14, 1-3): another agency's
form, MARAC (a case accepted with no IDVA; an action plan giving a service her support),
and a case handed over to another agency's service. Each lands in the right service's
queue with the first-contact deadline for her risk, its information share records the
lawful basis, allocation says where the case came from, and Northtown Housing (uninvolved)
sees none of it."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from carepath.casework import referral_rules, rules
from carepath.casework.models import CaseSource, Handover, Service, ServiceKind, Worker
from carepath.casework.referral_services import (
    case_handover_to_service,
    casework_referral_from_agency,
)
from carepath.casework.selectors import referrals_to_allocate
from carepath.casework.services import case_allocate
from carepath.core.codes import ActionType, TaskStatus
from carepath.core.models import Agency, AgencyType, District, InformationShare, Role, Task
from carepath.core.services import staff_create
from carepath.marac.models import CaseStatus, Marac
from carepath.marac.services import marac_action_add, marac_referral_accept, marac_referral_from_agency
from carepath.people.models import Person, SafeContact
from carepath.referrals.intake import PersonDetails, SafeContactDetails
from carepath.referrals.models import Referral
from carepath.referrals.services import marac_referral_create
from carepath.triage.deadlines import add_working_days
from tests.casework.conftest import _worker
from tests.conftest import PASSWORD

# Tuesday 1 December 2026, 10:00 in London (GMT).
TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
WEDNESDAY = TUESDAY + timedelta(days=1)  # 1 working day: high risk
FRIDAY = TUESDAY + timedelta(days=3)  # 3 working days: medium risk
NEXT_TUESDAY = TUESDAY + timedelta(days=7)  # 5 working days: standard risk
LAWFUL_BASIS = "DPA 2018 Schedule 1 para 18"


@pytest.fixture
def hospital(county, front_door):
    """A hospital's nurse, who refers; the hospital holds no service of its own."""
    agency = Agency.objects.create(
        partnership=county["partnership"], name="Northtown Hospital", agency_type=AgencyType.ACUTE_HOSPITAL
    )
    return staff_create(username="ward-nurse", agency=agency, role=Role.SAFEGUARDING_LEAD, password=PASSWORD)


@pytest.fixture
def womens_aid(county):
    """Another agency's caseworker service, for Northtown, with a manager and a worker."""
    agency = Agency.objects.create(
        partnership=county["partnership"], name="Northtown Women's Aid", agency_type=AgencyType.VOLUNTARY_SECTOR
    )
    service = Service.objects.create(agency=agency, name="Women's Aid caseworkers", kind=ServiceKind.CASEWORKER)
    service.districts.set([county["district"]])
    return {
        "service": service,
        "manager": _worker(service, "wa-manager", manager=True),
        "sam": _worker(service, "wa-sam", specialisms=["housing"]),
    }


def _agency_referral(hospital, idva_service, county, **changes) -> Referral:
    arguments = {
        "user": hospital,
        "service": idva_service,
        "district": county["district"],
        "new_victim": PersonDetails(given_name="Imogen", family_name="Quatermass", date_of_birth=date(1988, 3, 14)),
        "risk_level": "high",
        "consent": "not_sought",
        "consent_reason": "Not safe to ask while he is on the ward.",
        "needs": ("criminal_justice",),
        "safe_contact": SafeContactDetails(safe_phone="07700 900123", text_safe="no"),
        "now": TUESDAY,
    }
    return casework_referral_from_agency(**{**arguments, **changes})


def _share(referral: Referral, agency) -> InformationShare:
    return InformationShare.objects.get(content_type__model="referral", object_id=referral.pk, shared_with=agency)


# 1. Another agency's referral ---------------------------------------------------------------


def form(county, idva_service, **changes) -> dict:
    data = {
        "victim_given_name": "Imogen",
        "victim_family_name": "Quatermass",
        "victim_date_of_birth": "14/03/1988",
        "victim_sex": "female",
        "district": county["district"].pk,
        "service": idva_service.pk,
        "risk_level": "high",
        "needs": ["criminal_justice"],
        "safe_phone": "07700 900123",
        "voicemail_safe": "no",
        "text_safe": "no",
        "letter_safe": "not_known",
        "email_safe": "not_known",
        "consent": "not_sought",
        "consent_reason": "Not safe to ask while he is on the ward.",
    }
    return {**data, **changes}


def test_an_agency_referral_lands_in_the_services_queue_with_its_deadline_and_share(
    county, hospital, idva_service, workers, staff, login
):
    client = login(hospital)
    page = client.get(reverse("casework_referral_new")).content.decode()
    assert "Testshire IDVA Service (Northtown)" in page  # the service with the districts it covers
    response = client.post(reverse("casework_referral_new"), form(county, idva_service))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referral_detail", args=[referral.pk])
    assert referral.destination == "idva" and referral.referring_agency == hospital.agency
    assert referral.receiving_agency is None and referral.status == "routed"  # the service has it by its share
    task = referral.tasks.get()
    assert (task.action_type, task.status, task.owner_agency) == ("idva_referral", "open", idva_service.agency)
    assert task.due_at == add_working_days(referral.received_at, 1)
    assert task.contact_channels == ["phone_call"]  # texts and voicemail she said are not safe
    assert SafeContact.objects.get(person=referral.victim).text_safe == "no"
    share = _share(referral, idva_service.agency)
    assert share.consent == "not_sought" and LAWFUL_BASIS in share.lawful_basis and share.shared_by == hospital.agency

    # The manager sees it in the queue; allocated, the case says it came from an agency.
    manager = workers["manager"].user
    assert list(referrals_to_allocate(user=manager)) == [task]
    shared = login(manager).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Not safe to ask while he is on the ward" in shared or "Schedule 1 para 18" in shared
    assert "Complete the risk checklist" not in shared and "Reopen" not in shared  # the front door's, not hers
    assert "Northtown Hospital" in login(manager).get(reverse("casework_allocate")).content.decode()
    case = case_allocate(task=task, worker=workers["kim"], user=manager)
    assert case.source == CaseSource.AGENCY and case.needs == ["criminal_justice"]
    assert case.first_contact_due == task.due_at and case.risk_level == "high"

    # The referrer sees its own referral; Northtown Housing neither the referral nor the case.
    assert client.get(reverse("referral_detail", args=[referral.pk])).status_code == 200
    outsider = login(staff["outsider"])
    assert outsider.get(reverse("referral_detail", args=[referral.pk])).status_code == 404
    assert outsider.get(reverse("casework_case_detail", args=[case.pk])).status_code == 404
    assert outsider.get(reverse("person_detail", args=[referral.victim_id])).status_code == 404


def test_a_referral_to_one_of_the_agencys_services_reaches_only_that_services_managers(
    county, hospital, idva_service, workers
):
    outreach = Service.objects.create(agency=idva_service.agency, name="Testshire Outreach", kind=ServiceKind.OUTREACH)
    outreach.districts.set([county["district"]])
    outreach_manager = _worker(outreach, "outreach-manager", manager=True)
    to_idva = _agency_referral(hospital, idva_service, county).tasks.get()
    to_outreach = _agency_referral(
        hospital, outreach, county, new_victim=PersonDetails(given_name="Ada", family_name="Lovell", age=30)
    ).tasks.get()
    assert list(referrals_to_allocate(user=workers["manager"].user)) == [to_idva]
    assert list(referrals_to_allocate(user=outreach_manager.user)) == [to_outreach]
    case = case_allocate(task=to_outreach, worker=outreach_manager, user=outreach_manager.user)
    assert case.service == outreach


@pytest.mark.parametrize(
    ("changes", "level", "due"),
    [
        ({}, "high", WEDNESDAY),
        ({"risk_level": "medium", "dash_score": 10, "consent": "given", "consent_reason": ""}, "medium", FRIDAY),
        ({"risk_level": "", "dash_score": 3, "consent": "given", "consent_reason": ""}, "standard", NEXT_TUESDAY),
        ({"risk_level": "", "consent": "given", "consent_reason": ""}, "", WEDNESDAY),  # not known: as high
        (
            {"risk_level": "high", "dash_score": 10, "judgement_reason": "Threats to kill, and she believes him."},
            "high",
            WEDNESDAY,
        ),
    ],
)
def test_the_first_contact_deadline_follows_her_risk_level(county, hospital, idva_service, changes, level, due):
    referral = _agency_referral(hospital, idva_service, county, **changes)
    task = referral.tasks.get()
    assert referral.risk_level == level and task.due_at == due
    if "dash_score" in changes:
        assert referral.risk_assessment.score == changes["dash_score"]
        assert referral.risk_assessment.level == level


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"service": ""}, "service", "Service: choose the service"),
        ({"consent": "refused", "risk_level": "medium"}, "consent", "shared only to protect her at high risk"),
        ({"consent_reason": ""}, "consent_reason", "Say why consent was refused or not sought"),
        ({"risk_level": "standard", "dash_score": "15"}, "risk_level", "never lower it"),
        ({"risk_level": "high", "dash_score": "9"}, "judgement_reason", "Say why you judge the risk high"),
        ({"victim_date_of_birth": "01/01/2015"}, "victim", "under 16 this is child safeguarding"),
        ({"district": ""}, "district", "District: select the district she lives in"),
    ],
)
def test_a_referral_that_cannot_be_made_is_refused_naming_the_field(
    county, hospital, idva_service, login, changes, field, message
):
    response = login(hospital).post(reverse("casework_referral_new"), form(county, idva_service, **changes))
    assert response.status_code == 400
    form_ = response.context["form"]
    errors = form_.errors.get(field if field in form_.fields else "__all__", [])
    assert any(message in e for e in errors), form_.errors
    assert "There is a problem" in response.content.decode()
    assert not Referral.objects.exists() and not Task.objects.exists() and not Person.objects.exists()


def test_a_service_that_does_not_cover_her_district_is_refused(county, hospital, idva_service):
    elsewhere = District.objects.create(marac_area=county["area"], name="Southtown", population=1000, women_16_plus=400)
    with pytest.raises(ValidationError) as refused:
        _agency_referral(hospital, idva_service, county, district=elsewhere)
    assert "does not cover Southtown" in refused.value.message_dict["service"][0]


def test_a_victim_the_agency_does_not_hold_is_refused_as_if_she_did_not_exist(
    county, hospital, idva_service, reported_event, login
):
    victim = reported_event.victim  # the police's, not the hospital's
    with pytest.raises(PermissionDenied):
        _agency_referral(hospital, idva_service, county, new_victim=None, victim=victim)
    client = login(hospital)
    held = client.get(reverse("casework_referral_new"), {"victim": victim.pk})
    missing = client.get(reverse("casework_referral_new"), {"victim": 987_654})
    assert held.status_code == missing.status_code == 200
    assert "Quatermass" not in held.content.decode()
    assert "not one your agency holds" in held.content.decode()


# 2. MARAC ------------------------------------------------------------------------------------

MEETING_NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday: a meeting on Tuesday 8 December


@pytest.fixture
def marac(county, front_door):
    marac = Marac.objects.create(
        agency=county["agencies"]["marac"],
        name="North MARAC",
        first_meeting=datetime(2026, 1, 13, 10, 0, tzinfo=UTC),
        capacity=20,
    )
    marac.districts.set([county["district"]])
    return marac


@pytest.fixture
def coordinator(county, front_door):
    return staff_create(
        username="coordinator", agency=county["agencies"]["marac"], role=Role.MARAC_COORDINATOR, password=PASSWORD
    )


def _marac_referral(county, hospital) -> Referral:
    return marac_referral_from_agency(
        user=hospital,
        district=county["district"],
        criterion="professional_judgement",
        judgement_reason="She was strangled last week.",
        consent="not_sought",
        consent_reason="Not safe to ask.",
        new_victim=PersonDetails(given_name="Imogen", family_name="Quatermass", date_of_birth=date(1988, 3, 14)),
        now=MEETING_NOW,
    )


def test_a_case_accepted_at_marac_without_an_idva_sends_the_district_idva_service_a_referral(
    county, marac, coordinator, hospital, idva_service, workers, staff, login
):
    case = marac_referral_accept(referral=_marac_referral(county, hospital), user=coordinator, now=MEETING_NOW)
    task = Task.objects.get(action_type=ActionType.IDVA_REFERRAL)
    referral = task.subject
    assert task.owner_agency == idva_service.agency and task.status == TaskStatus.OPEN
    assert task.due_at == MEETING_NOW + timedelta(days=1)  # high risk: 1 working day
    assert referral.victim_id == case.victim_id and referral.referring_agency == county["agencies"]["marac"]
    assert referral.decision["marac_case"] == case.pk
    share = _share(referral, idva_service.agency)
    assert share.shared_by == county["agencies"]["marac"] and LAWFUL_BASIS in share.lawful_basis
    allocated = case_allocate(task=task, worker=workers["kim"], user=workers["manager"].user)
    assert allocated.source == CaseSource.MARAC
    assert login(staff["outsider"]).get(reverse("casework_case_detail", args=[allocated.pk])).status_code == 404
    assert login(staff["outsider"]).get(reverse("referral_detail", args=[referral.pk])).status_code == 404


def test_a_marac_case_of_unknown_risk_is_due_as_high_and_not_recorded_as_high(
    county, marac, coordinator, hospital, idva_service
):
    referral = marac_referral_from_agency(
        user=hospital,
        district=county["district"],
        criterion="potential_escalation",
        consent="given",
        new_victim=PersonDetails(given_name="Imogen", family_name="Quatermass", date_of_birth=date(1988, 3, 14)),
        now=MEETING_NOW,
    )
    marac_referral_accept(referral=referral, user=coordinator, now=MEETING_NOW)
    task = Task.objects.get(action_type=ActionType.IDVA_REFERRAL)
    assert task.subject.risk_level == "" and task.due_at == MEETING_NOW + timedelta(days=1)
    assert _share(task.subject, idva_service.agency).lawful_basis == ""  # she consented


def test_a_marac_case_whose_victim_already_has_an_idva_referral_gets_no_second_one(
    county, marac, coordinator, idva_service, routed
):
    # The front door routed an IDVA referral with its MARAC referral: accepting adds none.
    sent = marac_referral_create(referral=routed.subject, user=coordinator)
    marac_referral_accept(referral=sent, user=coordinator, now=MEETING_NOW)
    assert Task.objects.filter(action_type=ActionType.IDVA_REFERRAL).count() == 1


def test_a_marac_action_for_a_service_sends_it_a_referral_once(
    county, marac, coordinator, hospital, idva_service, womens_aid
):
    case = marac_referral_accept(referral=_marac_referral(county, hospital), user=coordinator, now=MEETING_NOW)
    case.status = CaseStatus.DISCUSSED
    case.save(update_fields=["status"])
    on_the_day = case.meeting.starts_at
    for _ in range(2):
        marac_action_add(
            case=case,
            user=coordinator,
            action_for="victim",
            action="Caseworker support with her housing application",
            agency=womens_aid["service"].agency,
            owner="Sam",
            due_on=on_the_day.date() + timedelta(days=14),
            now=on_the_day,
        )
    task = Task.objects.get(action_type=ActionType.CASEWORKER_REFERRAL)
    assert task.owner_agency == womens_aid["service"].agency
    assert task.due_at == on_the_day + timedelta(days=1)  # high risk: 1 working day after the meeting
    assert "housing application" in task.subject.details
    allocated = case_allocate(task=task, worker=womens_aid["sam"], user=womens_aid["manager"].user)
    assert allocated.source == CaseSource.MARAC and allocated.service == womens_aid["service"]


# 3. Handover to another agency's service ------------------------------------------------------

AGREED = "Call on her safe phone after 6pm; she wants help with a non-molestation order."


@pytest.fixture
def case(routed, workers):
    return case_allocate(task=routed, worker=workers["kim"], user=workers["manager"].user)


def test_a_case_handed_to_another_agencys_service_arrives_as_a_referral_with_what_was_agreed(
    case, workers, womens_aid, staff, login
):
    kim = workers["kim"].user
    page = login(kim).get(reverse("casework_handover_to_service", args=[case.pk]))
    assert page.status_code == 200 and "Women&#x27;s Aid caseworkers (Northtown)" in page.content.decode()
    assert "Testshire IDVA Service (" not in page.content.decode()  # not her own agency's
    response = login(kim).post(
        reverse("casework_handover_to_service", args=[case.pk]),
        {"to_service": womens_aid["service"].pk, "agreed": AGREED, "consent": "given"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == rules.HANDED_OVER and case.closed_at is not None
    change = case.status_changes.last()
    assert change.to_status == rules.HANDED_OVER and "Handed over to Women's Aid caseworkers" in change.note
    assert case.status_changes.count() == 2 and case.handovers.count() == 0  # its history kept

    task = Task.objects.get(action_type=ActionType.CASEWORKER_REFERRAL)
    referral = task.subject
    assert task.owner_agency == womens_aid["service"].agency and task.status == TaskStatus.OPEN
    assert task.due_at == add_working_days(referral.received_at, 1)  # high risk
    assert referral.details == AGREED and referral.referring_agency == case.service.agency
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM referrals_referral WHERE id = %s", [referral.pk])
        assert b"non-molestation" not in bytes(cursor.fetchone()[0])  # kept encrypted
    share = _share(referral, womens_aid["service"].agency)
    assert share.consent == "given" and share.shared_by == case.service.agency

    # Allocated there: a case from a handover, and its worker reads what was agreed.
    new = case_allocate(task=task, worker=womens_aid["sam"], user=womens_aid["manager"].user)
    assert new.source == CaseSource.HANDOVER and new.risk_level == "high"
    handover = Handover.objects.get(case=new)
    assert handover.from_worker == workers["kim"] and handover.to_worker == womens_aid["sam"]
    assert (
        AGREED.replace("'", "&#x27;")
        in login(womens_aid["sam"].user).get(reverse("casework_case_detail", args=[new.pk])).content.decode()
    )
    outsider = login(staff["outsider"])
    assert outsider.get(reverse("casework_case_detail", args=[new.pk])).status_code == 404
    assert outsider.get(reverse("referral_detail", args=[referral.pk])).status_code == 404
    assert outsider.get(reverse("casework_handover_to_service", args=[case.pk])).status_code == 404


def test_a_handover_deadline_follows_the_cases_risk(case, workers, womens_aid):
    referral = case_handover_to_service(
        case=case,
        user=workers["kim"].user,
        to_service=womens_aid["service"],
        agreed=AGREED,
        consent="not_sought",
        consent_reason="Not safe to ask this week.",
        now=TUESDAY,
    )
    task = referral.tasks.get()
    assert task.due_at == WEDNESDAY and task.contact_channels == ["phone_call"]
    assert LAWFUL_BASIS in _share(referral, womens_aid["service"].agency).lawful_basis


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agreed": "  "}, "agreed", "Tell the new service what was agreed with her"),
        ({"consent": "refused", "consent_reason": ""}, "consent_reason", "Say why consent was refused"),
        ({"to_service": "own"}, "to_service", "your agency's own"),
    ],
)
def test_a_handover_that_cannot_be_made_is_refused_naming_the_field(
    case, workers, womens_aid, idva_service, changes, field, message
):
    arguments = {"agreed": AGREED, "consent": "given", "consent_reason": "", "to_service": womens_aid["service"]}
    arguments.update(changes)
    if arguments["to_service"] == "own":
        arguments["to_service"] = idva_service
    with pytest.raises(ValidationError) as refused:
        case_handover_to_service(case=case, user=workers["kim"].user, **arguments)
    assert message in refused.value.message_dict[field][0]
    case.refresh_from_db()
    assert case.status == rules.REFERRED and not Task.objects.filter(action_type="caseworker_referral").exists()


def test_only_the_cases_worker_or_manager_hands_it_over(case, workers, womens_aid, idva_service):
    other = Worker.objects.create(
        user=staff_create(username="idva-other", agency=idva_service.agency, role=Role.IDVA, password=PASSWORD),
        service=idva_service,
    )
    with pytest.raises(PermissionDenied):
        case_handover_to_service(
            case=case, user=other.user, to_service=womens_aid["service"], agreed=AGREED, consent="given"
        )


def test_the_same_agency_handover_is_unchanged(case, workers):
    from carepath.casework.services import case_handover

    handover = case_handover(case=case, user=workers["kim"].user, to_worker=workers["lee"], agreed=AGREED)
    case.refresh_from_db()
    assert case.worker == workers["lee"] and case.status == rules.REFERRED and handover.agreed == AGREED


# The pure rules -------------------------------------------------------------------------------


def test_where_a_case_came_from_is_read_from_its_referral():
    assert referral_rules.case_source({}) == "front_door"
    assert referral_rules.case_source(None) == "front_door"
    assert referral_rules.case_source({"casework_source": "marac"}) == "marac"
    assert referral_rules.case_source({"casework_source": "handover"}) == "handover"
    assert referral_rules.case_source({"casework_source": "nonsense"}) == "front_door"
    # A MARAC referral's own "source" (agency, transfer in) is not the casework source.
    assert referral_rules.case_source({"source": "agency"}) == "front_door"


def test_first_contact_days_by_level_and_unknown_as_high():
    days = {"high": 1, "medium": 3, "standard": 5}
    assert [referral_rules.first_contact_working_days(lv, **days) for lv in ("high", "medium", "standard", "")] == [
        1,
        3,
        5,
        1,
    ]


def test_which_cases_a_handover_closes_and_what_the_service_is_sent():
    assert referral_rules.handover_refusal(rules.ENGAGED) is None
    assert referral_rules.handover_refusal(rules.DORMANT) is None
    assert "new referral" in referral_rules.handover_refusal(rules.CLOSED)
    assert referral_rules.action_type_for("hospital_idva") == "idva_referral"
    assert referral_rules.action_type_for("outreach") == "caseworker_referral"


def test_consent_or_the_high_risk_lawful_basis():
    assert referral_rules.consent_refusal(consent="given", consent_reason="", risk_level="standard") == {}
    assert referral_rules.consent_refusal(consent="not_sought", consent_reason="Unsafe", risk_level="high") == {}
    assert "consent" in referral_rules.consent_refusal(consent="refused", consent_reason="No", risk_level="")
    assert "consent_reason" in referral_rules.consent_refusal(consent="refused", consent_reason="", risk_level="high")
