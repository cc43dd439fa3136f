"""A MARAC referral from any agency's referral form (issue 13, 1; domain.md "MARAC
referral criteria" and "Information sharing"): a hospital IDVA refers straight to MARAC,
the coordinator sees it with its criterion in words and accepts it as the agency's, the
referring agency sees its own referral, and Northtown Housing (uninvolved) sees none of it."""

from datetime import date

import pytest
from django.urls import reverse

from carepath.core.models import AccessLog, Agency, AgencyType, InformationShare, Role
from carepath.core.services import staff_create
from carepath.marac.models import CaseSource
from carepath.marac.services import marac_referral_accept
from carepath.people.models import Person
from carepath.referrals.models import Destination, Referral
from tests.conftest import PASSWORD
from tests.marac.factories import NOW


@pytest.fixture
def hospital_idva(county, front_door):
    hospital = Agency.objects.create(
        partnership=county["partnership"], name="Northtown Hospital", agency_type=AgencyType.ACUTE_HOSPITAL
    )
    return staff_create(username="hospital-idva", agency=hospital, role=Role.IDVA, password=PASSWORD)


def form(county, **changes) -> dict:
    """The MARAC referral form filled in for a new victim, on professional judgement."""
    data = {
        "victim_given_name": "Imogen",
        "victim_family_name": "Quatermass",
        "victim_date_of_birth": "14/03/1988",
        "victim_sex": "female",
        "district": county["district"].pk,
        "criterion": "professional_judgement",
        "judgement_reason": "She was strangled last week and believes he will kill her.",
        "consent": "not_sought",
        "consent_reason": "Not safe to ask while he is at the bedside.",
        "perpetrator_given_name": "Darius",
        "perpetrator_family_name": "Vantablack",
        "perpetrator_sex": "male",
        "perpetrator_gender": "man",
        "relationship": "partner",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-0-given_name": "Kit",
        "children-0-age": "7",
        "children-0-present": "yes",
    }
    return {**data, **changes}


def test_an_agency_referral_reaches_the_coordinators_queue_with_its_criterion_in_words(
    county, marac, coordinator, hospital_idva, staff, login
):
    client = login(hospital_idva)
    assert client.get(reverse("marac_referral_new")).status_code == 200
    response = client.post(reverse("marac_referral_new"), form(county))
    referral = Referral.objects.get(destination=Destination.MARAC)
    assert response.status_code == 302 and response["Location"] == reverse("referral_detail", args=[referral.pk])
    assert referral.channel == "professional" and referral.referring_agency == hospital_idva.agency
    assert referral.receiving_agency == county["agencies"]["marac"]
    assert referral.decision["marac_criteria"] == ["professional_judgement"]
    assert referral.perpetrator.family_name == "Vantablack" and referral.children.get().child.given_name == "Kit"
    # Shared without consent: on the lawful basis, recorded.
    share = InformationShare.objects.get(object_id=referral.pk, shared_with=county["agencies"]["marac"])
    assert share.consent == "not_sought" and "Schedule 1 para 18" in share.lawful_basis

    queue = login(coordinator).get(reverse("marac_referrals_to_check")).content.decode()
    assert "Professional judgement of high risk" in queue and "Northtown Hospital" in queue
    assert "professional_judgement" not in queue
    case = marac_referral_accept(referral=referral, user=coordinator, now=NOW)
    assert case.source == CaseSource.AGENCY and case.criteria == ["professional_judgement"]

    # The referring agency sees its own referral and the victim; an uninvolved one neither.
    assert client.get(reverse("referral_detail", args=[referral.pk])).status_code == 200
    outsider = login(staff["outsider"])
    assert outsider.get(reverse("referral_detail", args=[referral.pk])).status_code == 404
    assert outsider.get(reverse("person_detail", args=[referral.victim_id])).status_code == 404


