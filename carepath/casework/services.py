"""Casework writes: a routed referral allocated to a worker (opening the case), the case's
status moves, contact attempts through safe channels at safe times, safety plans,
interventions, closure with outcomes, and handovers. Keyword-only and atomic; each change
is recorded with who and when."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.casework import referral_rules, rules
from carepath.casework.models import (
    Case,
    CaseSource,
    ContactAttempt,
    Handover,
    Intervention,
    Reassessment,
    SafetyPlan,
    StatusChange,
    Worker,
)
from carepath.casework.selectors import earlier_risk, safe_contact
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.codes import ActionType, TaskStatus
from carepath.core.history import changed_by
from carepath.core.models import Task
from carepath.core.services import task_record
from carepath.people.models import SafeContact
from carepath.people.safe_contact import usable_channels
from carepath.referrals.intake import DashAnswer
from carepath.risk.dash import DashError, Judgement, assess_risk, dash_score
from carepath.risk.selectors import checklist_in_force
from carepath.risk.services import risk_assessment_record

#: The routed work a casework service takes (domain.md "Routing").
CASEWORK_ACTIONS = (ActionType.IDVA_REFERRAL, ActionType.CASEWORKER_REFERRAL)


def manages(user, service) -> bool:
    worker = getattr(user, "caseworker", None)
    return worker is not None and worker.active and worker.is_manager and worker.service_id == service.pk


def works_on(user, case: Case) -> bool:
    """The case's own worker, or a manager of its service."""
    worker = getattr(user, "caseworker", None)
    return worker is not None and worker.active and (case.worker_id == worker.pk or manages(user, case.service))


def _move(case: Case, to_status: str, *, user, at: datetime, note: str = "") -> None:
    refusal = rules.move_refusal(case.status, to_status)
    if refusal:
        raise ValidationError({"status": refusal})
    StatusChange.objects.create(case=case, from_status=case.status, to_status=to_status, at=at, by=user, note=note)
    case.status = to_status
    if to_status == rules.ENGAGED and case.engaged_at is None:
        case.engaged_at = at
    if to_status in (rules.CLOSED, rules.DECLINED, rules.DROPPED_OUT):
        case.closed_at = at


@transaction.atomic
def case_allocate(*, task: Task, worker: Worker, user, now: datetime | None = None) -> Case:
    """The service's manager gives a routed IDVA or caseworker referral to a worker: the
    case opens with the front door's first-contact deadline, and the routed task is done."""
    now = now or timezone.now()
    task = Task.objects.select_for_update().get(pk=task.pk)
    manager = getattr(user, "caseworker", None)
    if manager is None or not manages(user, manager.service) or task.owner_agency_id != manager.service.agency_id:
        raise PermissionDenied("Only a manager of the service that was sent the referral allocates it.")
    if task.action_type not in CASEWORK_ACTIONS or task.status != TaskStatus.OPEN:
        raise ValidationError("This referral is not waiting to be allocated.")
    if worker.service_id != manager.service_id or not worker.active:
        raise ValidationError({"worker": "Choose a worker of your service."})
    referral = task.subject
    decision = referral.decision or {}
    source = referral_rules.case_source(decision)
    case = Case.objects.create(
        service=manager.service,
        victim_id=referral.victim_id,
        referral=referral,
        task=task,
        source=CaseSource(source),
        risk_level=referral.risk_level,
        worker=worker,
        referred_at=referral.received_at,
        first_contact_due=task.due_at,
        needs=[n for n in decision.get("needs", []) if n in rules.SPECIALISMS],
    )
    StatusChange.objects.create(case=case, from_status="", to_status=rules.REFERRED, at=now, by=user)
    if source == referral_rules.HANDOVER:
        # Another agency's service handed her over: the new worker is told what was agreed.
        Handover.objects.create(
            case=case,
            from_worker_id=decision.get("from_worker"),
            to_worker=worker,
            at=now,
            by=user,
            agreed=referral.details,
        )
    task_record(task=task, user=user, status=TaskStatus.DONE, note=f"Allocated to {worker} ({manager.service}).")
    return case


def _locked(case: Case, user) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("service", "worker").get(pk=case.pk)
    if not works_on(user, case):
        raise PermissionDenied("Only the case's worker or a manager of its service changes it.")
    return case


