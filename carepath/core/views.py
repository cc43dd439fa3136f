from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from carepath.core.queues import queues_for_user
from carepath.core.selectors import access_log_for_record
from carepath.events.selectors import events_recent_for_agency


@login_required
def home(request):
    return render(
        request,
        "core/home.html",
        {"queues": queues_for_user(request.user), "recent_events": events_recent_for_agency(user=request.user)},
    )


RECORD_TYPES = {"person": ("people", "person"), "event": ("events", "event")}


@login_required
def access_log_view(request, record_type: str, record_id: int):
    """Who viewed a record, for administrators and for supervisors of an involved agency."""
    if record_type not in RECORD_TYPES:
        raise Http404
    model_class = ContentType.objects.get_by_natural_key(*RECORD_TYPES[record_type]).model_class()
    record = get_object_or_404(model_class, pk=record_id)
    if not request.user.has_perm("core.view_access_log", record):
        raise PermissionDenied
    return render(
        request,
        "core/access_log.html",
        {"record_type": record_type, "record_id": record_id, "entries": access_log_for_record(record=record)[:500]},
    )
