"""Reads for the safe-accommodation annual return and the operational reports: the rows of
``returns``, each loaded as plain values in one query per kind of record (services, units,
placements, declined holds, vacancy searches), never one query per row, so a national year
reads in a handful of queries. No name, no address: the service's confidential address is
never selected (``values()`` names the columns), nor the person's name."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from carepath.accommodation import returns
from carepath.accommodation.models import (
    AccommodationKind,
    DeclineReason,
    Departure,
    Hold,
    HoldStatus,
    MoveOn,
    Placement,
    PlacementStatus,
    QualityStandard,
    SafeAccommodation,
    SpecialistGroup,
    SupportType,
    Unit,
    UnmetDemand,
    UnmetNeed,
)
from carepath.core.models import District


def words() -> returns.Words:
    """The words of the models' codes, in their order, for the pure return."""
    return returns.Words(
        kinds=tuple(AccommodationKind.choices),
        groups=tuple(SpecialistGroup.choices),
        support=tuple(SupportType.choices),
        quality=tuple(QualityStandard.choices),
        declines=tuple(DeclineReason.choices),
        unmet_needs=tuple(UnmetNeed.choices),
        departures=tuple(Departure.choices),
        move_on=tuple(MoveOn.choices),
    )


def _bounds(period: returns.Period) -> tuple[datetime, datetime]:
    """The period's first moment and the moment after it, in the partnership's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period.first, time.min, tzinfo=zone),
        datetime.combine(period.last + timedelta(days=1), time.min, tzinfo=zone),
    )


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def district_choices() -> list[tuple[int, str]]:
    return list(District.objects.order_by("name").values_list("pk", "name"))


def service_rows(*, district_id: int | None = None) -> list[returns.ServiceRow]:
    services = SafeAccommodation.objects.order_by("pk")
    if district_id is not None:
        services = services.filter(district_id=district_id)
    return [
        returns.ServiceRow(
            service_id=row["pk"],
            kind=row["kind"],
            district_id=row["district_id"],
            units=row["units"],
            specialist_for=tuple(row["specialist_for"] or ()),
            support_types=tuple(row["support_types"] or ()),
            quality_standard=row["quality_standard"],
            annual_funding=Decimal(row["annual_funding"]) if row["annual_funding"] is not None else None,
            funded_by=row["funded_by"],
        )
        # Named columns only: confidential_address is never read, so never decrypted.
        for row in services.values(
            "pk",
            "kind",
            "district_id",
            "units",
            "specialist_for",
            "support_types",
            "quality_standard",
            "annual_funding",
            "funded_by",
        )
    ]


def unit_rows(*, district_id: int | None = None) -> list[returns.UnitRow]:
    units = Unit.objects.order_by()
    if district_id is not None:
        units = units.filter(accommodation__district_id=district_id)
    return [returns.UnitRow(pk, service, vacancy) for pk, service, vacancy in units.values_list(
        "pk", "accommodation_id", "vacancy"
    )]  # fmt: skip


def placement_rows(*, period: returns.Period, district_id: int | None = None) -> list[returns.PlacementRow]:
    """Placements referred in the period or whose stay overlaps it, with the codes of the
    adult's person record the return counts (never her name)."""
    starts, ends = _bounds(period)
    placements = Placement.objects.filter(
        Q(referred_at__gte=starts, referred_at__lt=ends)
        | Q(arrived_on__lte=period.last) & (Q(left_on__isnull=True) | Q(left_on__gte=period.first))
    ).order_by()
    if district_id is not None:
        # A district's own units, and the families from it that it referred out of the area.
        placements = placements.filter(
            Q(unit__accommodation__district_id=district_id) | Q(unit__isnull=True, home_district_id=district_id)
        )
    rows = []
    for row in placements.values_list(
        "pk",
        "person_id",
        "referred_at",
        "unit_id",
        "home_district_id",
        "adult",
        "adults",
        "children",
        "needs",
        "arrived_on",
        "left_on",
        "departure",
        "move_on",
        "person__ethnicity",
        "person__sexual_orientation",
        "person__trans",
        "person__disability",
        "person__date_of_birth",
    ):
        pk, person, referred_at, unit, home, adult, adults, children, needs, *rest = row
        rows.append(
            returns.PlacementRow(
                pk, person, _local_day(referred_at), unit, home, adult, adults, children, tuple(needs or ()), *rest
            )
        )
    return rows


