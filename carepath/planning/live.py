"""Reads for the planner from the partnership's own records: counts for one financial year.

What each figure is, and why, is ``carepath.planning.recorded``'s docstring; this module
only counts. Every read is an aggregate in the database (counts and sums by area, service
or refuge): no person's name, address or record leaves it, and nothing is logged as
viewed because nothing personal is shown. The events, workers and accommodation apps have
no selectors for partnership-wide aggregates (theirs are for one user's records), so the
counts are written here, naming only the columns they need.

A person is ``identity_key or pk`` (``Person.identity``): records linked as one person
count once, as the perpetrator panel counts them.
"""

from datetime import datetime, time
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from carepath.accommodation.models import Placement, SafeAccommodation
from carepath.accommodation.returns import FAMILY_PLACE_KINDS
from carepath.casework.models import ServiceKind, Worker
from carepath.core.codes import AgencyType, RiskLevel
from carepath.core.models import District, MaracArea, Partnership
from carepath.events.models import Event
from carepath.people.selectors import person_key
from carepath.planning.inputs import COUNTY_WIDE
from carepath.planning.recorded import (
    AreaFigures,
    FinancialYear,
    PostFigures,
    RecordedFigures,
    RefugeFigures,
    financial_year_of,
)

#: Services whose workers are IDVAs: the review counts the hospital IDVAs among the
#: county's (seed 002 §2.2: 6 IDVAs, 3 new posts and "two further IDVAs located in hospitals").
IDVA_KINDS = (ServiceKind.IDVA, ServiceKind.HOSPITAL_IDVA)


def _moment(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def partnership_of(user) -> Partnership | None:
    """The partnership whose records a user plans from: their agency's (an installation
    runs one partnership, so an account without an agency plans from that one)."""
    if user.agency_id:
        return Partnership.objects.filter(agencies__pk=user.agency_id).first()
    return Partnership.objects.order_by("pk").first()


def _events(partnership: Partnership):
    return Event.objects.filter(agency__partnership=partnership).order_by()


def _events_in(partnership: Partnership, year: FinancialYear):
    return _events(partnership).filter(occurred_at__gte=_moment(year.first), occurred_at__lt=_moment(year.after))


def recorded_years(*, partnership: Partnership | None) -> list[FinancialYear]:
    """The financial years in which the partnership's agencies recorded events, newest first."""
    if partnership is None:
        return []
    span = _events(partnership).aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    if span["first"] is None:
        return []
    first = financial_year_of(timezone.localtime(span["first"]).date()).start
    last = financial_year_of(timezone.localtime(span["last"]).date()).start
    years = [FinancialYear(start) for start in range(last, first - 1, -1)]
    # Years between the first and the last may have none (an import that skipped a year).
    return [year for year in years if _events_in(partnership, year).exists()]


def _areas(partnership: Partnership, events) -> tuple[tuple[AreaFigures, ...], int]:
    police = events.filter(agency__agency_type=AgencyType.POLICE)
    counts = {
        row["district__marac_area_id"]: row
        for row in police.values("district__marac_area_id").annotate(
            incidents=Count("pk"),
            victims=Count(person_key("victim"), distinct=True),
            high=Count("pk", filter=Q(risk_level=RiskLevel.HIGH)),
            medium=Count("pk", filter=Q(risk_level=RiskLevel.MEDIUM)),
        )
    }
    districts: dict[int, list[str]] = {}
    for area_id, name in District.objects.filter(marac_area__partnership=partnership).values_list(
        "marac_area_id", "name"
    ):
        districts.setdefault(area_id, []).append(name)
    areas = []
    for area in (
        MaracArea.objects.filter(partnership=partnership)
        .order_by("name")
        .values("pk", "name", "population", "women_16_plus")
    ):
        row = counts.get(area["pk"], {})
        areas.append(
            AreaFigures(
                name=area["name"],
                population=area["population"],
                female_16_plus=area["women_16_plus"],
                districts=tuple(sorted(districts.get(area["pk"], ()))),
                police_incidents=row.get("incidents", 0),
                police_victims=row.get("victims", 0),
                incidents_high=row.get("high", 0),
                incidents_medium=row.get("medium", 0),
            )
        )
    without_area = counts.get(None, {}).get("incidents", 0)
    return tuple(areas), without_area


def _visible(events) -> tuple[int, int]:
    """People at high risk, and people at medium risk but never high, in the year."""
    key = person_key("victim")
    counted = events.aggregate(
        high=Count(key, filter=Q(risk_level=RiskLevel.HIGH), distinct=True),
        either=Count(key, filter=Q(risk_level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM]), distinct=True),
    )
    return counted["high"], counted["either"] - counted["high"]


def _posts(partnership: Partnership) -> tuple[PostFigures, ...]:
    in_post = (
        Worker.objects.filter(
            active=True, is_manager=False, service__kind__in=IDVA_KINDS, service__agency__partnership=partnership
        )
        .order_by()
        .values("service_id", "service__name")
        .annotate(fte=Sum("fte"))
    )
    rows = list(in_post)
    areas: dict[int, set[str]] = {}
    for service_id, area in (
        District.objects.filter(casework_services__in=[r["service_id"] for r in rows])
        .values_list("casework_services", "marac_area__name")
        .distinct()
    ):
        areas.setdefault(service_id, set()).add(area)
    return tuple(
        PostFigures(
            service=r["service__name"],
            # A service wholly inside one MARAC area is that area's; any other serves the county.
            area=next(iter(areas[r["service_id"]])) if len(areas.get(r["service_id"], ())) == 1 else COUNTY_WIDE,
            # SQLite sums a decimal column as a float: back to the column's two places.
            fte=Decimal(str(r["fte"])).quantize(Decimal("0.01")),
        )
        for r in sorted(rows, key=lambda r: r["service__name"])
    )


def _refuges(partnership: Partnership, year: FinancialYear) -> tuple[RefugeFigures, ...]:
    # Named columns only: the confidential address is never read, so never decrypted.
    services = list(
        SafeAccommodation.objects.filter(kind__in=FAMILY_PLACE_KINDS, provider__partnership=partnership)
        .order_by("name")
        .values("pk", "name", "provider__name", "district__name", "units", "support_worker_fte")
    )
    # Stays that overlap the year, as the accommodation return counts them (returns.Period).
    stayed = dict(
        Placement.objects.filter(
            unit__accommodation__in=[s["pk"] for s in services],
            arrived_on__isnull=False,
            arrived_on__lt=year.after,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=year.first))
        .order_by()
        .values("unit__accommodation_id")
        .annotate(people=Count(person_key("person"), distinct=True))
        .values_list("unit__accommodation_id", "people")
    )
    return tuple(
        RefugeFigures(
            name=s["name"],
            provider=s["provider__name"],
            district=s["district__name"],
            places=s["units"],
            support_worker_fte=Decimal(s["support_worker_fte"]),
            victims=stayed.get(s["pk"], 0),
        )
        for s in services
    )


def recorded_figures(*, partnership: Partnership, year: FinancialYear) -> RecordedFigures:
    """The planner's inputs the partnership's records hold, for one financial year."""
    events = _events_in(partnership, year)
    areas, without_area = _areas(partnership, events)
    high, medium = _visible(events)
    return RecordedFigures(
        partnership=partnership.name,
        year=year,
        events=events.count(),
        areas=areas,
        police_incidents_without_area=without_area,
        visible_high=high,
        visible_medium=medium,
        posts=_posts(partnership),
        refuges=_refuges(partnership, year),
    )
