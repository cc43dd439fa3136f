from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "carepath.casework"
    label = "casework"
    verbose_name = "Casework"
