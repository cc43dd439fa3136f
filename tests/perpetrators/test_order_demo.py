"""The demo's orders: demo-idva's case shows the DVPO protecting her victim and its breaches."""

import io

from django.urls import reverse

from carepath.casework.models import Case, CaseSource, Service, ServiceKind, Worker
from carepath.core.models import Role
from carepath.core.services import staff_create
from carepath.perpetrators import order_demo
from carepath.perpetrators.models import Breach, CriminalHistoryEntry, CustodyRelease, Order
from tests.conftest import PASSWORD


def test_the_demo_gives_her_idva_an_order_and_its_breaches_once(county, reported_event, login):
    agencies = county["agencies"]
    police = staff_create(username="demo-police", agency=agencies["police"], role=Role.TRIAGE, password=PASSWORD)
    idva = staff_create(username="demo-idva", agency=agencies["idva"], role=Role.IDVA, password=PASSWORD)
    service = Service.objects.create(agency=agencies["idva"], name="Demo IDVAs", kind=ServiceKind.IDVA)
    case = Case.objects.create(
        service=service,
        victim=reported_event.victim,
        source=CaseSource.FRONT_DOOR,
        risk_level="high",
        worker=Worker.objects.create(user=idva, service=service),
        referred_at=reported_event.reported_at,
    )
    out = io.StringIO()
    order_demo.load(stdout=out)
    order = Order.objects.get()
    assert (order.perpetrator, order.protected_person, order.recorded_by_user) == (
        reported_event.perpetrator,
        reported_event.victim,
        police,
    )
    assert Breach.objects.filter(order=order).count() == 2
    assert CustodyRelease.objects.count() == 1 and CriminalHistoryEntry.objects.count() == 3
    page = login(idva).get(reverse("casework_case_detail", args=[case.pk])).content.decode()
    assert "Domestic Violence Protection Order (DVPO)" in page and "she called 999" in page
    assert "looking for a new partner" not in page
    order_demo.load(stdout=out)
    assert Order.objects.count() == 1
    assert "already loaded" in out.getvalue()


def test_without_the_demo_accounts_it_says_so(db):
    out = io.StringIO()
    order_demo.load(stdout=out)
    assert "demo-accounts" in out.getvalue() and not Order.objects.exists()
