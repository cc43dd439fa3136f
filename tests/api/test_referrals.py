"""POST /api/v1/referrals: records the referral through referral_create and returns its decision."""

import json
import logging

import pytest
from django.apps import apps
from django.test import override_settings

from carepath.core.models import InformationShare, Task
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.referrals.models import Referral
from carepath.risk.models import RiskAssessment
from carepath.triage.casejson import decision_for_referrer
from carepath.triage.routing import RISK_INDEPENDENT_ACTIONS
from tests.api.conftest import dash_answers, high_risk_body

PERSONAL = [
    "Imogen",
    "Quatermass",
    "Darius",
    "Vantablack",
    "Kit",
    "1990-01-01",
    "Juniper",
    "NT1 4QZ",
    "07700 900123",
    "07700 900999",
    "Victim too frightened",
]


def errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["msg"] for e in response.json()["detail"]}


def test_high_risk_referral_is_recorded_and_routed_to_marac(agencies, county, api):
    response = api(high_risk_body())
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True
    decision = body["decision"]
    assert decision["risk_level"] == "high" and decision["dash_score"] == 15
    assert decision["marac_criteria"] == ["visible_high_risk"]
    # The police see the actions they own; the front door routes the rest.
    assert [a["type"] for a in decision["actions"]] == ["perpetrator_risk_plan"]
    assert decision["actions"][0]["share"]["people"] == ["perpetrator", "victim"]

    referral = Referral.objects.get(pk=body["referral_id"])
    # What the referral page shows the referrer.
    assert decision == decision_for_referrer(referral.decision, owner_agency_type="police")
    assert {"marac_referral", "idva_referral", "children_services_notification", "health_visitor_notification"} <= set(
        referral.tasks.values_list("action_type", flat=True)
    )
    assert referral.channel == "api" and referral.referring_agency == agencies["police"]
    assert referral.external_reference == "INC-2026-0042" and referral.district == county["district"]
    assert referral.consent == "refused" and referral.risk_level == "high"
    assert referral.victim.family_name == "Quatermass" and referral.victim.recorded_by == agencies["police"]
    assert referral.victim.safe_contact.text_safe == "no" and referral.victim.safe_contact.do_not_contact_via == [
        "letter"
    ]
    assert referral.risk_assessment.answers["1"] == {"answer": "yes", "source": "victim", "comment": "said so"}
    assert referral.risk_assessment.answers["24"] == {"answer": "no", "source": "", "comment": ""}
    assert referral.event.agency == agencies["police"] and referral.event.reference == "INC-2026-0042"
    assert set(referral.tasks.values_list("action_type", flat=True)) >= {"marac_referral", "idva_referral"}
    assert InformationShare.objects.filter(referral=referral, shared_with=agencies["front_door"]).exists()
    assert referral.tasks.get(action_type="idva_referral").contact_channels == ["phone_call"]  # texts, voicemail unsafe


def test_the_response_carries_no_personal_data(agencies, api):
    for response in (api(high_risk_body()), api(high_risk_body())):
        text = response.content.decode()
        for value in PERSONAL:
            assert value not in text
        assert set(response.json()) == {"referral_id", "created", "received_at", "decision"}


def test_resending_the_same_reference_returns_the_first_referral_and_adds_nothing(agencies, api):
    first = api(high_risk_body())
    counted = [Referral, Person, Event, RiskAssessment, Task, InformationShare]
    counts = {m: m.objects.count() for m in counted}
    again = api(high_risk_body(victim={"given_name": "Someone", "family_name": "Else"}))
    assert again.status_code == 200
    assert again.json() == {**first.json(), "created": False}
    assert {m: m.objects.count() for m in counted} == counts


def test_references_are_per_agency(agencies, api):
    from carepath.api.auth import api_client_create

    _, hospital_token = api_client_create(name="Hospital system", agency=agencies["idva"])
    assert api(high_risk_body()).status_code == 201
    assert api(high_risk_body(), token=hospital_token).status_code == 201
    assert Referral.objects.count() == 2


