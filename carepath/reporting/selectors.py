"""Reads for the board's dashboard and pack: each measure's rows for a period and a place,
loaded as plain values (codes, dates and person keys, never a name or an address) in a few
queries per measure, then counted by ``measures``.

The board reads the whole partnership's figures, so these read every agency's records:
they return counts, never who is behind them, and the views never list a person.
A person is ``identity_key or pk`` (``Person.identity``): records linked as one count once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Min, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from carepath.accommodation import report_selectors as accommodation
from carepath.accommodation import returns as accommodation_returns
from carepath.casework import measures as casework_measures
from carepath.casework import rules as casework_rules
from carepath.casework import selectors as casework
from carepath.casework.measures import Period
from carepath.casework.models import Service, ServiceKind
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.codes import ActionType, AgencyType, choices
from carepath.core.models import District, MaracArea, Task
from carepath.events.models import Event
from carepath.marac import selectors as marac
from carepath.marac.models import Marac
from carepath.marac.returns import Quarter
from carepath.people.selectors import rows_with_person_keys
from carepath.perpetrators import panel_selectors
from carepath.planning import selectors as planning
from carepath.planning.inputs import PlanInputErrors
from carepath.referrals import children_selectors
from carepath.referrals.models import Channel, Referral
from carepath.reporting import measures

TREND_QUARTERS = 8


@dataclass(frozen=True)
class Place:
    """Where the figures are of: the whole partnership, a MARAC area or a district."""

    code: str  # "" (everywhere), "area-<id>" or "district-<id>"
    name: str
    district_ids: tuple[int, ...] | None  # None: everywhere
    area_id: int | None = None
    district_id: int | None = None


EVERYWHERE = Place("", "The whole partnership", None)


def place_choices() -> list[tuple[str, str]]:
    """The whole partnership, then each MARAC area with its districts beneath it."""
    choices = [("", EVERYWHERE.name)]
    for area in MaracArea.objects.prefetch_related("districts").order_by("name"):
        choices.append((f"area-{area.pk}", f"{area.name} (MARAC area)"))
        choices += [(f"district-{d.pk}", f"{d.name} (district)") for d in area.districts.order_by("name")]
    return choices


def place_from_code(code: str) -> Place | None:
    """The place a code names; None for a code that names none."""
    code = (code or "").strip()
    if not code:
        return EVERYWHERE
    kind, _, number = code.partition("-")
    if not number.isdigit() or len(number) > 12:
        return None
    if kind == "area":
        area = MaracArea.objects.filter(pk=int(number)).first()
        if area is None:
            return None
        districts = tuple(area.districts.values_list("pk", flat=True))
        return Place(code, area.name, districts, area_id=area.pk)
    if kind == "district":
        district = District.objects.filter(pk=int(number)).first()
        if district is None:
            return None
        return Place(code, district.name, (district.pk,), district_id=district.pk)
    return None


def years_with_records() -> list[int]:
    """The calendar years from the first police incident recorded to the last, newest first
    (two index lookups, whatever the number of incidents)."""
    span = Event.objects.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    if span["first"] is None:
        return []
    return list(range(timezone.localtime(span["last"]).year, timezone.localtime(span["first"]).year - 1, -1))


def quarters_to(period: Period, count: int = TREND_QUARTERS) -> list[tuple[str, Period]]:
    """The ``count`` calendar quarters up to the one holding the period's last day, oldest
    first, each named short ("Q3 2026") for a chart's axis."""
    quarter = Quarter.of(period.last)
    found = []
    for _ in range(count):
        found.append((f"Q{quarter.number} {quarter.year}", casework_measures.period_from_code(str(quarter))))
        quarter = quarter.previous()
    return found[::-1]


def _in_place(queryset: QuerySet, place: Place, field: str = "district_id") -> QuerySet:
    return queryset if place.district_ids is None else queryset.filter(**{f"{field}__in": place.district_ids})


def _police_events(place: Place) -> QuerySet:
    return _in_place(Event.objects.filter(agency__agency_type=AgencyType.POLICE), place)


