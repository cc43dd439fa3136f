from django.apps import AppConfig
from django.utils import timezone


class MaracConfig(AppConfig):
    name = "carepath.marac"
    label = "marac"
    verbose_name = "MARAC"

    def ready(self):
        from carepath.core import access, reports
        from carepath.core.codes import Role
        from carepath.marac import (
            permissions,  # noqa: F401 - registers the app's permissions
            selectors,
        )
        from carepath.marac.models import MaracCase
        from carepath.marac.return_command import REPORT
        from carepath.referrals.services import register_maracs_serving

        access.register_record_type(
            access.RecordType(
                name="marac-case",
                model=MaracCase,
                label="MARAC case",
                detail_url="marac_case_detail",
                people=selectors.marac_case_people,
            )
        )
        access.register_involvement(model=MaracCase, rule=selectors.marac_case_involvement)
        # Front-door routing: the MARACs of a district (a medium-risk MARAC hears medium scores in its band).
        register_maracs_serving(selectors.maracs_serving)
        access.register_queue(
            access.Queue(
                key="marac_referrals",
                title="MARAC referrals to check",
                roles=frozenset({Role.MARAC_COORDINATOR, Role.MARAC_CHAIR}),
                permission="marac.check_marac_referral",
                url_name="marac_referrals_to_check",
                description="Referrals sent to your MARAC: accept and list each at a meeting, or return it "
                "with the reason. Oldest first.",
                count=lambda user: selectors.marac_referrals_to_check(user=user).count(),
            )
        )
        access.register_queue(
            access.Queue(
                key="marac_actions_overdue",
                title="Overdue MARAC actions",
                roles=frozenset({Role.MARAC_COORDINATOR, Role.MARAC_CHAIR}),
                permission="marac.check_marac_referral",
                url_name="marac_actions",
                description="Actions your MARACs agreed that are past their due date and not reported on: "
                "chase the owning agency, or record that it did not act.",
                count=lambda user: selectors.action_tracking(
                    user=user, overdue_only=True, today=timezone.localdate()
                ).count(),
            )
        )
        reports.register_report(REPORT)
