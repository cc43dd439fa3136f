"""Permission rules (django-rules) for things that are not record visibility.

Which people and events a user may see is decided by the selectors
(``people_visible_to``, ``events_visible_to``), never by ``has_perm``: superusers pass
every ``has_perm`` check, and no one may bypass the access rule.
"""

import rules

from carepath.core.models import AgencyType, Role
from carepath.events.models import Event
from carepath.events.selectors import events_visible_to
from carepath.people.models import Person
from carepath.people.selectors import people_visible_to

VISIBILITY = {Person: people_visible_to, Event: events_visible_to}


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
def agency_is_involved(user, record) -> bool:
    visible_to = VISIBILITY.get(type(record))
    return visible_to is not None and visible_to(user).filter(pk=record.pk).exists()


rules.add_perm("core.view_access_log", is_administrator | (is_supervisor & agency_is_involved))
rules.add_perm("configuration.change_settings", is_administrator)

# Deciding whether two agencies' records are one person (issue 4). Administrators are not
# reviewers unless they are also one of these.
rules.add_perm("people.review_record_links", is_data_protection_officer | (is_supervisor & works_at_front_door))

# The commissioner's planner (issue 5): partnership figures only, no personal records.
rules.add_perm("planning.use_planner", is_commissioner | is_administrator)