@transaction.atomic
def case_status_move(
    *, case: Case, user, to_status: str, note: str = "", engagement_level: int | None = None, now=None
) -> Case:
    """Move the case along its journey (``rules.MOVES``), recorded with who, when and why.
    Engaging her records the engagement level (seed 004, 1-3)."""
    now = now or timezone.now()
    case = _locked(case, user)
    if to_status == rules.ENGAGED:
        if engagement_level not in rules.ENGAGEMENT_LEVELS:
            raise ValidationError({"engagement_level": "Choose the level of engagement, 1 to 3."})
        case.engagement_level = engagement_level
    _move(case, to_status, user=user, at=now, note=note.strip())
    case.save()
    return case


def contact_refusal_for(*, safe: SafeContact | None, channel: str, at: datetime) -> str | None:
    """``rules.contact_refusal`` for her safe-contact record: the channels it makes safe and
    the times she gave, at ``at`` in UK local time."""
    return rules.contact_refusal(
        channel=channel,
        usable=usable_channels(safe.answers()) if safe else set(),
        windows=rules.safe_windows(safe.safe_windows) if safe else (),
        at=timezone.localtime(at),
    )


@transaction.atomic
def contact_attempt_record(
    *, case: Case, user, channel: str, reached: bool, note: str = "", at: datetime | None = None
) -> ContactAttempt:
    """Record a try at reaching her. Only a channel she said is safe, at a time she said
    is safe (``rules.contact_refusal``): anything else is refused with the reason, and
    nothing is recorded as tried. The first attempt starts contacting; the first time she
    is reached is the case's first contact."""
    at = at or timezone.now()
    case = _locked(case, user)
    if case.status not in rules.OPEN:
        raise ValidationError("The case is not open.")
    refusal = contact_refusal_for(safe=safe_contact(case=case)[0], channel=channel, at=at)
    if refusal:
        raise ValidationError({"channel": refusal})
    attempt = ContactAttempt.objects.create(case=case, channel=channel, at=at, by=user, reached=reached, note=note)
    if case.status in (rules.REFERRED, rules.NOT_CONTACTABLE):
        _move(case, rules.CONTACTING, user=user, at=at)
    if reached and case.first_contact_at is None:
        case.first_contact_at = at
    case.save()
    return attempt


@transaction.atomic
def case_close(
    *, case: Case, user, outcomes: dict[str, str], exit_scores: dict[str, int], note: str = "", now=None
) -> Case:
    """Close an engaged case with what happened to each type of abuse and her safety,
    wellbeing and quality of life at exit (SafeLives Insights; domain.md "Casework")."""
    now = now or timezone.now()
    case = _locked(case, user)
    errors = {}
    if set(outcomes) != set(rules.ABUSE_TYPES) or not set(outcomes.values()) <= set(rules.OUTCOMES):
        errors["outcomes"] = "Say for each type of abuse whether it ceased, reduced, did not change or increased."
    if set(exit_scores) != set(rules.SCORES) or not all(1 <= v <= 10 for v in exit_scores.values()):
        errors["exit_scores"] = "Score her safety, wellbeing and quality of life now, each from 1 to 10."
    if errors:
        raise ValidationError(errors)
    case.outcomes, case.exit_scores = outcomes, exit_scores
    _move(case, rules.CLOSED, user=user, at=now, note=note.strip())
    case.save()
    return case


@transaction.atomic
def case_handover(*, case: Case, user, to_worker: Worker, agreed: str, now=None) -> Handover:
    """Pass the case to another worker of the agency, at this service or another of its
    own: the case keeps its history, and the new worker is told what was agreed with her."""
    now = now or timezone.now()
    case = _locked(case, user)
    if not agreed.strip():
        raise ValidationError({"agreed": "Tell the new worker what was agreed with her."})
    if not to_worker.active or to_worker.pk == case.worker_id:
        raise ValidationError({"to_worker": "Choose another active worker."})
    # Another agency's service would be given her whole case: that is a referral, with
    # its own information share, not a handover.
    if to_worker.service.agency_id != case.service.agency_id:
        raise ValidationError({"to_worker": "Hand over within your agency; refer her to another agency's service."})
    handover = Handover.objects.create(
        case=case, from_worker=case.worker, to_worker=to_worker, at=now, by=user, agreed=agreed.strip()
    )
    case.worker, case.service = to_worker, to_worker.service
    case.save(update_fields=["worker", "service"])
    return handover


