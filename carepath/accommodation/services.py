"""Writes of safe accommodation."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from carepath.accommodation import matching
from carepath.accommodation.models import (
    DeclineReason,
    Departure,
    Hold,
    HoldStatus,
    MoveOn,
    Placement,
    PlacementStatus,
    Suitability,
    Unit,
    UnmetDemand,
    VacancyState,
)
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.codes import Consent, SharePart
from carepath.core.history import changed_by
from carepath.core.models import Agency, District
from carepath.core.services import share_create
from carepath.people.models import Person
from carepath.referrals.intake import PersonDetails
from carepath.referrals.services import referral_people_record, referrer_victim_check


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


def _placement_ends(hold: Hold, status: str, *, now: datetime, user) -> None:
    """The referral made on the hold, if one was, takes the hold's outcome."""
    placement = Placement.objects.select_for_update().filter(hold=hold, status=PlacementStatus.REFERRED).first()
    if placement is None:
        return
    placement.status, placement.decided_at = status, now
    placement.decline_reason, placement.unmet_need = hold.decline_reason, hold.unmet_need
    changed_by(placement, user, reason=f"The hold ended: {hold.get_status_display().lower()}").save(
        update_fields=["status", "decided_at", "decline_reason", "unmet_need"]
    )


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
    _placement_ends(hold, PlacementStatus.WITHDRAWN, now=now, user=user)
    return hold


@transaction.atomic
def holds_expire(*, now: datetime) -> int:
    """End every hold past its expiry, and return its unit to the board as available (if
    it is still on hold). Returns how many expired; run it before reading the board."""
    expired = list(Hold.objects.select_for_update().filter(status=HoldStatus.HELD, expires_at__lte=now))
    for hold in expired:
        _release(hold, status=HoldStatus.EXPIRED, now=now, reason="Hold expired")
        _placement_ends(hold, PlacementStatus.WITHDRAWN, now=now, user=None)
    return len(expired)


def _unit_occupied(unit_id: int, *, user, now: datetime) -> None:
    """A referral to the unit is accepted: it is hers, so occupied, as of now."""
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    unit.vacancy, unit.confirmed_at = VacancyState.OCCUPIED, now
    changed_by(unit, user, reason="Referral accepted").save(update_fields=["vacancy", "confirmed_at"])


def _decline_check(reason: str, unmet_need: str) -> None:
    """A decline has a coded reason and, for needs not met, which need."""
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": "Choose why the referral is declined."})
    if reason == DeclineReason.NEEDS_NOT_MET and not unmet_need:
        raise ValidationError({"unmet_need": "Say which of her needs cannot be met."})


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
    _unit_occupied(hold.unit_id, user=user, now=now)
    _placement_ends(hold, PlacementStatus.ACCEPTED, now=now, user=user)
    return hold


@transaction.atomic
def hold_decline(*, hold: Hold, user, now: datetime, reason: str, unmet_need: str = "") -> Hold:
    """The provider declines the referral with a coded reason (and, for needs not met,
    which need); the vacancy returns to the board."""
    _provider_decides(hold, user, now)
    _decline_check(reason, unmet_need)
    hold.decline_reason = reason
    hold.unmet_need = unmet_need if reason == DeclineReason.NEEDS_NOT_MET else ""
    _release(hold, status=HoldStatus.DECLINED, now=now, user=user, reason="Declined")
    _placement_ends(hold, PlacementStatus.DECLINED, now=now, user=user)
    return hold


#: What a referral to safe accommodation gives the provider: who referred her and when,
#: what she and her children need, and how to contact her safely.
PLACEMENT_SHARED_PARTS = (SharePart.SUMMARY, SharePart.DETAILS, SharePart.CHILDREN, SharePart.SAFE_CONTACT)


