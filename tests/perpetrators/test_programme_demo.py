"""The demo's programmes load on a small county, in every status, and only once."""

import io

from django.utils import timezone

from carepath.core.codes import AgencyType
from carepath.core.models import Agency
from carepath.perpetrators import programme_demo, programme_forms, programme_selectors
from carepath.perpetrators.models import PartnerContact, Programme, ProgrammeReferral, ProgrammeStatus


def test_the_demo_loads_five_programmes_with_referrals_in_every_status(county, reported_event):
    for name, kind in (
        ("Testshire Probation", AgencyType.PROBATION),
        ("Testshire Change", AgencyType.VOLUNTARY_SECTOR),
    ):
        Agency.objects.create(partnership=county["partnership"], name=name, agency_type=kind)
    out = io.StringIO()
    programme_demo.load(stdout=out)
    assert sorted(Programme.objects.values_list("kind", flat=True)) == sorted(
        ["court_ordered", "family_court", "voluntary", "caring_dads", "drive"]
    )
    assert set(ProgrammeReferral.objects.values_list("status", flat=True)) == set(ProgrammeStatus.values)
    assert PartnerContact.objects.filter(reached=True).exists()
    today = timezone.localdate()
    assert not ProgrammeReferral.objects.filter(referred_on__gt=today).exists()
    for r in ProgrammeReferral.objects.exclude(started_on=None):
        assert r.referred_on <= r.started_on <= (r.completed_on or r.left_on or today) <= today
    first, last = programme_forms.year_to(today)
    report = programme_selectors.programme_report(first=first, last=last)
    assert report.totals.started and report.totals.completed and report.totals.left
    # Once only.
    programme_demo.load(stdout=out)
    assert Programme.objects.count() == 5 and "already loaded" in out.getvalue()


def test_the_demo_says_what_is_missing_on_an_empty_county(county):
    out = io.StringIO()
    programme_demo.load(stdout=out)
    assert not Programme.objects.exists() and "run `carepath synth` first" in out.getvalue()
