"""Criminal history and intelligence never reach anyone without a police or probation role:
not in a page, not in the API, not in a download.

The net's county (tests/core/test_url_net.py) has one record of every kind, the perpetrator
on a MARAC case, an order and its breach; here he has a criminal history entry too. Every
page and download that takes the county's record ids is opened as each kind of user; the
entry's words are looked for in each.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carepath.api.auth import api_client_create
from carepath.core import access
from carepath.perpetrators.order_services import criminal_history_record
from tests.api.conftest import URL as API_URL
from tests.api.conftest import high_risk_body
from tests.core.test_url_net import (  # noqa: F401 - net_county and net_county_built are fixtures
    MISSING_ID,
    ROUTES,
    WHO,
    _download_text,
    net_county,
    net_county_built,
)

SECRET = "Intelligence: carries a knife in his van"
NOT_JUSTICE = [who for who in WHO if who != "police"] + ["outsider"]


@pytest.fixture
def with_history(request):
    county = request.getfixturevalue("net_county")
    perpetrator = county["referral"].event.perpetrator
    criminal_history_record(
        perpetrator=perpetrator,
        kind="intelligence",
        on=timezone.localdate(),
        summary=SECRET,
        user=county["users"]["police"],
        now=timezone.now(),
    )
    return county


def _everything(client, county) -> dict[str, str]:
    """Every staff page and download with the county's ids (a MARAC copy for the police),
    as the words it gives."""
    police = county["users"]["police"].agency_id
    urls = [
        route.url(county["ids"])
        for route in ROUTES
        if route.kind == "staff" and MISSING_ID not in [county["ids"].get(p, MISSING_ID) for p in route.params]
    ]
    # Each record's own page by its own id: ids shared between kinds (``case_id``) name one.
    urls += [
        reverse(access.record_type_for(name).detail_url, args=[record.pk]) for name, record in county["records"].items()
    ]
    read = {}
    for url in dict.fromkeys(u for u in urls if u is not None):
        response = client.get(url, {"for": police})
        if response.status_code != 200:
            continue
        if "text/html" in response.get("Content-Type", "text/html"):
            read[url] = response.content.decode()
        else:
            read[url] = _download_text(response)
    return read


@pytest.mark.parametrize("who", NOT_JUSTICE)
def test_no_page_or_download_shows_criminal_history_to_anyone_but_police_and_probation(who, with_history, login):
    """The IDVA's case page for the victim, the MARAC papers, the person pages: none holds it."""
    user = with_history["users"][who]
    assert not user.has_perm("perpetrators.view_criminal_history")
    read = _everything(login(user), with_history)
    assert len(read) >= 3
    assert not [url for url, text in read.items() if SECRET in text]
    if who == "idva":
        case = reverse("casework_case_detail", args=[with_history["records"]["casework-case"].pk])
        # Her IDVA opened her case and saw the order protecting her, and not his history.
        assert "Domestic Violence Protection Order (DVPO)" in read[case]
    if who == "marac":
        assert [url for url, text in read.items() if url.endswith(".pdf") and "Quatermass" in text]


def test_the_police_see_it_so_the_check_above_can_fail(with_history, login):
    read = _everything(login(with_history["users"]["police"]), with_history)
    profile = reverse("perpetrator_profile", args=[with_history["ids"]["perpetrator_id"]])
    assert SECRET in read[profile]


def test_the_api_gives_no_criminal_history(with_history):
    """The API takes referrals and answers with ids and the decision: a referral about the
    same man answers without his history, and the API's description has no such field."""
    _, token = api_client_create(name="Police records system", agency=with_history["users"]["police"].agency)
    response = Client().post(
        API_URL, high_risk_body(), content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.content
    assert SECRET not in response.content.decode()
    description = Client().get(reverse("api:openapi-json")).content.decode().lower()
    assert "criminal" not in description and "intelligence" not in description
