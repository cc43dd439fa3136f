"""A page shows what was shared: each agency sees the people its share names and the parts
it lists, every person shown is logged, and a referrer learns nothing of other agencies'
records (no oracle)."""

import re
from dataclasses import replace

import pytest
from django.urls import reverse

from carepath.core.codes import Role
from carepath.core.models import AccessLog
from carepath.core.services import staff_create
from carepath.people.models import Person
from carepath.referrals.intake import ChildDetails
from carepath.referrals.models import Referral
from carepath.referrals.services import referral_create
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral

WHAT_HAPPENED = "He pushed her down the stairs in front of the children."


@pytest.fixture
def referral(county, front_door) -> Referral:
    data = police_referral(county, children=(ChildDetails(given_name="Kit", family_name="Quatermass", age=7),))
    return referral_create(data=replace(data, details=WHAT_HAPPENED)).referral


@pytest.fixture
def safeguarding(county, front_door):
    return staff_create(
        username="childrens-lead",
        agency=county["agencies"]["childrens"],
        role=Role.SAFEGUARDING_LEAD,
        password=PASSWORD,
    )


@pytest.fixture
def triage_worker(front_door):
    return staff_create(username="mash-worker", agency=front_door, role=Role.TRIAGE, password=PASSWORD)


def people_linked_from(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/people/(\d+)/"', html)}


def logged_people(user, referral) -> set[int]:
    return set(
        AccessLog.objects.filter(
            user=user, content_type__model="person", via_id=referral.pk, via_type__model="referral"
        ).values_list("object_id", flat=True)
    )


def test_childrens_services_given_the_children_see_only_the_children(login, safeguarding, referral):
    child = Person.objects.get(given_name="Kit")
    page = login(safeguarding).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Kit Quatermass" in page
    assert "Imogen" not in page and "Darius" not in page and "Vantablack" not in page
    assert WHAT_HAPPENED not in page and "DASH answers" not in page
    assert "2 other people are in this referral but not shared with your agency" in page
    assert people_linked_from(page) == {child.pk} == logged_people(safeguarding, referral)


def test_the_event_page_does_not_show_childrens_services_the_adults(login, safeguarding, referral):
    page = login(safeguarding).get(reverse("event_detail", args=[referral.event_id])).content.decode()
    assert "Imogen" not in page and "Darius" not in page
    assert page.count("Not shared with your agency") == 2


def test_the_idva_sees_the_victim_and_the_perpetrator_and_every_link_opens(login, staff, referral):
    idva = login(staff["idva"])
    page = idva.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Imogen Quatermass" in page and "Darius Vantablack" in page
    assert "Kit" not in page  # the child was not shared with the IDVA service
    assert WHAT_HAPPENED in page and "DASH answers" in page
    linked = people_linked_from(page)
    assert linked == {referral.victim_id, referral.perpetrator_id} == logged_people(staff["idva"], referral)
    for pk in linked:
        assert idva.get(reverse("person_detail", args=[pk])).status_code == 200


def test_the_front_door_sees_everything_and_who_each_share_names(login, triage_worker, referral):
    page = login(triage_worker).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Imogen Quatermass" in page and "Darius Vantablack" in page and "Kit Quatermass" in page
    assert WHAT_HAPPENED in page
    assert "Who this referral was shared with, and why" in page
    assert "A child in the household" in page and "The person causing harm" in page


def test_a_referrer_sees_an_acknowledgement_not_other_agencies_records(login, staff, triage_worker, referral):
    # As if the front door had found earlier events and a serial perpetrator in other agencies' records.
    decision = referral.decision | {
        "marac_criteria": ["visible_high_risk", "potential_escalation"],
        "flags": ["serial_perpetrator"],
        "messages": ["Perpetrator flagged (serial perpetrator): list for the panel."],
    }
    Referral.objects.filter(pk=referral.pk).update(decision=decision)

    police = login(staff["officer"]).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Received by the One Front Door" in police
    assert "DASH score of 14 or more (high risk)" in police  # from what the police sent
    assert "otential escalation" not in police and "Serial perpetrator" not in police
    assert "Perpetrator flagged" not in police and "records held by" not in police
    # Tasks: only those the police own, not the IDVA's or MARAC's.
    assert "Risk-management plan for the perpetrator" in police and "IDVA referral" not in police

    front_door = login(triage_worker).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Potential escalation" in front_door and "Serial perpetrator" in front_door
