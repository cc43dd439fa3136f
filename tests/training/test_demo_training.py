"""`carepath demo-training` on a small county: champions in its agencies, two years of
sessions and registers, some refreshers overdue, a report with content, the training
co-ordinator's demo account, and a second run that adds nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.core.codes import Role
from carepath.core.models import User
from carepath.training import rules, selectors
from carepath.training.models import AttendanceStatus, Booking, Champion, Session


def test_demo_training_builds_a_network_with_overdue_refreshers_once(county, settings):
    settings.DEMO_MODE = True
    call_command("demo-training", stdout=StringIO())
    coordinator = User.objects.get(username="demo-training")
    assert coordinator.role == Role.COMMISSIONER and coordinator.is_demo_account
    assert coordinator.check_password("demo-carepath-2026")
    today = timezone.localdate()
    police = county["agencies"]["police"]
    assert selectors.champions_search(agency_id=police.pk, on=today).exists()
    assert not Champion.objects.filter(agency=county["agencies"]["partnership"]).exists()
    held = Session.objects.filter(held_on__lte=today)
    assert held.filter(held_on__lt=date(today.year - 1, today.month, 1)).exists()  # over two years
    assert Session.objects.filter(held_on__gt=today).exists()  # the next month's, booked
    assert set(Booking.objects.filter(session__in=held).values_list("status", flat=True)) >= {
        AttendanceStatus.ATTENDED,
        AttendanceStatus.ABSENT,
    }
    assert not Booking.objects.filter(session__held_on__gt=today).exclude(status=AttendanceStatus.BOOKED).exists()
    due = selectors.refreshers_due(settings=partnership_settings_get(), today=today)
    assert any(t.due.overdue for t in due)
    periods = rules.periods(kind=rules.QUARTER, first=date(today.year - 2, today.month, 1), last=today)
    rows = selectors.network_report(agency_id=police.pk, periods=periods)
    assert rows[-1].trained > 0 and rows[-1].champions > 0

    counts = (Champion.objects.count(), Session.objects.count(), Booking.objects.count())
    call_command("demo-training", stdout=StringIO())
    assert (Champion.objects.count(), Session.objects.count(), Booking.objects.count()) == counts


def test_demo_training_refuses_outside_demo_mode(county, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only for demo mode"):
        call_command("demo-training", stdout=StringIO())
    assert not Session.objects.exists()
