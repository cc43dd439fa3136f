"""Casework reads: the referrals waiting for a service's manager, caseloads against safe,
a worker's cases."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from carepath.casework import recovery, rules
from carepath.casework.measures import CaseRow, Period, WorkerRow
from carepath.casework.models import Case, RecoveryPlace, Service, Worker
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.codes import Role, TaskStatus
from carepath.core.models import MaracArea, Task


def manager_of(user) -> Worker | None:
    worker = getattr(user, "caseworker", None)
    return worker if worker is not None and worker.active and worker.is_manager else None


def referrals_to_allocate(*, user) -> QuerySet[Task]:
    """The IDVA and caseworker referrals routed to the manager's agency and not allocated
    yet, soonest deadline first; a referral made to one of the agency's services only to
    that service's managers. Empty for anyone but a service manager."""
    from carepath.casework.services import CASEWORK_ACTIONS

    manager = manager_of(user)
    if manager is None:
        return Task.objects.none()
    return (
        Task.objects.filter(
            owner_agency_id=manager.service.agency_id, action_type__in=CASEWORK_ACTIONS, status=TaskStatus.OPEN
        )
        # A referral made to one of the agency's services is that service's alone.
        .filter(Q(casework_service_referral=None) | Q(casework_service_referral__service=manager.service_id))
        .order_by("due_at", "pk")
    )


def safe_caseload() -> rules.SafeCaseload:
    settings = partnership_settings_get()
    return rules.SafeCaseload(
        high_a_year=settings.idva_caseload_high,
        medium_a_year=settings.idva_caseload_medium,
        open_at_once=settings.casework_open_cases_per_worker,
    )


def worker_loads(*, workers, now: datetime | None = None) -> dict[int, rules.Load]:
    """Each worker's load against safe: the high- and medium-risk cases referred to them in
    the last year, and their open cases."""
    now = now or timezone.now()
    year_ago = now - timedelta(days=365)
    counts = {
        row["pk"]: row
        for row in Worker.objects.filter(pk__in=[w.pk for w in workers])
        .annotate(
            high=Count("cases", filter=Q(cases__risk_level="high", cases__referred_at__gte=year_ago)),
            medium=Count("cases", filter=Q(cases__risk_level="medium", cases__referred_at__gte=year_ago)),
            open=Count("cases", filter=Q(cases__status__in=rules.OPEN)),
        )
        .values("pk", "high", "medium", "open")
    }
    safe = safe_caseload()
    return {
        w.pk: rules.load(
            fte=float(w.fte),
            high_this_year=counts[w.pk]["high"],
            medium_this_year=counts[w.pk]["medium"],
            open_cases=counts[w.pk]["open"],
            safe=safe,
        )
        for w in workers
    }


def workers_over_safe(*, user) -> list[Worker]:
    """The manager's workers carrying more than the safe caseload for their hours (issue
    14, 2: a worker over safe is flagged to their manager). Empty for anyone else."""
    manager = manager_of(user)
    if manager is None:
        return []
    workers = [w for w in service_workers(service=manager.service) if not w.is_manager]
    loads = worker_loads(workers=workers)
    return [w for w in workers if loads[w.pk].over]


def service_workers(*, service) -> list[Worker]:
    return list(service.workers.filter(active=True).select_related("user", "team").order_by("user__username"))


def my_cases(*, user) -> QuerySet[Case]:
    """The worker's open cases, the first-contact deadline soonest first."""
    worker = getattr(user, "caseworker", None)
    if worker is None:
        return Case.objects.none()
    return (
        Case.objects.filter(worker=worker, status__in=rules.OPEN)
        .select_related("victim", "service")
        .order_by("first_contact_at", "first_contact_due", "pk")
    )


def case_involvement(agency_id: int):
    """The agency running the case's service holds it (access registry rule)."""
    return Q(service__agency_id=agency_id)


def case_people(case: Case):
    return [(case.victim_id, "victim")]


def earlier_risk(*, case: Case) -> rules.RiskPoint | None:
    """Her risk before the next re-assessment: the last re-assessment on the case, else
    the referral's assessment, else the level the case was referred at (no score)."""
    last = case.reassessments.select_related("assessment").order_by("-assessment__assessed_at", "-pk").first()
    if last is not None:
        return rules.RiskPoint(last.assessment.level, last.assessment.score)
    first = case.referral.risk_assessment if case.referral_id and case.referral.risk_assessment_id else None
    if first is not None:
        return rules.RiskPoint(first.level, first.score)
    return rules.RiskPoint(case.risk_level, None) if case.risk_level else None


