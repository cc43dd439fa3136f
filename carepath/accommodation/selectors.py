"""Reads of safe accommodation. The board's reads never load an address; only a
provider's own units come with theirs."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from carepath.accommodation import matching
from carepath.accommodation.models import (
    AccommodationKind,
    Hold,
    HoldStatus,
    MoveOn,
    Placement,
    PlacementStatus,
    Unit,
    VacancyState,
)


def units_available() -> QuerySet:
    """Every unit available now, with its service, district and provider, and never the
    service's address (deferred, so it is not even decrypted)."""
    return (
        Unit.objects.filter(vacancy=VacancyState.AVAILABLE)
        .select_related("accommodation__district", "accommodation__provider")
        .defer("accommodation__confidential_address")
        .order_by("pk")
    )


@dataclass(frozen=True)
class BoardRow:
    unit: Unit
    reasons: tuple[str, ...]
    stale: bool


#: Rows a board shows at most, so that a search over a whole country's register stays a
#: page a worker can read (the counts say how many more there are).
MATCHES_SHOWN, NEAR_SHOWN = 50, 20


@dataclass(frozen=True)
class Board:
    matches: list[BoardRow]
    near: list[BoardRow]
    available: int
    matched: int
    nearly: int


#: The columns matching reads of each available unit, in ``matching.UnitOffer``'s words.
_OFFER_COLUMNS = {
    "unit_id": "pk",
    "district_id": "accommodation__district_id",
    "bedrooms": "bedrooms",
    "cots": "cots",
    "children_spaces": "children_spaces",
    "oldest_boy_age": "oldest_boy_age",
    "wheelchair_accessible": "wheelchair_accessible",
    "pets": "pets",
    "male_victims": "male_victims",
    "trans_women": "trans_women",
    "staff_languages": "staff_languages",
    "no_recourse_to_public_funds": "no_recourse_to_public_funds",
    "mental_health_support": "mental_health_support",
    "substance_use_support": "substance_use_support",
    "vacancy": "vacancy",
    "confirmed_at": "confirmed_at",
}


#: Available units matched at a time. The board keeps only the rows it may show between
#: batches, so that a national register's thousand-odd units never live as objects all at
#: once: each survivor of the collector's sweeps makes the next full (slow) sweep sooner.
_BATCH = 200


def _offers_available():
    """What matching needs of every unit available now, as plain rows, a batch at a time:
    building a model instance of each with its service, district and provider was most of
    a search's time. Only the rows the board shows are loaded as models."""
    names = list(_OFFER_COLUMNS)
    rows = Unit.objects.filter(vacancy=VacancyState.AVAILABLE).values_list(*_OFFER_COLUMNS.values())
    batch = []
    for row in rows.iterator(chunk_size=_BATCH):
        offer = dict(zip(names, row, strict=True))
        offer["staff_languages"] = frozenset(offer["staff_languages"] or ())
        batch.append(matching.UnitOffer(**offer))
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def vacancy_board(*, family: matching.Family, now: datetime, stale_hours: int) -> Board:
    """The units available now that match the family (the first ``MATCHES_SHOWN``), and
    the nearest of those that do not with what each does not meet (``NEAR_SHOWN``), with
    how many there are of each. Every available unit is matched, so that the nearest
    non-matching ones can be shown with their reasons; only the shown ones are loaded
    whole, with their service, district and provider (never the service's address)."""
    matches: list[matching.Result] = []
    near: list[matching.Result] = []
    available = matched = nearly = 0
    for batch in _offers_available():
        available += len(batch)
        # The best of the rows kept so far and this batch, in matching's own order: the
        # first of a union are the first of the firsts of its parts.
        results = matching.search(family, [r.unit for r in matches + near] + batch, now=now, stale_hours=stale_hours)
        fresh = {offer.unit_id for offer in batch}
        matched += sum(1 for r in results if r.matches and r.unit.unit_id in fresh)
        nearly += sum(1 for r in results if not r.matches and r.unit.unit_id in fresh)
        matches = [r for r in results if r.matches][:MATCHES_SHOWN]
        near = [r for r in results if not r.matches][:NEAR_SHOWN]
    shown = matches + near
    # Not filtered on the vacancy again: a unit held since the first read is still shown
    # as it was then, and holding it from the board says it is no longer available.
    units = (
        Unit.objects.select_related("accommodation__district", "accommodation__provider")
        .defer("accommodation__confidential_address")
        .in_bulk([r.unit.unit_id for r in shown])
    )
    rows = [
        BoardRow(unit=units[r.unit.unit_id], reasons=r.reasons, stale=r.stale) for r in shown if r.unit.unit_id in units
    ]
    return Board(
        matches=[r for r in rows if not r.reasons],
        near=[r for r in rows if r.reasons],
        available=available,
        matched=matched,
        nearly=nearly,
    )


