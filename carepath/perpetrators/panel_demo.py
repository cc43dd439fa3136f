"""Demo work for the panel part (carepath demo-perpetrators): from the synthetic county's
events, the police's serial and repeat perpetrator panel meets every 4 weeks (one meeting
held 4 weeks ago, the next three scheduled), and the top of its ranked list have plans,
owned by demo-police-analyst or demo-police, some due for review soon. Once only: run again,
it changes nothing."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from carepath.core.models import User
from carepath.people.models import Person
from carepath.perpetrators import panel_selectors, panel_services
from carepath.perpetrators.models import PanelMeeting, PlanOption

#: The plans made at the last meeting: (options, actions, days to the review).
PLANS = [
    ([PlanOption.DISRUPTION, PlanOption.ENFORCEMENT], "Arrest for the outstanding offences; check bail.", 3),
    ([PlanOption.ENFORCEMENT], "Apply for a Domestic Abuse Protection Order for his current partner.", 6),
    ([PlanOption.DIVERSION, PlanOption.SUPPORT], "Refer to the perpetrator programme; housing support.", 12),
    ([PlanOption.PREVENTION], "Right-to-know disclosure to his new partner considered.", 20),
    ([PlanOption.DISRUPTION], "Licence conditions checked with probation; warning markers on addresses.", 26),
    ([PlanOption.SUPPORT, PlanOption.PREVENTION], "Substance misuse service; review the victims' safety plans.", 40),
]


def load(*, stdout) -> None:
    analyst = User.objects.filter(username="demo-police-analyst").first()
    if analyst is None or analyst.agency_id is None:
        stdout.write("Perpetrator panel: no demo-police-analyst account (run demo-accounts first); nothing added.")
        return
    if PanelMeeting.objects.filter(agency_id=analyst.agency_id).exists():
        stdout.write("Perpetrator panel: the demo's meetings are already there; nothing added.")
        return
    owners = [analyst, *User.objects.filter(username="demo-police", agency_id=analyst.agency_id)]
    today = timezone.localdate()
    last = timezone.make_aware(datetime.combine(today - timedelta(days=28), time(10)))
    meetings = panel_services.panel_meeting_schedule(user=analyst, first=last, count=4)
    held = panel_services.panel_meeting_hold(meeting=meetings[0], user=analyst)
    ranked = panel_selectors.panel_ranked(user=analyst, today=today)
    people = Person.objects.in_bulk([row.person_id for row in ranked[: len(PLANS)]])
    for n, (row, (options, actions, days)) in enumerate(zip(ranked, PLANS, strict=False)):
        panel_services.perpetrator_plan_create(
            user=analyst,
            perpetrator=people[row.person_id],
            owner=owners[n % len(owners)],
            options=options,
            actions=actions,
            review_on=today + timedelta(days=days),
            meeting=held,
        )
    stdout.write(
        f"Perpetrator panel: {len(meetings)} meetings (one held), {len(ranked)} serial or repeat perpetrators "
        f"ranked, {min(len(ranked), len(PLANS))} plans."
    )
