"""Writes of the risk app: adopting a checklist version, and recording an assessment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.configuration.services import partnership_settings_update
from carepath.core.history import changed_by
from carepath.risk.checklist import ChecklistDefinition, thresholds_fit
from carepath.risk.dash import Judgement, RiskResult
from carepath.risk.models import Checklist, RiskAssessment
from carepath.risk.selectors import checklist_cache_clear


@transaction.atomic
def checklist_adopt(
    *,
    checklist: ChecklistDefinition,
    user,
    reason: str,
    high_threshold: int | None = None,
    medium_threshold: int | None = None,
) -> Checklist:
    """Put a new checklist version in force in place of the current one, which is kept
    (its assessments still show its questions). New thresholds for high and medium risk,
    when given, change the partnership's settings in the same step (recorded there with
    the reason), and the thresholds in force must fit the new version's scale.
    All or nothing: ``ValidationError`` names each problem."""
    if not user.has_perm("risk.adopt_checklist"):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Say why the partnership is adopting this checklist."]
    if Checklist.objects.filter(name=checklist.name, version=checklist.version).exists():
        errors["version"] = [f"{checklist.label} was adopted before: give the new version a different version."]
    settings = partnership_settings_get()
    high = settings.dash_high_threshold if high_threshold is None else high_threshold
    medium = settings.dash_medium_threshold if medium_threshold is None else medium_threshold
    if problems := thresholds_fit(checklist, high=high, medium=medium):
        errors["thresholds"] = problems
    if errors:
        raise ValidationError(errors)
    changes = {
        key: value
        for key, value in (("dash_high_threshold", high_threshold), ("dash_medium_threshold", medium_threshold))
        if value is not None
    }
    if changes:
        partnership_settings_update(user=user, values=changes, reason=f"Adopted {checklist.label}: {reason.strip()}")
    for earlier in Checklist.objects.select_for_update().filter(in_force=True):
        earlier.in_force = False
        changed_by(earlier, user, reason=f"Replaced by {checklist.label}")
        earlier.save(update_fields=["in_force"])
    adopted = Checklist(
        name=checklist.name,
        version=checklist.version,
        questions=checklist.questions_data(),
        in_force=True,
        adopted_at=timezone.now(),
        adopted_by=user,
        reason=reason.strip(),
    )
    changed_by(adopted, user, reason=reason.strip())
    adopted.save()
    transaction.on_commit(checklist_cache_clear)
    return adopted


def risk_assessment_record(
    *,
    person_id: int,
    agency_id: int,
    user,
    at,
    risk: RiskResult,
    checklist_id: int | None,
    judgement: Judgement | None = None,
    answers: dict | None = None,
) -> RiskAssessment:
    """Record an assessment of a person's risk, made by ``user`` of the agency at ``at``:
    the score and its level, the level with the professional judgement that set it (when
    given), and the answers (empty when an agency gave only its score: its own checklist
    stays with it). Called inside the caller's transaction."""
    assessment = RiskAssessment(
        person_id=person_id,
        agency_id=agency_id,
        assessed_by=user,
        assessed_at=at,
        answers=answers or {},
        score=risk.score,
        level_by_score=risk.level_by_score,
        level=risk.level,
        judgement_level=judgement.level if judgement else "",
        judgement_reason=judgement.reason.strip() if judgement else "",
        checklist_id=checklist_id,
    )
    changed_by(assessment, user)
    assessment.save()
    return assessment
