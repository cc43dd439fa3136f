"""Bad input to the API gets a clear answer, never a server error, and never hears back
what it sent: a date in year 0001, a NUL character anywhere, keys and values that would be
quoted in a message, a body that is not declared as JSON. A property-based test throws
arbitrary values at every field of the body."""

import json
from datetime import UTC, timedelta, timezone

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepath.people.models import Person
from carepath.referrals.models import Referral
from tests.api.conftest import URL, dash_answers, high_risk_body


def problems(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["msg"] for e in response.json()["detail"]}


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"occurred_at": "0001-01-01T00:00:00Z"}, "occurred_at", "is before 1900"),
        ({"occurred_at": "0001-01-01T00:30:00+01:00"}, "occurred_at", "is before 1900"),  # was a 500: year 0 in UTC
        ({"occurred_at": "0001-01-01T00:00:00"}, "occurred_at", "is before 1900"),
        ({"occurred_at": "0001-01-01"}, "occurred_at", "is before 1900"),
        ({"occurred_at": "1899-12-31T23:00:00Z"}, "occurred_at", "is before 1900"),
        ({"victim": {"given_name": "Imogen", "date_of_birth": "0001-01-01"}}, "victim.date_of_birth", "120 years"),
        (
            {"perpetrator": {"family_name": "Vantablack", "date_of_birth": "0001-01-01"}},
            "perpetrator.date_of_birth",
            "120 years",
        ),
        ({"children": [{"date_of_birth": "0001-01-01"}]}, "children.0.date_of_birth", "adult"),
    ],
)
def test_impossible_dates_get_422_naming_the_field(agencies, api, change, field, words):
    found = problems(api(high_risk_body(**change)))
    assert words in found[field], found
    assert not Referral.objects.exists()


def test_the_first_possible_dates_are_accepted(agencies, api):
    body = high_risk_body(occurred_at="1900-01-01T12:00:00Z", victim={"given_name": "Ada", "age": 99})
    assert api(body).status_code == 201


NUL = "Imo\u0000gen"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"external_reference": NUL}, "external_reference"),
        ({"district": NUL}, "district"),
        ({"details": NUL}, "details"),
        ({"referrer_name": NUL}, "referrer_name"),
        ({"consent_reason": NUL}, "consent_reason"),
        ({"victim": {"given_name": NUL}}, "victim.given_name"),
        ({"perpetrator": {"family_name": "V", "address": NUL}}, "perpetrator.address"),
        ({"children": [{"given_name": NUL}]}, "children.0.given_name"),
        ({"judgement": {"level": "high", "reason": NUL}}, "judgement.reason"),
        ({"safe_contact": {"safe_times": NUL}}, "safe_contact.safe_times"),
        ({"safe_contact": {"do_not_contact_via": ["letter", NUL]}}, "safe_contact.do_not_contact_via"),
        ({"dash": {"answers": {**dash_answers(15), "3": {"answer": "yes", "comment": NUL}}}}, "dash.answers.3.comment"),
        ({"dash": {"answers": {**dash_answers(15), "3\u0000": "yes"}}}, "dash.answers"),
        ({"external_reference": "\u0000"}, "external_reference"),
    ],
)
def test_a_nul_character_anywhere_gets_422_naming_the_field(agencies, api, change, field):
    response = api(high_risk_body(**change))
    found = problems(response)
    assert "NUL character" in found[field], found
    assert "Imo" not in response.content.decode()
    assert not Referral.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"dash": {"answers": {**dash_answers(15), "Imogen Quatermass": "yes"}}}, "dash.answers"),
        ({"victim": {"given_name": "A", "Imogen Quatermass": "1990-01-01"}}, "victim.<unrecognised field>"),
        ({"relationship": "Imogen Quatermass"}, "relationship"),
        ({"victim": {"date_of_birth": "Imogen Quatermass"}}, "victim.date_of_birth"),
        ({"children": "Imogen Quatermass"}, "children"),
        ({"dash": {"answers": {**dash_answers(15), "7": "Imogen Quatermass"}}}, "dash.answers.7.answer"),
    ],
)
def test_errors_never_repeat_what_was_sent(agencies, api, change, field):
    response = api(high_risk_body(**change))
    assert field in problems(response)
    assert "Imogen" not in response.content.decode() and "Quatermass" not in response.content.decode()


