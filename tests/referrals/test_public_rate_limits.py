"""The public forms take a limited number of POSTs from one address (both forms together);
over the limit, a plain page in the public style with Exit this page and the helpline, and
nothing sent is kept."""

import pytest
from django.test import Client

from carepath.referrals.models import Referral
from tests.referrals.test_public_pages import SELF, WORRIED, assert_safe_public_page, self_referral, worried_referral


@pytest.fixture
def two_an_hour(settings):
    settings.RATE_LIMIT_PUBLIC_FORMS = "2/h"


def test_a_few_posts_per_address_then_the_helpline(two_an_hour, front_door):
    visitor = Client(HTTP_ORIGIN="http://testserver", REMOTE_ADDR="203.0.113.7")
    assert visitor.post(SELF, self_referral()).status_code == 302
    assert visitor.post(WORRIED, worried_referral()).status_code == 302
    refused = visitor.post(SELF, self_referral(first_name="Thirdname"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "Sorry, we cannot take your message just now" in html
    assert "0808 2000 247" in html and "Nothing you typed has been saved" in html
    assert "Thirdname" not in html
    assert_safe_public_page(refused)  # Exit this page, nothing from another site, not stored
    assert Referral.objects.count() == 2

    assert visitor.get(SELF).status_code == 200  # reading the form is not limited
    assert (
        Client(HTTP_ORIGIN="http://testserver", REMOTE_ADDR="203.0.113.8").post(SELF, self_referral()).status_code
        == 302
    )
