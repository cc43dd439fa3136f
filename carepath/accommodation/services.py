"""Writes of safe accommodation."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from carepath.accommodation import matching
from carepath.accommodation.models import DeclineReason, Hold, HoldStatus, Unit, UnmetDemand, VacancyState
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.history import changed_by
from carepath.core.models import Agency, District


@transaction.atomic
def unit_vacancy_set(*, unit: Unit, vacancy: str, user, now: datetime) -> Unit:
    """The provider says what the unit can do now, in one step; saying it again confirms it.
    The change history keeps every state with who set it and when."""
    if vacancy not in VacancyState.values:
        raise ValueError(f"{vacancy!r} is not a vacancy state")
    if vacancy != VacancyState.ON_HOLD:
        # The provider's word ends any live hold: the unit is no longer held for that referral.
        for hold in Hold.objects.select_for_update().filter(unit=unit, status=HoldStatus.HELD):
            hold.status, hold.ended_at = HoldStatus.CANCELLED, now
            changed_by(hold, user, reason="The provider changed the unit's vacancy").save(
                update_fields=["status", "ended_at"]
            )
    unit.vacancy = vacancy
    unit.confirmed_at = now
    changed_by(unit, user).save(update_fields=["vacancy", "confirmed_at"])
    return unit


@transaction.atomic
def unmet_demand_record(
    *,
    family: matching.Family,
    agency: Agency,
    district: District | None,
    available_units: int,
    now: datetime,
    window_minutes: int | None = None,
) -> UnmetDemand:
    """Record a search that found nothing suitable: the family's needs as codes and counts.
    The same search by the same agency within ``window_minutes`` (the partnership's setting
    unless given) is the same family still not placed: it returns the earlier record instead
    of counting her again."""
    if window_minutes is None:
        window_minutes = partnership_settings_get().accommodation_unmet_demand_window_minutes
    boys = [c.age for c in family.children if c.sex == matching.BOY]
    counts = {
        "agency": agency,
        "district": district,
        "adult": family.adult,
        "adults": family.adults,
        "children": len(family.children),
        "oldest_boy_age": max(boys) if boys else None,
        "districts_avoided": len(family.avoid_districts),
    }
    codes = {
        "needs": [need for need in matching.NEEDS if getattr(family, need)],
        "languages": sorted(family.languages),
    }
    if window_minutes:
        # The lists are compared here, not in SQL: JSON equality differs between SQLite and
        # PostgreSQL, and an agency's searches within the hour are a handful of rows.
        recent = UnmetDemand.objects.filter(searched_at__gt=now - timedelta(minutes=window_minutes), **counts)
        for earlier in recent.order_by("-searched_at"):
            if all(getattr(earlier, name) == value for name, value in codes.items()):
                return earlier
    return UnmetDemand.objects.create(searched_at=now, available_units=available_units, **counts, **codes)


@transaction.atomic
def hold_place(*, unit: Unit, user, now: datetime, hold_hours: int) -> Hold:
    """Hold an available unit for a family while the referrer refers her: the unit shows as
    on hold until the hold ends, at the latest ``hold_hours`` from now."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.vacancy != VacancyState.AVAILABLE or unit.holds.filter(status=HoldStatus.HELD).exists():
        if unit.vacancy == VacancyState.AVAILABLE:
            raise ValidationError(f"{unit.name} is already held for another referral.")
        raise ValidationError(f"{unit.name} is no longer available: {unit.get_vacancy_display().lower()}.")
    hold = Hold.objects.create(
        unit=unit,
        agency_id=user.agency_id,
        placed_by=user,
        placed_at=now,
        expires_at=matching.hold_expires_at(now, hold_hours),
    )
    unit.vacancy = VacancyState.ON_HOLD
    changed_by(unit, user, reason="Held for a referral").save(update_fields=["vacancy"])
    return hold


