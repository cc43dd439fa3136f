from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carepath.core"
    label = "core"
    verbose_name = "Partnership, agencies and staff"
