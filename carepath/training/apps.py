from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "carepath.training"
    label = "training"
    verbose_name = "Champions network and training"

    def ready(self):
        from django.utils import timezone

        from carepath.configuration.selectors import partnership_settings_get
        from carepath.core import access
        from carepath.training import (
            permissions,  # noqa: F401 - registers the app's permissions
            selectors,
        )

        access.register_queue(
            access.Queue(
                key="training_refreshers",
                title="Refreshers due",
                roles=frozenset(),
                permission="training.coordinate",
                url_name="training_refreshers",
                description="Staff whose domestic abuse training has lapsed: book them on a refresher. The list "
                "also shows whose training lapses soon.",
                count=lambda user: sum(
                    t.due.overdue
                    for t in selectors.refreshers_due(settings=partnership_settings_get(), today=timezone.localdate())
                ),
            )
        )
        access.register_queue(
            access.Queue(
                key="training_champions",
                title="Domestic abuse champions",
                roles=frozenset(),
                permission="training.view_champions",
                url_name="training_champions",
                description="Your agency's domestic abuse champions, and every other agency's: who to ask for "
                "advice on a case, and the link to the IDVA service.",
                count=lambda user: selectors.champions_search(
                    agency_id=user.agency_id, on=timezone.localdate()
                ).count(),
            )
        )
