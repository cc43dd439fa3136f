"""carepath enrolment-code USERNAME

Issues a new one-time enrolment code for a member of staff and prints it once: for a lost
phone, a code that expired, or an administrator's own account (the admin does not let one
administrator reset another's second factor). Their authenticator apps are removed; they
set one up again at their next sign-in with the code.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carepath.core.models import User
from carepath.core.two_factor import enrolment_code_issue


class Command(BaseCommand):
    help = "Issue a one-time enrolment code (removes the user's authenticator apps)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        record, code = enrolment_code_issue(user=user)
        removed = f" {record.removed_devices} authenticator app(s) removed." if record.removed_devices else ""
        expires = timezone.localtime(record.expires_at).strftime("%-d %B %Y %H:%M")
        self.stdout.write(
            f"Enrolment code for {user.username}: {code}\n"
            f"It works once, until {expires}, and is shown only now.{removed}"
        )
