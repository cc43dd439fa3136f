"""carepath demo-casework: for `make demo` only, the IDVA service has work: a team with
realistic caseloads (one IDVA over the safe caseload, as seed 002 found them all), cases
open at every stage and some closed with outcomes, and routed referrals still waiting for
the manager to allocate. Victims step down to recovery programmes (seed 002 §12.4: the
Freedom Programme run by outreach services in two districts, and a Recovery Toolkit): some
completed a course, some are on one now, some left early, and more wait for a place on
courses that are full."""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carepath.casework import recovery, rules
from carepath.casework.models import (
    Case,
    RecoveryCourse,
    RecoveryPlace,
    RecoveryProgramme,
    Service,
    ServiceKind,
    Worker,
)
from carepath.casework.recovery_services import recovery_place_add, recovery_place_move, recovery_place_offer
from carepath.casework.services import case_allocate, case_close, case_status_move, contact_attempt_record
from carepath.core.codes import ActionType, AgencyType, Role, TaskStatus
from carepath.core.models import Agency, District, Task, User
from carepath.core.services import staff_create

#: The demo IDVA team besides demo-idva: (username, FTE, specialisms).
DEMO_TEAM = [
    ("idva-amira", 1.0, ["black_minoritised", "criminal_justice"]),
    ("idva-ben", 0.6, ["male_victims", "substance_use"]),
    ("idva-chloe", 1.0, ["young_people", "family_court"]),
]


