"""The order of a Clare's Law application's steps, and who may record them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carepath.configuration.definitions import PartnershipSettings
from carepath.perpetrators import disclosure_services as services
from carepath.perpetrators.models import DisclosureDecision, DisclosureRoute

SETTINGS = PartnershipSettings()


@pytest.fixture
def application(reported_event, staff):
    now = timezone.now()
    return services.disclosure_application_create(
        user=staff["officer"],
        route=DisclosureRoute.RIGHT_TO_ASK,
        person_at_risk=reported_event.victim,
        subject=reported_event.perpetrator,
        applicant_is_person_at_risk=True,
        received_at=now - timedelta(days=5),
        now=now,
    )


def _message(exc) -> str:
    return " ".join(exc.value.messages)


def test_the_person_asked_about_is_not_the_person_at_risk(reported_event, staff):
    with pytest.raises(ValidationError) as exc:
        services.disclosure_application_create(
            user=staff["officer"],
            route=DisclosureRoute.RIGHT_TO_ASK,
            person_at_risk=reported_event.victim,
            subject=reported_event.victim,
            applicant_is_person_at_risk=True,
            received_at=timezone.now(),
            now=timezone.now(),
        )
    assert "cannot be the person at risk" in _message(exc)


def test_only_the_police_record_applications(reported_event, staff):
    with pytest.raises(PermissionDenied):
        services.disclosure_application_create(
            user=staff["idva"],
            route=DisclosureRoute.RIGHT_TO_ASK,
            person_at_risk=reported_event.victim,
            subject=reported_event.perpetrator,
            applicant_is_person_at_risk=True,
            received_at=timezone.now(),
            now=timezone.now(),
        )


def test_steps_keep_their_order(application, staff):
    officer, now, start = staff["officer"], timezone.now(), application.received_at
    with pytest.raises(ValidationError) as exc:
        services.disclosure_initial_checks_record(
            application=application, user=officer, at=start - timedelta(minutes=1), now=now
        )
    assert "before the application was received" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        services.disclosure_meeting_record(application=application, user=officer, at=start, now=now)
    assert "Record the initial checks first" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        services.disclosure_decision_record(
            application=application,
            user=officer,
            decision=DisclosureDecision.DISCLOSE,
            at=start + timedelta(days=1),
            delay_reason="",
            now=now,
            settings=SETTINGS,
        )
    assert "Record the multi-agency meeting first" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        services.disclosure_delivered_record(
            application=application,
            user=officer,
            at=start + timedelta(days=1),
            support_worker_present="Ana, IDVA service",
            delay_reason="",
            now=now,
            settings=SETTINGS,
        )
    assert "Record a decision to disclose first" in _message(exc)


def test_a_withdrawal_closes_the_application_at_any_stage(application, staff):
    officer, now = staff["officer"], timezone.now()
    services.disclosure_decision_record(
        application=application,
        user=officer,
        decision=DisclosureDecision.WITHDRAWN,
        at=application.received_at + timedelta(days=1),
        delay_reason="",
        now=now,
        settings=SETTINGS,
    )
    with pytest.raises(ValidationError) as exc:
        services.disclosure_initial_checks_record(application=application, user=officer, at=now, now=now)
    assert "The application is closed" in _message(exc)
    # Her safety plan may still be made.
    services.disclosure_safety_plan_record(application=application, user=officer, at=now, now=now)
    application.refresh_from_db()
    assert application.safety_plan_at == now
