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
        # Every member of staff: their agency's champions, the colleagues to ask (no victim shown).
        access.register_home_section(
            template="training/includes/home_champions.html",
            context=lambda user: {
                "champions": selectors.champions_search(agency_id=user.agency_id, on=timezone.localdate())
                if user.has_perm("training.view_champions")
                else []
            },
        )
