"""`carepath demo-directory`: Hertfordshire's services, the refuges by phone only, work in
the owners' queues; run again, the same directory."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from carepath.core.codes import Role
from carepath.core.models import District
from carepath.core.services import staff_create
from carepath.directory import selectors
from carepath.directory.models import Entry, Kind

DISTRICTS = [
    "Broxbourne",
    "Dacorum",
    "East Hertfordshire",
    "Hertsmere",
    "North Hertfordshire",
    "St Albans",
    "Stevenage",
    "Three Rivers",
    "Watford",
    "Welwyn Hatfield",
]


@pytest.fixture
def demo_county(county, settings):
    settings.DEMO_MODE = True
    for name in DISTRICTS:
        District.objects.create(marac_area=county["area"], name=name, population=1, women_16_plus=1)
    agencies = county["agencies"]
    return {
        username: staff_create(username=username, agency=agency, role=role, password=None)
        for username, agency, role in (
            ("demo-admin", agencies["partnership"], Role.ADMINISTRATOR),
            ("demo-refuge", agencies["housing"], Role.REFUGE_WORKER),
            ("demo-caseworker", agencies["housing"], Role.CASEWORKER),
            ("demo-idva-manager", agencies["idva"], Role.IDVA),
        )
    }


def test_the_demo_directory_is_hertfordshires_and_gives_its_owners_work(demo_county):
    call_command("demo-directory")
    first = list(Entry.objects.order_by("name").values_list("name", "phone", "last_checked_on"))
    call_command("demo-directory")
    assert list(Entry.objects.order_by("name").values_list("name", "phone", "last_checked_on")) == first
    assert Entry.objects.filter(kind=Kind.HELPLINE).count() + Entry.objects.filter(kind=Kind.IDVA).count() == 11
    refuges = Entry.objects.filter(kind=Kind.REFUGE)
    assert refuges.count() == 6 and all(r.phone for r in refuges)
    assert Entry.objects.filter(kind=Kind.OUTREACH).count() == 2
    assert Entry.objects.filter(kind=Kind.WOMENS_CENTRE).count() == 2
    today = timezone.localdate()
    admin_work = selectors.entries_to_check(user=demo_county["demo-admin"], today=today)
    assert admin_work.count() == 2
    hidden = [e for e in admin_work if e.last_checked_on < selectors.staleness().hidden_before(today)]
    assert [e.name for e in hidden] == ["Herts Area Rape Crisis and Sexual Abuse Helpline"]
