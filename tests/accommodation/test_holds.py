"""Holds on a unit while a family is referred: the unit leaves the board while held, the
hold expires after the configured hours and the vacancy returns, the provider may extend
it, and the referrer or the provider may cancel it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carepath.accommodation import services
from carepath.accommodation.models import DeclineReason, HoldStatus, Unit, UnmetNeed, VacancyState


def board(client) -> str:
    """The board's units available now (below the agency's own holds)."""
    html = client.get(reverse("accommodation_vacancy_board"), {"adult": "woman", "adults": 1}).content.decode()
    return html.split("Available now and suitable")[1]


def test_a_held_unit_leaves_the_board_and_returns_when_the_hold_expires(refuges, staff, login):
    unit = refuges["units"]["boys_to_12"]
    now = timezone.now()
    hold = services.hold_place(unit=unit, user=staff["idva"], now=now - timedelta(hours=5), hold_hours=4)
    assert hold.expires_at == now - timedelta(hours=1)
    unit.refresh_from_db()
    assert unit.vacancy == VacancyState.ON_HOLD
    assert services.holds_expire(now=now - timedelta(hours=2)) == 0
    client = login(staff["idva"])
    html = board(client)  # the board lets expired holds go before it reads
    hold.refresh_from_db()
    unit.refresh_from_db()
    assert (hold.status, unit.vacancy) == (HoldStatus.EXPIRED, VacancyState.AVAILABLE)
    assert "Juniper House, Flat 1" in html


def test_a_live_hold_keeps_the_unit_off_the_board(refuges, staff, login):
    services.hold_place(unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=timezone.now(), hold_hours=4)
    assert "Juniper House, Flat 1" not in board(login(staff["idva"]))


def test_a_unit_that_is_not_available_cannot_be_held(refuges, staff):
    with pytest.raises(ValidationError, match="no longer available: temporarily closed"):
        services.hold_place(unit=refuges["units"]["closed"], user=staff["idva"], now=timezone.now(), hold_hours=4)
    unit = refuges["units"]["boys_to_12"]
    services.hold_place(unit=unit, user=staff["idva"], now=timezone.now(), hold_hours=4)
    with pytest.raises(ValidationError, match="no longer available: on hold"):
        services.hold_place(unit=unit, user=staff["officer"], now=timezone.now(), hold_hours=4)


def test_only_the_provider_extends_a_hold_and_then_it_outlives_its_first_expiry(refuges, staff):
    now = timezone.now()
    hold = services.hold_place(unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=now, hold_hours=4)
    with pytest.raises(ValidationError, match="Only the unit's provider"):
        services.hold_extend(hold=hold, user=staff["idva"], hours=8, now=now)
    services.hold_extend(hold=hold, user=refuges["workers"]["haven"], hours=8, now=now + timedelta(hours=1))
    assert services.holds_expire(now=now + timedelta(hours=5)) == 0
    assert services.holds_expire(now=now + timedelta(hours=9)) == 1


def test_the_referrer_cancels_a_hold_and_the_vacancy_returns_but_an_uninvolved_agency_cannot(refuges, staff):
    unit = refuges["units"]["boys_to_12"]
    hold = services.hold_place(unit=unit, user=staff["idva"], now=timezone.now(), hold_hours=4)
    with pytest.raises(ValidationError, match="Only the referring agency or the provider"):
        services.hold_cancel(hold=hold, user=staff["outsider"], now=timezone.now())
    services.hold_cancel(hold=hold, user=staff["idva"], now=timezone.now())
    unit.refresh_from_db()
    assert (hold.status, unit.vacancy) == (HoldStatus.CANCELLED, VacancyState.AVAILABLE)
    with pytest.raises(ValidationError, match="already ended"):
        services.hold_cancel(hold=hold, user=refuges["workers"]["haven"], now=timezone.now())


def test_a_hold_ends_when_the_provider_closes_the_unit_and_its_expiry_does_not_reopen_it(refuges, staff):
    unit = refuges["units"]["boys_to_12"]
    now = timezone.now()
    hold = services.hold_place(unit=unit, user=staff["idva"], now=now, hold_hours=4)
    services.unit_vacancy_set(
        unit=unit, vacancy=VacancyState.TEMPORARILY_CLOSED, user=refuges["workers"]["haven"], now=now
    )
    assert services.holds_expire(now=now + timedelta(hours=4)) == 0
    hold.refresh_from_db()
    unit.refresh_from_db()
    assert (hold.status, unit.vacancy) == (HoldStatus.CANCELLED, VacancyState.TEMPORARILY_CLOSED)


def test_the_provider_accepts_a_referral_and_the_unit_is_occupied(refuges, staff):
    unit = refuges["units"]["boys_to_12"]
    now = timezone.now()
    hold = services.hold_place(unit=unit, user=staff["idva"], now=now, hold_hours=4)
    with pytest.raises(ValidationError, match="Only the unit's provider"):
        services.hold_accept(hold=hold, user=refuges["workers"]["other"], now=now)
    services.hold_accept(hold=hold, user=refuges["workers"]["haven"], now=now + timedelta(hours=1))
    unit.refresh_from_db()
    assert (hold.status, unit.vacancy) == (HoldStatus.ACCEPTED, VacancyState.OCCUPIED)
    assert services.holds_expire(now=now + timedelta(hours=5)) == 0


def test_the_provider_declines_with_a_coded_reason_naming_the_unmet_need_and_the_vacancy_returns(refuges, staff):
    unit = refuges["units"]["boys_to_12"]
    now = timezone.now()
    hold = services.hold_place(unit=unit, user=staff["idva"], now=now, hold_hours=4)
    haven = refuges["workers"]["haven"]
    with pytest.raises(ValidationError, match="which of her needs"):
        services.hold_decline(hold=hold, user=haven, now=now, reason=DeclineReason.NEEDS_NOT_MET)
    services.hold_decline(
        hold=hold, user=haven, now=now, reason=DeclineReason.NEEDS_NOT_MET, unmet_need=UnmetNeed.OLDEST_BOY
    )
    hold.refresh_from_db()
    unit.refresh_from_db()
    assert (hold.status, hold.decline_reason, hold.unmet_need) == ("declined", "needs_not_met", "oldest_boy")
    assert hold.history.latest().history_user == haven and hold.history.count() == 2  # placed, declined
    assert unit.vacancy == VacancyState.AVAILABLE


def test_a_referral_whose_hold_has_expired_can_no_longer_be_accepted(refuges, staff):
    now = timezone.now()
    hold = services.hold_place(unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=now, hold_hours=4)
    with pytest.raises(ValidationError, match="The hold has ended"):
        services.hold_accept(hold=hold, user=refuges["workers"]["haven"], now=now + timedelta(hours=4))


def test_an_idva_holds_a_unit_from_the_board_and_the_provider_accepts_it_on_its_page(refuges, staff, login):
    unit = refuges["units"]["boys_to_12"]
    idva = login(staff["idva"])
    response = idva.post(reverse("accommodation_hold_place"), {"unit": unit.pk}, follow=True)
    assert "Juniper House, Flat 1 is held for you until" in response.content.decode()
    assert "Juniper House, Flat 1" not in board(idva)
    provider = login(refuges["workers"]["haven"])
    page = provider.get(reverse("accommodation_provider_units")).content.decode()
    waiting = page.split("Referrals waiting for your answer")[1].split("Juniper House</h2>")[0]
    assert "Juniper House, Flat 1" in waiting and "Testshire IDVA Service" in waiting
    hold = unit.holds.get()
    response = provider.post(reverse("accommodation_hold_decide", args=[hold.pk]), {"decision": "accept"}, follow=True)
    assert "Accepted: Flat 1 is now occupied." in response.content.decode()
    unit.refresh_from_db()
    assert unit.vacancy == VacancyState.OCCUPIED


def test_a_provider_declining_for_needs_not_met_must_say_which(refuges, staff, login):
    hold = services.hold_place(
        unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=timezone.now(), hold_hours=4
    )
    provider = login(refuges["workers"]["haven"])
    url = reverse("accommodation_hold_decide", args=[hold.pk])
    page = provider.post(url, {"decision": "decline", "reason": "needs_not_met"}, follow=True).content.decode()
    assert "Say which of her needs cannot be met." in page
    provider.post(url, {"decision": "decline", "reason": "needs_not_met", "unmet_need": "oldest_boy"})
    hold.refresh_from_db()
    assert (hold.status, hold.unmet_need) == (HoldStatus.DECLINED, "oldest_boy")


def test_another_provider_cannot_decide_a_referral_and_is_answered_as_for_a_missing_one(refuges, staff, login):
    hold = services.hold_place(
        unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=timezone.now(), hold_hours=4
    )
    other = login(refuges["workers"]["other"])
    existing = other.post(reverse("accommodation_hold_decide", args=[hold.pk]), {"decision": "accept"})
    missing = other.post(reverse("accommodation_hold_decide", args=[987_654]), {"decision": "accept"})
    assert existing.status_code == missing.status_code == 404
    hold.refresh_from_db()
    assert hold.status == HoldStatus.HELD


def test_a_unit_no_longer_available_cannot_be_held_from_the_board(refuges, staff, login):
    closed = refuges["units"]["closed"]
    response = login(staff["idva"]).post(reverse("accommodation_hold_place"), {"unit": closed.pk}, follow=True)
    assert "That unit is no longer available: search again." in response.content.decode()
    assert not closed.holds.exists()


def test_a_provider_setting_the_vacancy_ends_a_live_hold_and_a_unit_is_never_held_twice(refuges, staff):
    unit = refuges["units"]["boys_to_12"]
    now = timezone.now()
    first = services.hold_place(unit=unit, user=staff["idva"], now=now, hold_hours=4)
    services.unit_vacancy_set(unit=unit, vacancy=VacancyState.AVAILABLE, user=refuges["workers"]["haven"], now=now)
    first.refresh_from_db()
    assert first.status == HoldStatus.CANCELLED
    second = services.hold_place(unit=unit, user=staff["officer"], now=now, hold_hours=4)
    Unit.objects.filter(pk=unit.pk).update(vacancy=VacancyState.AVAILABLE)  # written round the services
    with pytest.raises(ValidationError, match="already held for another referral"):
        services.hold_place(unit=unit, user=staff["idva"], now=now, hold_hours=4)
    assert second.status == HoldStatus.HELD


def test_the_home_page_shows_the_board_to_an_idva_and_referrals_to_answer_to_the_provider(refuges, staff, login):
    services.hold_place(unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=timezone.now(), hold_hours=4)
    assert "Safe accommodation vacancies" in login(staff["idva"]).get(reverse("home")).content.decode()
    provider_home = login(refuges["workers"]["haven"]).get(reverse("home")).content.decode()
    assert "Referrals to answer" in provider_home and "Safe accommodation vacancies" not in provider_home


def test_the_referrer_lets_a_hold_go_from_the_board_and_another_agency_cannot(refuges, staff, login):
    unit = refuges["units"]["boys_to_12"]
    hold = services.hold_place(unit=unit, user=staff["idva"], now=timezone.now(), hold_hours=4)
    outsider = login(staff["outsider"])
    existing = outsider.post(reverse("accommodation_hold_cancel", args=[hold.pk]))
    missing = outsider.post(reverse("accommodation_hold_cancel", args=[987_654]))
    assert existing.status_code == missing.status_code == 404
    idva = login(staff["idva"])
    assert "Units your agency is holding" in idva.get(reverse("accommodation_vacancy_board")).content.decode()
    page = idva.post(reverse("accommodation_hold_cancel", args=[hold.pk]), follow=True).content.decode()
    assert "Hold let go: Juniper House, Flat 1 is available again." in page
    unit.refresh_from_db()
    assert unit.vacancy == VacancyState.AVAILABLE


def test_the_provider_is_offered_the_partnerships_hold_hours_to_extend_by(refuges, staff, login):
    from carepath.configuration.services import partnership_settings_update

    services.hold_place(unit=refuges["units"]["boys_to_12"], user=staff["idva"], now=timezone.now(), hold_hours=4)
    partnership_settings_update(
        user=staff["admin"], values={"accommodation_hold_hours": "6"}, reason="Providers answer within six hours"
    )
    html = login(refuges["workers"]["haven"]).get(reverse("accommodation_provider_units")).content.decode()
    assert 'name="hours" type="text" inputmode="numeric" value="6"' in html
