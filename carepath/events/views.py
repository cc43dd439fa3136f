from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from carepath.core.services import access_log_record
from carepath.events import selectors


@login_required
def event_detail(request, event_id: int):
    event = selectors.event_get_for_user(user=request.user, event_id=event_id)
    access_log_record(user=request.user, record=event, path=request.path)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "child_links": event.child_links.select_related("child"),
            "can_read_access_log": request.user.has_perm("core.view_access_log", event),
        },
    )
