"""Reads for the core app: the access log, tasks and audit questions."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from carepath.core import access
from carepath.core.codes import AccessAction, TaskStatus
from carepath.core.models import AccessAlert, AccessLog, Task, User


def access_log_for_record(*, record: Model) -> QuerySet[AccessLog]:
    """Views of a record, newest first (refusals are for auditors, not this page)."""
    return (
        AccessLog.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
        .exclude(action=AccessAction.REFUSED)
        .select_related("user", "agency")
    )


def access_log_for_people(*, person_ids: list[int]) -> QuerySet[AccessLog]:
    person_type = ContentType.objects.get_for_model(access.record_type_for("person").model)
    return AccessLog.objects.filter(content_type=person_type, object_id__in=person_ids).select_related(
        "user", "agency", "via_type"
    )


def access_log_for_user(*, user) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(user=user).select_related("agency", "content_type", "via_type")


def refusals_around(*, alert: AccessAlert) -> QuerySet[AccessLog]:
    """The user's refused attempts in the alert's window."""
    since = alert.raised_at - timedelta(minutes=alert.window_minutes)
    return AccessLog.objects.filter(
        user_id=alert.user_id, action=AccessAction.REFUSED, viewed_at__gte=since, viewed_at__lte=alert.raised_at
    ).select_related("content_type")


def record_kind_labels() -> dict[int, str]:
    """Words for the kinds of record in the access log, by content type."""
    return {
        ContentType.objects.get_for_model(kind.model).pk: kind.label for kind in access.registry.record_types.values()
    }


def person_identity_record_ids(*, person_id: int) -> list[int]:
    """Every record linked as the same person as this one (empty if it does not exist)."""
    return access.registry.linked_records(person_id)


def staff_get(*, user_id: int) -> User | None:
    return User.objects.select_related("agency").filter(pk=user_id).first()


def tasks_open_for(*, user) -> QuerySet[Task]:
    """Open tasks of the user's agency and those naming the user, soonest deadline first."""
    if not user.is_authenticated:
        return Task.objects.none()
    mine = Q(owner=user)
    if user.agency_id is not None:
        mine |= Q(owner_agency_id=user.agency_id)
    return (
        Task.objects.filter(mine, status=TaskStatus.OPEN)
        .select_related("owner", "content_type")
        .order_by("due_at", "pk")
    )


def task_get_for_recording(*, user, task_id: int) -> Task | None:
    from carepath.core.services import task_can_be_recorded_by

    task = Task.objects.select_related("content_type").filter(pk=task_id).first()
    return task if task is not None and task_can_be_recorded_by(task, user) else None


def task_get_for_agency(*, user, task_id: int) -> Task | None:
    """An open task the user's agency owns, or None."""
    if not user.is_authenticated or user.agency_id is None:
        return None
    return Task.objects.filter(pk=task_id, owner_agency_id=user.agency_id, status=TaskStatus.OPEN).first()


def task_subject_url(task: Task) -> str:
    kind = access.registry.by_model.get(task.content_type.model_class())
    if kind is None:
        return ""
    try:
        return reverse(kind.detail_url, args=[task.object_id])
    except NoReverseMatch:
        return ""


def task_rows(*, tasks) -> list[dict]:
    rows, now = [], timezone.now()
    for task in tasks:
        kind = access.registry.by_model.get(task.content_type.model_class())
        rows.append(
            {
                "task": task,
                "kind": kind.label if kind else "",
                "url": task_subject_url(task),
                "overdue": task.due_at is not None and task.due_at < now,
            }
        )
    return rows


def task_queue_count(user) -> int:
    return tasks_open_for(user=user).count()


def task_queue_preview(user, n: int) -> list[dict]:
    """The soonest ``n`` open tasks of the user's agency, as links for the home page."""
    return [
        {
            "text": f"{row['task'].get_action_type_display()}: {row['kind'].lower()} {row['task'].object_id}",
            "url": row["url"],
            "due": row["task"].due_at,
            "overdue": row["overdue"],
        }
        for row in task_rows(tasks=tasks_open_for(user=user)[:n])
    ]
