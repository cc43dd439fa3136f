from django.shortcuts import render

from carepath.core import access
from carepath.core.decorators import staff_view
from carepath.events.models import Event
from carepath.people.selectors import people_visible_to


@staff_view()
def event_detail(request, event_id: int):
    """One event. Each person in it is shown only when the user may see them: an agency
    given a referral about the children sees the children, not the adults."""
    event = access.record_open(
        request, Event, event_id, queryset=Event.objects.select_related("agency", "district", "victim", "perpetrator")
    )
    child_links = list(event.child_links.select_related("child"))
    in_event = [p for p in (event.victim_id, event.perpetrator_id, *(c.child_id for c in child_links)) if p]
    if access.records_held_by(request.user, Event).filter(pk=event.pk).exists():
        visible = set(in_event)
    else:
        visible = set(people_visible_to(request.user).filter(pk__in=in_event).values_list("pk", flat=True))
    access.people_shown(request, visible, via=event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "victim": event.victim if event.victim_id in visible else None,
            "perpetrator": event.perpetrator if event.perpetrator_id in visible else None,
            "child_links": [c for c in child_links if c.child_id in visible],
            "children_withheld": sum(1 for c in child_links if c.child_id not in visible),
            "can_read_access_log": request.user.has_perm("core.view_access_log", event),
        },
    )