def test_a_question_key_that_is_not_a_number_is_named_in_words(agencies, api):
    found = problems(api(high_risk_body(dash={"answers": {**dash_answers(15), "Imogen": "yes"}})))
    assert found["dash.answers"] == "dash.answers: the value sent is not a question number 1 to 24."


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
        "application/json; charset=latin-1",
        "application/jsonp",
    ],
)
def test_a_body_not_declared_as_json_gets_415(agencies, police_client, content_type):
    _, token = police_client
    response = Client().generic(
        "POST",
        URL,
        json.dumps(high_risk_body()),
        content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 415
    assert response.json() == {"detail": "Send the body as JSON, with the header Content-Type: application/json."}
    assert not Referral.objects.exists()


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"])
def test_json_in_utf_8_is_accepted(agencies, police_client, content_type):
    _, token = police_client
    response = Client().generic(
        "POST",
        URL,
        json.dumps(high_risk_body()),
        content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


# ----- every field, arbitrary values -----

#: Free text is marked, so that an error repeating any of it is caught. (A key that looks
#: like a field name, letters, digits and _, is named back on purpose: the space keeps
#: these from looking like one.)
MARK = "Zq"
texts = st.text(st.characters(codec=None) | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=40).map(
    lambda t: f"{MARK} {t}{MARK}"
)
long_texts = st.integers(0, 12_000).map(lambda n: MARK + "x" * n)
zones = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), timezone(timedelta(minutes=-1))]
)
dates = st.dates().map(lambda d: d.isoformat())
datetimes = st.builds(lambda moment, zone: moment.replace(tzinfo=zone).isoformat(), st.datetimes(), zones)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | texts
    | long_texts
    | dates
    | datetimes
)
anything = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3), max_leaves=6
)

FIELDS = [
    "external_reference",
    "occurred_at",
    "district",
    "victim",
    "victim.given_name",
    "victim.date_of_birth",
    "victim.age",
    "victim.sex",
    "victim.nhs_number",
    "victim.postcode",
    "perpetrator",
    "perpetrator.date_of_birth",
    "relationship",
    "children",
    "children.0",
    "children.0.age",
    "children.0.date_of_birth",
    "children.0.harmed",
    "dash",
    "dash.score",
    "dash.answers",
    "dash.answers.3",
    "dash.answers.4",
    "judgement",
    "judgement.level",
    "judgement.reason",
    "consent",
    "consent_reason",
    "crime_recorded",
    "safe_contact",
    "safe_contact.safe_email",
    "safe_contact.text_safe",
    "safe_contact.do_not_contact_via",
    "details",
    "referrer_name",
    "referrer_contact",
    "an_unknown_field",
]


def _set(body: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


@pytest.mark.django_db
@override_settings(RATE_LIMIT_API_PER_ADDRESS="1000000/s", RATE_LIMIT_API_PER_TOKEN="1000000/s")
@settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(st.tuples(st.sampled_from(FIELDS), anything | texts | dates | datetimes), min_size=1, max_size=3)
)
def test_any_value_in_any_field_gets_an_answer_and_no_echo(agencies, police_client, changes):
    _, token = police_client
    body = high_risk_body(
        judgement={"level": "high", "reason": "Threats to kill"}, external_reference=f"REF-{len(changes)}"
    )
    for path, value in changes:
        try:
            _set(body, path, value)
        except (TypeError, IndexError, AttributeError):
            pass  # an earlier change made the parent something else
    response = Client().post(
        URL, json.dumps(body), content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in (200, 201, 422), response.content[:500]
    if response.status_code == 422:
        assert MARK not in response.content.decode(), response.content[:500]
