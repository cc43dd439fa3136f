"""carepath demo-child-outcomes: for `make demo` only, the demo safeguarding lead has
already recorded the risk and outcome of some of the children routed to their agency, so
the children's queue shows both work waiting and work done."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from carepath.core.codes import ChildrenOutcome, RiskLevel
from carepath.core.models import User
from carepath.referrals.children_selectors import children_queue
from carepath.referrals.children_services import child_outcome_record

#: (level, outcome, reason), taken in turn: made-up findings, as a lead might write them.
DEMO_FINDINGS = [
    (
        RiskLevel.HIGH,
        ChildrenOutcome.STATUTORY,
        "Disclosed at school that he is hit at home; strategy discussion held.",
    ),
    (RiskLevel.MEDIUM, ChildrenOutcome.EARLY_HELP, "Attendance falling; the family accepted an early help assessment."),
    (RiskLevel.STANDARD, ChildrenOutcome.NO_FURTHER_ACTION, "Health visitor and school have no concerns."),
    (RiskLevel.MEDIUM, ChildrenOutcome.EARLY_HELP, "Witnessed the incident; referred to a children's support group."),
]


class Command(BaseCommand):
    help = "Record outcomes for some of the demo safeguarding lead's children (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("--share", type=float, default=1 / 3, help="Share of the waiting children to record.")

    def handle(self, *args, share: float, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo outcomes are only for demo mode: set CAREPATH_DEMO=1 (never with real data).")
        if not 0 <= share <= 1:
            raise CommandError("--share: give a number from 0 to 1, for example 0.33.")
        lead = User.objects.filter(username="demo-safeguarding").first()
        if lead is None:
            raise CommandError("No demo-safeguarding account yet: run `carepath demo-accounts` first.")
        waiting = list(children_queue(user=lead))
        # The oldest first: the lead has worked through the backlog from its start.
        chosen = sorted(waiting, key=lambda child: (child.referral.received_at, child.pk))[: int(len(waiting) * share)]
        for number, child in enumerate(chosen):
            level, outcome, reason = DEMO_FINDINGS[number % len(DEMO_FINDINGS)]
            child_outcome_record(child=child, user=lead, risk_level=level, risk_reason=reason, outcome=outcome)
        self.stdout.write(f"Outcomes recorded for {len(chosen)} of {len(waiting)} children waiting.")