def test_csrf_does_not_apply_to_the_token_api(agencies, api):
    # The fixture's test client enforces CSRF checks and sends no CSRF token or cookie.
    assert api(high_risk_body()).status_code == 201


def test_medium_risk_with_consent_and_a_dash_score_only(agencies, api):
    body = high_risk_body(dash={"score": 10}, consent="given", consent_reason="", children=[])
    response = api(body)
    assert response.status_code == 201
    decision = response.json()["decision"]
    assert decision["risk_level"] == "medium" and decision["marac_criteria"] == [] and decision["actions"] == []
    assert list(Referral.objects.get().tasks.values_list("action_type", flat=True)) == ["caseworker_referral"]
    assert Referral.objects.get().risk_assessment.answers == {}


def test_professional_judgement_raises_the_level(agencies, api):
    body = high_risk_body(dash={"answers": dash_answers(5)}, judgement={"level": "high", "reason": "Strangulation"})
    decision = api(body).json()["decision"]
    assert decision["risk_level"] == "high" and decision["marac_criteria"] == ["professional_judgement"]


def test_without_dash_the_front_door_assesses(agencies, api):
    body = high_risk_body()
    del body["dash"]
    response = api(body)
    assert response.status_code == 201
    assert response.json()["decision"]["messages"][0].startswith("No DASH checklist yet")
    referral = Referral.objects.get()
    assert referral.decision["risk_level"] is None and referral.decision["dash_score"] is None
    task = referral.tasks.get(action_type="dash_assessment")
    assert task.owner_agency == agencies["front_door"]
    # Only actions that do not depend on the victim's risk are taken before the checklist.
    assert {t.action_type for t in referral.tasks.all()} <= {"dash_assessment", *RISK_INDEPENDENT_ACTIONS}


def test_district_name_is_matched_without_regard_to_case(agencies, county, api):
    assert api(high_risk_body(district="NORTHTOWN")).status_code == 201
    assert Referral.objects.get().district == county["district"]


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"dash": {"answers": {**dash_answers(15), "7": "maybe"}}}, "dash.answers.7.answer", "yes"),
        ({"dash": {"answers": {k: v for k, v in dash_answers(15).items() if k != "5"}}}, "dash.answers", "question 5"),
        ({"dash": {"answers": {**dash_answers(15), "25": "no"}}}, "dash.answers", "25"),
        ({"dash": {"score": 25}}, "dash.score", "24"),
        ({"dash": {"score": 3, "answers": dash_answers(3)}}, "dash", "either"),
        ({"dash": {"score": True}}, "dash.score", "integer"),
        ({"consent": None}, "consent", ""),
        ({"consent": "maybe"}, "consent", "given"),
        ({"consent": "not_sought", "consent_reason": " "}, "consent_reason", "why"),
        ({"district": "Atlantis"}, "district", "is not a district in Carepath. Districts: Northtown."),
        ({"judgement": {"level": "high"}}, "judgement.reason", "reason"),
        ({"judgement": {"level": "extreme", "reason": "x"}}, "judgement.level", "high"),
        ({"external_reference": ""}, "external_reference", ""),
        ({"external_reference": "x" * 61}, "external_reference", "60"),
        ({"victim": None}, "victim", ""),
        ({"victim": {"given_name": "A", "middle_name": "B"}}, "victim.middle_name", "not permitted"),
        ({"victim": {"date_of_birth": "1990-02-30"}}, "victim.date_of_birth", ""),
        ({"victim": {"nhs_number": "12345"}}, "victim.nhs_number", "10 digits"),
        ({"children": [{"given_name": "Kit", "date_of_birth": "2001-01-01"}]}, "children.0.date_of_birth", "adult"),
        ({"children": [{"age": 19}]}, "children.0.age", "17"),
        ({"safe_contact": {"email_safe": "yes", "safe_email": "not an address"}}, "safe_contact.safe_email", "email"),
        (
            {"safe_contact": {"do_not_contact_via": ["carrier_pigeon"]}},
            "safe_contact.do_not_contact_via.0",
            "phone_call",
        ),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at", "future"),
        ({"judgment": {"level": "high", "reason": "typo in the field name"}}, "judgment", "not permitted"),
    ],
)
def test_invalid_referrals_get_422_naming_the_field(agencies, api, change, field, words):
    body = high_risk_body(**change)
    body = {k: v for k, v in body.items() if v is not None}
    found = errors(api(body))
    assert field in found, found
    assert found[field].startswith(f"{field}:") and words in found[field]
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_422_does_not_echo_what_was_sent(agencies, api):
    body = high_risk_body(victim={"given_name": "Imogen", "date_of_birth": "Quatermass"}, district="Juniper")
    response = api(body)
    assert response.status_code == 422
    assert "Quatermass" not in response.content.decode() and "Imogen" not in response.content.decode()
    assert "Juniper" not in response.content.decode()


