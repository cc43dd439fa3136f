from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "carepath.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self):
        from carepath.casework import permissions  # noqa: F401 - registers the app's permissions
