"""Permissions of the casework app (django-rules). Which cases a user may list is decided
per service (``selectors.may_list_cases``); these say who may use which page."""

import rules

from carepath.core.codes import Role


@rules.predicate
def is_commissioner(user) -> bool:
    return user.is_authenticated and user.role == Role.COMMISSIONER


@rules.predicate
def manages_a_service(user) -> bool:
    """A manager on a service's own staff (``Worker.is_manager``)."""
    from carepath.casework.models import Worker

    return user.is_authenticated and Worker.objects.filter(user=user, is_manager=True, active=True).exists()


@rules.predicate
def leads_casework_at_a_running_agency(user) -> bool:
    """An IDVA or caseworker supervisor at an agency that runs a casework service."""
    from carepath.casework.models import Service

    return (
        user.is_authenticated
        and user.agency_id is not None
        and user.is_supervisor
        and user.role in (Role.IDVA, Role.CASEWORKER)
        and Service.objects.filter(agency_id=user.agency_id).exists()
    )


# Service performance: a service's managers and its agency's IDVA and caseworker managers
# for their own services; commissioners for every service.
rules.add_perm(
    "casework.see_service_performance", is_commissioner | manages_a_service | leads_casework_at_a_running_agency
)
