"""What the MARAC tests build: MARAC referrals as the front door sends them."""

from datetime import UTC, datetime

from carepath.referrals.models import Referral
from carepath.referrals.services import marac_referral_create, referral_create
from tests.referrals.test_referral_routing import referral

# Monday 30 November 2026; research is due 2 working days before a meeting.
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SECOND_TUESDAY = datetime(2026, 1, 13, 10, 0, tzinfo=UTC)


def marac_referral(county, coordinator, *, yes=15, district=None, received=NOW) -> Referral:
    """A front-door referral of a new victim (``yes`` DASH answers), sent to MARAC by the
    coordinator marking its MARAC referral task done, received at ``received``."""
    made = referral_create(data=referral(county, yes=yes, district=district)).referral
    sent = marac_referral_create(referral=made, user=coordinator)
    Referral.objects.filter(pk=sent.pk).update(received_at=received)
    sent.refresh_from_db()
    return sent
