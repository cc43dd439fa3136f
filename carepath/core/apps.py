from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carepath.core"
    label = "core"
    verbose_name = "Partnership, agencies and staff"

    def ready(self):
        from django.db.models import Exists, Q

        from carepath.core import access, selectors
        from carepath.core.codes import AgencyType, Role
        from carepath.core.models import AccessAlert, Agency

        access.register_queue(
            access.Queue(
                key="tasks",
                title="Your agency's tasks",
                roles=frozenset(Role),
                url_name="task_list",
                description="Work routed to your agency or to you, soonest deadline first.",
                count=selectors.task_queue_count,
                preview=selectors.task_queue_preview,
            )
        )
        # Alerts of refused attempts are for the partnership office's administrators.
        access.register_record_type(
            access.RecordType(
                name="access-alert", model=AccessAlert, label="Access alert", detail_url="access_alert_detail"
            )
        )
        access.register_involvement(
            model=AccessAlert,
            rule=lambda agency_id: Q(Exists(Agency.objects.filter(pk=agency_id, agency_type=AgencyType.PARTNERSHIP))),
        )
