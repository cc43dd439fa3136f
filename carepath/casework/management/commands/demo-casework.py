"""carepath demo-casework: for `make demo` only, the IDVA service has work: a team with
realistic caseloads (one IDVA over the safe caseload, as seed 002 found them all), cases
open at every stage and some closed with outcomes, and routed referrals still waiting for
the manager to allocate: among them two other agencies' referrals and a case the voluntary
sector's caseworker service handed over. Victims step down to recovery programmes (seed 002
§12.4: the Freedom Programme run by outreach services in two districts, and a Recovery
Toolkit): some completed a course, some are on one now, some left early, and more wait for a
place on courses that are full."""

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
from carepath.casework.referral_services import case_handover_to_service, casework_referral_from_agency
from carepath.casework.selectors import her_workers, safe_contact
from carepath.casework.services import (
    case_allocate,
    case_close,
    case_needs_record,
    case_reassess,
    case_status_move,
    contact_attempt_record,
    contact_refusal_for,
    safety_plan_record,
)
from carepath.core.codes import ActionType, AgencyType, Role, TaskStatus
from carepath.core.models import Agency, District, Task, User
from carepath.core.services import staff_create
from carepath.referrals.intake import DashAnswer, PersonDetails, SafeContactDetails
from carepath.risk.selectors import checklist_in_force

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
            # Her lead worker keeps her, as the manager's suggestion has it; else as the load falls.
            before = her_workers(victim_ids=[task.subject.victim_id], agency_id=agency.pk)[task.subject.victim_id]
            known = [c.worker for c in before if c.worker in team]
            worker = known[0] if known else rng.choices(team, weights=weights)[0]
            try:
                case = case_allocate(
                    task=task, worker=worker, user=manager_user, now=task.subject.received_at + timedelta(hours=2)
                )
            except ValidationError:
                continue
            made += 1
            closed += self._progress(case, worker.user, rng)
        referred_in = self._referrals_in(service, rng)
        waiting_now = Task.objects.filter(
            owner_agency=agency, action_type=ActionType.IDVA_REFERRAL, status=TaskStatus.OPEN
        ).count()
        self.stdout.write(
            f"IDVA team of {len(team)} with a manager; {made} cases allocated ({closed} closed with outcomes), "
            f"{waiting_now} referrals waiting to be allocated{referred_in}."
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

    def _safe_tries(self, case, rng):
        """Two tries at reaching her the way an IDVA would: by a channel she said is safe,
        at the first hours she said are safe after the referral (the second a day or two
        later); None when there is no safe way or the tries would be in the future."""
        safe, usable = safe_contact(case=case)
        if safe is not None and not usable and rng.random() < 0.6:
            # The police officer asked her how to reach her safely: a phone (Ofcom's drama
            # range) on weekdays while the children are at school.
            safe.safe_phone = f"07700 900{rng.randint(0, 999):03d}"
            safe.safe_windows = [{"days": [0, 1, 2, 3, 4], "start": "09:30", "end": "14:30"}]
            safe.save()
            safe, usable = safe_contact(case=case)
        channels = [c for c in ("phone_call", "text", "email") if c in usable]
        if not channels:
            return None
        channel = rng.choice(channels)
        found, moment = [], case.referred_at + timedelta(hours=rng.randint(1, 6))
        while len(found) < 2 and moment < case.referred_at + timedelta(days=21):
            if contact_refusal_for(safe=safe, channel=channel, at=moment) is None:
                found.append((channel, moment))
                moment += timedelta(days=rng.randint(1, 2))
            else:
                moment += timedelta(hours=1)
        if len(found) < 2 or found[1][1] + timedelta(days=1) > timezone.now():
            return None
        return found

    def _referrals_in(self, service, rng) -> str:
        """Two other agencies' referrals and a handover from the voluntary sector's
        caseworker service, left waiting in the IDVA manager's queue (issue 14). Once only."""
        if Task.objects.filter(rule="casework.referral_from_agency").exists():
            return ""
        police = User.objects.filter(username="demo-police").first()
        safeguarding = User.objects.filter(username="demo-safeguarding").first()
        caseworker = User.objects.filter(username="demo-caseworker").first()
        districts = list(District.objects.order_by("name"))
        if not (police and safeguarding and caseworker and districts):
            return ""
        now = timezone.now()
        for user, (given, family), level, needs in (
            (police, ("Rosa", "Pelham"), "high", ["criminal_justice"]),
            (safeguarding, ("Aisha", "Brandt"), "medium", ["family_court", "housing"]),
        ):
            casework_referral_from_agency(
                user=user,
                service=service,
                district=rng.choice(districts),
                new_victim=PersonDetails(given_name=given, family_name=family, age=rng.randint(22, 45), sex="female"),
                risk_level=level,
                consent="given",
                needs=needs,
                safe_contact=SafeContactDetails(safe_phone=f"07700 900{rng.randint(100, 999)}", text_safe="yes"),
                details="Referred from the demo: she asked for support.",
                now=now - timedelta(hours=rng.randint(2, 30)),
            )
        # The voluntary sector's caseworkers hand a case to the IDVA service for court support.
        caseworkers, _ = Service.objects.get_or_create(
            name=f"{caseworker.agency.name} caseworkers",
            defaults={"agency": caseworker.agency, "kind": ServiceKind.CASEWORKER},
        )
        manager = User.objects.filter(username="caseworker-erin").first() or staff_create(
            username="caseworker-erin", agency=caseworker.agency, role=Role.CASEWORKER, password=None
        )
        Worker.objects.get_or_create(user=manager, defaults={"service": caseworkers, "is_manager": True})
        worker, _ = Worker.objects.get_or_create(user=caseworker, defaults={"service": caseworkers})
        referral = casework_referral_from_agency(
            user=safeguarding,
            service=caseworkers,
            district=rng.choice(districts),
            new_victim=PersonDetails(given_name="Nadia", family_name="Okafor", age=31, sex="female"),
            risk_level="medium",
            consent="given",
            safe_contact=SafeContactDetails(safe_phone="07700 900456", voicemail_safe="yes"),
            now=now - timedelta(days=10),
        )
        case = case_allocate(task=referral.tasks.get(), worker=worker, user=manager, now=now - timedelta(days=9))
        case_handover_to_service(
            case=case,
            user=caseworker,
            to_service=service,
            agreed="He is due in court next month and she wants an IDVA with her there: call on her safe "
            "phone, weekday mornings; a voicemail is safe.",
            consent="given",
            now=now - timedelta(hours=3),
        )
        return "; two agencies' referrals and a handover from the caseworker service among them"

    def _progress(self, case, user, rng) -> int:
        """Move a case some way along its journey, as the weeks since referral allow."""
        stage = rng.random()
        if stage < 0.25:
            return 0  # referred, not yet tried
        tries = self._safe_tries(case, rng)
        if tries is None:
            return 0  # no safe way to reach her yet, or too recent: the case waits in "referred"
        (channel, tried_at), (_, reached) = tries
        contact_attempt_record(case=case, user=user, channel=channel, reached=False, at=tried_at)
        contact_attempt_record(case=case, user=user, channel=channel, reached=True, at=reached)
        if stage < 0.45:
            return 0
        case_status_move(
            case=case,
            user=user,
            to_status=rules.ENGAGED,
            engagement_level=rng.choice([1, 2, 3, 3]),
            now=reached,
        )
        case_needs_record(
            case=case,
            user=user,
            needs=rng.sample(sorted(rules.SPECIALISMS), k=rng.randint(1, 3)),
            intake_scores={s: rng.randint(2, 5) for s in rules.SCORES},
        )
        safety_plan_record(
            case=case,
            user=user,
            plan="Safe word agreed; bag and documents kept at work.",
            now=reached,
        )
        if rng.random() < 0.4 and reached + timedelta(days=14) < timezone.now():
            # Re-assessed a fortnight in: for most the risk has come down, for some it has not.
            numbers = checklist_in_force().numbers
            yes = rng.choice([4, 8, 11, 16])
            case_reassess(
                case=case,
                user=user,
                answers={n: DashAnswer(answer="yes" if n <= yes else "no", source="victim") for n in numbers},
                now=reached + timedelta(days=14),
            )
        if stage < 0.75 or reached + timedelta(days=30) > timezone.now():
            return 0
        case_close(
            case=case,
            user=user,
            outcomes={t: rng.choice(["ceased", "reduced", "reduced", "no_change"]) for t in rules.ABUSE_TYPES},
            exit_scores={s: rng.randint(5, 9) for s in rules.SCORES},
            now=reached + timedelta(days=30),
        )
        return 1
