"""Permissions of the referrals app (django-rules). Which referrals and people a user sees
is still the access registry's decision (``core.access``)."""

import rules

from carepath.core.codes import Role
from carepath.core.rules import works_for_police


@rules.predicate
def is_safeguarding_lead(user) -> bool:
    return user.is_authenticated and user.role == Role.SAFEGUARDING_LEAD


# Recording a child's own risk and children's services' outcome, for the children routed
# to the lead's agency.
rules.add_perm("referrals.record_child_outcome", is_safeguarding_lead)
# The list of referrals the user's force made.
rules.add_perm("referrals.list_referrals_made", works_for_police)
