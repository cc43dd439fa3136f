"""The DASH completed later by the front door: until then the history criteria still send a
repeat to MARAC; once done, the referral is routed again and the earlier decision kept."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carepath.core.models import Agency, AgencyType, InformationShare, Role
from carepath.core.services import staff_create
from carepath.referrals.intake import DashAnswer, PersonDetails, ReferralInput, SafeContactDetails
from carepath.referrals.models import Referral, ReferralDecision
from carepath.referrals.services import marac_referral_create, referral_create, referral_risk_assess
from carepath.risk.checklist import DASH_RIC_2009
from tests.conftest import PASSWORD, without_csrf_tokens
from tests.people.test_identity_services import FIRST_INCIDENT, incident, linked_county  # noqa: F401
from tests.referrals.test_referral_create import police_referral


def test_a_repeat_victim_who_self_refers_goes_to_marac_whatever_her_score(linked_county):  # noqa: F811
    coordinator = staff_create(
        username="marac",
        agency=Agency.objects.get(agency_type=AgencyType.MARAC),
        role=Role.MARAC_COORDINATOR,
        password="x" * 16,
    )
    first = referral_create(
        data=ReferralInput(
            **{**incident(linked_county, reference="M-1", when=FIRST_INCIDENT).__dict__, "dash_score": 16}
        )
    ).referral
    marac_referral_create(referral=first, user=coordinator)
    # Four months later she refers herself, with no DASH: her risk is not known yet.
    police_details = incident(linked_county, reference="x", when=FIRST_INCIDENT).victim
    self_referral = referral_create(
        data=ReferralInput(
            channel="self",
            received_at=FIRST_INCIDENT + timedelta(days=120),
            consent="given",
            victim=PersonDetails(**{**police_details.__dict__, "given_name": "Liz"}),
            safe_contact=SafeContactDetails(safe_phone="07700 900456"),
        )
    ).referral
    assert self_referral.victim.identity == first.victim.identity
    assert self_referral.risk_level == "" and self_referral.decision["risk_level"] is None
    assert self_referral.decision["marac_criteria"] == ["repeat"]
    tasks = {t.action_type: t for t in self_referral.tasks.all()}
    assert {"marac_referral", "idva_referral", "dash_assessment"} <= set(tasks)
    assert tasks["idva_referral"].contact_channels == ["phone_call"]


MONDAY_10AM = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def mash_worker(front_door):
    return staff_create(username="mash-worker", agency=front_door, role=Role.TRIAGE, password=PASSWORD)


def self_referral(**extra) -> Referral:
    data = ReferralInput(
        channel="self",
        received_at=MONDAY_10AM,
        consent="given",
        victim=PersonDetails(given_name="Sam", family_name="Lee", date_of_birth=date(1990, 4, 2)),
        perpetrator=PersonDetails(given_name="Darius", family_name="Vantablack", age=41),
        relationship="ex_partner",
        safe_contact=SafeContactDetails(safe_phone="07700 900456", text_safe="yes"),
        **extra,
    )
    return referral_create(data=data).referral


def answers(yes: int) -> dict[int, DashAnswer]:
    return {q: DashAnswer(answer="yes" if q <= yes else "no", source="victim") for q in DASH_RIC_2009.numbers}


def test_completing_the_checklist_routes_the_referral_again_and_keeps_the_first_decision(
    county, front_door, mash_worker
):
    referral = self_referral()
    first_decision = referral.decision
    assert set(referral.tasks.values_list("action_type", flat=True)) == {"dash_assessment"}

    referral_risk_assess(referral=referral, answers=answers(14), channel="phone_call", user=mash_worker)

    referral.refresh_from_db()
    assert referral.risk_level == "high" and referral.risk_assessment.score == 14
    assert referral.risk_assessment.checklist.version == "2009"
    assert referral.decision["marac_criteria"] == ["visible_high_risk"]
    tasks = {t.action_type: t for t in referral.tasks.all()}
    assert {"marac_referral", "idva_referral", "perpetrator_risk_plan", "dash_assessment"} == set(tasks)
    assert tasks["dash_assessment"].status == "done" and tasks["dash_assessment"].done_by == mash_worker
    assert tasks["idva_referral"].owner_agency == county["agencies"]["idva"]
    assert tasks["idva_referral"].contact_channels == ["phone_call", "text"]
    # The IDVA service is given the victim and the person causing harm, to plan her safety.
    idva_share = InformationShare.objects.get(shared_with=county["agencies"]["idva"])
    assert set(idva_share.people.all()) == {referral.victim, referral.perpetrator}
    assert idva_share.subject == referral
    assert InformationShare.objects.filter(shared_with=county["agencies"]["marac"]).exists()
    [kept] = ReferralDecision.objects.filter(referral=referral)
    assert kept.earlier == first_decision and kept.earlier["risk_level"] is None
    assert (
        kept.decision == referral.decision and kept.decided_by == mash_worker and kept.contact_channel == "phone_call"
    )


def test_a_lower_reassessment_removes_no_task_and_says_what_changed(county, front_door, mash_worker, login):
    referral = self_referral()
    referral_risk_assess(referral=referral, answers=answers(14), channel="phone_call", user=mash_worker)
    tasks_after_first = set(referral.tasks.values_list("pk", flat=True))
    shares_after_first = InformationShare.objects.count()

    referral_risk_assess(referral=referral, answers=answers(9), channel="text", user=mash_worker)

    referral.refresh_from_db()
    assert referral.risk_level == "medium"
    assert tasks_after_first <= set(referral.tasks.values_list("pk", flat=True))  # nothing removed
    assert referral.tasks.filter(action_type="idva_referral", status="open").count() == 1
    assert InformationShare.objects.count() == shares_after_first + 0  # the IDVA service already holds it all
    assert ReferralDecision.objects.filter(referral=referral).count() == 2

    page = login(mash_worker).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "What changed" in page
    assert "From high (DASH score 14) to medium (DASH score 9)" in page
    assert "From not assessed to high (DASH score 14)" in page  # the earlier change, kept
    assert "DASH score of 14 or more (high risk)" in page  # no longer met, in words
    assert "Their tasks stay" in page
    read = re.sub(r"<details.*?</details>", "", page, flags=re.S)  # rule ids only behind "Which rule"
    assert "visible_high_risk" not in read and "marac_referral" not in read


def test_a_channel_the_victim_has_not_said_is_safe_is_refused(county, front_door, mash_worker):
    referral = self_referral()
    with pytest.raises(ValidationError) as refused:
        referral_risk_assess(referral=referral, answers=answers(14), channel="email", user=mash_worker)
    assert "Safe ways: phone call, text message" in refused.value.message_dict["channel"][0]
    referral.refresh_from_db()
    assert referral.risk_assessment is None and not ReferralDecision.objects.exists()


def test_the_front_door_completes_the_checklist_on_the_referral_page(county, front_door, mash_worker, login):
    referral = self_referral()
    browser = login(mash_worker)
    detail = browser.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Complete the risk checklist" in detail
    form = browser.get(reverse("referral_risk_assess", args=[referral.pk])).content.decode()
    assert "15. Has the abuser ever attempted to strangle, choke, suffocate or drown you?" in form
    assert 'value="phone_call"' in form and 'value="email"' not in form  # only the safe channels
    assert "Sam Lee" not in form.split("<title>")[1].split("</title>")[0]

    posted = {f"dash_{n}": "yes" if n <= 14 else "dont_know" for n in DASH_RIC_2009.numbers} | {"channel": "text"}
    response = browser.post(reverse("referral_risk_assess", args=[referral.pk]), posted)
    assert response.status_code == 302 and response["Location"] == reverse("referral_detail", args=[referral.pk])
    detail = browser.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "From not assessed to high (DASH score 14)" in detail and "risk checklist by text message" in detail
    assert "Re-assess the risk" in detail


def test_a_missing_answer_or_an_unsafe_channel_is_named_on_the_page(county, front_door, mash_worker, login):
    referral = self_referral()
    posted = {f"dash_{n}": "no" for n in DASH_RIC_2009.numbers if n != 7} | {"channel": "email"}
    page = login(mash_worker).post(reverse("referral_risk_assess", args=[referral.pk]), posted)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Answer DASH question 7: yes, no or don&#x27;t know" in text
    assert "Choose how you reached the victim" in text or "Select a valid choice" in text
    assert ReferralDecision.objects.count() == 0


def test_the_referrer_and_an_uninvolved_agency_get_the_404_of_a_missing_referral(
    county, front_door, staff, login, mash_worker
):
    referral = referral_create(data=police_referral(county, yes=15)).referral
    for user in (staff["officer"], staff["outsider"], staff["idva"]):
        browser = login(user)
        missing = browser.get(reverse("referral_risk_assess", args=[referral.pk + 1000]))
        for response in (
            browser.get(reverse("referral_risk_assess", args=[referral.pk])),
            browser.post(reverse("referral_risk_assess", args=[referral.pk]), {"channel": "phone_call"}),
        ):
            assert response.status_code == 404 and without_csrf_tokens(response) == without_csrf_tokens(missing)
    assert (
        "Re-assess the risk"
        not in login(staff["officer"]).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    )
    assert ReferralDecision.objects.count() == 0
