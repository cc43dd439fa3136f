"""Permissions of the referrals app (django-rules). Which referrals and people a user sees
is still the access registry's decision (``core.access``)."""

import rules

from carepath.core.codes import AgencyType, Role
from carepath.core.rules import works_at_front_door, works_for_police


@rules.predicate
def is_safeguarding_lead(user) -> bool:
    return user.is_authenticated and user.role == Role.SAFEGUARDING_LEAD


@rules.predicate
def is_triage_worker(user) -> bool:
    return user.is_authenticated and user.role == Role.TRIAGE


# The triage queue: triage staff of the One Front Door (a police officer in the triage role
# refers to the front door; they do not triage there).
rules.add_perm("referrals.work_triage_queue", is_triage_worker & works_at_front_door)
# Recording a child's own risk and children's services' outcome, for the children routed
# to the lead's agency.
rules.add_perm("referrals.record_child_outcome", is_safeguarding_lead)
# The list of referrals the user's force made.
rules.add_perm("referrals.list_referrals_made", works_for_police)


@rules.predicate
def imports_police_extracts(user) -> bool:
    """Triage staff of a police force (their force's extract) or of the One Front Door
    (any force's): the people who receive the daily file and act on what it holds."""
    return (
        user.is_authenticated
        and user.role == Role.TRIAGE
        and user.agency_id is not None
        and user.agency.agency_type in (AgencyType.POLICE, AgencyType.FRONT_DOOR)
    )


rules.add_perm("referrals.import_police_extract", imports_police_extracts)
