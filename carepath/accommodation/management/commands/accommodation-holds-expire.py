"""Let lapsed holds go: run every few minutes (cron or a systemd timer).

The board and the provider's page already let lapsed holds go before they read, but a unit
whose hold lapsed while nobody searched would otherwise stay "on hold" in every count and
report until someone did; run on a schedule, the vacancy is back within minutes."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from carepath.accommodation.services import holds_expire


class Command(BaseCommand):
    help = (
        "End every safe-accommodation hold past its expiry and put its unit back on the vacancy "
        "board. Run it every few minutes."
    )

    def handle(self, *args, **options):
        expired = holds_expire(now=timezone.now())
        self.stdout.write(f"Expired {expired} hold{'s' if expired != 1 else ''}.")
