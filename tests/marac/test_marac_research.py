"""Research before the MARAC meeting (issue 13, 2): each invited agency is given the case
and a task due before the meeting, returns what it holds, and reads only its own."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carepath.core.codes import ActionType, TaskStatus
from carepath.core.models import InformationShare, Role, Task
from carepath.core.services import staff_create
from carepath.marac.models import MaracResearch
from carepath.marac.services import marac_referral_accept, marac_research_request, marac_research_return
from tests.marac.factories import NOW, marac_referral


@pytest.fixture
def listed(county, marac, coordinator):
    return marac_referral_accept(referral=marac_referral(county, coordinator), user=coordinator, now=NOW)


def test_invited_agencies_get_the_case_a_task_and_a_deadline_before_the_meeting(
    county,
    listed,
    coordinator,
):
    police, housing = county["agencies"]["police"], county["agencies"]["housing"]
    made = marac_research_request(case=listed, agencies=[police, housing, police], user=coordinator, now=NOW)
    assert {r.agency for r in made} == {police, housing}
    # The meeting is on Tuesday 8 December at 10:00: research is due two working days before.
    assert {r.due_at for r in made} == {datetime(2026, 12, 4, 10, 0, tzinfo=UTC)}
    tasks = Task.objects.filter(action_type=ActionType.MARAC_RESEARCH, object_id=listed.pk)
    assert {t.owner_agency for t in tasks} == {police, housing}
    share = InformationShare.objects.get(object_id=listed.pk, shared_with=housing)
    # What, why and on what footing: she consented to the referral, so no other basis is needed.
    assert share.consent == "given" and share.lawful_basis == "" and "risk-management plan" in share.why
    refused = marac_referral(county, coordinator)
    type(refused).objects.filter(pk=refused.pk).update(consent="refused")
    other = marac_referral_accept(referral=refused, user=coordinator, now=NOW)
    marac_research_request(case=other, agencies=[housing], user=coordinator, now=NOW)
    without_consent = InformationShare.objects.get(object_id=other.pk, shared_with=housing)
    assert without_consent.consent == "refused" and "DPA 2018" in without_consent.lawful_basis
    assert marac_research_request(case=listed, agencies=[police], user=coordinator, now=NOW) == []  # asked once


def test_research_returned_by_one_agency_and_overdue_for_another(county, listed, coordinator, login):
    police, housing = county["agencies"]["police"], county["agencies"]["housing"]
    marac_research_request(case=listed, agencies=[police, housing], user=coordinator, now=NOW)
    officer = staff_create(username="officer-r", agency=police, role=Role.TRIAGE, password="p" * 20)
    housing_officer = staff_create(username="housing-r", agency=housing, role=Role.CASEWORKER, password="h" * 20)
    page = login(officer).get(reverse("marac_case_detail", args=[listed.pk])).content.decode()
    assert "Your agency's research" in page and "Ask agencies for research" not in page

    with pytest.raises(ValidationError, match="holds nothing"):
        marac_research_return(research=MaracResearch.objects.get(agency=police), user=officer)
    login(officer).post(
        reverse("marac_research_return", args=[listed.pk]),
        {"victim": "Three call-outs this year.", "perpetrator": "Bail conditions: no contact."},
    )
    returned = MaracResearch.objects.get(agency=police)
    assert returned.returned_at and returned.perpetrator == "Bail conditions: no contact."
    assert Task.objects.get(action_type=ActionType.MARAC_RESEARCH, owner_agency=police).status == TaskStatus.DONE
    assert InformationShare.objects.filter(object_id=listed.pk, shared_with=county["agencies"]["marac"]).exists()
    with pytest.raises(PermissionDenied):
        marac_research_return(research=MaracResearch.objects.get(agency=housing), user=officer, victim="x")

    # Housing's research was due on 4 December: after it, the coordinator sees it overdue.
    MaracResearch.objects.filter(agency=housing).update(due_at=datetime.now(UTC) - timedelta(hours=1))
    coordinator_page = login(coordinator).get(reverse("marac_case_detail", args=[listed.pk])).content.decode()
    assert "Three call-outs this year." in coordinator_page and "Overdue" in coordinator_page
    # Housing reads its own form, never the police's research.
    housing_page = login(housing_officer).get(reverse("marac_case_detail", args=[listed.pk])).content.decode()
    assert "Overdue" in housing_page and "Three call-outs" not in housing_page and "Bail conditions" not in housing_page


def test_only_the_coordination_asks_for_research_on_a_listed_case(county, listed, coordinator, staff):
    with pytest.raises(PermissionDenied):
        marac_research_request(case=listed, agencies=[county["agencies"]["police"]], user=staff["officer"])
