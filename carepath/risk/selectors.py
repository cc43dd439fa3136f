"""Reads of the risk checklist versions."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db.models import Count

from carepath.risk.checklist import DASH_RIC_2009, ChecklistDefinition, Question
from carepath.risk.models import Checklist


@lru_cache(maxsize=32)
def _definition(pk: int, adopted_at: datetime) -> ChecklistDefinition:
    """A stored version as a plain definition. Keyed by its key and adoption time: a
    version never changes once stored, so an entry is never stale (the time also tells
    apart two versions given the same key in turn, as tests that roll back can)."""
    row = Checklist.objects.get(pk=pk)
    return ChecklistDefinition(
        name=row.name, version=row.version, questions=tuple(Question(**q) for q in row.questions), pk=row.pk
    )


def checklist_cache_clear() -> None:
    """Forget the definitions read by this process (``checklist_adopt`` calls it on commit)."""
    _definition.cache_clear()


def checklist_in_force() -> ChecklistDefinition:
    """The checklist every new assessment uses: one small query for which version is in
    force, its questions read once per process. Before any version is stored (a database
    restored without the seeded one) the SafeLives DASH RIC 2009."""
    row = Checklist.objects.filter(in_force=True).values_list("pk", "adopted_at").first()
    return _definition(*row) if row else DASH_RIC_2009


def checklist_get(*, pk: int | None) -> ChecklistDefinition | None:
    """The version an assessment used, to show its own questions; None for none."""
    if pk is None:
        return None
    row = Checklist.objects.filter(pk=pk).values_list("pk", "adopted_at").first()
    return _definition(*row) if row else None


@dataclass(frozen=True)
class ChecklistVersion:
    checklist: Checklist
    questions: int
    max_score: int
    assessments: int


def checklist_versions() -> list[ChecklistVersion]:
    """Every version adopted, newest first, with how many assessments used each."""
    rows = Checklist.objects.select_related("adopted_by").annotate(used=Count("assessments")).order_by("-adopted_at")
    return [
        ChecklistVersion(
            checklist=row,
            questions=len(row.questions),
            max_score=sum(q.get("weight", 1) for q in row.questions),
            assessments=row.used,
        )
        for row in rows
    ]
