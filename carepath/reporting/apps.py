from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "carepath.reporting"
    label = "reporting"
    verbose_name = "Board reporting"

    def ready(self):
        from carepath.reporting import permissions  # noqa: F401 - registers the app's permissions
