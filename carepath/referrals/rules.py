"""Permissions of the referrals app (django-rules)."""

import rules

from carepath.core.codes import AgencyType, Role


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
