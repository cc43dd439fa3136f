"""Every channel ends in referral_create: people, event, DASH, decision, tasks, shares."""

from datetime import UTC, date, datetime

from django.urls import reverse

from carepath.core.models import InformationShare, Task
from carepath.people.models import Person
from carepath.referrals.intake import ChildDetails, DashAnswer, PersonDetails, ReferralInput, SafeContactDetails
from carepath.referrals.models import Referral
from carepath.referrals.services import referral_create
from carepath.risk.checklist import DASH_RIC_2009

MONDAY_10AM = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def dash(yes: int) -> dict[int, DashAnswer]:
    return {q: DashAnswer(answer="yes" if q <= yes else "no", source="victim") for q in DASH_RIC_2009.numbers}


def police_referral(county, *, yes=15, reference="INC-77", consent="refused", children=()) -> ReferralInput:
    return ReferralInput(
        channel="police_import",
        received_at=MONDAY_10AM,
        occurred_at=MONDAY_10AM,
        referring_agency_id=county["agencies"]["police"].pk,
        district_id=county["district"].pk,
        victim=PersonDetails(
            given_name="Imogen", family_name="Quatermass", date_of_birth=date(1990, 1, 1), sex="female"
        ),
        perpetrator=PersonDetails(given_name="Darius", family_name="Vantablack", age=40, sex="male"),
        relationship="partner",
        dash_answers=dash(yes),
        consent=consent,
        consent_reason="Victim too frightened",
        crime_recorded=True,
        children=children,
        external_reference=reference,
        safe_contact=SafeContactDetails(safe_phone="07700 900123", text_safe="no"),
    )


def test_high_risk_police_referral_creates_tasks_with_deadlines_and_shares(county, front_door, staff):
    result = referral_create(data=police_referral(county, children=(ChildDetails(given_name="Kit", age=3),)))
    referral = result.referral
    assert result.created and referral.risk_level == "high"
    assert referral.risk_assessment.score == 15
    assert referral.risk_assessment.answers["16"] == {"answer": "no", "source": "victim", "comment": ""}
    assert referral.decision["marac_criteria"] == ["visible_high_risk"]
    tasks = {t.action_type: t for t in referral.tasks.all()}
    assert set(tasks) >= {
        "marac_referral",
        "idva_referral",
        "children_services_notification",
        "health_visitor_notification",
    }
    assert tasks["idva_referral"].owner_agency == county["agencies"]["idva"]
    assert tasks["idva_referral"].due_at == datetime(2026, 11, 17, 10, 0, tzinfo=UTC)  # 1 working day
    assert tasks["idva_referral"].contact_channels == ["phone_call"]  # texts were marked unsafe
    assert "DPA 2018" in tasks["idva_referral"].lawful_basis
    # The IDVA service is given the victim and the perpetrator (to plan around him), not the child.
    idva_share = InformationShare.objects.get(shared_with=county["agencies"]["idva"])
    assert set(idva_share.people.all()) == {referral.victim, referral.perpetrator}
    assert idva_share.subject == referral and idva_share.consent == "refused"
    assert "DPA 2018" in idva_share.lawful_basis and "safe_contact" in idva_share.parts
    # Children's services are given the child, not the adults.
    childrens_share = InformationShare.objects.get(shared_with=county["agencies"]["childrens"])
    assert [p.given_name for p in childrens_share.people.all()] == ["Kit"]
    assert "details" not in childrens_share.parts and "dash_answers" not in childrens_share.parts


def test_share_opens_the_people_it_names_to_the_receiving_agency_only(county, front_door, staff, login):
    referral = referral_create(data=police_referral(county)).referral
    idva = login(staff["idva"])
    assert idva.get(reverse("person_detail", args=[referral.victim.pk])).status_code == 200
    assert idva.get(reverse("person_detail", args=[referral.perpetrator.pk])).status_code == 200
    assert login(staff["outsider"]).get(reverse("person_detail", args=[referral.victim.pk])).status_code == 404


def test_resending_the_same_reference_adds_nothing(county, front_door):
    first = referral_create(data=police_referral(county))
    again = referral_create(data=police_referral(county))
    assert not again.created and again.referral == first.referral
    assert Referral.objects.count() == 1 and Person.objects.count() == 2


def test_public_self_referral_without_dash_is_assessed_by_the_front_door(county, front_door):
    data = ReferralInput(
        channel="self",
        received_at=MONDAY_10AM,
        consent="given",
        victim=PersonDetails(given_name="Sam", family_name="Lee"),
        safe_contact=SafeContactDetails(safe_phone="07700 900456", text_safe="yes"),
    )
    referral = referral_create(data=data).referral
    assert referral.referring_agency is None and referral.victim.recorded_by == front_door
    [task] = referral.tasks.all()
    assert task.action_type == "dash_assessment" and task.owner_agency == front_door
    assert task.contact_channels == ["phone_call", "text"]
    assert referral.risk_level == ""


def test_medium_risk_with_consent_refused_makes_no_caseworker_task(county, front_door):
    referral = referral_create(data=police_referral(county, yes=10, consent="refused")).referral
    assert not Task.objects.filter(referral=referral, action_type="caseworker_referral").exists()
    assert any("Consent refused" in m for m in referral.decision["messages"])


def test_a_15_year_old_self_referral_goes_to_childrens_services_not_a_dash(county, front_door):
    data = ReferralInput(
        channel="self", received_at=MONDAY_10AM, consent="given", victim=PersonDetails(given_name="Jo", age=15)
    )
    referral = referral_create(data=data).referral
    [task] = referral.tasks.all()
    assert task.action_type == "child_safeguarding_only"
    assert task.owner_agency == county["agencies"]["childrens"]


def test_an_officers_grade_above_the_score_is_their_professional_judgement(county, front_door):
    """A force grading "high" with 10 ticks: the officer's grade raises the level, with the
    grade as the reason, and so meets the professional-judgement MARAC criterion."""
    from dataclasses import replace

    referral = referral_create(data=replace(police_referral(county, yes=10), officer_grade="high")).referral
    assert referral.risk_level == "high" and referral.risk_assessment.score == 10
    assert referral.decision["marac_criteria"] == ["professional_judgement"]
    assert (referral.risk_assessment.judgement_level, referral.risk_assessment.judgement_reason) == (
        "high",
        "The officer's grade",
    )


def test_an_officers_grade_below_the_score_never_lowers_it(county, front_door):
    from dataclasses import replace

    referral = referral_create(data=replace(police_referral(county, yes=15), officer_grade="standard")).referral
    assert referral.risk_level == "high" and referral.decision["marac_criteria"] == ["visible_high_risk"]
    assert referral.risk_assessment.judgement_level == ""
    assert not any("cannot lower" in m for m in referral.decision["messages"])


def test_the_referring_force_owns_the_perpetrator_plan_not_a_neighbouring_force(county, front_door):
    from carepath.core.models import Agency, AgencyType

    Agency.objects.create(partnership=county["partnership"], name="Anotherford Police", agency_type=AgencyType.POLICE)
    referral = referral_create(data=police_referral(county, yes=15)).referral
    plan = referral.tasks.get(action_type="perpetrator_risk_plan")
    assert plan.owner_agency == county["agencies"]["police"]
    assert not referral.shares.filter(shared_with__name="Anotherford Police").exists()
