from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "carepath.api"
    label = "api"
    verbose_name = "Agency system API"
