from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "carepath.directory"
    label = "directory"
    verbose_name = "Directory of services"

    def ready(self):
        from django.utils import timezone

        from carepath.core import access
        from carepath.directory import (
            permissions,  # noqa: F401 - registers the app's permissions
            selectors,
        )

        access.register_queue(
            access.Queue(
                key="directory_to_check",
                title="Directory entries to check",
                roles=frozenset(),
                permission="directory.check_entries",
                url_name="directory_to_check",
                description="Services you keep in the directory that nobody has checked for a while: check each "
                "is still right and mark it checked. An entry not checked in time is hidden from the public.",
                count=lambda user: selectors.entries_to_check(user=user, today=timezone.localdate()).count(),
                shown_to=lambda user: selectors.entries_to_check(user=user, today=timezone.localdate()).exists(),
            )
        )
