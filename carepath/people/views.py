from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from carepath.core.services import access_log_record
from carepath.people import selectors


@login_required
def person_detail(request, person_id: int):
    person = selectors.person_get_for_user(user=request.user, person_id=person_id)
    access_log_record(user=request.user, record=person, path=request.path)
    channels = selectors.person_contact_channels(person=person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "other_names": person.other_names.all(),
            "addresses": selectors.person_addresses_for_user(user=request.user, person=person),
            "safe_contact": getattr(person, "safe_contact", None),
            "contact_channels": channels,
            "do_not_contact_by": ", ".join(c.label.lower() for c in channels if not c.safe),
            "events_as_victim": person.events_as_victim.filter(agency_id=request.user.agency_id),
            "can_read_access_log": request.user.has_perm("core.view_access_log", person),
        },
    )
