"""carepath demo-triage: for `make demo` only, the front door has worked through the
older part of its queue — routed what it could, closed duplicates and what needed no
action — and each member of the team has some referrals in hand, so the triage queue,
the team's load and the referral pages show every state."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from carepath.core.models import User
from carepath.referrals import selectors, triage_services
from carepath.referrals.models import ClosureOutcome

#: (outcome, why), taken in turn for the standard-risk referrals closed.
DEMO_CLOSURES = [
    (ClosureOutcome.NO_FURTHER_ACTION, "Checked with the police and the school: information sent, nothing further."),
    (ClosureOutcome.DUPLICATE, "Same incident as the police referral received an hour earlier."),
    (ClosureOutcome.ANOTHER_AREA, "The family has moved to Bedfordshire; passed to their MASH by secure email."),
]


class Command(BaseCommand):
    help = "Move the demo front door's older referrals through triage (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("--share", type=float, default=0.8, help="Share of the open referrals already dealt with.")
        parser.add_argument("--in-hand", type=int, default=6, help="Referrals each demo triage worker has taken.")

    def handle(self, *args, share: float, in_hand: int, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo triage is only for demo mode: set CAREPATH_DEMO=1 (never with real data).")
        if not 0 <= share <= 1:
            raise CommandError("--share: give a number from 0 to 1, for example 0.8.")
        team = list(User.objects.filter(username__in=["demo-triage", "demo-triage-worker"]).order_by("username"))
        if not team:
            raise CommandError("No demo-triage account yet: run `carepath demo-accounts` first.")
        supervisor = team[0]
        queue = list(selectors.triage_queue(user=supervisor).order_by("received_at", "pk"))
        done = queue[: int(len(queue) * share)]
        routed = closed = 0
        for number, referral in enumerate(done):
            worker = team[number % len(team)]
            try:
                if referral.risk_level == "standard" and number % 3 == 0:
                    outcome, why = DEMO_CLOSURES[closed % len(DEMO_CLOSURES)]
                    triage_services.referral_close(referral=referral, user=worker, outcome=outcome, note=why)
                    closed += 1
                else:
                    triage_services.referral_mark_routed(referral=referral, user=worker)
                    routed += 1
            except ValidationError:
                continue  # its risk checklist is still to do: it stays in the queue
        left = list(selectors.triage_queue(user=supervisor).filter(triage_owner__isnull=True).order_by("-received_at"))
        taken = 0
        for worker in team:
            for referral in left[taken : taken + in_hand]:
                triage_services.referral_take(referral=referral, user=worker)
            taken += in_hand
        self.stdout.write(f"Routed {routed}, closed {closed}; {taken} taken by the team; the rest wait in the queue.")
