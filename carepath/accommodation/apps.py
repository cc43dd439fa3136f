from django.apps import AppConfig


class AccommodationConfig(AppConfig):
    name = "carepath.accommodation"
    label = "accommodation"
    verbose_name = "Safe accommodation"

    def ready(self):
        from django.utils import timezone

        from carepath.accommodation import (
            permissions,  # noqa: F401 - registers the app's permissions
            report_selectors,
            selectors,
        )
        from carepath.accommodation.models import Placement
        from carepath.accommodation.return_command import REPORT
        from carepath.configuration.selectors import partnership_settings_get
        from carepath.core import access, reports

        reports.register_report(REPORT)
        access.register_queue(
            access.Queue(
                key="accommodation_figures",
                title="Safe accommodation figures",
                roles=frozenset(),
                permission="accommodation.view_reports",
                url_name="accommodation_reports",
                description="Searches this year that found no suitable unit: the unmet demand. See occupancy, "
                "declined referrals and family places against the population, and the Part 4 annual return to send.",
                count=lambda user: report_selectors.unmet_searches_since(
                    day=timezone.localdate().replace(month=1, day=1)
                ),
            )
        )

        access.register_record_type(
            access.RecordType(
                name="accommodation-placement",
                model=Placement,
                label="Safe accommodation referral",
                detail_url="accommodation_placement_detail",
                people=selectors.placement_people,
            )
        )
        access.register_involvement(model=Placement, rule=selectors.placement_involvement)
        # Her lead worker sees her stays on her case: where and when, never the address.
        from carepath.casework.sections import register_case_section

        register_case_section(
            template="accommodation/includes/case_stays.html",
            context=lambda case: {
                "stays": selectors.stays_of(
                    person_ids={case.victim_id, *access.registry.linked_records(case.victim_id)}
                )
            },
        )
        access.register_queue(
            access.Queue(
                key="accommodation_vacancies",
                title="Safe accommodation vacancies",
                roles=frozenset(),
                permission="accommodation.search_vacancies",
                url_name="accommodation_vacancy_board",
                description="Refuge and other safe-accommodation units available now: find those that suit "
                "a family, and see what the others cannot meet. No addresses are shown.",
                count=lambda user: selectors.units_available().count(),
            )
        )
        access.register_queue(
            access.Queue(
                key="accommodation_families",
                title="Families you referred to safe accommodation",
                roles=frozenset(),
                permission="accommodation.search_vacancies",
                url_name="accommodation_vacancy_board",
                description="Your agency's referrals to a refuge or other safe accommodation that are waiting "
                "for an answer, accepted, or staying now.",
                count=lambda user: selectors.placements_open(user=user).filter(referring_agency=user.agency_id).count(),
            )
        )
        access.register_queue(
            access.Queue(
                key="accommodation_referrals",
                title="Referrals to answer",
                roles=frozenset(),
                permission="accommodation.keep_vacancies",
                url_name="accommodation_provider_units",
                description="Units held for a family an agency is referring to you: accept or decline each "
                "before its hold expires, when the unit goes back on the board.",
                count=lambda user: selectors.holds_to_decide(user=user).filter(expires_at__gt=timezone.now()).count(),
            )
        )
        access.register_queue(
            access.Queue(
                key="accommodation_to_confirm",
                title="Vacancies to confirm",
                roles=frozenset(),
                permission="accommodation.keep_vacancies",
                url_name="accommodation_provider_units",
                description="Your units whose vacancy nobody has confirmed recently: front-door staff and "
                "IDVAs see them marked as not confirmed. Confirm or change each in one step.",
                count=lambda user: selectors.units_to_confirm(
                    user=user,
                    now=timezone.now(),
                    stale_hours=partnership_settings_get().accommodation_vacancy_stale_hours,
                ).count(),
            )
        )
