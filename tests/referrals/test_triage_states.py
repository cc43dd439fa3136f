"""Triage that ends: a referral is taken by a named worker, then routed or closed with an
outcome, and leaves the queue; the queue shows missed deadlines first across all of it."""

import dataclasses
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carepath.core.models import Role, Task
from carepath.core.services import staff_create
from carepath.referrals.intake import ChildDetails
from carepath.referrals.models import Referral
from carepath.referrals.services import referral_create, referrals_create
from tests.conftest import PASSWORD
from tests.referrals.test_referral_create import police_referral


@pytest.fixture
def team(front_door):
    make = lambda username, **kw: staff_create(  # noqa: E731
        username=username, agency=front_door, role=Role.TRIAGE, password=PASSWORD, **kw
    )
    return {"ann": make("ann"), "bo": make("bo"), "sup": make("supervisor", is_supervisor=True)}


def arrived(county, *, days_ago=0, yes=15, reference="INC-1", **changes):
    now = timezone.now() - timedelta(days=days_ago)
    data = police_referral(county, yes=yes, reference=reference, **changes)
    return dataclasses.replace(data, received_at=now, occurred_at=now)


def queue_page(client, **params) -> str:
    return client.get(reverse("triage_queue"), params).content.decode()


def test_a_worker_takes_a_referral_routes_it_and_it_leaves_the_queue(county, front_door, team, login):
    referral = referral_create(data=arrived(county)).referral
    ann = login(team["ann"])
    assert "Quatermass" in queue_page(ann)

    ann.post(reverse("referral_take", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == "in_triage" and referral.triage_owner == team["ann"]
    # Someone else cannot take it from her.
    login(team["bo"]).post(reverse("referral_take", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.triage_owner == team["ann"]

    ann.post(reverse("referral_routed", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == "routed" and referral.status_changed_by == team["ann"]
    assert "Quatermass" not in queue_page(ann)
    page = ann.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Triage: routed" in page and "Taken into triage" in page and "ann" in page


def test_routing_waits_for_the_risk_checklist(county, front_door, team, login):
    no_dash = dataclasses.replace(arrived(county), dash_answers=None, dash_score=None)
    referral = referral_create(data=no_dash).referral
    ann = login(team["ann"])
    ann.post(reverse("referral_take", args=[referral.pk]))
    response = ann.post(reverse("referral_routed", args=[referral.pk]), follow=True)
    referral.refresh_from_db()
    assert referral.status == "in_triage"
    assert "Complete the risk checklist first" in response.content.decode()


def test_closing_needs_an_outcome_and_why_and_leaves_children_notified(county, front_door, team, login):
    data = arrived(county, yes=3, consent="not_sought", children=(ChildDetails(given_name="Kit", age=3),))
    referral = referral_create(data=data).referral
    ann = login(team["ann"])
    response = ann.post(reverse("referral_close", args=[referral.pk]), {"outcome": "", "note": ""}, follow=True)
    assert "Outcome: choose why the referral is closed." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "new"

    ann.post(reverse("referral_close", args=[referral.pk]), {"outcome": "duplicate", "note": "Same as INC-0"})
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.get_closure_outcome_display() == "Duplicate of another referral"
    assert "Quatermass" not in queue_page(ann)
    tasks = {t.action_type: t.status for t in referral.tasks.all()}
    assert tasks["signpost_universal"] == "not_done"  # the front door's own work ends with it
    assert tasks["children_services_notification"] == "open"  # the child is still safeguarded
    # Even one the front door holds because no health visiting service is set up.
    assert tasks["health_visitor_notification"] == "open"
    assert referral.tasks.get(action_type="health_visitor_notification").owner_agency == front_door

    # The queue's deadline follows the tasks closed with it: only the children's remain open.
    assert referral.first_contact_due_at is None

    ann.post(reverse("referral_reopen", args=[referral.pk]), {"note": "Not a duplicate after all"})
    referral.refresh_from_db()
    assert referral.status == "in_triage" and referral.closure_outcome == ""
    assert "Quatermass" in queue_page(ann)


def test_another_agency_cannot_move_the_referral(county, front_door, team, staff, login):
    referral = referral_create(data=arrived(county)).referral
    for user in (staff["officer"], staff["outsider"]):  # the referrer, and an uninvolved agency
        response = login(user).post(reverse("referral_take", args=[referral.pk]))
        referral.refresh_from_db()
        assert referral.status == "new" and referral.triage_owner is None
        if user == staff["outsider"]:
            assert response.status_code == 404


def test_a_supervisor_passes_work_on_and_sees_the_teams_load(county, front_door, team, login):
    first = referral_create(data=arrived(county, reference="A")).referral
    late = referral_create(data=arrived(county, reference="B", days_ago=10)).referral
    login(team["ann"]).post(reverse("referral_take", args=[first.pk]))
    sup = login(team["sup"])
    sup.post(reverse("referral_assign", args=[late.pk]), {"owner": team["bo"].pk})
    late.refresh_from_db()
    assert late.triage_owner == team["bo"]

    page = queue_page(sup)
    assert "The team's load" in page
    load = page.split("The team's load")[1].split("</table>")[0]
    bo_row = load.split(">bo<")[1].split("</tr>")[0]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Open">1</td>' in bo_row
    assert 'govuk-tag--red">1<' in bo_row  # his one referral is overdue
    assert "The team's load" not in queue_page(login(team["ann"]))  # only supervisors


def test_filters_narrow_the_queue_and_bad_filters_are_not_an_error(county, front_door, team, login):
    referral_create(data=arrived(county, reference="HIGH"))
    referral_create(
        data=dataclasses.replace(
            arrived(county, reference="MED", yes=9),
            victim=dataclasses.replace(arrived(county).victim, family_name="Mediumson"),
        )
    )
    ann = login(team["ann"])
    page = queue_page(ann, risk="medium")
    assert "Mediumson" in page and "Quatermass" not in page
    assert "Quatermass" in queue_page(ann, channel="police_import", owner="nobody", age="today")
    response = ann.get(reverse("triage_queue"), {"risk": "purple", "area": "x", "page": "zz"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_an_overdue_old_low_risk_referral_is_on_the_first_page_of_2000(county, front_door, team, login):
    """Ordering by risk and age alone would put it on page 40."""
    recent_high = [arrived(county, reference=f"H{i}") for i in range(1999)]
    overdue = arrived(county, reference="OLD", yes=9, consent="not_sought", days_ago=20)
    overdue = dataclasses.replace(overdue, victim=dataclasses.replace(overdue.victim, family_name="Oldfield"))
    referrals_create([*recent_high, overdue], link_people=False)
    assert Referral.objects.filter(status="new").count() == 2000
    assert Task.objects.filter(referral__external_reference="OLD", due_at__lt=timezone.now()).exists()

    page = queue_page(login(team["ann"]))
    first_row = page.split('<tbody class="govuk-table__body">')[-1].split("</tr>")[0]
    assert "Oldfield" in first_row and "Overdue" in first_row
    assert "2000 open referrals" in page and "Page 1 of 40" in page


def test_the_triage_queue_is_the_front_doors_not_a_police_officers(county, front_door, team, staff, login):
    officer = login(staff["officer"])  # a police officer in the triage role
    assert "Triage queue" not in officer.get(reverse("home")).content.decode()
    assert officer.get(reverse("triage_queue")).status_code == 403
    assert "Triage queue" in login(team["ann"]).get(reverse("home")).content.decode()
