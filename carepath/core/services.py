"""Writes for the core app."""

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from carepath.core.codes import ActionType, AgencyType, TaskStatus, values
from carepath.core.history import changed_by
from carepath.core.models import AccessAlert, Agency, InformationShare, Role, SharedPerson, Task, User


@transaction.atomic
def staff_create(
    *,
    username: str,
    agency: Agency,
    role: str,
    password: str | None,
    is_supervisor: bool = False,
    email: str = "",
    is_demo_account: bool = False,
) -> User:
    """Create a member of staff. Administrators also get Django admin access for
    accounts and agencies. ``password=None`` leaves the account unable to log in until
    a password is set."""
    if role not in values(Role):
        raise ValidationError({"role": f"Unknown role {role!r}; choose one of: {', '.join(values(Role))}."})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"A user called {username!r} already exists."})
    user = User(
        username=username,
        email=email,
        agency=agency,
        role=role,
        is_supervisor=is_supervisor,
        is_demo_account=is_demo_account,
        is_staff=role == Role.ADMINISTRATOR,
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if role == Role.ADMINISTRATOR:
        user.user_permissions.set(administrator_permissions())
    return user


def administrator_permissions() -> QuerySet[Permission]:
    """Administrators manage accounts, agencies, geography, authenticator devices and API
    clients in the Django admin. They are not superusers: a superuser passes every permission check."""
    return Permission.objects.filter(
        content_type__app_label__in=["core", "otp_totp", "api"],
        content_type__model__in=["user", "agency", "partnership", "maracarea", "district", "totpdevice", "apiclient"],
    )


def task_can_be_recorded_by(task: Task, user) -> bool:
    """Only the owning agency, or the member of staff the task names, records its outcome."""
    if not user.is_authenticated:
        return False
    return (task.owner_id is not None and task.owner_id == user.pk) or (
        user.agency_id is not None and user.agency_id == task.owner_agency_id
    )


@transaction.atomic
def task_record(*, task: Task, user, status: str, note: str = "") -> Task:
    """Record a task's outcome: done, or not done with the reason why."""
    if not task_can_be_recorded_by(task, user):
        raise ValidationError("Only the agency that owns this task, or the person it names, can record it.")
    if task.status != TaskStatus.OPEN:
        raise ValidationError("This task has already been recorded.")
    _outcome_check(status, note)
    task.status, task.done_by, task.done_at, task.note = status, user, timezone.now(), note.strip()
    changed_by(task, user)
    task.save()
    return task


def _outcome_check(status: str, note: str) -> None:
    if status not in (TaskStatus.DONE, TaskStatus.NOT_DONE):
        raise ValidationError({"status": "Outcome: choose whether the task was done or not done."})
    if not note.strip():
        raise ValidationError(
            {"note": "Note: say what was done." if status == TaskStatus.DONE else "Note: say why it was not done."}
        )


@transaction.atomic
def task_correct(*, task: Task, user, status: str, note: str) -> Task:
    """Correct a recorded outcome: the owning agency only. The change history keeps what
    was recorded first, and who corrected it."""
    if not task_can_be_recorded_by(task, user):
        raise ValidationError("Only the agency that owns this task, or the person it names, can correct it.")
    if task.status == TaskStatus.OPEN:
        raise ValidationError("This task has not been recorded yet.")
    _outcome_check(status, note)
    task.status, task.note = status, note.strip()
    changed_by(task, user, reason="Outcome corrected")
    task.save()
    return task


@transaction.atomic
def task_assign(*, task: Task, owner: User, assigned_by) -> Task:
    """Name the member of the owning agency who will do the task."""
    if assigned_by.agency_id != task.owner_agency_id:
        raise ValidationError("Only the agency that owns this task can assign it.")
    if owner.agency_id != task.owner_agency_id:
        raise ValidationError({"owner": "Assign the task to someone in the agency that owns it."})
    task.owner = owner
    changed_by(task, assigned_by)
    task.save(update_fields=["owner"])
    return task


@transaction.atomic
def share_create(
    *,
    subject: models.Model,
    shared_with: Agency,
    shared_by: Agency | None,
    people: list[tuple[int, str]],
    parts: list[str],
    what: str,
    why: str,
    consent: str,
    consent_reason: str = "",
    lawful_basis: str = "",
    shared_at=None,
    user=None,
) -> InformationShare:
    """Record one information share: the record, the people it names (each with why),
    the parts given, with whom, why, on what basis and consent (domain.md "Information sharing")."""
    share = InformationShare(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        parts=sorted(set(parts)),
        shared_with=shared_with,
        shared_by=shared_by,
        what=what,
        why=why,
        lawful_basis=lawful_basis,
        consent=consent,
        consent_reason=consent_reason,
        shared_at=shared_at or timezone.now(),
    )
    changed_by(share, user)
    share.full_clean(exclude=["content_type"])
    share.save()
    SharedPerson.objects.bulk_create(
        [SharedPerson(share=share, person_id=pk, why=reason[:300]) for pk, reason in dict(people).items()]
    )
    return share


@transaction.atomic
def access_alert_raise(*, user, refusals: int, window_minutes: int) -> AccessAlert:
    """Flag a burst of refused attempts by one user to the administrators: an alert and a
    task for the partnership office to review it."""
    alert = AccessAlert.objects.create(
        user=user, raised_at=timezone.now(), refusals=refusals, window_minutes=window_minutes
    )
    office = Agency.objects.filter(agency_type=AgencyType.PARTNERSHIP).order_by("pk").first()
    Task.objects.create(
        content_type=ContentType.objects.get_for_model(AccessAlert),
        object_id=alert.pk,
        action_type=ActionType.REVIEW_ACCESS_ALERT,
        concerns="member of staff",
        owner_agency=office,
        owner_agency_type=AgencyType.PARTNERSHIP,
        rule="audit.refusal_burst",
        reason=f"{refusals} refused attempts to open records within {window_minutes} minutes: check what "
        "this account was doing and whether it has been misused.",
    )
    return alert


@transaction.atomic
def access_alert_review(*, alert: AccessAlert, user, note: str) -> AccessAlert:
    """Record what an administrator found; closes the alert's review task."""
    if alert.reviewed_at is not None:
        raise ValidationError("This alert has already been reviewed.")
    if alert.user_id == user.pk:
        raise ValidationError("Someone else must review an alert about your own account.")
    alert.reviewed_by, alert.reviewed_at, alert.review_note = user, timezone.now(), note.strip()
    changed_by(alert, user)
    alert.save()
    for task in Task.objects.filter(
        content_type=ContentType.objects.get_for_model(AccessAlert), object_id=alert.pk, status=TaskStatus.OPEN
    ):
        task_record(task=task, user=user, status=TaskStatus.DONE, note=note)
    return alert
