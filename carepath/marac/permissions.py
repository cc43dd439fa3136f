"""Permissions of the MARAC app (django-rules). Which cases a user sees is the access
registry's (``core.access``); these say who may do what with them."""

import rules

from carepath.core.codes import AgencyType, Role


@rules.predicate
def works_for_a_marac(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.agency.agency_type == AgencyType.MARAC


@rules.predicate
def is_marac_coordinator(user) -> bool:
    return user.is_authenticated and user.role in (Role.MARAC_COORDINATOR, Role.MARAC_CHAIR)


# Accepting or returning the referrals sent to the user's own MARAC.
rules.add_perm("marac.check_marac_referral", works_for_a_marac & is_marac_coordinator)
