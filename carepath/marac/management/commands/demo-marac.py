"""carepath demo-marac: for `make demo` only, the MARAC coordination has work: the front
door's recent high-risk referrals have been sent to MARAC; the oldest were heard at the last
two meetings (attendance, summaries, risks, action plans, the police-led plans for the
people causing harm, some cases closed, actions done, not possible or overdue and chased);
most of the rest are listed at the coming meetings with research asked for (some returned,
some overdue), one returned to its referrer, and the newest wait for the coordinator's check."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carepath.core.codes import ActionType, AgencyType, TaskStatus
from carepath.core.models import Agency, Task, User
from carepath.marac.models import Marac, MaracResearch
from carepath.marac.services import (
    marac_action_add,
    marac_action_update,
    marac_actions_chase,
    marac_attendance_record,
    marac_case_close,
    marac_case_discuss,
    marac_meeting_held,
    marac_referral_accept,
    marac_referral_return,
    marac_research_request,
    marac_research_return,
    risk_management_plan_record,
)
from carepath.referrals.models import Referral
from carepath.referrals.services import marac_referral_create

#: What the demo's agencies found, in turn, for the research they return.
DEMO_RESEARCH = [
    {
        "victim": "Three call-outs since the spring; the last one a breach of bail.",
        "perpetrator": "On bail: no contact.",
    },
    {"victim": "Known to the IDVA service since June; engaged, wants a safety plan for the school run."},
    {"children": "Both children on a child protection plan since August (neglect, domestic abuse)."},
]


#: Referrals heard at the last two meetings (half at each).
PAST_CASES = 8

#: Who came to the demo's past meetings: (agency type, attendance, name and role).
DEMO_ATTENDANCE = [
    (AgencyType.POLICE, "present", "DS Priya Khan, domestic abuse investigation unit"),
    (AgencyType.IDVA_SERVICE, "present", "Tom Hughes, senior IDVA"),
    (AgencyType.CHILDRENS_SERVICES, "present", "Ana Silva, team manager"),
    (AgencyType.HOUSING, "information_sent", ""),
    (AgencyType.PROBATION, "apologies", ""),
]
DEMO_OWNERS = {
    AgencyType.POLICE: "DS Priya Khan",
    AgencyType.IDVA_SERVICE: "Tom Hughes",
    AgencyType.CHILDRENS_SERVICES: "Ana Silva",
}
#: (owning agency type, for whom, the action, days after the meeting it is due)
DEMO_ACTIONS = [
    (AgencyType.IDVA_SERVICE, "victim", "Safety plan with her, including the school run and her workplace.", 7),
    (AgencyType.POLICE, "victim", "Marker on her address and phone for an urgent response.", 3),
    (AgencyType.CHILDRENS_SERVICES, "child", "Strategy discussion for the children in the household.", 10),
]
DEMO_HEARINGS = [
    (
        "Escalating abuse since the separation in the spring: three call-outs, the last a breach of bail.",
        "Strangulation at the last incident; threats to kill; he knows her new address.",
    ),
    (
        "Known to the IDVA service since June; she is engaged and wants to stay in the home.",
        "Jealous and controlling behaviour, stalking at her workplace; the children witness it.",
    ),
    (
        "Referred by the hospital after an injury; first disclosure to any agency.",
        "Pregnant; he controls her money and her phone; she is isolated from family.",
    ),
]
DEMO_PLAN_OPTIONS = [
    ["arrest_charge", "protection_orders"],
    ["disruption", "clares_law"],
    ["mappa_iom_matac", "substance_misuse", "programme"],
]


class Command(BaseCommand):
    help = "Give the demo MARAC coordinator referrals to check, cases and research (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=24, help="High-risk referrals sent to MARAC.")
        parser.add_argument("--waiting", type=int, default=5, help="Of those, how many wait to be checked.")

    def handle(self, *args, cases: int, waiting: int, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo MARAC is only for demo mode: set CAREPATH_DEMO=1 (never with real data).")
        coordinator = User.objects.filter(username="demo-marac-coordinator").first()
        if coordinator is None:
            raise CommandError("No demo-marac-coordinator account yet: run `carepath demo-accounts` first.")
        if not Marac.objects.filter(agency_id=coordinator.agency_id).exists():
            raise CommandError("The demo county has no MARAC yet: run `carepath synth` first.")
        referral_ids = (
            Task.objects.filter(
                action_type=ActionType.MARAC_REFERRAL, owner_agency_id=coordinator.agency_id, status=TaskStatus.OPEN
            )
            .order_by("-due_at")
            .values_list("object_id", flat=True)[:cases]
        )
        sent = [
            marac_referral_create(referral=r, user=coordinator) for r in Referral.objects.filter(pk__in=referral_ids)
        ]
        sent.sort(key=lambda r: (r.received_at, r.pk))
        to_check, newest = sent[: max(len(sent) - waiting, 0)], sent[max(len(sent) - waiting, 0) :]
        heard = self._past_meetings(to_check[:PAST_CASES], coordinator)
        accepted, returned = [], 0
        for number, referral in enumerate(to_check[PAST_CASES:]):
            try:
                if number == 3:
                    marac_referral_return(
                        referral=referral,
                        user=coordinator,
                        reason="The victim has moved to Luton: sent to the Bedfordshire MARAC with her consent.",
                    )
                    returned += 1
                else:
                    accepted.append(marac_referral_accept(referral=referral, user=coordinator))
            except ValidationError:
                continue  # no MARAC of the coordination hears it: it waits for the coordinator
        asked = self._research(accepted, coordinator)
        self.stdout.write(
            f"{heard} MARAC cases heard at past meetings; {len(accepted)} listed, {returned} returned, "
            f"{len(newest)} waiting to be checked; research asked of {asked} agencies."
        )

    def _past_meetings(self, referrals, coordinator) -> int:
        """The oldest referrals, as if they had arrived thirteen and five weeks ago and been
        heard at the meetings since (the older ones in the last whole quarter, so that its
        return has figures): everything a meeting records, and what followed."""
        now = timezone.now()
        staff = {
            t: User.objects.filter(agency__agency_type=t, is_active=True).order_by("pk").first() for t in AgencyType
        }
        cases = []
        for weeks_ago, group in ((13, referrals[: PAST_CASES // 2]), (5, referrals[PAST_CASES // 2 :])):
            arrived = now - timedelta(weeks=weeks_ago)
            for referral in group:
                Referral.objects.filter(pk=referral.pk).update(received_at=arrived)
                referral.refresh_from_db()
                try:
                    cases.append(marac_referral_accept(referral=referral, user=coordinator, now=arrived))
                except ValidationError:
                    continue
        meetings = sorted(
            {c.meeting for c in cases if c.meeting and c.meeting.starts_at < now}, key=lambda m: m.starts_at
        )
        heard = 0
        for older, meeting in enumerate(reversed(meetings)):
            day = meeting.starts_at + timedelta(hours=3)
            self._attendance(meeting, coordinator, staff, day)
            for turn, case in enumerate(c for c in cases if c.meeting_id == meeting.pk):
                heard += 1
                self._hear(case, coordinator, staff, day, turn, settled=older > 0)
            marac_meeting_held(meeting=meeting, user=coordinator, chair="DI Sarah Okafor (chair)", now=day)
        marac_actions_chase()
        return heard

    def _attendance(self, meeting, coordinator, staff, day):
        for agency_type, attendance, who in DEMO_ATTENDANCE:
            agency = Agency.objects.filter(agency_type=agency_type).order_by("name").first()
            if agency is not None:
                marac_attendance_record(
                    meeting=meeting,
                    user=coordinator,
                    agency=agency,
                    attendance=attendance,
                    attendee=who,
                    confidentiality_signed=bool(who),
                    now=day,
                )
        marac_attendance_record(
            meeting=meeting,
            user=coordinator,
            organisation="Bedfordshire MARAC",
            attendee="MARAC coordinator, observing",
            attendance="observer",
            confidentiality_signed=True,
            now=day,
        )

    def _hear(self, case, coordinator, staff, day, turn, *, settled):
        """One case heard: its summary and risks, three actions, the plan for the person
        causing harm; at the older meeting the actions were reported on and most cases closed."""
        summary, risks = DEMO_HEARINGS[turn % len(DEMO_HEARINGS)]
        marac_case_discuss(case=case, user=coordinator, summary=summary, risks=risks, now=day)
        meeting_day = timezone.localdate(day)
        actions = []
        for agency_type, action_for, text, days in DEMO_ACTIONS:
            agency = Agency.objects.filter(agency_type=agency_type).order_by("name").first()
            child = case.referral.children.order_by("pk").first() if action_for == "child" else None
            if agency is None or (action_for == "child" and child is None):
                continue
            actions.append(
                marac_action_add(
                    case=case,
                    user=coordinator,
                    action_for=action_for,
                    child=child.child if child else None,
                    action=text,
                    agency=agency,
                    owner=DEMO_OWNERS[agency_type],
                    due_on=meeting_day + timedelta(days=days),
                    now=day,
                )
            )
        if staff[AgencyType.POLICE] is not None:
            risk_management_plan_record(
                case=case,
                user=coordinator,
                police_lead=staff[AgencyType.POLICE],
                options=DEMO_PLAN_OPTIONS[turn % len(DEMO_PLAN_OPTIONS)],
                notes="Review at the next MARAC if there is any further call-out.",
                review_on=meeting_day + timedelta(days=28),
                now=day,
            )
        if not settled:
            return
        for number, action in enumerate(actions):
            reporter = staff[action.agency.agency_type] or coordinator
            if number == 1 and turn % 2:
                marac_action_update(
                    action=action,
                    user=reporter,
                    status="not_possible",
                    note="She moved out of the area before it could be done.",
                )
            elif number == 2 and turn == 0:
                marac_action_update(
                    action=action, user=coordinator, status="not_acted", note="No response to three reminders."
                )
            else:
                marac_action_update(action=action, user=reporter, status="done")
        if turn % 3 != 2:
            marac_case_close(case=case, user=coordinator, reason="Action plan complete; risk reduced.", now=day)

    def _research(self, cases, coordinator) -> int:
        agencies = list(
            Agency.objects.filter(
                agency_type__in=(AgencyType.POLICE, AgencyType.IDVA_SERVICE, AgencyType.CHILDRENS_SERVICES)
            ).order_by("agency_type", "name")
        )
        asked = 0
        for number, case in enumerate(c for c in cases if c.meeting_id):
            made = marac_research_request(case=case, agencies=agencies, user=coordinator)
            asked += len(made)
            for turn, research in enumerate(made[: number % 3]):
                staff = User.objects.filter(agency_id=research.agency_id, is_active=True).order_by("pk").first()
                if staff is not None:
                    marac_research_return(research=research, user=staff, **DEMO_RESEARCH[turn % len(DEMO_RESEARCH)])
        # One agency let its research for the soonest meeting slip past its deadline, as
        # happens: the coordinator sees it overdue.
        first = MaracResearch.objects.filter(returned_at__isnull=True).order_by("due_at").first()
        if first is not None:
            late = timezone.now() - timedelta(hours=3)
            MaracResearch.objects.filter(pk=first.pk).update(due_at=late)
            Task.objects.filter(
                action_type=ActionType.MARAC_RESEARCH, object_id=first.case_id, owner_agency_id=first.agency_id
            ).update(due_at=late)
        return asked