def risk_over_time(*, case: Case) -> list[dict]:
    """Her assessments on this case, oldest first: the referral's, then each re-assessment,
    each with the change from the one before in words."""
    rows = []
    referral_assessment = case.referral.risk_assessment if case.referral_id else None
    if referral_assessment is not None:
        point = rules.RiskPoint(referral_assessment.level, referral_assessment.score)
        rows.append(
            {
                "at": referral_assessment.assessed_at,
                "by": "At referral",
                "change": rules.risk_change_words(None, point),
                "judgement": referral_assessment.judgement_reason,
            }
        )
    for r in case.reassessments.select_related("assessment__assessed_by"):
        a = r.assessment
        before = rules.RiskPoint(r.earlier_level, r.earlier_score) if r.earlier_level else None
        by = a.assessed_by.get_full_name() or a.assessed_by.username if a.assessed_by else ""
        rows.append(
            {
                "at": a.assessed_at,
                "by": f"Re-assessed by {by}" if by else "Re-assessed",
                "change": rules.risk_change_words(before, rules.RiskPoint(a.level, a.score)),
                "judgement": a.judgement_reason,
            }
        )
    return rows


def her_workers(*, victim_ids, agency_id: int) -> dict[int, list[Case]]:
    """For each victim, her cases across linked records at the agency's services that had a
    worker, open ones first then the most recent: the first is her lead worker's (seed 002
    Appendix 1: one worker for the whole journey, across services and over time). Only the
    agency's own services: another agency's casework is not shared by a referral."""
    from carepath.people.models import Person

    identity = {p.pk: p.identity for p in Person.objects.filter(pk__in=list(victim_ids)).only("pk", "identity_key")}
    keys = set(identity.values())
    cases = (
        Case.objects.filter(Q(victim__identity_key__in=keys) | Q(victim_id__in=keys), service__agency_id=agency_id)
        .exclude(worker=None)
        .select_related("worker__user", "service", "victim")
    )
    by_key: dict[int, list[Case]] = defaultdict(list)
    for case in cases:
        by_key[case.victim.identity].append(case)
    for found in by_key.values():
        found.sort(key=lambda c: (c.status not in rules.OPEN, -c.referred_at.timestamp(), -c.pk))
    return {victim_id: by_key.get(key, []) for victim_id, key in identity.items()}


def needs_of(referral) -> set[str]:
    """Specialisms a referral's victim plausibly needs, from what the referral holds: a
    young victim (16-25) the young people's specialism, a male victim the male victims'."""
    from carepath.people.models import Sex

    needs = {n for n in (referral.decision or {}).get("needs", []) if n in rules.SPECIALISMS}
    if "young_victim" in (referral.decision or {}).get("flags", []):
        needs.add("young_people")
    if getattr(referral.victim, "sex", "") == Sex.MALE:
        needs.add("male_victims")
    return needs


def safe_caseload_get() -> rules.SafeCaseload:
    """The partnership's safe caseload per full-time worker (its settings)."""
    return safe_caseload()


def services_for_performance(*, user) -> QuerySet[Service]:
    """The services whose performance the user sees: every one for a commissioner; else
    those their agency runs or they manage."""
    if not user.is_authenticated:
        return Service.objects.none()
    if user.role == Role.COMMISSIONER:
        return Service.objects.all()
    return Service.objects.filter(
        Q(agency_id=user.agency_id) | Q(workers__user=user, workers__is_manager=True)
    ).distinct()


def may_list_cases(*, user, service: Service) -> bool:
    """Only staff of the agency that runs the service see the cases behind its figures."""
    return user.is_authenticated and user.agency_id is not None and user.agency_id == service.agency_id


def areas_for_performance(*, services: QuerySet[Service]) -> QuerySet[MaracArea]:
    return MaracArea.objects.filter(districts__casework_services__in=services).distinct().order_by("name")


def _services_wholly_in(service_ids, *, area_id: int | None = None, district_id: int | None = None) -> list[int]:
    """The services whose every district lies in the area (or is the district)."""
    column, wanted = ("district__marac_area_id", area_id) if area_id is not None else ("district_id", district_id)
    places = defaultdict(set)
    for service_id, place in Service.districts.through.objects.filter(service_id__in=service_ids).values_list(
        "service_id", column
    ):
        places[service_id].add(place)
    return [s for s, found in places.items() if found == {wanted}]


CASE_FIELDS = (
    "pk",
    "service_id",
    "risk_level",
    "status",
    "worker_id",
    "referred_at",
    "first_contact_due",
    "first_contact_at",
    "engaged_at",
    "closed_at",
    "intake_scores",
    "exit_scores",
    "outcomes",
)


def _cases_in(
    *, service_ids, period: Period, area_id: int | None = None, district_id: int | None = None
) -> QuerySet[Case]:
    """The services' cases referred or closed in the period, in the area or district when
    one is chosen (by the referral's district; a case without one, by its service's)."""
    service_ids = list(service_ids)
    cases = Case.objects.filter(service_id__in=service_ids).filter(
        Q(referred_at__gte=period.starts, referred_at__lt=period.ends)
        | Q(closed_at__gte=period.starts, closed_at__lt=period.ends)
    )
    if area_id is not None:
        cases = cases.filter(
            Q(referral__district__marac_area_id=area_id)
            | Q(referral__district__isnull=True, service_id__in=_services_wholly_in(service_ids, area_id=area_id))
        )
    if district_id is not None:
        cases = cases.filter(
            Q(referral__district_id=district_id)
            | Q(
                referral__district__isnull=True,
                service_id__in=_services_wholly_in(service_ids, district_id=district_id),
            )
        )
    return cases


