"""The panel's pages: a police analyst sees the ranked list with each score's parts, makes
a plan (bad input is a clear error, never a server error), the plan comes up at the meeting
that reviews it; other agencies are refused; the victim's IDVA sees one sentence on her case
and never his other victim."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carepath.casework.services import case_allocate
from carepath.core.models import AccessLog
from carepath.events.models import Event
from carepath.people.models import Person
from carepath.perpetrators import panel_selectors
from carepath.perpetrators.models import PanelMeeting, PerpetratorPlan, PlanStatus
from tests.casework.conftest import idva_service, routed, workers  # noqa: F401 - her IDVA case

_made = iter(range(1, 10_000))


def person(county, given, family, **kw) -> Person:
    return Person.objects.create(recorded_by=county["agencies"]["police"], given_name=given, family_name=family, **kw)


def event(county, *, victim, perpetrator, days_ago, crime=True, risk="") -> Event:
    at = timezone.now() - timedelta(days=days_ago)
    return Event.objects.create(
        agency=county["agencies"]["police"],
        reference=f"PANEL-{next(_made)}",
        occurred_at=at,
        reported_at=at,
        victim=victim,
        perpetrator=perpetrator,
        is_crime=crime,
        risk_level=risk,
    )


@pytest.fixture
def panel(county):
    harold = person(county, "Harold", "Serialson")
    alice, beth = person(county, "Alice", "Anning"), person(county, "Beth", "Bellweather")
    event(county, victim=alice, perpetrator=harold, days_ago=10, crime=True, risk="high")
    event(county, victim=beth, perpetrator=harold, days_ago=40, crime=False, risk="standard")
    # Cara's two records are linked as one person: Ray harmed one person twice.
    ray = person(county, "Ray", "Repeatley")
    cara = person(county, "Cara", "Cole")
    cara_again = person(county, "Cara", "Cole", identity_key=cara.pk)
    Person.objects.filter(pk=cara.pk).update(identity_key=cara.pk)
    event(county, victim=cara, perpetrator=ray, days_ago=20, crime=False, risk="medium")
    event(county, victim=cara_again, perpetrator=ray, days_ago=50, crime=False, risk="medium")
    # Once, against one person: on no list.
    event(county, victim=person(county, "Dora", "Dunn"), perpetrator=person(county, "Sol", "Onceby"), days_ago=5)
    return {"harold": harold, "ray": ray, "beth": beth}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_analyst_sees_the_ranked_list_with_each_scores_parts(panel, staff, login):
    page = login(staff["officer"]).get(reverse("perpetrator_panel"))
    assert page.status_code == 200
    text = _text(page)
    # Harold: latest event 10 days ago, R = 12; F = 2; G = (2 crime + 3 high) + (1 non-crime
    # + 0 standard) = 6; V = 2: 12 + 2 + 6 + 5x2 = 30. Ray: R = 12 (20 days ago); F = 2;
    # G = (1 + 1 medium) x 2 = 4; V = 1, Cara's linked records being one person: 12+2+4+5 = 23.
    assert "Harold Serialson Latest event" in text and "Ray Repeatley Latest event" in text
    assert text.index("Harold Serialson") < text.index("Ray Repeatley")
    assert "Serial perpetrator Score 30 Recency 12 Frequency 2 events Gravity 6 Victims 2" in text
    assert "Repeat perpetrator Score 23 Recency 12 Frequency 2 events Gravity 4 Victims 1" in text
    assert "Sol Onceby" not in text
    assert "How the score is worked out" in text
    # Each person named is logged as listed.
    logged = set(AccessLog.objects.filter(user=staff["officer"], action="listed").values_list("object_id", flat=True))
    assert {panel["harold"].pk, panel["ray"].pk} <= logged


def test_other_agencies_are_refused_every_page(panel, staff, login, county):
    plan = PerpetratorPlan.objects.create(
        perpetrator=panel["harold"],
        owner=staff["officer"],
        options=["disruption"],
        review_on=timezone.localdate(),
        created_by=staff["officer"],
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    meeting = PanelMeeting.objects.create(agency=county["agencies"]["police"], starts_at=timezone.now())
    urls = [
        reverse("perpetrator_panel"),
        reverse("perpetrator_panel_meetings"),
        reverse("perpetrator_plans"),
        reverse("perpetrator_panel_meeting", kwargs={"panel_meeting_id": meeting.pk}),
        reverse("perpetrator_plan_new", kwargs={"perpetrator_id": panel["harold"].pk}),
        reverse("perpetrator_plan_detail", kwargs={"plan_id": plan.pk}),
        reverse("perpetrator_plan_edit", kwargs={"plan_id": plan.pk}),
        reverse("perpetrator_plan_close", kwargs={"plan_id": plan.pk}),
    ]
    for who in ("outsider", "idva"):
        client = login(staff[who])
        for url in urls:
            assert client.get(url).status_code == 403, (who, url)
            assert b"Serialson" not in client.get(url).content


def test_a_plan_with_bad_input_is_a_clear_error_and_a_good_one_comes_up_at_its_meeting(panel, staff, login):
    officer = login(staff["officer"])
    # The panel's meetings: three, 4 weeks apart, from tomorrow.
    first = timezone.localtime() + timedelta(days=1)
    bad = officer.post(reverse("perpetrator_panel_meetings"), {"first": "32/13/2026 10:00", "count": "3"})
    assert bad.status_code == 400 and "Enter a real date and time" in bad.content.decode()
    made = officer.post(
        reverse("perpetrator_panel_meetings"), {"first": first.strftime("%d/%m/%Y 10:00"), "count": "3"}
    )
    assert made.status_code == 302
    meetings = list(PanelMeeting.objects.order_by("starts_at"))
    assert [(m.starts_at - meetings[0].starts_at).days for m in meetings] == [0, 28, 56]
    meeting = meetings[0]
    # Harold is on the first meeting's agenda, without a plan.
    agenda = _text(officer.get(reverse("perpetrator_panel_meeting", kwargs={"panel_meeting_id": meeting.pk})))
    assert "Harold Serialson" in agenda.split("2. Plans due for review")[0]
    url = reverse("perpetrator_plan_new", kwargs={"perpetrator_id": panel["harold"].pk})
    good = {
        "owner": staff["officer"].pk,
        "options": ["disruption", "enforcement"],
        "actions": "Arrest on sight for the breach.",
        "review_on": meeting.starts_at.strftime("%d/%m/%Y"),
        "meeting": meeting.pk,
    }
    for change, message in (
        ({"options": []}, "Choose at least one of support, prevention, diversion, disruption or enforcement."),
        ({"options": ["arrest"]}, "Choose from support, prevention, diversion, disruption or enforcement."),
        ({"review_on": "31/02/2026"}, "Enter a real date, for example 15/12/2026."),
        ({"review_on": "01/01/2020"}, "The review date must be today or later."),
        ({"owner": staff["outsider"].pk}, "Choose the plan&#x27;s owner."),
        ({"meeting": "999999"}, "Choose one of your agency&#x27;s panel meetings."),
    ):
        response = officer.post(url, good | change)
        assert response.status_code == 400 and message in response.content.decode(), change
    assert not PerpetratorPlan.objects.exists()
    saved = officer.post(url, good)
    plan = PerpetratorPlan.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("perpetrator_plan_detail", args=[plan.pk])
    assert (plan.options, plan.meeting, plan.owner) == (["disruption", "enforcement"], meeting, staff["officer"])
    detail = _text(officer.get(saved["Location"]))
    assert "Disruption, enforcement" in detail and "Arrest on sight" in detail
    # At the meeting: his plan is due for review; he is no longer among those without a plan.
    agenda = _text(officer.get(reverse("perpetrator_panel_meeting", kwargs={"panel_meeting_id": meeting.pk})))
    without_plan, reviews = agenda.split("2. Plans due for review")
    assert "Harold Serialson" not in without_plan and "Ray Repeatley" in without_plan
    assert "Harold Serialson Disruption, enforcement" in reviews
    # The home queue counts it: due within 7 days.
    assert panel_selectors.plans_due_count(staff["officer"]) == 1
    # Closing it takes him off the reviews.
    closed = officer.post(reverse("perpetrator_plan_close", kwargs={"plan_id": plan.pk}), {"reason": "In custody"})
    assert closed.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert "Harold Serialson" not in _text(officer.get(reverse("perpetrator_plans")))


def test_a_plan_for_someone_who_harmed_nobody_is_a_missing_record(panel, staff, login):
    url = reverse("perpetrator_plan_new", kwargs={"perpetrator_id": panel["beth"].pk})
    assert login(staff["officer"]).get(url).status_code == 404


def test_her_idva_sees_one_sentence_and_never_his_other_victim(routed, workers, county, login):  # noqa: F811
    case = case_allocate(task=routed, worker=workers["kim"], user=workers["manager"].user)
    darius = Event.objects.get(victim=case.victim).perpetrator
    url = reverse("casework_case_detail", args=[case.pk])
    kim = login(workers["kim"].user)
    assert "serial and repeat perpetrator panel" not in kim.get(url).content.decode()
    # He harmed another woman this year.
    event(county, victim=person(county, "Olwen", "Otherwoman"), perpetrator=darius, days_ago=100)
    page = kim.get(url).content.decode()
    assert (
        "The person who harms her is on the serial and repeat perpetrator panel: he has abused more than one "
        "partner." in page
    )
    assert "Olwen" not in page and "Otherwoman" not in page
