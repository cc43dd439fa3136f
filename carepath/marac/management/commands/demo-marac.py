"""carepath demo-marac: for `make demo` only, the MARAC coordination has work: the front
door's recent high-risk referrals have been sent to MARAC, most accepted and listed at the
coming meetings with research asked for (some returned, some overdue), one returned to its
referrer, and the newest waiting for the coordinator's check."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carepath.core.codes import ActionType, AgencyType, TaskStatus
from carepath.core.models import Agency, Task, User
from carepath.marac.models import Marac, MaracResearch
from carepath.marac.services import (
    marac_referral_accept,
    marac_referral_return,
    marac_research_request,
    marac_research_return,
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
        accepted, returned = [], 0
        for number, referral in enumerate(to_check):
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
            f"{len(accepted)} MARAC cases listed, {returned} returned, {len(newest)} waiting to be checked; "
            f"research asked of {asked} agencies."
        )

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
