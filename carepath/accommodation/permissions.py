"""Permissions of the safe-accommodation app (django-rules): who may search the vacancy
board, and who keeps units' vacancies (a provider's own staff, for its own units only:
``selectors.provider_units``)."""

import rules

from carepath.core.codes import Role

#: Front-door, IDVA and caseworker staff look for a place for a family (issue 15 item 2).
BOARD_ROLES = frozenset({Role.TRIAGE, Role.IDVA, Role.CASEWORKER})


@rules.predicate
def finds_places_for_families(user) -> bool:
    return user.is_authenticated and user.role in BOARD_ROLES


@rules.predicate
def works_for_a_provider(user) -> bool:
    """Staff of an agency that provides safe accommodation."""
    from carepath.accommodation.models import SafeAccommodation

    return (
        user.is_authenticated
        and user.agency_id is not None
        and SafeAccommodation.objects.filter(provider_id=user.agency_id).exists()
    )


rules.add_perm("accommodation.search_vacancies", finds_places_for_families)
rules.add_perm("accommodation.keep_vacancies", works_for_a_provider)


@rules.predicate
def reads_the_partnership_figures(user) -> bool:
    """Commissioners and administrators: the annual return and the operational reports
    (counts, never a name or an address)."""
    return user.is_authenticated and user.role in (Role.COMMISSIONER, Role.ADMINISTRATOR)


rules.add_perm("accommodation.view_reports", reads_the_partnership_figures)