def incident_rows(*, period: Period, place: Place) -> list[measures.IncidentRow]:
    """Police-recorded incidents in the period and place, by day."""
    events = _police_events(place).filter(occurred_at__gte=period.starts, occurred_at__lt=period.ends)
    rows = events.order_by().values_list(
        "victim_id", "perpetrator_id", TruncDate("occurred_at"), "risk_level", "is_crime"
    )
    return [
        measures.IncidentRow(on, victim, risk_level, bool(is_crime), perpetrator)
        for victim, perpetrator, on, risk_level, is_crime in rows_with_person_keys(
            rows, person_columns=2, date_columns=[2], order_by=2
        )
    ]


def _source(agency_type: str | None, channel: str) -> str:
    if channel in (Channel.SELF, Channel.FRIENDS_FAMILY):
        return channel
    return agency_type or ""


def referral_rows(*, period: Period, place: Place) -> list[measures.ReferralRow]:
    """Referrals received in the period and place: their source, where they went (the
    destination they were made to, and MARAC and IDVA referrals routing made from them) and,
    for a MARAC referral routing made, the criteria it met (named in the task's rule)."""
    referrals = _in_place(Referral.objects.filter(received_at__gte=period.starts, received_at__lt=period.ends), place)
    routed: dict[int, set[str]] = defaultdict(set)
    criteria: dict[int, set[str]] = defaultdict(set)
    tasks = Task.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral),
        object_id__in=referrals.values("pk"),
        action_type__in=(ActionType.MARAC_REFERRAL, ActionType.IDVA_REFERRAL),
    )
    for referral_id, action_type, rule in tasks.values_list("object_id", "action_type", "rule"):
        if action_type == ActionType.MARAC_REFERRAL:
            routed[referral_id].add(measures.MARAC)
            # The rule names the criteria met: "marac.visible_high_risk+repeat".
            criteria[referral_id].update(rule.removeprefix("marac.").split("+"))
        else:
            routed[referral_id].add(measures.IDVA)
    rows = referrals.order_by().values_list(
        "victim_id",
        "pk",
        TruncDate("received_at"),
        "referring_agency__agency_type",
        "channel",
        "destination",
        "risk_level",
    )
    found = []
    for victim, pk, on, agency_type, channel, destination, risk_level in rows_with_person_keys(
        rows, person_columns=1, date_columns=[2], order_by=2
    ):
        found.append(
            measures.ReferralRow(
                on,
                victim,
                _source(agency_type, channel),
                frozenset(routed[pk] | ({destination} & {measures.MARAC, measures.IDVA})),
                risk_level,
                frozenset(criteria[pk]),
            )
        )
    return found


@dataclass(frozen=True)
class ReferredVictim:
    """A referral's day and its victim: her person key and what the diverse-groups measure
    needs of her record."""

    on: date
    victim: int
    row: measures.VictimRow


def referred_victim_rows(*, period: Period, place: Place) -> list[ReferredVictim]:
    """The victims of the referrals received in the period and place, by day."""
    referrals = _in_place(Referral.objects.filter(received_at__gte=period.starts, received_at__lt=period.ends), place)
    rows = referrals.order_by().values_list(
        "victim_id",
        TruncDate("received_at"),
        "victim__ethnicity",
        "victim__sexual_orientation",
        "victim__trans",
        "victim__disability",
        "victim__sex",
        "victim__gender_identity",
        "victim__date_of_birth",
    )
    return [
        ReferredVictim(on, victim, measures.VictimRow(*codes))
        for victim, on, *codes in rows_with_person_keys(rows, person_columns=1, date_columns=[1, 8], order_by=1)
    ]


def victims_referred(rows: list[ReferredVictim]) -> tuple[dict[int, measures.VictimRow], dict[int, date]]:
    """Each victim (person) referred, from the record on her first referral among the rows
    (in day order), and that referral's day."""
    victims: dict[int, measures.VictimRow] = {}
    first: dict[int, date] = {}
    for r in rows:
        if r.victim not in victims:
            victims[r.victim] = r.row
            first[r.victim] = r.on
    return victims, first