def test_a_body_that_is_not_json_is_refused(agencies, api):
    response = api("{not json")
    assert response.status_code in (400, 422)
    assert not Referral.objects.exists()


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_requests_are_not_logged(agencies, api, caplog):
    caplog.set_level(logging.DEBUG)
    api(high_risk_body())
    api(high_risk_body(district="Atlantis", external_reference="other"))
    api(high_risk_body(), token="cp_0123456789ab.wrong")
    text = caplog.text + "".join(str(getattr(r, "request", "")) + str(r.args) for r in caplog.records)
    for value in [*PERSONAL, "cp_0123456789ab.wrong"]:
        assert value not in text


def test_every_table_the_api_writes_keeps_history(agencies, api):
    api(high_risk_body())
    assert Referral.history.count() == 1 and Person.history.count() >= 3
    assert hasattr(apps.get_model("api", "ApiClient"), "history")


def test_the_body_schema_matches_the_route_case_format_for_dash(agencies, api):
    """Bare answers and answer objects may be mixed, as in ``carepath route``'s files."""
    answers = json.loads(json.dumps(dash_answers(14)))
    answers["15"] = "yes"
    answers["1"] = {"answer": "no", "source": "officer"}
    assert api(high_risk_body(dash={"answers": answers})).json()["decision"]["dash_score"] == 14


def test_a_child_of_unknown_age_is_still_referred(agencies, api):
    response = api(high_risk_body(children=[{"given_name": "Kit", "harmed": True}]))
    assert response.status_code == 201
    types = set(Referral.objects.get().tasks.values_list("action_type", flat=True))
    assert "children_services_notification" in types and "child_protection_referral" in types


def test_answers_to_a_checklist_no_longer_in_force_are_refused_naming_the_question(agencies, api, staff):
    from carepath.risk.checklist import DASH_RIC_2009, ChecklistDefinition
    from carepath.risk.services import checklist_adopt

    revised = ChecklistDefinition(name="Revised DASH", version="2027", questions=DASH_RIC_2009.questions[:20])
    checklist_adopt(checklist=revised, user=staff["admin"], reason="review", high_threshold=12, medium_threshold=7)
    found = errors(api(high_risk_body()))  # the 24 answers of the 2009 checklist
    assert "no DASH question 21" in found["dash.answers"] and "Revised DASH (2027)" in found["dash.answers"]
    assert "0 to 20, not 22" in errors(api(high_risk_body(dash={"score": 22})))["dash.score"]
    body = high_risk_body(dash={"answers": {str(q): "yes" if q <= 12 else "no" for q in range(1, 21)}})
    assert api(body).json()["decision"]["risk_level"] == "high"
    assert RiskAssessment.objects.get().checklist.version == "2027"


def test_the_perpetrators_sex_and_gender_are_as_sent_and_not_known_when_not_sent(agencies, county, api):
    sent = high_risk_body(
        perpetrator={"family_name": "Vantablack", "age": 40, "sex": "female", "gender_identity": "woman"}
    )
    assert api(sent).status_code == 201
    unsent = high_risk_body(external_reference="INC-2026-0043", perpetrator={"family_name": "Carr", "age": 30})
    assert api(unsent).status_code == 201
    first, second = (r.perpetrator for r in Referral.objects.order_by("external_reference"))
    assert (first.sex, first.gender_identity) == ("female", "woman")
    assert (second.sex, second.gender_identity) == ("not_known", "not_known")