@transaction.atomic
def hold_extend(*, hold: Hold, user, hours: int, now: datetime) -> Hold:
    """The provider extends a live hold: it now expires ``hours`` from now."""
    if user.agency_id != hold.unit.accommodation.provider_id:
        raise ValidationError("Only the unit's provider may extend a hold on it.")
    if hold.status != HoldStatus.HELD or hold.expires_at <= now:
        raise ValidationError("The hold has ended: it cannot be extended.")
    hold.expires_at = now + timedelta(hours=hours)
    changed_by(hold, user, reason="Extended by the provider").save(update_fields=["expires_at"])
    return hold


def _release(hold: Hold, *, status: str, now: datetime, user=None, reason: str = "") -> None:
    hold.status = status
    hold.ended_at = now
    changed_by(hold, user, reason=reason).save(update_fields=["status", "ended_at", "decline_reason", "unmet_need"])
    unit = Unit.objects.select_for_update().get(pk=hold.unit_id)
    if unit.vacancy == VacancyState.ON_HOLD:
        unit.vacancy = VacancyState.AVAILABLE
        changed_by(unit, user, reason=reason).save(update_fields=["vacancy"])


@transaction.atomic
def hold_cancel(*, hold: Hold, user, now: datetime) -> Hold:
    """The referrer (her agency) or the provider lets the hold go: the vacancy returns."""
    if user.agency_id not in (hold.agency_id, hold.unit.accommodation.provider_id):
        raise ValidationError("Only the referring agency or the provider may cancel the hold.")
    if hold.status != HoldStatus.HELD:
        raise ValidationError("The hold has already ended.")
    _release(hold, status=HoldStatus.CANCELLED, now=now, user=user, reason="Hold cancelled")
    return hold


@transaction.atomic
def holds_expire(*, now: datetime) -> int:
    """End every hold past its expiry, and return its unit to the board as available (if
    it is still on hold). Returns how many expired; run it before reading the board."""
    expired = list(Hold.objects.select_for_update().filter(status=HoldStatus.HELD, expires_at__lte=now))
    for hold in expired:
        _release(hold, status=HoldStatus.EXPIRED, now=now, reason="Hold expired")
    return len(expired)


def _provider_decides(hold: Hold, user, now: datetime) -> None:
    if user.agency_id != hold.unit.accommodation.provider_id:
        raise ValidationError("Only the unit's provider may accept or decline a referral to it.")
    if hold.status != HoldStatus.HELD or hold.expires_at <= now:
        raise ValidationError("The hold has ended: refer her again if the unit is still available.")


@transaction.atomic
def hold_accept(*, hold: Hold, user, now: datetime) -> Hold:
    """The provider accepts the referral: the unit is hers, so occupied."""
    _provider_decides(hold, user, now)
    hold.status = HoldStatus.ACCEPTED
    hold.ended_at = now
    changed_by(hold, user, reason="Accepted").save(update_fields=["status", "ended_at"])
    unit = Unit.objects.select_for_update().get(pk=hold.unit_id)
    unit.vacancy = VacancyState.OCCUPIED
    unit.confirmed_at = now
    changed_by(unit, user, reason="Referral accepted").save(update_fields=["vacancy", "confirmed_at"])
    return hold


@transaction.atomic
def hold_decline(*, hold: Hold, user, now: datetime, reason: str, unmet_need: str = "") -> Hold:
    """The provider declines the referral with a coded reason (and, for needs not met,
    which need); the vacancy returns to the board."""
    _provider_decides(hold, user, now)
    if reason not in DeclineReason.values:
        raise ValidationError("Choose why the referral is declined.")
    if reason == DeclineReason.NEEDS_NOT_MET and not unmet_need:
        raise ValidationError("Say which of her needs cannot be met.")
    hold.decline_reason = reason
    hold.unmet_need = unmet_need if reason == DeclineReason.NEEDS_NOT_MET else ""
    _release(hold, status=HoldStatus.DECLINED, now=now, user=user, reason="Declined")
    return hold
