"""What the panel part of the perpetrators app registers with core: queues, record types,
involvement rules and case sections (called from PerpetratorsConfig.ready)."""


def register() -> None:
    from carepath.casework.sections import register_case_section
    from carepath.core import access
    from carepath.perpetrators import panel_selectors as selectors
    from carepath.perpetrators.models import PerpetratorPlan

    access.register_record_type(
        access.RecordType(
            name="perpetrator-plan",
            model=PerpetratorPlan,
            label="Perpetrator plan",
            detail_url="perpetrator_plan_detail",
            people=selectors.plan_people,
        )
    )
    access.register_involvement(model=PerpetratorPlan, rule=selectors.plan_involvement)
    access.register_queue(
        access.Queue(
            key="perpetrator_panel",
            title="Serial and repeat perpetrator panel",
            roles=frozenset(),
            permission="perpetrators.run_panel",
            url_name="perpetrator_plans",
            description="Perpetrators' plans due for review within 7 days or overdue. The panel's ranked list "
            "and its 4-weekly meetings are a click away.",
            count=selectors.plans_due_count,
        )
    )
    # Her lead worker learns, in one sentence, that the person who harms her is on the panel:
    # never who else he harmed.
    register_case_section(
        template="perpetrators/includes/panel_case_flag.html",
        context=lambda case: selectors.panel_flags_for_victim(
            {case.victim_id, *access.registry.linked_records(case.victim_id)}
        ),
    )