def population_shares() -> measures.PopulationShares:
    settings = partnership_settings_get()
    return measures.PopulationShares(
        minoritised=settings.population_minoritised_percent,
        lgbt=settings.population_lgbt_percent,
        disabled=settings.population_disabled_percent,
        male=None,
        aged_16_17=settings.population_aged_16_17_percent,
    )


def agency_words() -> dict[str, str]:
    return dict(choices(AgencyType))


def _maracs(place: Place) -> QuerySet[Marac]:
    maracs = Marac.objects.all()
    if place.district_ids is not None:
        maracs = maracs.filter(districts__in=place.district_ids).distinct()
    return maracs


def marac_volumes(*, period: Period, place: Place) -> list[measures.MaracVolume]:
    """Each MARAC serving the place, its quarters' returns summed over the period (the
    quarters the period holds)."""
    totals: dict[str, list] = {}
    quarter = Quarter.of(period.first)
    while quarter.first_day <= period.last:
        for one in marac.marac_returns(maracs=_maracs(place), quarter=quarter):
            got = totals.setdefault(one.marac, [0, 0, None])
            got[0] += one["cases_discussed"]
            got[1] += one["repeat_cases"]
            if one["expected_cases"] is not None:
                got[2] = (got[2] or Decimal(0)) + one["expected_cases"]
        quarter = quarter.next()
    return [measures.MaracVolume(name, *figures) for name, figures in totals.items()]


def _casework_rows(*, services, period: Period, place: Place):
    ids = [s.pk for s in services]
    rows = casework.performance_case_rows(
        service_ids=ids, period=period, area_id=place.area_id, district_id=place.district_id
    )
    return rows, casework.performance_worker_rows(service_ids=ids, period=period)


def casework_tables(*, period: Period, place: Place, now) -> tuple[measures.Table, ...]:
    """IDVA caseloads against safe, engagement by service, and outcomes at closure (abuse,
    then safety and wellbeing), each counted by ``casework.measures`` from the services'
    case rows."""
    services = list(Service.objects.order_by("name"))
    rows, workers = _casework_rows(services=services, period=period, place=place)
    safe = casework.safe_caseload_get()
    settings = partnership_settings_get()
    levels = casework.engagement_levels(
        service_ids=[s.pk for s in services], period=period, area_id=place.area_id, district_id=place.district_id
    )
    loads, engaged = [], []
    by_abuse: dict[str, dict[str, int]] = {a: defaultdict(int) for a in casework_rules.ABUSE_TYPES}
    scores = {key: measures.ScoreTotals(0, 0.0, 0.0, 0) for key in casework_rules.SCORES}
    figures = casework_measures.by_service(
        rows=rows, workers=workers, service_ids=[s.pk for s in services], period=period, now=now, safe=safe
    )
    for service in services:
        mine = figures[service.pk]
        if service.kind == ServiceKind.IDVA:
            loads.append(
                measures.ServiceCaseload(
                    service.name,
                    mine.caseload.load.fte,
                    mine.caseload.high_this_year,
                    mine.caseload.medium_this_year,
                    mine.caseload.load.open_cases,
                    mine.caseload.load.year_share,
                    mine.caseload.load.open_limit,
                )
            )
        engaged.append(
            measures.ServiceEngagement(
                service.name,
                mine.engagement.referred,
                mine.engagement.contacted,
                mine.engagement.engaged,
                levels.get(service.pk, {}),
                mine.first_contact.met,
                mine.first_contact.missed,
                mine.first_contact.median_working_days,
            )
        )
        for level in mine.outcomes:
            for abuse, counts in level.by_abuse.items():
                for outcome, n in counts.items():
                    by_abuse[abuse][outcome] += n
            for key, change in level.scores.items():
                if change.scored:
                    total = scores[key]
                    scores[key] = measures.ScoreTotals(
                        total.scored + change.scored,
                        total.intake_total + change.mean_intake * change.scored,
                        total.exit_total + change.mean_exit * change.scored,
                        total.improved + change.improved,
                    )
    return (
        measures.idva_caseload(loads, safe_high=safe.high_a_year, safe_open=safe.open_at_once),
        measures.engagement(
            engaged,
            level_words=casework_rules.ENGAGEMENT_LEVELS,
            expected_idva=settings.engagement_expected_idva_percent,
            expected_caseworker=settings.engagement_expected_caseworker_percent,
        ),
        measures.outcomes(
            {a: dict(c) for a, c in by_abuse.items()},
            abuse_words=casework_rules.ABUSE_TYPES,
            outcome_words=casework_rules.OUTCOMES,
        ),
        measures.wellbeing(scores, score_words=casework_rules.SCORES),
    )


