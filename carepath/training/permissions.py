"""Permissions of the champions network (django-rules).

- Running the network (courses, sessions, registers, certificates, every agency's
  champions, the refreshers due and the report): administrators and commissioners, the
  partnership's staff whose role is the county-wide view; the training co-ordinator
  seed 002 Appendix 2 costs is one of them.
- Keeping an agency's own champions up to date: also its safeguarding leads and its
  supervisors, for their own agency only.
- Finding "who is the champion in my agency or team": every member of staff: a champion
  is a contact colleagues in every agency are meant to use.
"""

import rules

from carepath.core.codes import Role

#: The partnership's county-wide roles run the network and read its report.
COORDINATOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.COMMISSIONER})


@rules.predicate
def is_staff_member(user) -> bool:
    return user.is_authenticated and user.agency_id is not None


@rules.predicate
def coordinates_the_network(user) -> bool:
    return user.is_authenticated and user.role in COORDINATOR_ROLES


@rules.predicate
def leads_an_agency(user) -> bool:
    """A safeguarding lead or a supervisor: keeps their own agency's champions."""
    return is_staff_member(user) and (user.role == Role.SAFEGUARDING_LEAD or user.is_supervisor)


@rules.predicate
def of_the_champions_agency(user, champion) -> bool:
    return champion is not None and user.agency_id == champion.agency_id


rules.add_perm("training.view_champions", is_staff_member)
rules.add_perm("training.keep_champions", coordinates_the_network | leads_an_agency)
rules.add_perm("training.change_champion", coordinates_the_network | (leads_an_agency & of_the_champions_agency))
rules.add_perm("training.coordinate", coordinates_the_network)
rules.add_perm("training.view_report", coordinates_the_network)
