"""Writes of the risk app: adopting a checklist version."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.configuration.selectors import partnership_settings_get
from carepath.configuration.services import partnership_settings_update
from carepath.core.history import changed_by
from carepath.risk.checklist import ChecklistDefinition, thresholds_fit
from carepath.risk.models import Checklist
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
