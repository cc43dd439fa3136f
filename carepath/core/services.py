"""Writes for the core app."""

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet

from carepath.core.models import AccessLog, Agency, Role, User


def access_log_record(*, user, record: models.Model, path: str) -> AccessLog:
    """Record one successful view of a personal record: who, what, when (ids only)."""
    return AccessLog.objects.create(
        user=user,
        agency_id=user.agency_id,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        path=path[:300],
    )


@transaction.atomic
def staff_create(*, username: str, agency: Agency, role: str, password: str | None,
                 is_supervisor: bool = False, email: str = "", is_demo_account: bool = False) -> User:
    """Create a member of staff. Administrators also get Django admin access for
    accounts and agencies. ``password=None`` leaves the account unable to log in until
    a password is set."""
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}."})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"A user called {username!r} already exists."})
    user = User(
        username=username, email=email, agency=agency, role=role, is_supervisor=is_supervisor,
        is_demo_account=is_demo_account, is_staff=role == Role.ADMINISTRATOR,
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
