"""MARAC reads: the referrals waiting for the coordinator's check, and the cases."""

from django.db.models import QuerySet

from carepath.core import access
from carepath.marac.models import MaracCase
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