@dataclass(frozen=True)
class Household:
    """A referral's family as the provider decides on it and the annual return counts it:
    her home district (None: outside the partnership, a referral into the area), the Safer
    Places suitability assessment, who she is (matching.WOMAN, MAN or TRANS_WOMAN), the
    adults and children, her needs (codes of matching.NEEDS) and notes for the provider."""

    home_district: District | None
    suitability: str
    adult: str
    adults: int = 1
    children: int = 0
    needs: tuple[str, ...] = ()
    notes: str = ""

    def errors(self) -> dict[str, str]:
        errors = {}
        if self.adult not in (matching.WOMAN, matching.MAN, matching.TRANS_WOMAN):
            errors["adult"] = "Say who needs the place: a woman, a man or a trans woman."
        if not 1 <= self.adults <= 6:
            errors["adults"] = "Enter 1 to 6 adults."
        if not 0 <= self.children <= 12:
            errors["children"] = "Enter 0 to 12 children."
        if any(n not in matching.NEEDS for n in self.needs):
            errors["needs"] = "Choose her needs from the list."
        if self.suitability not in Suitability.values:
            errors["suitability"] = "Choose what the suitability assessment found."
        return errors

    def fields(self) -> dict:
        return {
            "home_district": self.home_district,
            "suitability": self.suitability,
            "adult": self.adult,
            "adults": self.adults,
            "children": self.children,
            "needs": [n for n in matching.NEEDS if n in self.needs],
            "notes": self.notes.strip(),
        }


def _placement_people(*, user, victim: Person | None, new_victim: PersonDetails | None, to: str) -> int:
    referrer_victim_check(user=user, victim=victim, new_victim=new_victim, to=to)
    if victim is not None:
        return victim.pk
    return referral_people_record(agency_id=user.agency_id, user_id=user.pk, victim=new_victim).victim_id


def _placement_create(*, user, person_id: int, household: Household, now: datetime, reason: str, **fields) -> Placement:
    placement = Placement(person_id=person_id, referred_by=user, referred_at=now, **household.fields(), **fields)
    changed_by(placement, user, reason=reason).save()
    return placement


@transaction.atomic
def placement_refer(
    *,
    hold: Hold,
    user,
    victim: Person | None = None,
    new_victim: PersonDetails | None = None,
    household: Household,
    agreed: bool,
    now: datetime,
) -> Placement:
    """Refer a family to the unit her agency holds (issue 15 item 3): one of the agency's
    victims or a new one, the Safer Places suitability assessment, her household for the
    annual return, and what the provider needs to know (``Household``). A place is hers to
    take, so only with her agreement. The provider is given the referral and her record by
    an information share, and answers it in its queue before the hold expires."""
    if user.agency_id != hold.agency_id:
        raise PermissionDenied("Only the agency holding the unit refers a family to it.")
    hold = Hold.objects.select_for_update().select_related("unit__accommodation__provider").get(pk=hold.pk)
    if hold.status != HoldStatus.HELD or hold.expires_at <= now:
        raise ValidationError("The hold has ended: search the board again.")
    if Placement.objects.filter(hold=hold).exists():
        raise ValidationError("She has already been referred on this hold.")
    errors = household.errors()
    if not agreed:
        errors["agreed"] = "A place is hers to take: ask her before you refer her."
    if errors:
        raise ValidationError(errors)
    service = hold.unit.accommodation
    person_id = _placement_people(user=user, victim=victim, new_victim=new_victim, to=service.name)
    placement = _placement_create(
        user=user,
        person_id=person_id,
        now=now,
        reason="Referred from the vacancy board",
        hold=hold,
        unit=hold.unit,
        referring_agency_id=user.agency_id,
        household=household,
    )
    if service.provider_id != user.agency_id:
        share_create(
            subject=placement,
            shared_with=service.provider,
            shared_by=user.agency,
            people=[(person_id, "the victim")],
            parts=list(PLACEMENT_SHARED_PARTS),
            what=f"Referral to {service.name}",
            why=f"{user.agency} referred her and her family to {service.name} for safe accommodation.",
            consent=Consent.GIVEN,
            shared_at=now,
            user=user,
        )
    return placement


