from django.apps import AppConfig


class PerpetratorsConfig(AppConfig):
    name = "carepath.perpetrators"
    label = "perpetrators"
    verbose_name = "Perpetrators"

    def ready(self):
        from carepath.perpetrators import (
            disclosure_setup,
            order_setup,
            panel_setup,
            permissions,  # noqa: F401 - registers the app's permissions
            programme_setup,
        )

        for part in (order_setup, panel_setup, programme_setup, disclosure_setup):
            part.register()
