"""What the worker records on the case beyond contact (issue 14, 3-5): DASH re-assessment
with the change in risk, her needs and intake scores, texts and emails from the case page
with what became of them, her lead worker across services and over time, and the
first-contact clock over a bank holiday."""

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carepath.casework import rules
from carepath.casework.models import Case, Message, Reassessment, Service, ServiceKind, Worker
from carepath.casework.services import case_allocate, case_needs_record, case_reassess, case_status_move
from carepath.core.models import Role
from carepath.core.services import staff_create
from carepath.people.models import Person, SafeContact
from carepath.referrals.services import referral_create
from carepath.risk.dash import Judgement
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import dash, police_referral

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def case(routed, workers):
    return case_allocate(task=routed, worker=workers["kim"], user=workers["manager"].user)


def test_the_change_in_risk_is_said_in_words():
    high, medium = rules.RiskPoint("high", 16), rules.RiskPoint("medium", 11)
    assert rules.risk_change_words(None, high) == "First assessment: high risk (score 16)."
    assert rules.risk_change_words(high, medium) == "Risk fell from high risk (score 16) to medium risk (score 11)."
    assert rules.risk_change_words(medium, high) == "Risk rose from medium risk (score 11) to high risk (score 16)."
    assert (
        rules.risk_change_words(high, rules.RiskPoint("high", 19)) == "Still high risk; the score is higher, 16 to 19."
    )
    assert rules.risk_change_words(rules.RiskPoint("high", None), high) == "No change: high risk (score 16)."


def test_a_re_assessment_changes_the_cases_risk_and_keeps_the_one_before(case, workers, staff):
    kim = workers["kim"].user
    with pytest.raises(PermissionDenied):
        case_reassess(case=case, user=staff["outsider"], answers=dash(5))
    with pytest.raises(ValidationError, match="question 2 has no answer"):
        case_reassess(case=case, user=kim, answers={1: dash(5)[1]})
    lower = case_reassess(case=case, user=kim, answers=dash(5))
    case.refresh_from_db()
    assert case.risk_level == "standard"
    assert (lower.earlier_level, lower.earlier_score) == ("high", 15)  # the referral's DASH
    assert (lower.assessment.score, lower.assessment.person_id) == (5, case.victim_id)
    # Professional judgement raises the level, with its reason; the earlier is the last re-assessment.
    raised = case_reassess(case=case, user=kim, answers=dash(6), judgement=Judgement("high", "Threats to kill"))
    case.refresh_from_db()
    assert case.risk_level == "high" and (raised.earlier_level, raised.earlier_score) == ("standard", 5)
    assert raised.assessment.judgement_reason == "Threats to kill"


def test_the_idva_re_assesses_on_the_page_and_sees_the_change(case, workers, staff, login):
    kim = login(workers["kim"].user)
    url = reverse("casework_reassess", args=[case.pk])
    form = {f"dash_{q}": answer.answer for q, answer in dash(11).items()}
    missing = kim.post(url, {k: v for k, v in form.items() if k != "dash_3"})
    assert missing.status_code == 400 and "Answer DASH question 3" in missing.content.decode()
    assert not Reassessment.objects.exists()
    unexplained = kim.post(url, form | {"judgement_level": "high"})
    assert unexplained.status_code == 400 and "Say why you judge the risk" in unexplained.content.decode()
    assert kim.post(url, form).status_code == 302
    page = kim.get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert "First assessment: high risk (score 15)." in page
    assert "Risk fell from high risk (score 15) to medium risk (score 11)." in page
    # Nobody outside the case's agency reaches the form.
    assert login(staff["outsider"]).get(url).status_code == 404