@transaction.atomic
def placement_receive(
    *,
    unit: Unit,
    user,
    victim: Person | None = None,
    new_victim: PersonDetails | None = None,
    referrer_elsewhere: str,
    household: Household,
    now: datetime,
) -> Placement:
    """The provider records a referral made to it directly (from outside the area by
    phone or Routes to Support, or she referred herself), for one of its units: the
    referrer in words. It is then answered as any other referral (``placement_decide``)."""
    if unit.accommodation.provider_id != user.agency_id:
        raise PermissionDenied("Only the unit's provider records a referral made to it.")
    errors = household.errors()
    if not referrer_elsewhere.strip():
        errors["referrer_elsewhere"] = "Say who referred her (or that she referred herself)."
    if errors:
        raise ValidationError(errors)
    person_id = _placement_people(user=user, victim=victim, new_victim=new_victim, to=unit.accommodation.name)
    return _placement_create(
        user=user,
        person_id=person_id,
        now=now,
        reason="Referral received by the provider",
        unit=unit,
        referrer_elsewhere=referrer_elsewhere.strip(),
        household=household,
    )


@transaction.atomic
def placement_refer_elsewhere(
    *,
    user,
    victim: Person | None = None,
    new_victim: PersonDetails | None = None,
    service_elsewhere: str,
    household: Household,
    now: datetime,
) -> Placement:
    """Record a referral out of the area, to a service outside the partnership (not on the
    board: found through Routes to Support or by phone). The referring agency records the
    answer when it comes (``placement_decide``)."""
    errors = household.errors()
    if not service_elsewhere.strip():
        errors["service_elsewhere"] = "Name the service you referred her to."
    if errors:
        raise ValidationError(errors)
    person_id = _placement_people(user=user, victim=victim, new_victim=new_victim, to="safe accommodation")
    return _placement_create(
        user=user,
        person_id=person_id,
        now=now,
        reason="Referred out of the area",
        service_elsewhere=service_elsewhere.strip(),
        referring_agency_id=user.agency_id,
        household=household,
    )


def placement_keeper(placement: Placement) -> int | None:
    """The agency that answers for the placement and records her stay: the unit's
    provider, or for a referral out of the area the agency that referred her."""
    return placement.unit.accommodation.provider_id if placement.unit_id else placement.referring_agency_id


