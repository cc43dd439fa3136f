"""Permissions of the core app (django-rules); each app keeps its own in its ``rules.py``.

Which records a user may see is decided by the access registry (``core.access``), never by
``has_perm``: superusers pass every ``has_perm`` check, and no one may bypass the access rule.
"""

import rules

from carepath.core import access
from carepath.core.codes import AgencyType, Role


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_administrator


@rules.predicate
def is_supervisor(user) -> bool:
    return user.is_authenticated and user.is_supervisor


@rules.predicate
def is_data_protection_officer(user) -> bool:
    return user.is_authenticated and user.role == Role.DATA_PROTECTION_OFFICER


@rules.predicate
def is_commissioner(user) -> bool:
    return user.is_authenticated and user.role == Role.COMMISSIONER


@rules.predicate
def works_at_front_door(user) -> bool:
    """The MASH / One Front Door researches across agencies (``AgencyType.FRONT_DOOR``)."""
    return user.is_authenticated and user.agency_id is not None and user.agency.agency_type == AgencyType.FRONT_DOOR


@rules.predicate
def works_for_police(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.agency.agency_type == AgencyType.POLICE


@rules.predicate
def agency_is_involved(user, record) -> bool:
    return access.records_visible_to(user, type(record)).filter(pk=record.pk).exists()


# Auditors read any record's access log and any user's; supervisors their agency's records'.
rules.add_perm("core.audit_access", is_administrator | is_data_protection_officer)
rules.add_perm(
    "core.view_access_log", is_administrator | is_data_protection_officer | (is_supervisor & agency_is_involved)
)
