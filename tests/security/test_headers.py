"""Security headers on every response: a Content-Security-Policy whose nonce every inline
script and style carries, nothing from another host, no framing; Permissions-Policy,
Referrer-Policy; and Cache-Control: no-store on every page and API answer (static files
may be cached)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from carepath.core.models import Role
from carepath.core.services import staff_create
from tests.conftest import PASSWORD


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.fixture
def commissioner(county):
    return staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=PASSWORD
    )


@pytest.fixture
def pages(client, login, staff, commissioner):
    """A staff page, the planner (inline module script and styles, HTMX, charts), the public
    pages (Exit this page) and the sign-in page."""
    officer, planner_user = login(staff["officer"]), login(commissioner)
    return {
        "home": officer.get(reverse("home")),
        "referral form": officer.get(reverse("referral_new")),
        "planner": planner_user.get(reverse("planner")),
        "public start": client.get("/help/"),
        "self-referral": client.get("/help/self-referral/"),
        "sign in": client.get(reverse("login")),
    }


def test_the_policy_allows_only_carepath_itself(pages):
    for name, response in pages.items():
        assert response.status_code == 200, name
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"][0] == "'self'" and len(policy["script-src"]) == 2, name
        assert re.fullmatch(r"'nonce-[A-Za-z0-9+/=]{22,}'", policy["script-src"][1]), name
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"], name
        assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"], name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name
        assert not re.search(r"https?:|\*", response["Content-Security-Policy"]), name


def test_every_inline_script_and_style_carries_this_responses_nonce(pages):
    nonces = set()
    for name, response in pages.items():
        nonce = directives(response)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
        nonces.add(nonce)
        html = response.content.decode()
        scripts = re.findall(r"<script\b([^>]*)>", html)
        assert scripts, name
        for attributes in scripts:
            if "src=" in attributes:
                assert re.search(r'src="/static/', attributes), (name, attributes)  # from Carepath itself
            else:
                assert f'nonce="{nonce}"' in attributes, (name, attributes)
        for attributes in re.findall(r"<style\b([^>]*)>", html):
            assert f'nonce="{nonce}"' in attributes, (name, attributes)
        for href in re.findall(r'<link\b[^>]*href="([^"]*)"', html):
            assert href.startswith("/static/") or href == "data:,", (name, href)
    assert len(nonces) == len(pages)  # a new nonce for every response


def test_the_planner_charts_need_no_inline_style_element(pages):
    html = pages["planner"].content.decode()
    assert html.count("<svg") >= 3
    assert html.count("<style") == 1  # the planner's own, with the nonce
    assert 'stroke-linejoin="round"' in html


def test_browser_features_are_switched_off_and_referrers_kept_in(pages):
    for name, response in pages.items():
        features = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (name, feature)
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff", name


def test_no_staff_page_public_page_or_api_answer_is_stored(pages, client, login, staff, reported_event):
    officer = login(staff["officer"])
    responses = {
        **pages,
        "person": officer.get(reverse("person_detail", args=[reported_event.victim_id])),
        "event": officer.get(reverse("event_detail", args=[reported_event.pk])),
        "not found": officer.get("/people/999999/"),
        "redirect to sign in": client.get(reverse("home")),
        "api document": client.get("/api/v1/openapi.json"),
        "api refusal": client.post("/api/v1/referrals", "{}", content_type="application/json"),
    }
    for name, response in responses.items():
        assert response["Cache-Control"] == "no-store", name


def test_static_files_may_still_be_cached(client):
    assert finders.find("govuk/govuk-frontend.min.css")
    response = client.get("/static/govuk/govuk-frontend.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