def test_her_needs_and_intake_scores_are_recorded_and_checked(case, workers, login):
    kim = workers["kim"].user
    with pytest.raises(ValidationError, match="each from 1 to 10"):
        case_needs_record(
            case=case, user=kim, needs=[], intake_scores={"safety": 11, "wellbeing": 3, "quality_of_life": 4}
        )
    page = login(kim)
    bad = page.post(reverse("casework_needs", args=[case.pk]), {"needs": ["housing"], "score_safety": "0"})
    assert bad.status_code == 400 and "Score her safety at intake from 1 to 10" in bad.content.decode()
    page.post(
        reverse("casework_needs", args=[case.pk]),
        {
            "needs": ["housing", "family_court"],
            "needs_notes": "Needs a non-molestation order",
            "score_safety": "3",
            "score_wellbeing": "4",
            "score_quality_of_life": "5",
        },
    )
    case.refresh_from_db()
    assert case.needs == ["family_court", "housing"] and case.intake_scores["safety"] == 3
    shown = page.get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert "Family court, Housing" in shown and "3 of 10 at intake" in shown


def test_a_text_goes_only_by_a_safe_channel_and_what_became_of_it_is_on_the_case(case, workers, login, settings):
    kim = login(workers["kim"].user)
    url = reverse("casework_message_send", args=[case.pk])
    # Texts are not safe for her: the page does not offer them and the post is refused.
    assert (
        'name="channel" value="text"' not in kim.get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    )
    refused = kim.post(url, {"channel": "text", "kind": "call_back", "number": "01632 960000"})
    assert refused.status_code == 400 and not Message.objects.exists()
    SafeContact.objects.filter(person_id=case.victim_id).update(text_safe="yes")
    sent = kim.post(url, {"channel": "text", "kind": "call_back", "number": "01632 960000"}, follow=True)
    [message] = Message.objects.all()
    assert message.status == "by_hand"  # no Notify key in the tests: kept, to send by hand
    page = sent.content.decode()
    assert "Please call me back on a number" in page and "To send by hand" in page
    # A neutral message may not say what it is about.
    giveaway = kim.post(
        url, {"channel": "text", "kind": "appointment_reminder", "when": "Friday", "where": "the refuge"}
    )
    assert giveaway.status_code == 400 and "cannot say “refuge”" in giveaway.content.decode()


def test_the_lead_worker_follows_her_across_services_and_over_time(case, workers, idva_service, county, login):
    kim = workers["kim"].user
    case_status_move(case=case, user=kim, to_status=rules.CONTACTING)
    case_status_move(case=case, user=kim, to_status=rules.DECLINED)
    # She is referred again, later, to the agency's other service: the manager is told Kim knows her.
    outreach = Service.objects.create(agency=idva_service.agency, name="Testshire Outreach", kind=ServiceKind.OUTREACH)
    manager = staff_create(username="outreach-lead", agency=idva_service.agency, role=Role.IDVA, password=PASSWORD)
    Worker.objects.create(user=manager, service=outreach, is_manager=True)
    kim_worker = workers["kim"]
    kim_worker.service = outreach
    kim_worker.save()
    again = referral_create(
        data=replace(
            police_referral(county, yes=15, reference="INC-502", consent="given"),
            received_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        )
    ).referral
    # Identity resolution has linked the new referral's record to hers.
    Person.objects.filter(pk=again.victim_id).update(identity_key=case.victim.identity)
    page = login(manager).get(reverse("casework_allocate")).content.decode()
    assert f"Referral {again.pk}" in page and "Worked with idva-kim before (Testshire IDVA Service)" in page
    assert "idva-kim (knows her)" in page


def test_the_first_contact_clock_counts_working_days_over_christmas(county, front_door, workers, login):
    # Thursday 24 December 2026, 17:00 in London. Christmas Day and Boxing Day (a Saturday,
    # so Monday 28th instead) are bank holidays: one working day later is Tuesday 29th, 17:00.
    christmas_eve = datetime(2026, 12, 24, 17, 0, tzinfo=UTC)
    referral = referral_create(
        data=replace(police_referral(county, yes=15, reference="INC-503", consent="given"), received_at=christmas_eve)
    ).referral
    task = referral.tasks.get(action_type="idva_referral")
    case = case_allocate(task=task, worker=workers["kim"], user=workers["manager"].user)
    assert case.first_contact_due == datetime(2026, 12, 29, 17, 0, tzinfo=LONDON)
    page = login(workers["kim"].user).get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert "Due 29 Dec 2026, 17:00" in page
    assert Case.objects.get(pk=case.pk).first_contact_due.astimezone(LONDON).hour == 17