def provider_units(*, user) -> QuerySet:
    """The units of the services the user's agency provides: nobody else's."""
    if not user.is_authenticated or user.agency_id is None:
        return Unit.objects.none()
    return (
        Unit.objects.filter(accommodation__provider_id=user.agency_id)
        .select_related("accommodation__district")
        .order_by("accommodation__name", "name")
    )


def units_to_confirm(*, user, now: datetime, stale_hours: int) -> QuerySet:
    """The user's agency's units whose vacancy is not confirmed within the hours: the
    provider's reminder."""
    from datetime import timedelta

    return provider_units(user=user).filter(
        Q(confirmed_at__isnull=True) | Q(confirmed_at__lte=now - timedelta(hours=stale_hours))
    )


def holds_to_decide(*, user) -> QuerySet:
    """Live holds on the user's agency's units: referrals waiting for its answer, soonest
    expiry first."""
    if not user.is_authenticated or user.agency_id is None:
        return Hold.objects.none()
    return (
        Hold.objects.filter(status=HoldStatus.HELD, unit__accommodation__provider_id=user.agency_id)
        .select_related("unit__accommodation", "agency", "placement")
        .order_by("expires_at")
    )


def holds_placed(*, user) -> QuerySet:
    """Live holds the user's agency placed: referrals it is making, soonest expiry first."""
    if not user.is_authenticated or user.agency_id is None:
        return Hold.objects.none()
    return (
        Hold.objects.filter(status=HoldStatus.HELD, agency_id=user.agency_id)
        .select_related("unit__accommodation__provider", "placement")
        .defer("unit__accommodation__confidential_address")
        .order_by("expires_at")
    )


def placement_involvement(agency_id: int) -> Q:
    """The referring agency and the unit's provider hold a placement (access registry rule)."""
    return Q(referring_agency_id=agency_id) | Q(unit__accommodation__provider_id=agency_id)


def placement_people(placement: Placement):
    return [(placement.person_id, "victim")]


def placements_open(*, user) -> QuerySet:
    """The placements the user's agency answers for or made that are not over: referrals
    waiting, families expected and families staying. Never the service's address."""
    if not user.is_authenticated or user.agency_id is None:
        return Placement.objects.none()
    return (
        Placement.objects.filter(placement_involvement(user.agency_id))
        .filter(status__in=(PlacementStatus.REFERRED, PlacementStatus.ACCEPTED, PlacementStatus.STAYING))
        .select_related("unit__accommodation", "referring_agency")
        .defer("unit__accommodation__confidential_address")
        .order_by("referred_at", "pk")
    )


@dataclass(frozen=True)
class StaySummary:
    """A placement as her lead worker sees it: the service, its kind and district, the
    dates and where she moved on to. No address, no unit."""

    service: str
    kind: str
    district: str
    status: str
    referred_on: date
    arrived_on: date | None
    left_on: date | None
    move_on: str


def stays_of(*, person_ids) -> list[StaySummary]:
    """Her placements (across her linked records), newest first, for her case page."""
    rows = (
        Placement.objects.filter(person_id__in=list(person_ids))
        .order_by("-referred_at")
        .values(
            "unit__accommodation__name",
            "unit__accommodation__kind",
            "unit__accommodation__district__name",
            "service_elsewhere",
            "status",
            "referred_at",
            "arrived_on",
            "left_on",
            "move_on",
        )
    )
    kinds, statuses, moves = dict(AccommodationKind.choices), dict(PlacementStatus.choices), dict(MoveOn.choices)
    return [
        StaySummary(
            service=r["unit__accommodation__name"] or r["service_elsewhere"],
            kind=kinds.get(r["unit__accommodation__kind"], "Outside the county"),
            district=r["unit__accommodation__district__name"] or "Outside the county",
            status=statuses[r["status"]],
            referred_on=r["referred_at"].date(),
            arrived_on=r["arrived_on"],
            left_on=r["left_on"],
            move_on=moves.get(r["move_on"], ""),
        )
        for r in rows
    ]