@transaction.atomic
def safety_plan_record(*, case: Case, user, plan: str, review_on=None, now=None) -> SafetyPlan:
    """Record the safety plan agreed with her; a later plan replaces it and both are kept."""
    now = now or timezone.now()
    case = _locked(case, user)
    if not plan.strip():
        raise ValidationError({"plan": "Write down the plan agreed with her."})
    if review_on is not None and review_on < timezone.localdate(now):
        raise ValidationError({"review_on": "The review date cannot be in the past."})
    return SafetyPlan.objects.create(case=case, plan=plan.strip(), agreed_at=now, by=user, review_on=review_on)


@transaction.atomic
def intervention_record(*, case: Case, user, kind: str, on, note: str = "") -> Intervention:
    """Record support given (seed 004 Table 2's interventions)."""
    case = _locked(case, user)
    if kind not in rules.INTERVENTIONS:
        raise ValidationError({"kind": "Choose the support given from the list."})
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": "Give the date it was given, today or before."})
    return Intervention.objects.create(case=case, kind=kind, on=on, by=user, note=note.strip())


@transaction.atomic
def case_needs_record(
    *, case: Case, user, needs: list[str], needs_notes: str = "", intake_scores: dict[str, int]
) -> Case:
    """Record her needs assessment (the specialisms her needs call for, and notes) and her
    safety, wellbeing and quality of life at intake, each 1-10 (SafeLives Insights). The
    intake scores may be corrected while the case is open; the history keeps each."""
    case = _locked(case, user)
    errors = {}
    if not set(needs) <= set(rules.SPECIALISMS):
        errors["needs"] = "Choose her needs from the list."
    if set(intake_scores) != set(rules.SCORES) or not all(1 <= v <= 10 for v in intake_scores.values()):
        errors["intake_scores"] = "Score her safety, wellbeing and quality of life at intake, each from 1 to 10."
    if case.status not in rules.OPEN and case.status != rules.DORMANT:
        errors["needs"] = "The case is closed: its needs assessment stays as it was."
    if errors:
        raise ValidationError(errors)
    case.needs = sorted(set(needs), key=list(rules.SPECIALISMS).index)
    case.needs_notes, case.intake_scores = needs_notes.strip(), intake_scores
    changed_by(case, user, reason="Needs assessment and intake scores")
    case.save(update_fields=["needs", "needs_notes", "intake_scores"])
    return case


@transaction.atomic
def case_reassess(
    *, case: Case, user, answers: dict[int, DashAnswer], judgement: Judgement | None = None, now=None
) -> Reassessment:
    """Re-assess her risk with the DASH checklist in force (domain.md "Victim risk level":
    the score's level, raised but never lowered by professional judgement with its reason).
    The case takes the new level; the level it replaces is kept so the change is shown."""
    now = now or timezone.now()
    case = _locked(case, user)
    if case.status not in rules.OPEN and case.status != rules.DORMANT:
        raise ValidationError("The case is closed: a new referral re-assesses her.")
    checklist, settings = checklist_in_force(), partnership_settings_get()
    try:
        risk = assess_risk(
            dash_score({n: a.answer for n, a in answers.items()}, checklist), judgement, settings, checklist
        )
    except DashError as exc:
        raise ValidationError(str(exc)) from exc
    earlier = earlier_risk(case=case)
    assessment = risk_assessment_record(
        person_id=case.victim_id,
        agency_id=case.service.agency_id,
        user=user,
        at=now,
        risk=risk,
        checklist_id=checklist.pk,
        judgement=judgement if risk.raised_by_judgement else None,
        answers={str(n): a.__dict__ for n, a in answers.items()},
    )
    reassessment = Reassessment.objects.create(
        case=case,
        assessment=assessment,
        earlier_level=earlier.level if earlier else "",
        earlier_score=earlier.score if earlier else None,
    )
    case.risk_level = risk.level
    changed_by(case, user, reason="Risk re-assessed")
    case.save(update_fields=["risk_level"])
    return reassessment