def _kept_by(placement: Placement, user) -> Placement:
    """The placement as it stands now, locked, when the user's agency keeps it."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if user.agency_id is None or user.agency_id != placement_keeper(placement):
        raise PermissionDenied(
            "Only the provider records its answer and her stay."
            if placement.unit_id
            else "Only the referring agency records the answer of a service elsewhere."
        )
    return placement


@transaction.atomic
def placement_decide(
    *, placement: Placement, user, accept: bool, reason: str = "", unmet_need: str = "", now: datetime
) -> Placement:
    """The answer to a referral made without a hold on the board: the provider's to one
    received directly, or a service elsewhere's as the referrer records it. A referral on a
    hold is answered through the hold (``hold_accept`` / ``hold_decline``)."""
    placement = _kept_by(placement, user)
    if placement.hold_id is not None:
        hold = placement.hold
        if accept:
            hold_accept(hold=hold, user=user, now=now)
        else:
            hold_decline(hold=hold, user=user, now=now, reason=reason, unmet_need=unmet_need)
        placement.refresh_from_db()
        return placement
    if placement.status != PlacementStatus.REFERRED:
        raise ValidationError("The referral has already been answered.")
    if not accept:
        _decline_check(reason, unmet_need)
    placement.status = PlacementStatus.ACCEPTED if accept else PlacementStatus.DECLINED
    placement.decided_at = now
    placement.decline_reason = "" if accept else reason
    placement.unmet_need = unmet_need if not accept and reason == DeclineReason.NEEDS_NOT_MET else ""
    changed_by(placement, user, reason="Accepted" if accept else "Declined").save(
        update_fields=["status", "decided_at", "decline_reason", "unmet_need"]
    )
    if accept and placement.unit_id:
        _unit_occupied(placement.unit_id, user=user, now=now)
    return placement


@transaction.atomic
def placement_arrive(*, placement: Placement, user, arrived_on: date, today: date) -> Placement:
    """She and her children arrived: the stay begins."""
    placement = _kept_by(placement, user)
    if placement.status != PlacementStatus.ACCEPTED:
        raise ValidationError("Only a family whose referral was accepted can arrive.")
    if arrived_on > today:
        raise ValidationError({"arrived_on": "The arrival date cannot be in the future."})
    if arrived_on < placement.referred_at.date():
        raise ValidationError({"arrived_on": "She cannot arrive before she was referred."})
    placement.status, placement.arrived_on = PlacementStatus.STAYING, arrived_on
    changed_by(placement, user, reason="Arrived").save(update_fields=["status", "arrived_on"])
    return placement


@transaction.atomic
def placement_did_not_arrive(*, placement: Placement, user, now: datetime) -> Placement:
    """She did not come: the unit is available again."""
    placement = _kept_by(placement, user)
    if placement.status != PlacementStatus.ACCEPTED:
        raise ValidationError("Only a family expected to arrive can be recorded as not arriving.")
    placement.status = PlacementStatus.DID_NOT_ARRIVE
    changed_by(placement, user, reason="Did not arrive").save(update_fields=["status"])
    if placement.unit_id:
        unit_vacancy_set(unit=placement.unit, vacancy=VacancyState.AVAILABLE, user=user, now=now)
    return placement


@transaction.atomic
def placement_support_record(
    *, placement: Placement, user, support_plan: str, children_support: str, children_supported: int
) -> Placement:
    """Her support plan and the children's support while she stays."""
    placement = _kept_by(placement, user)
    if placement.status != PlacementStatus.STAYING:
        raise ValidationError("Record support for a family staying now.")
    if not 0 <= children_supported <= max(placement.children, 0):
        raise ValidationError(
            {"children_supported": f"Enter 0 to {placement.children}: the children who came with her."}
        )
    placement.support_plan = support_plan.strip()
    placement.children_support = children_support.strip()
    placement.children_supported = children_supported
    changed_by(placement, user, reason="Support recorded").save(
        update_fields=["support_plan", "children_support", "children_supported"]
    )
    return placement


@transaction.atomic
def placement_depart(
    *,
    placement: Placement,
    user,
    left_on: date,
    departure: str,
    move_on: str,
    unit_vacancy: str,
    today: date,
    now: datetime,
) -> Placement:
    """The stay ends (planned or not) with where she moved on to; the unit takes the
    vacancy the provider gives it now (available, or closed while it is readied)."""
    placement = _kept_by(placement, user)
    if placement.status != PlacementStatus.STAYING:
        raise ValidationError("Only a family staying now can move on.")
    errors = {}
    if left_on > today:
        errors["left_on"] = "The date she left cannot be in the future."
    elif left_on < placement.arrived_on:
        errors["left_on"] = f"She arrived on {placement.arrived_on:%-d %B %Y}: she cannot leave before that."
    if departure not in Departure.values:
        errors["departure"] = "Say how the stay ended."
    if move_on not in MoveOn.values:
        errors["move_on"] = "Say where she moved on to, or that it is not known."
    if placement.unit_id and unit_vacancy not in (VacancyState.AVAILABLE, VacancyState.TEMPORARILY_CLOSED):
        errors["unit_vacancy"] = "Say whether the unit is available now or closed while it is readied."
    if errors:
        raise ValidationError(errors)
    placement.status, placement.left_on = PlacementStatus.LEFT, left_on
    placement.departure, placement.move_on = departure, move_on
    changed_by(placement, user, reason="Moved on").save(update_fields=["status", "left_on", "departure", "move_on"])
    if placement.unit_id:
        unit_vacancy_set(unit=placement.unit, vacancy=unit_vacancy, user=user, now=now)
    return placement
