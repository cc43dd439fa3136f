"""MARAC reads: the referrals waiting for the coordinator's check, and the cases."""

from django.db.models import QuerySet

from carepath.core import access
from carepath.core.codes import AgencyType
from carepath.core.models import Agency
from carepath.marac.models import MaracCase, MaracResearch
from carepath.referrals.models import Destination, Referral


def marac_referrals_to_check(*, user) -> QuerySet[Referral]:
    """MARAC referrals sent to the user's MARAC that nobody has checked yet, oldest first.
    Empty for anyone who may not check them."""
    if not user.has_perm("marac.check_marac_referral"):
        return Referral.objects.none()
    return (
        access.records_visible_to(user, Referral)
        .filter(destination=Destination.MARAC, receiving_agency_id=user.agency_id, marac_case__isnull=True)
        .order_by("received_at", "pk")
    )


def marac_case_involvement(agency_id: int):
    """The MARAC's own coordination holds its cases (access registry rule)."""
    from django.db.models import Q

    return Q(marac__agency_id=agency_id)


def marac_case_people(case: MaracCase):
    """The people a MARAC case's page shows: the victim (children and the perpetrator come
    with the referral's own page)."""
    return [(case.victim_id, "victim")]


def case_research(*, case: MaracCase, user) -> list[MaracResearch]:
    """The research of a case the user may read: all of it for the MARAC's coordination,
    only its own for an invited agency (one agency never reads another's research)."""
    research = case.research.select_related("agency")
    if user.agency_id != case.marac.agency_id:
        research = research.filter(agency_id=user.agency_id)
    return list(research.order_by("agency__name"))


def agencies_to_invite(*, case: MaracCase) -> list[Agency]:
    """The partnership's agencies the coordinator may still ask for research on a case."""
    asked = case.research.values("agency_id")
    return list(
        Agency.objects.filter(partnership_id=case.marac.agency.partnership_id)
        .exclude(agency_type__in=(AgencyType.MARAC, AgencyType.PARTNERSHIP))
        .exclude(pk__in=asked)
        .order_by("name")
    )
