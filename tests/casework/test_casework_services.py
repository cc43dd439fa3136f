"""A case at an IDVA service (issue 14, 2-5): allocated by the manager from the routed
referral, contacted only through safe channels at safe times, moved along its journey,
closed with outcomes, and handed over with its history."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carepath.casework import rules
from carepath.casework.models import ContactAttempt, StatusChange
from carepath.casework.services import (
    case_allocate,
    case_close,
    case_handover,
    case_status_move,
    contact_attempt_record,
)
from carepath.people.models import SafeContact

# Tuesday 1 December 2026, 18:30 and 21:00 in London (GMT).
EVENING = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
LATE = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)


@pytest.fixture
def case(routed, workers):
    return case_allocate(task=routed, worker=workers["kim"], user=workers["manager"].user)


def test_the_manager_allocates_the_routed_referral_and_the_deadline_comes_with_it(routed, workers, staff):
    with pytest.raises(PermissionDenied):
        case_allocate(task=routed, worker=workers["kim"], user=workers["kim"].user)
    with pytest.raises(PermissionDenied):
        case_allocate(task=routed, worker=workers["kim"], user=staff["outsider"])
    case = case_allocate(task=routed, worker=workers["kim"], user=workers["manager"].user)
    routed.refresh_from_db()
    assert routed.status == "done" and "Allocated to idva-kim" in routed.note
    assert case.status == rules.REFERRED and case.first_contact_due == routed.due_at and case.risk_level == "high"
    with pytest.raises(ValidationError, match="not waiting"):
        case_allocate(task=routed, worker=workers["lee"], user=workers["manager"].user)


def test_an_unsafe_channel_or_time_is_refused_and_nothing_is_recorded(case, workers):
    kim = workers["kim"].user
    # Her safe phone is recorded, texts are not safe; she gave weekday evenings, 18:00 to 20:00.
    SafeContact.objects.filter(person_id=case.victim_id).update(
        safe_windows=[{"days": [0, 1, 2, 3, 4], "start": "18:00", "end": "20:00"}]
    )
    with pytest.raises(ValidationError, match="not said this way"):
        contact_attempt_record(case=case, user=kim, channel="text", reached=False, at=EVENING)
    with pytest.raises(ValidationError, match="outside the times"):
        contact_attempt_record(case=case, user=kim, channel="phone_call", reached=False, at=LATE)
    assert not ContactAttempt.objects.exists()
    case.refresh_from_db()
    assert case.status == rules.REFERRED

    contact_attempt_record(case=case, user=kim, channel="phone_call", reached=False, at=EVENING)
    case.refresh_from_db()
    assert case.status == rules.CONTACTING and case.first_contact_at is None
    contact_attempt_record(case=case, user=kim, channel="phone_call", reached=True, at=EVENING)
    case.refresh_from_db()
    assert case.first_contact_at == EVENING


def test_the_journey_is_recorded_and_a_closure_needs_its_outcomes(case, workers):
    kim = workers["kim"].user
    with pytest.raises(ValidationError, match="can only become"):
        case_status_move(case=case, user=kim, to_status=rules.CLOSED)
    case_status_move(case=case, user=kim, to_status=rules.CONTACTING)
    with pytest.raises(ValidationError, match="level of engagement"):
        case_status_move(case=case, user=kim, to_status=rules.ENGAGED)
    case_status_move(case=case, user=kim, to_status=rules.ENGAGED, engagement_level=3)
    with pytest.raises(ValidationError) as refused:
        case_close(case=case, user=kim, outcomes={"physical": "ceased"}, exit_scores={"safety": 11})
    assert set(refused.value.message_dict) == {"outcomes", "exit_scores"}
    closed = case_close(
        case=case,
        user=kim,
        outcomes={
            "physical": "ceased",
            "sexual": "no_change",
            "harassment_stalking": "reduced",
            "jealous_controlling": "reduced",
        },
        exit_scores={"safety": 8, "wellbeing": 7, "quality_of_life": 7},
    )
    assert closed.status == rules.CLOSED and closed.closed_at and closed.engagement_level == 3
    assert [c.to_status for c in StatusChange.objects.filter(case=case)] == [
        rules.REFERRED,
        rules.CONTACTING,
        rules.ENGAGED,
        rules.CLOSED,
    ]
    with pytest.raises(PermissionDenied):
        case_status_move(case=case, user=workers["lee"].user, to_status=rules.ENGAGED, engagement_level=1)


def test_a_handover_keeps_the_history_and_tells_the_new_worker_what_was_agreed(case, workers):
    kim = workers["kim"].user
    case_status_move(case=case, user=kim, to_status=rules.CONTACTING)
    with pytest.raises(ValidationError, match="what was agreed"):
        case_handover(case=case, user=kim, to_worker=workers["lee"], agreed=" ")
    handover = case_handover(
        case=case, user=kim, to_worker=workers["lee"], agreed="Calls after 6pm only; court on 9 Jan."
    )
    case.refresh_from_db()
    assert case.worker == workers["lee"] and handover.from_worker == workers["kim"]
    assert StatusChange.objects.filter(case=case).count() == 2  # the history stays with the case
    case_status_move(case=case, user=workers["lee"].user, to_status=rules.ENGAGED, engagement_level=2)


def test_a_safety_plan_and_the_support_given_are_recorded_on_the_case(case, workers, login):
    from datetime import date

    from django.urls import reverse

    from carepath.casework.services import intervention_record, safety_plan_record

    kim = workers["kim"].user
    with pytest.raises(ValidationError, match="plan agreed"):
        safety_plan_record(case=case, user=kim, plan=" ")
    safety_plan_record(case=case, user=kim, plan="Code word with her sister; bag packed at work.")
    with pytest.raises(ValidationError, match="from the list"):
        intervention_record(case=case, user=kim, kind="made_up", on=date(2026, 11, 30))
    intervention_record(case=case, user=kim, kind="court_attended", on=date(2026, 11, 30))
    page = login(kim).get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert "Code word with her sister" in page and "Court attended with her" in page
    refused = login(kim).post(reverse("casework_intervention", args=[case.pk]), {"kind": "housing", "on": "31/02/2026"})
    assert refused.status_code == 400 and "Enter a real date" in refused.content.decode()


def test_the_handover_page_passes_the_case_within_the_agency(case, workers, county, login):
    from django.urls import reverse

    from carepath.casework.models import Service, ServiceKind, Worker
    from carepath.core.models import Role
    from carepath.core.services import staff_create

    housing_service = Service.objects.create(
        agency=county["agencies"]["housing"], name="Housing support", kind=ServiceKind.OUTREACH
    )
    elsewhere = Worker.objects.create(
        user=staff_create(username="h-1", agency=county["agencies"]["housing"], role=Role.CASEWORKER, password=None),
        service=housing_service,
    )
    with pytest.raises(ValidationError, match="within your agency"):
        case_handover(case=case, user=workers["kim"].user, to_worker=elsewhere, agreed="x")
    kim = login(workers["kim"].user)
    page = kim.get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert "idva-lee (Testshire IDVA Service)" in page and "h-1 (Housing support)" not in page
    kim.post(
        reverse("casework_handover", args=[case.pk]), {"to_worker": workers["lee"].pk, "agreed": "Calls after 6pm."}
    )
    case.refresh_from_db()
    assert case.worker == workers["lee"]
    assert (
        "Calls after 6pm."
        in login(workers["lee"].user).get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    )
