from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    name = "carepath.configuration"
    label = "configuration"
