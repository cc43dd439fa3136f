from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "carepath.events"
    label = "events"
