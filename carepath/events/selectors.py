"""Reads of events, always through the access rule (default deny: the reporting agency,
and agencies a recorded information share included the event for)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from carepath.events.models import Event


def events_visible_to(user) -> QuerySet[Event]:
    if not user.is_authenticated or user.agency_id is None:
        return Event.objects.none()
    from carepath.referrals.models import InformationShare  # referrals depends on events

    return Event.objects.filter(
        Q(agency_id=user.agency_id)
        | Exists(InformationShare.objects.filter(shared_with_id=user.agency_id, event=OuterRef("pk")))
    )


def event_get_for_user(*, user, event_id: int) -> Event:
    event = (
        events_visible_to(user)
        .filter(pk=event_id)
        .select_related("agency", "district", "victim", "perpetrator")
        .first()
    )
    if event is None:
        raise Http404("No such event, or your agency is not involved in it.")
    return event


def events_recent_for_agency(*, user, limit: int = 20) -> QuerySet[Event]:
    return events_visible_to(user).filter(agency_id=user.agency_id).select_related("district")[:limit]
