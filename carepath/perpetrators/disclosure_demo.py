"""Demo work for the disclosure part (carepath demo-perpetrators): Clare's Law applications
in progress at demo-police's force, about victims and perpetrators of the synthetic
county's police-reported events. One is overdue for its multi-agency meeting, one was
decided and the disclosure made with a support worker present, one waits for its initial
checks, and one is the police's own right to know. Written through the services, so each
step's times are checked as a user's would be. Once only: run again, it adds nothing."""

from datetime import timedelta

from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.core.models import User
from carepath.events.models import Event
from carepath.perpetrators import disclosure_services as services
from carepath.perpetrators.models import DisclosureApplication, DisclosureDecision, DisclosureRoute

#: A support worker as the police would record her (name and service; invented).
SUPPORT_WORKER = "Dana Whitlock, IDVA service"


def load(*, stdout) -> None:
    police = User.objects.filter(username="demo-police").first()
    if police is None:
        stdout.write("Clare's Law: no demo-police account (run carepath demo-accounts first); nothing added.")
        return
    if DisclosureApplication.objects.filter(owner=police).exists():
        stdout.write("Clare's Law: demo-police's applications are already there.")
        return
    events = list(
        Event.objects.filter(agency_id=police.agency_id, perpetrator__isnull=False)
        .select_related("victim", "perpetrator")
        .order_by("-occurred_at")[:4]
    )
    if not events:
        stdout.write("Clare's Law: the police reported no events with a perpetrator; nothing added.")
        return
    now = timezone.now()
    settings = partnership_settings_get()

    def received(index: int, route: str, ago: timedelta, *, she_asked: bool = True):
        event = events[index % len(events)]
        return services.disclosure_application_create(
            user=police,
            route=route,
            person_at_risk=event.victim,
            subject=event.perpetrator,
            applicant_is_person_at_risk=she_asked,
            received_at=now - ago,
            now=now,
        )

    # Overdue for its meeting: 24 days hold at least 17 working days less at most 4 bank
    # holidays, so the 10 working days are past whatever the date.
    overdue = received(0, DisclosureRoute.RIGHT_TO_ASK, timedelta(days=24))
    services.disclosure_initial_checks_record(
        application=overdue, user=police, at=overdue.received_at + timedelta(hours=5), now=now
    )
    # Decided and disclosed with a support worker present, within the 28 days.
    disclosed = received(1, DisclosureRoute.RIGHT_TO_ASK, timedelta(days=30), she_asked=False)
    start = disclosed.received_at
    services.disclosure_initial_checks_record(
        application=disclosed, user=police, at=start + timedelta(hours=4), now=now
    )
    services.disclosure_meeting_record(application=disclosed, user=police, at=start + timedelta(days=8), now=now)
    services.disclosure_decision_record(
        application=disclosed,
        user=police,
        decision=DisclosureDecision.DISCLOSE,
        at=start + timedelta(days=12),
        delay_reason="",
        now=now,
        settings=settings,
    )
    services.disclosure_delivered_record(
        application=disclosed,
        user=police,
        at=start + timedelta(days=15),
        support_worker_present=SUPPORT_WORKER,
        delay_reason="",
        now=now,
        settings=settings,
    )
    services.disclosure_safety_plan_record(application=disclosed, user=police, at=start + timedelta(days=15), now=now)
    # Waiting for its initial checks, due within the day.
    received(2, DisclosureRoute.RIGHT_TO_ASK, timedelta(hours=6))
    # Right to know: the police's own decision to tell her; checks done, the meeting to come.
    told = received(3, DisclosureRoute.RIGHT_TO_KNOW, timedelta(days=3))
    services.disclosure_initial_checks_record(
        application=told, user=police, at=told.received_at + timedelta(hours=2), now=now
    )
    stdout.write("Clare's Law: 4 applications for demo-police (one overdue for its meeting, one disclosed).")