class Command(BaseCommand):
    help = "Give the demo IDVA service a team, caseloads and cases (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("--waiting", type=int, default=6, help="Routed referrals left for the manager.")

    def handle(self, *args, waiting: int, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo casework is only for demo mode: set CAREPATH_DEMO=1 (never with real data).")
        manager_user = User.objects.filter(username="demo-idva-manager").first()
        idva_user = User.objects.filter(username="demo-idva").first()
        if manager_user is None or idva_user is None:
            raise CommandError("No demo IDVA accounts yet: run `carepath demo-accounts` first.")
        agency = manager_user.agency
        service, _ = Service.objects.get_or_create(
            name=f"{agency.name} (high risk)", defaults={"agency": agency, "kind": ServiceKind.IDVA}
        )
        service.districts.set(District.objects.all())
        Worker.objects.get_or_create(user=manager_user, defaults={"service": service, "is_manager": True})
        # demo-idva works a day and a half a week and carries the most: over the safe
        # caseload for her hours, as seed 002 found every IDVA.
        team = [
            Worker.objects.get_or_create(
                user=idva_user, defaults={"service": service, "fte": 0.3, "specialisms": ["housing"]}
            )[0]
        ]
        for username, fte, specialisms in DEMO_TEAM:
            user = User.objects.filter(username=username).first() or staff_create(
                username=username, agency=agency, role=Role.IDVA, password=None
            )
            team.append(
                Worker.objects.get_or_create(
                    user=user, defaults={"service": service, "fte": fte, "specialisms": specialisms}
                )[0]
            )
        tasks = list(
            Task.objects.filter(
                owner_agency=agency, action_type=ActionType.IDVA_REFERRAL, status=TaskStatus.OPEN
            ).order_by("due_at", "pk")
        )
        to_allocate = tasks[: max(len(tasks) - waiting, 0)]
        rng = random.Random(14)  # nosec B311 - a repeatable demo, not security
        weights = [6, 2, 1, 2]
        made = closed = 0
        for task in to_allocate:
            worker = rng.choices(team, weights=weights)[0]
            try:
                case = case_allocate(
                    task=task, worker=worker, user=manager_user, now=task.subject.received_at + timedelta(hours=2)
                )
            except ValidationError:
                continue
            made += 1
            closed += self._progress(case, worker.user, rng)
        self.stdout.write(
            f"IDVA team of {len(team)} with a manager; {made} cases allocated ({closed} closed with outcomes), "
            f"{len(tasks) - len(to_allocate)} referrals waiting to be allocated."
        )
        self._recovery(service, manager_user, rng)

    def _recovery(self, service, manager_user, rng) -> None:
        """Recovery programmes run by an outreach provider, with courses (some full), and
        the service's engaged and closed cases stepped down to them. Once only."""
        if RecoveryProgramme.objects.exists():
            return
        provider = (
            Agency.objects.filter(agency_type=AgencyType.REFUGE_PROVIDER).order_by("name").first()
            or Agency.objects.filter(agency_type=AgencyType.VOLUNTARY_SECTOR).order_by("name").first()
            or service.agency
        )
        districts = list(District.objects.order_by("name")[:3])
        if not districts:
            return
        east, west = districts[0], districts[-1]
        today = timezone.localdate()
        freedom, _ = RecoveryProgramme.objects.get_or_create(
            name="Freedom Programme", defaults={"agency": provider, "kind": "freedom"}
        )
        freedom.districts.set({east, west})
        toolkit, _ = RecoveryProgramme.objects.get_or_create(
            name="Recovery Toolkit", defaults={"agency": provider, "kind": "recovery_toolkit"}
        )
        toolkit.districts.set([east])
        # (programme, weeks ago it started, weeks, places, district): one finished, one
        # under way, courses to come; the small ones fill up.
        plan = [
            (freedom, 16, 12, 12, east),
            (freedom, 4, 12, 4, east),
            (freedom, -2, 12, 16, west),
            (toolkit, 12, 10, 8, east),
            (toolkit, -3, 10, 3, east),
        ]
        courses = [
            RecoveryCourse.objects.create(
                programme=p, starts_on=today - timedelta(weeks=ago), weeks=weeks, places=places, district=where
            )
            for p, ago, weeks, places, where in plan
        ]
        finished, running, _, toolkit_finished, toolkit_next = courses
        cases = list(
            Case.objects.filter(service=service, status__in=[rules.CLOSED, rules.ENGAGED, rules.ONGOING])
            .select_related("worker__user")
            .order_by("referred_at", "pk")
        )
        made = 0
        for case in cases:
            if rng.random() < 0.15:
                continue
            user = case.worker.user if case.worker else manager_user
            programme = freedom if rng.random() < 0.65 else toolkit
            added = case.closed_at or max(case.referred_at + timedelta(days=14), timezone.now() - timedelta(days=60))
            added = min(added, timezone.now())
            place = recovery_place_add(case=case, programme=programme, user=user, now=added)
            made += 1
            # Seated on a course that started after she was added, while it has room.
            course = next(
                (
                    c
                    for c in ((finished, running) if programme == freedom else (toolkit_finished, toolkit_next))
                    if timezone.make_aware(datetime.combine(c.starts_on, time(9))) > added
                    and c.seats.filter(status__in=recovery.SEATED).count() < c.places
                ),
                None,
            )
            if course is None or rng.random() < 0.35:
                continue  # still waiting
            offered_at = timezone.make_aware(datetime.combine(course.starts_on - timedelta(days=7), time(10)))
            recovery_place_offer(place=place, course=course, user=manager_user, now=max(offered_at, added))
            if course.starts_on > today:
                continue  # offered, the course still to come
            starts = timezone.make_aware(datetime.combine(course.starts_on, time(10)))
            recovery_place_move(place=place, user=manager_user, to_status=recovery.STARTED, now=starts)
            if recovery.course_ends(course.starts_on, course.weeks) <= today:
                left = rng.random() < 0.2
                recovery_place_move(
                    place=place,
                    user=manager_user,
                    to_status=recovery.LEFT_EARLY if left else recovery.COMPLETED,
                    note="Moved out of the area" if left else "",
                    now=starts + timedelta(weeks=course.weeks if not left else 3),
                )
        # Some who finished one programme, or wait for it, want the other as well: they
        # wait for a place on it (its next course is full).
        for case in cases:
            live = set(case.recovery_places.filter(status__in=recovery.LIVE).values_list("programme_id", flat=True))
            other = toolkit if freedom.pk in live or case.recovery_places.exists() else freedom
            if other.pk in live or rng.random() < 0.5:
                continue
            user = case.worker.user if case.worker else manager_user
            recovery_place_add(
                case=case, programme=other, user=user, now=timezone.now() - timedelta(days=rng.randint(3, 40))
            )
            made += 1
        waiting = RecoveryPlace.objects.filter(status=recovery.WAITING).count()
        self.stdout.write(
            f"Recovery: {len(courses)} courses of the Freedom Programme and the Recovery Toolkit; "
            f"{made} places for victims stepped down, {waiting} on waiting lists."
        )

    def _progress(self, case, user, rng) -> int:
        """Move a case some way along its journey, as the weeks since referral allow."""
        stage = rng.random()
        if stage < 0.25:
            return 0  # referred, not yet tried
        moment = case.referred_at + timedelta(hours=20)
        if moment + timedelta(days=1) > timezone.now():
            return 0  # too recent to have reached her yet
        try:
            contact_attempt_record(case=case, user=user, channel="phone_call", reached=False, at=moment)
            contact_attempt_record(
                case=case, user=user, channel="phone_call", reached=True, at=moment + timedelta(days=1)
            )
        except ValidationError:
            return 0  # no safe phone, or outside her times: the case waits in "referred"
        if stage < 0.45:
            return 0
        case_status_move(
            case=case,
            user=user,
            to_status=rules.ENGAGED,
            engagement_level=rng.choice([1, 2, 3, 3]),
            now=moment + timedelta(days=1),
        )
        if stage < 0.75 or moment + timedelta(days=30) > timezone.now():
            return 0
        case_close(
            case=case,
            user=user,
            outcomes={t: rng.choice(["ceased", "reduced", "reduced", "no_change"]) for t in rules.ABUSE_TYPES},
            exit_scores={s: rng.randint(5, 9) for s in rules.SCORES},
            now=moment + timedelta(days=30),
        )
        return 1
