from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "carepath.triage"
    label = "triage"
