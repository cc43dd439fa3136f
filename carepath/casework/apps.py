from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "carepath.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self):
        from django.urls import reverse

        from carepath.casework import (
            permissions,  # noqa: F401 - registers the app's permissions
            referral_services,
            selectors,
        )
        from carepath.casework.models import Case
        from carepath.core import access
        from carepath.core.codes import Role

        access.register_record_type(
            access.RecordType(
                name="casework-case",
                model=Case,
                label="Casework case",
                detail_url="casework_case_detail",
                people=selectors.case_people,
            )
        )
        access.register_involvement(model=Case, rule=selectors.case_involvement)
        # MARAC's work for the services: a case accepted with no IDVA, a plan's action for a service.
        from carepath.marac.services import register_action_added, register_case_accepted

        register_case_accepted(referral_services.casework_referral_on_marac_accept)
        register_action_added(referral_services.casework_referral_on_marac_action)
        access.register_queue(
            access.Queue(
                key="casework_allocate",
                title="Referrals to allocate",
                roles=frozenset({Role.IDVA, Role.CASEWORKER}),
                url_name="casework_allocate",
                shown_to=lambda user: selectors.manager_of(user) is not None,
                description="IDVA and caseworker referrals routed to your service: give each to a worker, "
                "helped by their caseloads and specialisms. Soonest first-contact deadline first.",
                count=lambda user: selectors.referrals_to_allocate(user=user).count(),
            )
        )
        access.register_queue(
            access.Queue(
                key="casework_over_safe",
                title="Workers over the safe caseload",
                roles=frozenset({Role.IDVA, Role.CASEWORKER}),
                url_name="casework_allocate",
                shown_to=lambda user: selectors.manager_of(user) is not None,
                description="Your workers carrying more cases than is safe for their hours: "
                "give new referrals to others, or move cases.",
                count=lambda user: len(selectors.workers_over_safe(user=user)),
                preview=lambda user, n: [
                    {
                        "text": f"{w}: over the safe caseload",
                        "url": reverse("casework_allocate"),
                        "due": None,
                        "overdue": False,
                    }
                    for w in selectors.workers_over_safe(user=user)[:n]
                ],
            )
        )
        access.register_queue(
            access.Queue(
                key="casework_my_cases",
                title="Your cases",
                roles=frozenset({Role.IDVA, Role.CASEWORKER}),
                url_name="casework_my_cases",
                shown_to=lambda user: hasattr(user, "caseworker"),
                description="Your open cases: contact her only by the ways and at the times she said are safe.",
                count=lambda user: selectors.my_cases(user=user).count(),
            )
        )