def refuge_tables(*, period: Period, place: Place) -> list[measures.Table]:
    """Occupancy and voids, and declined referrals by reason, of the place's refuges (the
    safe-accommodation reports' own tables)."""
    span = accommodation_returns.Period(period.first, period.last)
    districts = [None] if place.district_ids is None else list(place.district_ids)
    services, units, placements, declines = [], [], [], []
    for district_id in districts:
        services += accommodation.service_rows(district_id=district_id)
        units += accommodation.unit_rows(district_id=district_id)
        placements += accommodation.placement_rows(period=span, district_id=district_id)
        declines += accommodation.decline_rows(period=span, district_id=district_id)
    words = accommodation.words()
    occupancy = accommodation_returns.occupancy_table(
        services=services, units=units, placements=placements, period=span, words=words
    )
    declined = accommodation_returns.lines_table(
        "Declined referrals by reason", accommodation_returns.declines_lines(declines, words)
    )
    return [
        measures.from_report("refuge", "Refuge occupancy and voids", occupancy.columns, occupancy.rows, occupancy.note),
        measures.from_report("refuge", "Refuge referrals declined, by reason", declined.columns, declined.rows),
    ]


def children_table(*, period: Period, place: Place) -> measures.Table:
    counted = children_selectors.children_outcomes(
        start=period.starts, end=period.ends, district_ids=place.district_ids
    )
    return measures.children_outcomes(
        statutory=counted.statutory,
        early_help=counted.early_help,
        no_further_action=counted.no_further_action,
        awaiting=counted.awaiting,
    )


def _between(rows: list, period: Period) -> list:
    """The rows (in order of day) of the period's days."""
    days = [r.on for r in rows]
    return rows[bisect_left(days, period.first) : bisect_right(days, period.last)]


@dataclass(frozen=True)
class Loaded:
    """The largest rows, loaded once for a span of periods: the police incidents and the
    referrals, and the perpetrators' histories for their look-backs."""

    incidents: list[measures.IncidentRow]
    referrals: list[measures.ReferralRow]
    referred: list[ReferredVictim]
    histories: panel_selectors.PerpetratorHistories
    yearly_spend: Decimal | None

    @classmethod
    def over(cls, periods: list[Period], *, place: Place) -> Loaded:
        span = Period(min(p.first for p in periods), max(p.last for p in periods))
        histories = panel_selectors.PerpetratorHistories(
            _police_events(place), first=panel_selectors.panel_settings().window_start(span.first), last=span.last
        )
        return cls(
            incident_rows(period=span, place=place),
            referral_rows(period=span, place=place),
            referred_victim_rows(period=span, place=place),
            histories,
            yearly_spend(place),
        )

    def incidents_in(self, period: Period) -> list[measures.IncidentRow]:
        return _between(self.incidents, period)

    def referrals_in(self, period: Period) -> list[measures.ReferralRow]:
        return _between(self.referrals, period)

    def flagged(self, period: Period):
        """A perpetrator's (serial, repeat) as of the period's last day."""
        return lambda man: self.histories.flags(man, on=period.last)


