"""Writes for triage tasks: who did what, and when."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from carepath.triage.models import Task, TaskStatus


def task_can_be_recorded_by(task: Task, user) -> bool:
    """The owning agency records its task; the front door that received the referral may too."""
    return user.agency_id is not None and user.agency_id in (task.owner_agency_id, task.referral.receiving_agency_id)


@transaction.atomic
def task_record(*, task: Task, user, status: str, note: str = "") -> Task:
    if not task_can_be_recorded_by(task, user):
        raise PermissionDenied("Only the owning agency or the front door can record this task.")
    if status not in (TaskStatus.DONE, TaskStatus.NOT_DONE):
        raise ValueError(f"A task is recorded as done or not done, not {status!r}.")
    if status == TaskStatus.NOT_DONE and not note.strip():
        raise ValueError("Say why the task was not done.")
    task.status, task.done_by, task.done_at, task.note = status, user, timezone.now(), note.strip()
    task._history_user = user
    task.save()
    return task
