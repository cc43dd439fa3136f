from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "carepath.events"
    label = "events"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from carepath.core import access
        from carepath.events.models import Event, EventChild
        from carepath.events.selectors import events_recent_for_agency
        from carepath.people.models import Person

        def event_people(event):
            people = [(event.victim_id, "Victim"), (event.perpetrator_id, "Perpetrator")]
            people += [(child_id, "Child") for child_id in event.child_links.values_list("child_id", flat=True)]
            return [(pk, role) for pk, role in people if pk is not None]

        access.register_record_type(
            access.RecordType(name="event", model=Event, label="Event", detail_url="event_detail", people=event_people)
        )
        # The reporting agency is involved with the event and with everyone in it.
        access.register_involvement(model=Event, rule=lambda agency_id: Q(agency_id=agency_id))

        def in_reported_event(agency_id: int) -> Q:
            reported = Event.objects.filter(agency_id=agency_id)
            return (
                Q(Exists(reported.filter(victim=OuterRef("pk"))))
                | Q(Exists(reported.filter(perpetrator=OuterRef("pk"))))
                | Q(Exists(EventChild.objects.filter(event__agency_id=agency_id, child=OuterRef("pk"))))
            )

        access.register_involvement(model=Person, rule=in_reported_event)
        access.register_home_section(
            template="events/includes/recent_events_section.html",
            context=lambda user: {"events": events_recent_for_agency(user=user)},
        )
