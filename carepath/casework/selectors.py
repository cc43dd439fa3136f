"""Casework reads: the referrals waiting for a service's manager, caseloads against safe,
a worker's cases."""

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from carepath.casework import rules
from carepath.casework.models import Case, Worker
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.codes import TaskStatus
from carepath.core.models import Task


def manager_of(user) -> Worker | None:
    worker = getattr(user, "caseworker", None)
    return worker if worker is not None and worker.active and worker.is_manager else None


def referrals_to_allocate(*, user) -> QuerySet[Task]:
    """The IDVA and caseworker referrals routed to the manager's agency and not allocated
    yet, soonest deadline first. Empty for anyone but a service manager."""
    from carepath.casework.services import CASEWORK_ACTIONS

    manager = manager_of(user)
    if manager is None:
        return Task.objects.none()
    return Task.objects.filter(
        owner_agency_id=manager.service.agency_id, action_type__in=CASEWORK_ACTIONS, status=TaskStatus.OPEN
    ).order_by("due_at", "pk")


def safe_caseload() -> rules.SafeCaseload:
    settings = partnership_settings_get()
    return rules.SafeCaseload(
        high_a_year=settings.idva_caseload_high,
        medium_a_year=settings.idva_caseload_medium,
        open_at_once=getattr(settings, "open_cases_per_worker", rules.SafeCaseload.open_at_once),
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


def needs_of(referral) -> set[str]:
    """Specialisms a referral's victim plausibly needs, from what the referral holds: a
    young victim (16-25) the young people's specialism, a male victim the male victims'."""
    from carepath.people.models import Sex

    needs = set()
    if "young_victim" in (referral.decision or {}).get("flags", []):
        needs.add("young_people")
    if getattr(referral.victim, "sex", "") == Sex.MALE:
        needs.add("male_victims")
    return needs
