"""Chase overdue MARAC actions: run every morning (cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from carepath.marac.services import marac_actions_chase


class Command(BaseCommand):
    help = (
        "Put a reminder in the owning agency's queue for every MARAC action past its due date "
        "and not yet chased. Run it once a day."
    )

    def handle(self, *args, **options):
        chased = marac_actions_chase()
        self.stdout.write(f"Chased {chased} overdue MARAC action{'s' if chased != 1 else ''}.")
