"""The public forms' honeypot: a field people never see, hear or reach with the keyboard.
A POST that fills it gets the same "sent" answer as a real one, and nothing is recorded."""

import logging
import re

import pytest
from django.test import Client

from carepath.core.models import Task
from carepath.people.models import Person
from carepath.referrals.models import Referral
from tests.referrals.test_public_pages import SELF, SENT, WORRIED, self_referral, worried_referral

FORMS = [(SELF, self_referral), (WORRIED, worried_referral)]


@pytest.mark.parametrize("url, answers", FORMS)
def test_a_post_that_fills_the_hidden_field_is_answered_as_sent_and_not_recorded(front_door, url, answers, caplog):
    caplog.set_level(logging.DEBUG)
    person = Client(HTTP_ORIGIN="http://testserver").post(url, answers())
    recorded = {model: model.objects.count() for model in (Referral, Person, Task)}
    assert recorded[Referral] == 1
    bot = Client(HTTP_ORIGIN="http://testserver").post(
        url, answers(first_name="Botname", website="https://spam.example/offer")
    )
    assert (bot.status_code, bot["Location"]) == (person.status_code, person["Location"]) == (302, SENT)
    assert {model: model.objects.count() for model in recorded} == recorded
    assert "Botname" not in caplog.text and "spam.example" not in caplog.text


@pytest.mark.parametrize("url, answers", FORMS)
def test_a_bot_gets_sent_even_when_the_rest_is_nonsense(front_door, url, answers):
    bot = Client(HTTP_ORIGIN="http://testserver").post(
        url, {"website": "x", "first_name": "", "contact_methods": "carrier_pigeon"}
    )
    assert (bot.status_code, bot["Location"]) == (302, SENT)
    assert not Referral.objects.exists()


@pytest.mark.parametrize("url", [SELF, WORRIED])
def test_people_never_see_hear_or_reach_the_hidden_field(db, client, url):
    html = client.get(url).content.decode()
    match = re.search(
        r'<div class="govuk-form-group" hidden aria-hidden="true">\s*<label[^>]*>Website</label>\s*'
        r"<input ([^>]*)>\s*</div>",
        html,
    )
    assert match, "the hidden field is missing or not hidden"
    attributes = match.group(1)
    assert 'name="website"' in attributes and 'value=""' in attributes
    assert 'tabindex="-1"' in attributes and 'autocomplete="off"' in attributes
    assert html.index('name="website"') > html.index('<form method="post"')
