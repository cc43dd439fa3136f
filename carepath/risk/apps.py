from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "carepath.risk"
    label = "risk"
