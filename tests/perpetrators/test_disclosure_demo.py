"""The Clare's Law demo loads applications at each stage for demo-police, once."""

import io

from carepath.core.models import Role
from carepath.core.services import staff_create
from carepath.perpetrators import disclosure_demo
from carepath.perpetrators.models import DisclosureApplication, DisclosureDecision, DisclosureRoute
from tests.conftest import PASSWORD


def test_the_demo_loads_an_application_at_each_stage_once(reported_event):
    staff_create(username="demo-police", agency=reported_event.agency, role=Role.TRIAGE, password=PASSWORD)
    out = io.StringIO()
    disclosure_demo.load(stdout=out)
    disclosure_demo.load(stdout=out)
    applications = DisclosureApplication.objects.all()
    assert applications.count() == 4
    assert applications.filter(meeting_at__isnull=True, initial_checks_at__isnull=False).count() == 2
    assert applications.filter(initial_checks_at__isnull=True).count() == 1
    disclosed = applications.get(decision=DisclosureDecision.DISCLOSE)
    assert disclosed.disclosed_at and disclosed.support_worker_present
    assert applications.filter(route=DisclosureRoute.RIGHT_TO_KNOW).count() == 1
    assert "already there" in out.getvalue()


def test_the_demo_without_the_police_account_adds_nothing(reported_event):
    out = io.StringIO()
    disclosure_demo.load(stdout=out)
    assert not DisclosureApplication.objects.exists()
