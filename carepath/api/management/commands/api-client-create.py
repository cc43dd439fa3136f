"""carepath api-client-create NAME --agency "Agency name"

Creates an API client for one agency system and prints its token ONCE. Carepath keeps
only a hash of the token: if it is lost, deactivate the client in the admin and create
another.
"""

from django.core.management.base import BaseCommand, CommandError

from carepath.api.auth import api_client_create
from carepath.api.models import ApiClient
from carepath.core.models import Agency


class Command(BaseCommand):
    help = "Create an API client for an agency system and print its token once."

    def add_arguments(self, parser):
        parser.add_argument("name", help='The sending system, e.g. "Police records system".')
        parser.add_argument("--agency", required=True, help="The referring agency's name exactly as in Carepath.")

    def handle(self, *args, name, agency, **options):
        name = name.strip()
        if not name:
            raise CommandError("Give the client a name.")
        try:
            agency_obj = Agency.objects.get(name=agency)
        except Agency.DoesNotExist:
            known = ", ".join(Agency.objects.values_list("name", flat=True)[:30]) or "none yet"
            raise CommandError(f"No agency called {agency!r}. Agencies: {known}.") from None
        if ApiClient.objects.filter(agency=agency_obj, name=name).exists():
            raise CommandError(f"{agency_obj.name} already has an API client called {name!r}.")
        client, token = api_client_create(name=name, agency=agency_obj)
        self.stdout.write(
            f"Created API client {client.name!r} for {agency_obj.name} (token prefix {client.token_prefix}).\n"
            "Its token is below. It is shown only this once: Carepath keeps only a hash of it.\n"
            "Give it to the agency's system by a secure route, and send it as 'Authorization: Bearer <token>'.\n\n"
            f"{token}\n"
        )
