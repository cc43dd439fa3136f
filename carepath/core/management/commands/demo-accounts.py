"""carepath demo-accounts: one demo account per role, for `make demo` only.

The accounts share a published password and may skip the second factor, but only while
the server runs in demo mode (CAREPATH_DEMO=1). The command refuses to run otherwise.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from carepath.core.models import Agency, AgencyType, Role, User
from carepath.core.services import staff_create

# Bandit's B105 (a hard-coded password): published in the README; the accounts exist in demo mode only.
DEMO_PASSWORD = "demo-carepath-2026"  # nosec B105

# (username, role, agency type, supervisor)
DEMO_ACCOUNTS = [
    ("demo-triage", Role.TRIAGE, AgencyType.FRONT_DOOR, True),
    ("demo-triage-worker", Role.TRIAGE, AgencyType.FRONT_DOOR, False),
    ("demo-police", Role.TRIAGE, AgencyType.POLICE, True),
    ("demo-police-analyst", Role.COMMISSIONER, AgencyType.POLICE, False),
    ("demo-idva", Role.IDVA, AgencyType.IDVA_SERVICE, False),
    ("demo-idva-manager", Role.IDVA, AgencyType.IDVA_SERVICE, True),
    ("demo-caseworker", Role.CASEWORKER, AgencyType.VOLUNTARY_SECTOR, False),
    ("demo-marac-coordinator", Role.MARAC_COORDINATOR, AgencyType.MARAC, False),
    ("demo-marac-chair", Role.MARAC_CHAIR, AgencyType.MARAC, False),
    ("demo-refuge", Role.REFUGE_WORKER, AgencyType.REFUGE_PROVIDER, False),
    ("demo-safeguarding", Role.SAFEGUARDING_LEAD, AgencyType.CHILDRENS_SERVICES, False),
    ("demo-commissioner", Role.COMMISSIONER, AgencyType.PARTNERSHIP, False),
    ("demo-admin", Role.ADMINISTRATOR, AgencyType.PARTNERSHIP, False),
    ("demo-dpo", Role.DATA_PROTECTION_OFFICER, AgencyType.PARTNERSHIP, False),
]


class Command(BaseCommand):
    help = "Create the demo staff accounts (demo mode only)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo accounts are only for demo mode: set CAREPATH_DEMO=1 (never with real data).")
        for username, role, agency_type, supervisor in DEMO_ACCOUNTS:
            agency = Agency.objects.filter(agency_type=agency_type).order_by("name").first()
            if agency is None:
                raise CommandError(f"No {agency_type.label} agency yet: run `carepath synth` first.")
            user = User.objects.filter(username=username).first()
            if user is None:
                staff_create(
                    username=username,
                    agency=agency,
                    role=role,
                    password=DEMO_PASSWORD,
                    is_supervisor=supervisor,
                    is_demo_account=True,
                )
            else:
                # Kept, not recreated: their access-log rows must keep pointing at them.
                user.agency, user.role, user.is_supervisor, user.is_demo_account = agency, role, supervisor, True
                user.set_password(DEMO_PASSWORD)
                user.save()
        self.stdout.write(f"{len(DEMO_ACCOUNTS)} demo accounts ready; password: {DEMO_PASSWORD}")