def board_tables(
    *, period: Period, place: Place, now=None, loaded: Loaded | None = None, headlines_only: bool = False
) -> list[measures.Table]:
    """Every measure's table for the period and place, in the board's order (from rows
    already ``loaded`` for a span holding the period, when given); with ``headlines_only``,
    only the tables with a headline figure (a trend's or a narrative's)."""
    now = now or timezone.now()
    loaded = loaded or Loaded.over([period], place=place)
    incidents, referrals = loaded.incidents_in(period), loaded.referrals_in(period)
    spend = loaded.yearly_spend
    victims, referred = victims_referred(_between(loaded.referred, period))
    words = agency_words()
    settings = partnership_settings_get()
    caseload, engagement, outcomes, wellbeing = casework_tables(period=period, place=place, now=now)
    return [
        measures.incidents_by_risk(incidents),
        measures.police_referrals(referrals),
        measures.serial_repeat_perpetrators(incidents, loaded.flagged(period)),
        children_table(period=period, place=place),
        measures.health_referrals(referrals, words),
        measures.referrals_by_source(referrals, words),
        measures.diverse_access(victims, referred, population_shares()),
        measures.marac_volume(
            marac_volumes(period=period, place=place),
            repeat_low=settings.marac_expected_repeat_rate_low_percent,
            repeat_high=settings.marac_expected_repeat_rate_high_percent,
        ),
        caseload,
        engagement,
        outcomes,
        *([] if headlines_only else [wellbeing]),
        *([] if headlines_only else refuge_tables(period=period, place=place)),
        measures.spend_per_incident(
            yearly=spend,
            incidents=len(incidents),
            days=(period.last - period.first).days + 1,
            peers=(Decimal(settings.peer_spend_per_incident_low), Decimal(settings.peer_spend_per_incident_high)),
        ),
    ]


@dataclass(frozen=True)
class BoardFigures:
    """What the dashboard and the pack show: the period's tables, each headline's trend by
    quarter (("Q3 2026", value) pairs by measure key), and the period before's tables."""

    tables: list[measures.Table]
    trends: dict[str, list[tuple[str, object]]]
    previous: Period
    previous_tables: list[measures.Table]


def board_figures(*, period: Period, place: Place, threshold: int, now=None) -> BoardFigures:
    """The period's figures, the trend of the quarters up to it and the period before's, with
    small numbers hidden below ``threshold``; the incidents, referrals and perpetrators'
    flags of all of them loaded in one pass."""
    now = now or timezone.now()
    quarters = quarters_to(period)
    before = previous_period(period)
    loaded = Loaded.over([period, before, *(q for _, q in quarters)], place=place)

    def tables(of: Period, headlines_only: bool = True) -> list[measures.Table]:
        made = board_tables(period=of, place=place, now=now, loaded=loaded, headlines_only=headlines_only)
        return [measures.suppress(t, threshold) for t in made]

    trends: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for code, quarter in quarters:
        for table in tables(quarter):
            if table.headline:
                trends[table.measure.key].append((code, table.headline_value))
    return BoardFigures(tables(period, headlines_only=False), dict(trends), before, tables(before))


def yearly_spend(place: Place) -> Decimal | None:
    """A year's spending on domestic abuse services: the planner's funding register (the
    partnership's uploaded inputs, or the review's), for the whole partnership only (most
    of it is county-wide, not divided among areas)."""
    if place.district_ids is not None:
        return None
    try:
        inputs = planning.plan_inputs_of(planning.planning_inputs_current())
    except PlanInputErrors:
        return None
    return sum((row.amount for row in inputs.funding), Decimal(0))


def small_number_threshold() -> int:
    return partnership_settings_get().small_number_threshold


def previous_period(period: Period) -> Period:
    """The period before: the year before a calendar year, else the quarter before the one
    the period starts in."""
    if (period.first.month, period.first.day, period.last.month, period.last.day) == (1, 1, 12, 31):
        return casework_measures.period_from_code(str(period.first.year - 1))
    return casework_measures.period_from_code(str(Quarter.of(period.first).previous()))
