"""The professional referral form, the triage queue and the referral page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from carepath.core.models import Role, Task
from carepath.core.services import staff_create
from carepath.referrals.models import Destination, Referral
from carepath.referrals.services import referral_create
from carepath.referrals.triage_services import referrals_first_contact_refresh
from carepath.risk.checklist import DASH_RIC_2009
from carepath.triage.casejson import decision_to_json
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


def form_data(county, *, yes: int, consent="given", **extra):
    data = {
        "victim_given_name": "Imogen",
        "victim_family_name": "Quatermass",
        "victim_date_of_birth": "14/03/1988",
        "victim_sex": "female",
        "consent": consent,
        "safe_phone": "07700 900123",
        "voicemail_safe": "no",
        "text_safe": "yes",
        "letter_safe": "not_known",
        "email_safe": "not_known",
        "district": county["district"].pk,
        "occurred_at": "16/11/2026 22:30",
        "perpetrator_given_name": "Darius",
        "perpetrator_family_name": "Vantablack",
        "relationship": "partner",
        "perpetrator_sex": "male",
        "perpetrator_gender": "man",
        "children-TOTAL_FORMS": "3",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "10",
        "children-0-given_name": "Kit",
        "children-0-age": "4",
        "children-0-present": "yes",
        "children-0-risk_level": "medium",
        "children-1-given_name": "Ash",
        "children-1-age": "9",
        "children-1-present": "yes",
        "children-1-harmed": "on",
        "children-1-risk_level": "high",
    }
    data |= {f"dash_{n}": ("yes" if n <= yes else "no") for n in range(1, 25)}
    return data | extra


@pytest.fixture
def triage_worker(front_door):
    return staff_create(username="mash-worker", agency=front_door, role=Role.TRIAGE, password=PASSWORD)


@pytest.fixture
def marac_coordinator(county, front_door):
    return staff_create(
        username="marac-coordinator", agency=county["agencies"]["marac"], role=Role.MARAC_COORDINATOR, password=PASSWORD
    )


def test_professional_referral_is_scored_routed_and_shown_with_reasons(county, front_door, staff, login, triage_worker):
    officer = login(staff["officer"])
    response = officer.post(reverse("referral_new"), form_data(county, yes=14))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referral_detail", args=[referral.pk])
    assert referral.channel == "professional" and referral.referring_agency == county["agencies"]["police"]
    assert referral.risk_assessment.answers["14"]["answer"] == "yes"

    page = login(triage_worker).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "DASH score of 14 or more (high risk)" in page
    assert "directly harmed: urgent referral" in page and "notify the health visitor" in page
    assert "Contact only by: phone call, text message" in page
    assert "phone_call" not in page  # words, never codes; rule ids only behind "Which rule"
    assert "routing." not in re.sub(r"<details.*?</details>", "", page, flags=re.S)
    assert "Routing rule routing.child_harmed" in page
    # Each family member with their own risk: the harmed child is high, the 4-year-old medium.
    assert page.count('govuk-tag--red">High') >= 2 and 'govuk-tag--orange">Medium' in page


def test_form_errors_are_specific_and_nothing_is_saved(county, front_door, staff, login):
    data = form_data(county, yes=3, consent="refused", judgement_level="high")
    del data["dash_7"]
    page = login(staff["officer"]).post(reverse("referral_new"), data).content.decode()
    assert "Answer DASH question 7: yes, no or don&#x27;t know" in page
    assert "Why was consent refused or not sought?: say why" not in page  # named, not asked again
    assert "Why consent was refused or not sought: say why" in page
    assert "Reason for your judgement: say why you judge the risk to be at this level" in page
    assert Referral.objects.count() == 0


def test_triage_queue_puts_overdue_first_then_highest_risk_then_oldest(county, front_door, login, triage_worker):
    now = datetime.now(UTC)
    old_medium = referral_create(data=police_referral(county, yes=10, reference="A", consent="given")).referral
    new_high = referral_create(data=police_referral(county, yes=16, reference="B")).referral
    older_high = referral_create(data=police_referral(county, yes=15, reference="C")).referral
    Referral.objects.filter(pk=older_high.pk).update(received_at=now - timedelta(days=3))
    Referral.objects.filter(pk=new_high.pk).update(received_at=now - timedelta(hours=1))
    Referral.objects.filter(pk=old_medium.pk).update(received_at=now - timedelta(days=5))
    Task.objects.filter(referral=old_medium).update(due_at=now - timedelta(hours=2))  # missed
    Task.objects.filter(referral__in=[new_high, older_high]).update(due_at=now + timedelta(days=1))
    referrals_first_contact_refresh(referral_ids=[old_medium.pk, new_high.pk, older_high.pk])  # after a bulk update

    page = login(triage_worker).get(reverse("triage_queue")).content.decode()
    order = [page.index(reverse("referral_detail", args=[r.pk])) for r in (old_medium, older_high, new_high)]
    assert order == sorted(order)
    assert page.count("Overdue") == 1


def test_uninvolved_agency_cannot_see_the_referral(county, front_door, staff, login):
    referral = referral_create(data=police_referral(county)).referral
    assert login(staff["outsider"]).get(reverse("referral_detail", args=[referral.pk])).status_code == 404


def test_recording_a_task_keeps_who_and_when(county, front_door, staff, login):
    referral = referral_create(data=police_referral(county, children=())).referral
    task = referral.tasks.get(action_type="idva_referral")
    idva = login(staff["idva"])
    # An outcome without a note of what was done is refused, with the field named.
    response = idva.post(reverse("task_record", args=[task.pk]), {"status": "done"}, follow=True)
    assert "Note: say what was done." in response.content.decode()
    task.refresh_from_db()
    assert task.status == "open"
    note = {"status": "done", "note": "Spoke to her on the safe number"}
    assert idva.post(reverse("task_record", args=[task.pk]), note).status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.done_by == staff["idva"] and task.done_at is not None
    page = idva.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Done by idva" in page and "Spoke to her on the safe number" in page


def test_the_owning_agency_corrects_a_recorded_outcome_and_the_first_is_kept(county, front_door, staff, login):
    referral = referral_create(data=police_referral(county, children=())).referral
    task = referral.tasks.get(action_type="idva_referral")
    idva = login(staff["idva"])
    idva.post(reverse("task_record", args=[task.pk]), {"status": "done", "note": "Engaged"})
    response = idva.post(reverse("task_record", args=[task.pk]), {"status": "not_done", "note": "Wrong victim"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "not_done" and task.note == "Wrong victim"
    assert [h.note for h in task.history.order_by("history_date")][-2:] == ["Engaged", "Wrong victim"]
    assert task.history.latest("history_date").history_change_reason == "Outcome corrected"
    # Another agency cannot correct it.
    assert (
        login(staff["officer"])
        .post(reverse("task_record", args=[task.pk]), {"status": "done", "note": "x"})
        .status_code
        == 404
    )
    task.refresh_from_db()
    assert task.note == "Wrong victim"


def test_an_agency_cannot_record_another_agencys_task(county, front_door, staff, login):
    referral = referral_create(data=police_referral(county)).referral
    task = referral.tasks.get(action_type="idva_referral")
    assert (
        login(staff["officer"])
        .post(reverse("task_record", args=[task.pk]), {"status": "done", "note": "x"})
        .status_code
        == 404
    )
    task.refresh_from_db()
    assert task.status == "open"


def test_marac_referral_is_prefilled_from_the_dash_answers(county, front_door, login, marac_coordinator):
    referral = referral_create(data=police_referral(county, yes=15)).referral
    task = referral.tasks.get(action_type="marac_referral")
    login(marac_coordinator).post(reverse("task_record", args=[task.pk]), {"status": "done"})
    marac = Referral.objects.get(destination=Destination.MARAC)
    assert marac.risk_assessment == referral.risk_assessment  # the same answers, not retyped
    assert marac.decision["marac_criteria"] == ["visible_high_risk"]
    task.refresh_from_db()
    assert task.status == "done"


def test_a_later_event_within_12_months_of_marac_is_a_repeat(county, front_door, login, marac_coordinator):
    from carepath.configuration.definitions import PartnershipSettings
    from carepath.referrals.selectors import victim_history

    referral = referral_create(data=police_referral(county, yes=15)).referral
    login(marac_coordinator).post(
        reverse("task_record", args=[referral.tasks.get(action_type="marac_referral").pk]), {"status": "done"}
    )
    later = datetime.now(UTC) + timedelta(days=100)
    history = victim_history(identity_key=referral.victim.identity, at=later, settings=PartnershipSettings())
    assert history.last_marac_referral_days_ago == 100


def test_referral_page_shows_the_same_decision_as_the_route_rules(county, front_door, login, triage_worker):
    from carepath.configuration.definitions import PartnershipSettings
    from carepath.referrals.services import referral_decide

    data = police_referral(county, yes=15)
    referral = referral_create(data=data).referral
    decision, _ = referral_decide(data, PartnershipSettings(), checklist=DASH_RIC_2009)
    assert referral.decision == decision_to_json(decision)
