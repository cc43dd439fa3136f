"""`carepath accommodation-holds-expire`, which cron runs every few minutes: lapsed holds
end and their units return to the board even when nobody opens it; live holds, and units
the provider has since closed, are left as they are."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from carepath.accommodation import services
from carepath.accommodation.models import HoldStatus, Unit, VacancyState


def expire() -> str:
    out = StringIO()
    call_command("accommodation-holds-expire", stdout=out)
    return out.getvalue()


def test_the_command_ends_lapsed_holds_and_returns_their_units_and_leaves_live_ones(refuges, staff):
    now = timezone.now()
    lapsed_unit, live_unit = refuges["units"]["boys_to_12"], refuges["units"]["any_boy_stale"]
    lapsed = services.hold_place(unit=lapsed_unit, user=staff["idva"], now=now - timedelta(hours=5), hold_hours=4)
    live = services.hold_place(unit=live_unit, user=staff["idva"], now=now - timedelta(hours=1), hold_hours=4)

    assert expire() == "Expired 1 hold.\n"

    lapsed.refresh_from_db()
    live.refresh_from_db()
    assert (lapsed.status, Unit.objects.get(pk=lapsed_unit.pk).vacancy) == (HoldStatus.EXPIRED, VacancyState.AVAILABLE)
    assert lapsed.history.latest().history_change_reason == "Hold expired"
    assert (live.status, Unit.objects.get(pk=live_unit.pk).vacancy) == (HoldStatus.HELD, VacancyState.ON_HOLD)
    assert expire() == "Expired 0 holds.\n"  # run again a few minutes later: nothing more to do


def test_a_lapsed_hold_on_a_unit_the_provider_has_closed_expires_without_reopening_it(refuges, staff):
    unit = refuges["units"]["boys_to_12"]
    hold = services.hold_place(unit=unit, user=staff["idva"], now=timezone.now() - timedelta(hours=5), hold_hours=4)
    # Written round the services, as a unit closed by another route would be: the hold is still live.
    Unit.objects.filter(pk=unit.pk).update(vacancy=VacancyState.TEMPORARILY_CLOSED)
    assert expire() == "Expired 1 hold.\n"
    hold.refresh_from_db()
    assert hold.status == HoldStatus.EXPIRED
    assert Unit.objects.get(pk=unit.pk).vacancy == VacancyState.TEMPORARILY_CLOSED
