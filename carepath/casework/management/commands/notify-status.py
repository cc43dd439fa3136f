"""Record what GOV.UK Notify says became of the messages to victims still on their way:
run it every few minutes (cron or a systemd timer)."""

from django.core.management.base import BaseCommand, CommandError

from carepath.casework import notify
from carepath.casework.messaging import messages_status_update


class Command(BaseCommand):
    help = (
        "Ask GOV.UK Notify for the status of every message still sending, and record it as "
        "delivered or not delivered. Nothing is sent. Run it every few minutes."
    )

    def handle(self, *args, **options):
        if not notify.is_configured():
            self.stdout.write("No GOV.UK Notify key is set up (CAREPATH_NOTIFY_API_KEY): nothing to check.")
            return
        if not notify.key_is_valid():
            raise CommandError("CAREPATH_NOTIFY_API_KEY does not have the shape of a GOV.UK Notify key.")
        check = messages_status_update()
        self.stdout.write(
            f"Delivered {len(check.delivered)}, not delivered {len(check.failed)}, "
            f"still sending {len(check.sending)}, Notify not answering about {len(check.unanswered)}."
        )
