"""Reads of events, always through the access rule (``core.access``: the reporting
agency, and agencies given a referral about the event)."""

from django.db.models import QuerySet

from carepath.core import access
from carepath.events.models import Event


def events_visible_to(user) -> QuerySet[Event]:
    return access.records_visible_to(user, Event)


def events_recent_for_agency(*, user, limit: int = 20) -> QuerySet[Event]:
    return Event.objects.filter(agency_id=user.agency_id).select_related("district")[:limit]
