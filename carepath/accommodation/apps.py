from django.apps import AppConfig


class AccommodationConfig(AppConfig):
    name = "carepath.accommodation"
    label = "accommodation"