def test_a_visible_high_risk_referral_carries_its_dash_score(county, marac, coordinator, hospital_idva, staff, login):
    login(hospital_idva).post(
        reverse("marac_referral_new"),
        form(county, criterion="visible_high_risk", dash_score="16", judgement_reason="", consent="given"),
    )
    referral = Referral.objects.get(destination=Destination.MARAC)
    assert referral.risk_assessment.score == 16 and referral.risk_level == "high"
    assert marac_referral_accept(referral=referral, user=coordinator, now=NOW).source == CaseSource.AGENCY
    assert login(staff["outsider"]).get(reverse("referral_detail", args=[referral.pk])).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"judgement_reason": "   "},
            "judgement_reason",
            "Say why you judge the risk to be high: professional judgement needs its reason",
        ),
        ({"criterion": "visible_high_risk", "dash_score": "12"}, "dash_score", "needs a DASH score of 14 or more"),
        ({"victim_date_of_birth": "01/01/2015"}, None, "under 16 this is child safeguarding"),
        ({"consent_reason": ""}, "consent_reason", "Say why consent was refused or not sought"),
        ({"district": ""}, "district", "select the district the victim lives in"),
    ],
)
def test_what_marac_cannot_hear_is_refused_with_a_message_that_says_what_to_put_right(
    county, marac, hospital_idva, staff, login, changes, field, message
):
    response = login(hospital_idva).post(reverse("marac_referral_new"), form(county, **changes))
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page and "There is a problem" in page
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_no_input_makes_a_server_error(county, marac, hospital_idva, staff, login):
    client = login(hospital_idva)
    for junk in (
        {"criterion": "everything", "dash_score": "lots", "district": "99999", "victim": "abc"},
        {"victim": "987654", "dash_score": "-3", "children-TOTAL_FORMS": "many"},
        {"dash_score": "99", "criterion": "visible_high_risk", "consent": "maybe", "victim_age": "x" * 500},
    ):
        assert client.post(reverse("marac_referral_new"), {**form(county), **junk}).status_code == 200
        assert client.get(reverse("marac_referral_new"), junk).status_code == 200
    assert client.post(reverse("marac_referral_new"), {}).status_code == 200
    assert client.post(reverse("marac_referral_new"), {**form(county), "add_child": "1"}).status_code == 200
    assert not Referral.objects.exists()


def test_a_victim_the_agency_holds_is_found_chosen_and_every_view_of_her_logged(
    county, marac, coordinator, hospital_idva, staff, login
):
    held = Person.objects.create(
        recorded_by=hospital_idva.agency, given_name="Imogen", family_name="Quatermass", date_of_birth=date(1988, 3, 14)
    )
    client = login(hospital_idva)
    found = client.get(reverse("marac_referral_new"), {"name": "quatermass"}).content.decode()
    assert "Imogen Quatermass" in found and f"?victim={held.pk}" in found
    assert AccessLog.objects.filter(user=hospital_idva, object_id=held.pk, action="listed").exists()
    chosen = client.get(reverse("marac_referral_new"), {"victim": held.pk}).content.decode()
    assert "Imogen Quatermass" in chosen and 'name="victim_given_name"' not in chosen
    assert AccessLog.objects.filter(user=hospital_idva, object_id=held.pk, action="opened").exists()
    fields = {k: v for k, v in form(county).items() if not k.startswith("victim_")}
    client.post(reverse("marac_referral_new"), {**fields, "victim": held.pk})
    assert Referral.objects.get(destination=Destination.MARAC).victim == held

    # Housing holds nothing on her: not found, and chosen by number she is as one who does not exist.
    outsider = login(staff["outsider"])
    assert "Quatermass" not in outsider.get(reverse("marac_referral_new"), {"name": "quatermass"}).content.decode()
    theirs = outsider.get(reverse("marac_referral_new"), {"victim": held.pk})
    missing = outsider.get(reverse("marac_referral_new"), {"victim": 987_654})
    assert "Quatermass" not in theirs.content.decode()
    assert theirs.content.replace(b"987654", b"").count(b"not one your agency holds") == 1
    assert missing.content.count(b"not one your agency holds") == 1
    outsider.post(reverse("marac_referral_new"), {**fields, "victim": held.pk})
    assert Referral.objects.filter(victim=held).count() == 1  # refused as for no one: nothing made


def test_the_referrer_sees_the_criterion_it_stated_even_one_resting_on_history(
    county, marac, hospital_idva, staff, login
):
    client = login(hospital_idva)
    client.post(reverse("marac_referral_new"), form(county, criterion="potential_escalation", judgement_reason=""))
    referral = Referral.objects.get(destination=Destination.MARAC)
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Received by the MARAC" in page and "Potential escalation (3 or more events in 12 months)" in page
    assert login(staff["outsider"]).get(reverse("referral_detail", args=[referral.pk])).status_code == 404


def test_a_case_from_a_marac_outside_the_partnership_arrives_as_a_transfer_in(
    county, marac, coordinator, hospital_idva, login
):
    login(hospital_idva).post(
        reverse("marac_referral_new"), form(county, transferred_from_outside="Bedfordshire MARAC")
    )
    referral = Referral.objects.get(destination=Destination.MARAC)
    case = marac_referral_accept(referral=referral, user=coordinator, now=NOW)
    assert case.source == CaseSource.TRANSFER_IN and case.transferred_from_outside == "Bedfordshire MARAC"
    page = login(coordinator).get(reverse("marac_case_detail", args=[case.pk])).content.decode()
    assert "Bedfordshire MARAC, outside the partnership" in page and "Transferred in from another MARAC" in page