def performance_case_rows(
    *, service_ids, period: Period, area_id: int | None = None, district_id: int | None = None
) -> list[CaseRow]:
    """The services' cases referred or closed in the period (in the area or district, when
    one is chosen), as rows, each with whether she has a place on a recovery programme, one
    that reached a course's start and one completed (one more query, over the places)."""
    cases = _cases_in(service_ids=service_ids, period=period, area_id=area_id, district_id=district_id)
    places = defaultdict(set)
    for case_id, status in RecoveryPlace.objects.filter(case_id__in=cases.values("pk")).values_list(
        "case_id", "status"
    ):
        places[case_id].add(status)
    rows = []
    for row in cases.order_by().values_list(*CASE_FIELDS):
        hers = places.get(row[0], frozenset())
        rows.append(
            CaseRow(
                *row,
                recovery_added=bool(hers),
                recovery_started=bool(hers & recovery.REACHED_START),
                recovery_completed=recovery.COMPLETED in hers,
            )
        )
    return rows


def engagement_levels(
    *, service_ids, period: Period, area_id: int | None = None, district_id: int | None = None
) -> dict[int, dict[int, int]]:
    """Of each service's cases referred in the period, those engaged at each level (1-3,
    seed 004), by service: one aggregate query."""
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    engaged = _cases_in(service_ids=service_ids, period=period, area_id=area_id, district_id=district_id).filter(
        referred_at__gte=period.starts,
        referred_at__lt=period.ends,
        engaged_at__isnull=False,
        engagement_level__isnull=False,
    )
    for service_id, level, n in (
        engaged.order_by()
        .values_list("service_id", "engagement_level")
        .annotate(n=Count("pk"))
        .values_list("service_id", "engagement_level", "n")
    ):
        levels[service_id][level] = n
    return dict(levels)


def performance_worker_rows(*, service_ids, period: Period) -> list[WorkerRow]:
    """Each active worker of the services with their high- and medium-risk cases referred
    in the year ending on the period's last day, and their cases open today: one query for
    the workers, one aggregate for every caseload."""
    year = period.year_before_end
    in_year = Q(cases__referred_at__gte=year.starts, cases__referred_at__lt=year.ends)
    workers = (
        Worker.objects.filter(service_id__in=list(service_ids), active=True)
        .annotate(
            high=Count("cases", filter=in_year & Q(cases__risk_level="high")),
            medium=Count("cases", filter=in_year & Q(cases__risk_level="medium")),
            open_now=Count("cases", filter=Q(cases__status__in=rules.OPEN)),
        )
        .order_by()
        .values_list(
            "pk",
            "service_id",
            "user__first_name",
            "user__last_name",
            "user__username",
            "fte",
            "high",
            "medium",
            "open_now",
        )
    )
    return [
        WorkerRow(
            worker_id=pk,
            service_id=service_id,
            name=f"{first} {last}".strip() or username,
            fte=float(fte),
            high_this_year=high,
            medium_this_year=medium,
            open_cases=open_now,
        )
        for pk, service_id, first, last, username, fte, high, medium, open_now in workers
    ]


def cases_listed(*, case_ids) -> list[dict]:
    """The cases behind a figure, for its list: number, status, risk, worker, dates and the
    victim's id (for the access log; her name is not shown)."""
    return list(
        Case.objects.filter(pk__in=list(case_ids))
        .order_by("-referred_at", "-pk")
        .values(
            "pk",
            "status",
            "risk_level",
            "referred_at",
            "first_contact_due",
            "first_contact_at",
            "closed_at",
            "victim_id",
            "worker__user__first_name",
            "worker__user__last_name",
            "worker__user__username",
        )
    )


def open_case_ids(*, service_id: int, worker_id: int | None) -> list[int]:
    """The service's cases open today (a worker's, when one is named): a caseload's cases."""
    cases = Case.objects.filter(service_id=service_id, status__in=rules.OPEN)
    if worker_id is not None:
        cases = cases.filter(worker_id=worker_id)
    return list(cases.order_by("-referred_at", "-pk").values_list("pk", flat=True))


def safe_contact(*, case: Case):
    """Her safe-contact record (None when there is none) and the channels it makes safe."""
    from carepath.people.models import SafeContact
    from carepath.people.safe_contact import usable_channels

    safe = SafeContact.objects.filter(person_id=case.victim_id).first()
    return safe, (usable_channels(safe.answers()) if safe else set())


def services_for_referral():
    """Every casework service, with its agency and the districts it covers, for the
    referral form (issue 14, 1)."""
    return Service.objects.select_related("agency").prefetch_related("districts").order_by("name")


def handover_services(*, case: Case):
    """The casework services of other agencies a case may be handed over to (issue 14, 3)."""
    return services_for_referral().exclude(agency_id=case.service.agency_id)