def decline_rows(*, period: returns.Period, district_id: int | None = None) -> list[returns.DeclineRow]:
    """Referrals to the area's units a provider declined in the period: those on a hold
    from the board, and those made to it directly (a referral out of the area is declined
    by a service elsewhere, and is that area's to count)."""
    starts, ends = _bounds(period)
    holds = Hold.objects.filter(status=HoldStatus.DECLINED, ended_at__gte=starts, ended_at__lt=ends).order_by()
    direct = Placement.objects.filter(
        status=PlacementStatus.DECLINED,
        hold__isnull=True,
        unit__isnull=False,
        decided_at__gte=starts,
        decided_at__lt=ends,
    ).order_by()
    if district_id is not None:
        holds = holds.filter(unit__accommodation__district_id=district_id)
        direct = direct.filter(unit__accommodation__district_id=district_id)
    fields = ("unit__accommodation_id", "decline_reason", "unmet_need")
    return [
        returns.DeclineRow(_local_day(at), service, reason, need)
        for rows in (holds.values_list("ended_at", *fields), direct.values_list("decided_at", *fields))
        for at, service, reason, need in rows
    ]


def demand_rows(*, period: returns.Period, district_id: int | None = None) -> list[returns.DemandRow]:
    """Vacancy searches with no match in the period; with a district, those of families
    whose home it is."""
    starts, ends = _bounds(period)
    searches = UnmetDemand.objects.filter(searched_at__gte=starts, searched_at__lt=ends).order_by()
    if district_id is not None:
        searches = searches.filter(district_id=district_id)
    return [
        returns.DemandRow(_local_day(at), tuple(needs or ()), children, available)
        for at, needs, children, available in searches.values_list(
            "searched_at", "needs", "children", "available_units"
        )
    ]


def annual_return(*, year: int) -> returns.AnnualReturn:
    """The Part 4 annual return for a calendar year, from six queries."""
    period = returns.Period.year(year)
    return returns.annual_return(
        year=year,
        services=service_rows(),
        units=unit_rows(),
        placements=placement_rows(period=period),
        declines=decline_rows(period=period),
        demand=demand_rows(period=period),
        words=words(),
    )


def operational_reports(*, period: returns.Period, district_id: int | None = None) -> list[returns.Table]:
    """The partnership's reports for a period, of one district's services (and families,
    for unmet demand) or of all; sufficiency always shows the county too."""
    from carepath.configuration.selectors import partnership_settings_get

    services = service_rows(district_id=district_id)
    return returns.operational_reports(
        period=period,
        services=services,
        # Sufficiency compares the county's places too, so it needs every service's units.
        county_services=services if district_id is None else service_rows(),
        units=unit_rows(district_id=district_id),
        placements=placement_rows(period=period, district_id=district_id),
        declines=decline_rows(period=period, district_id=district_id),
        demand=demand_rows(period=period, district_id=district_id),
        districts=list(District.objects.order_by("name").values_list("pk", "name", "population")),
        places_per_10k=partnership_settings_get().refuge_places_per_10k_population,
        words=words(),
        district_id=district_id,
    )


def unmet_searches_since(*, day: date) -> int:
    """Vacancy searches that found no suitable unit since the day: the commissioners' home
    page count (one query, no rows loaded)."""
    starts, _ = _bounds(returns.Period(day, day))
    return UnmetDemand.objects.filter(searched_at__gte=starts).count()
