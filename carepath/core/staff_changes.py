"""Changes to a staff account that need two administrators: one requests, another approves.

An account's agency decides which records its holder sees, its role which tools, and
``is_staff``, ``is_superuser``, permissions and groups what they may do in the admin (a
superuser passes every permission check). One administrator alone must not be able to
hand any of that to anyone, themselves included (issue 10; the NCSC's guidance on
privileged access asks for "two-person" control of the most powerful changes). So in the
admin these fields are read-only; an administrator requests a change (who, what, old ->
new, why) and a different administrator, who is not the person changed either, approves
or rejects it. Only approval makes the change, and only if the account still has the
values the request was made against.

Creating an account with an agency and a role stays one administrator's job, but not
with the administrator role nor with admin access (see ``StaffAdmin`` in ``admin.py``):
otherwise one administrator could make a second administrator account and approve their
own requests with it.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carepath.core.codes import Role, values
from carepath.core.history import changed_by
from carepath.core.models import Agency, StaffChangeRequest, StaffChangeStatus, User
from carepath.core.services import administrator_permissions

log = logging.getLogger(__name__)

#: The fields only a second administrator's approval changes, with the words an
#: administrator reads for each.
GUARDED_FIELDS = {
    "agency": "Agency",
    "role": "Role",
    "is_staff": "May sign in to the administration site",
    "is_superuser": "Superuser (passes every permission check)",
    "user_permissions": "Permissions",
    "groups": "Groups",
}


def permission_codes(permissions) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


def current_values(user: User) -> dict:
    """The guarded fields of an account, as a request records them: ids and codes only."""
    return {
        "agency": user.agency_id,
        "role": user.role,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "user_permissions": permission_codes(user.user_permissions.select_related("content_type")),
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _with_role_consequences(old: dict, new: dict) -> dict:
    """The administrator role comes with admin access and the administrators' permissions
    (as ``staff_create`` gives them); leaving it takes both away. A request says so, so the
    approver sees everything it will change."""
    admin_codes = set(permission_codes(administrator_permissions().select_related("content_type")))
    if new["role"] == Role.ADMINISTRATOR and old["role"] != Role.ADMINISTRATOR:
        new = new | {"is_staff": True, "user_permissions": sorted(set(new["user_permissions"]) | admin_codes)}
    elif old["role"] == Role.ADMINISTRATOR and new["role"] != Role.ADMINISTRATOR:
        new = new | {
            "is_staff": new["is_superuser"],
            "user_permissions": sorted(set(new["user_permissions"]) - admin_codes),
        }
    return new


def _require_administrator(user: User, action: str) -> None:
    if not (user.is_active and user.is_administrator):
        raise ValidationError(f"Only an administrator may {action}.")


@transaction.atomic
def staff_change_request_create(*, user: User, requested_by: User, new_values: dict, reason: str) -> StaffChangeRequest:
    """Request a change to some of an account's guarded fields (``new_values`` holds any
    of ``GUARDED_FIELDS``, as ``current_values`` gives them). Nothing changes until a
    second administrator approves."""
    _require_administrator(requested_by, "request a change to an account")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the change is needed"})
    unknown = set(new_values) - set(GUARDED_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be requested: {', '.join(sorted(unknown))}.")
    if StaffChangeRequest.objects.select_for_update().filter(user=user, status=StaffChangeStatus.PENDING).exists():
        raise ValidationError(
            "This account already has a change waiting for a second administrator: it must be approved or "
            "rejected first."
        )
    old = current_values(user)
    new = _with_role_consequences(old, old | new_values)
    changes = {field: {"old": old[field], "new": new[field]} for field in GUARDED_FIELDS if old[field] != new[field]}
    if not changes:
        raise ValidationError("Nothing would change: choose at least one new value.")
    change_request = StaffChangeRequest.objects.create(
        user=user, changes=changes, reason=reason.strip(), requested_by=requested_by
    )
    log.info("Account change request %s for user %s by user %s", change_request.pk, user.pk, requested_by.pk)
    return change_request


def _decide(change_request: StaffChangeRequest, decided_by: User, status: str, note: str) -> None:
    _require_administrator(decided_by, "approve or reject a change to an account")
    if change_request.status != StaffChangeStatus.PENDING:
        raise ValidationError("This request has already been decided.")
    if decided_by.pk == change_request.requested_by_id:
        raise ValidationError("You made this request: a different administrator must decide it.")
    if decided_by.pk == change_request.user_id:
        raise ValidationError("This request changes your own account: a different administrator must decide it.")
    change_request.status = status
    change_request.decided_by = decided_by
    change_request.decided_at = timezone.now()
    change_request.decision_note = note.strip()
    changed_by(change_request, decided_by)
    change_request.save()


@transaction.atomic
def staff_change_request_approve(*, change_request: StaffChangeRequest, approved_by: User, note: str = "") -> User:
    """Approve a request and make its change, if the account still holds the values the
    request was made against (otherwise it must be rejected and requested again)."""
    change_request = StaffChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    user = User.objects.select_for_update().get(pk=change_request.user_id)
    old = current_values(user)
    moved = [GUARDED_FIELDS[f] for f, change in change_request.changes.items() if old[f] != change["old"]]
    if moved:
        raise ValidationError(
            f"The account has changed since this request was made ({', '.join(moved)}): reject it and "
            "request the change again."
        )
    _decide(change_request, approved_by, StaffChangeStatus.APPROVED, note)
    new = {field: change["new"] for field, change in change_request.changes.items()}
    if "agency" in new:
        user.agency = Agency.objects.get(pk=new["agency"]) if new["agency"] is not None else None
    for field in ("role", "is_staff", "is_superuser"):
        if field in new:
            setattr(user, field, new[field])
    changed_by(user, approved_by)
    user.save()
    if "user_permissions" in new:
        user.user_permissions.set(_permissions(new["user_permissions"]))
    if "groups" in new:
        user.groups.set(Group.objects.filter(name__in=new["groups"]))
    log.info("Account change request %s approved by user %s", change_request.pk, approved_by.pk)
    return user


@transaction.atomic
def staff_change_request_reject(*, change_request: StaffChangeRequest, rejected_by: User, note: str) -> None:
    if not note.strip():
        raise ValidationError({"note": "Say why the change is rejected"})
    change_request = StaffChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    _decide(change_request, rejected_by, StaffChangeStatus.REJECTED, note)
    log.info("Account change request %s rejected by user %s", change_request.pk, rejected_by.pk)


def _permissions(codes: list[str]):
    wanted = {tuple(code.split(".", 1)) for code in codes}
    found = [
        p for p in Permission.objects.select_related("content_type") if (p.content_type.app_label, p.codename) in wanted
    ]
    if len(found) != len(wanted):
        raise ValidationError("A permission in this request no longer exists: reject it and request it again.")
    return found


def describe(field: str, value) -> str:
    """A guarded field's value in an administrator's words."""
    if field == "agency":
        agency = Agency.objects.filter(pk=value).first() if value is not None else None
        return agency.name if agency else "None"
    if field == "role":
        return Role(value).label if value in values(Role) else "None"
    if field in ("is_staff", "is_superuser"):
        return "Yes" if value else "No"
    if field == "user_permissions":
        if not value:
            return "None"
        names = dict(
            ((p.content_type.app_label + "." + p.codename), p.name)
            for p in Permission.objects.select_related("content_type")
        )
        return "; ".join(names.get(code, code) for code in value)
    return ", ".join(value) or "None"
