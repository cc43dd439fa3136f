"""carepath create-staff USERNAME --agency NAME --role ROLE [--supervisor] [--email E]

Creates a member of staff. The password is asked for twice (or read from standard
input with --password-stdin). It prints, once, the enrolment code the user needs at first
login to set up their authenticator app.
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from carepath.core.codes import Role, values
from carepath.core.models import Agency
from carepath.core.services import staff_create
from carepath.core.two_factor import enrolment_code_issue


class Command(BaseCommand):
    help = "Create a staff account in an agency, with a role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="The agency's name exactly as in Carepath.")
        parser.add_argument("--role", required=True, choices=values(Role))
        parser.add_argument("--supervisor", action="store_true", help="May read who viewed the agency's records.")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-stdin", action="store_true", help="Read the password from standard input.")

    def handle(self, *args, username, agency, role, supervisor, email, password_stdin, **options):
        try:
            agency_obj = Agency.objects.get(name=agency)
        except Agency.DoesNotExist:
            known = ", ".join(Agency.objects.values_list("name", flat=True)[:30]) or "none yet"
            raise CommandError(f"No agency called {agency!r}. Agencies: {known}.") from None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            with transaction.atomic():
                user = staff_create(
                    username=username,
                    agency=agency_obj,
                    role=role,
                    password=password,
                    is_supervisor=supervisor,
                    email=email,
                )
                record, code = enrolment_code_issue(user=user)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from None
        expires = timezone.localtime(record.expires_at).strftime("%-d %B %Y %H:%M")
        self.stdout.write(
            f"Created {user.username} ({user.get_role_display()}, {agency_obj.name}).\n"
            f"Enrolment code: {code}\n"
            f"Give it to them with their password: at first sign-in they enter it to set up their "
            f"authenticator app. It works once, until {expires}, and is shown only now."
        )
