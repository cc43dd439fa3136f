"""What the order part of the perpetrators app registers with core: queues, record types,
involvement rules and case sections (called from PerpetratorsConfig.ready)."""


def register() -> None:
    from django.utils import timezone

    from carepath.casework.sections import register_case_section
    from carepath.core import access
    from carepath.perpetrators import order_selectors as selectors
    from carepath.perpetrators.models import Order

    access.register_record_type(
        access.RecordType(
            name="perpetrator-order",
            model=Order,
            label="Order against a perpetrator",
            detail_url="perpetrator_order_detail",
            people=selectors.order_people,
        )
    )
    access.register_involvement(model=Order, rule=selectors.order_involvement)
    # Her lead worker sees what bears on her safety on her case: the orders protecting her,
    # their breaches, his releases from custody. Nothing else about him.
    register_case_section(
        template="perpetrators/includes/order_case_section.html",
        context=lambda case: selectors.her_safety(
            person_ids={case.victim_id, *access.registry.linked_records(case.victim_id)}, today=timezone.localdate()
        ),
    )
