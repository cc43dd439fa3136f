from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "carepath.planning"
    label = "planning"
