"""Public help pages at /help/ (no login): self-referral and friends-and-family referral.

Safety properties checked here (domain.md "Safe contact"): the Exit this page component
on every page, nothing loaded from another site, no caching and no referrer, the same
confirmation whoever is named, and the front door told only the channels said to be safe.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from carepath.core.models import Agency, AgencyType, Role, Task
from carepath.core.services import staff_create
from carepath.people.models import Person, SafeContact
from carepath.people.safe_contact import ALL_CHANNELS
from carepath.referrals.models import Referral
from carepath.referrals.public_views import EXIT_URL
from tests.conftest import PASSWORD

START, SELF, WORRIED, SENT = "/help/", "/help/self-referral/", "/help/worried-about-someone/", "/help/sent/"
PAGES = [START, SELF, WORRIED, SENT]


@pytest.fixture
def front_door(county):
    return Agency.objects.create(
        partnership=county["partnership"], name="Testshire MASH", agency_type=AgencyType.FRONT_DOOR
    )


def self_referral(**overrides) -> dict:
    data = {
        "first_name": "Sam",
        "last_name": "Lee",
        "age": "34",
        "place": "Northtown NT1 4QZ",
        "happening": "He checks my phone and shouts at me.",
        "children": "yes",
        "children_ages": "3 and 7",
        "safe_phone": "07700 900456",
        "safe_times": "Weekdays 10am to 2pm",
        "contact_methods": ["call", "text", "email"],
        "safe_email": "sam.safe@example.com",
        "never": ["home_visit"],
        "never_other": "Do not say who you are if a man answers.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def worried_referral(**overrides) -> dict:
    data = {
        "referrer_name": "Alex Morgan",
        "referrer_contact": "07700 900789",
        "referrer_relationship": "Sister",
        "first_name": "Jo",
        "last_name": "Morgan",
        "happening": "Her partner will not let her see us.",
        "children": "dont_know",
        "consent": "not_sought",
        "not_sought_reason": "He is always with her.",
        "safe_phone": "07700 900111",
        "contact_methods": ["call"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class Attributes(HTMLParser):
    """Every src and href in a page, and whether the Exit this page component is there."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.exit_buttons: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name) is not None:
                self.urls.append((tag, name, attrs[name]))
        if "govuk-exit-this-page__button" in (attrs.get("class") or "").split():
            self.exit_buttons.append(attrs.get("href"))


def assert_safe_public_page(response):
    html = response.content.decode()
    parser = Attributes()
    parser.feed(html)
    assert 'data-module="govuk-exit-this-page"' in html
    assert parser.exit_buttons == [EXIT_URL]
    external = [(tag, name, url) for tag, name, url in parser.urls if re.match(r"^\s*(https?:)?//", url, re.IGNORECASE)]
    assert all(url == EXIT_URL for _, _, url in external), external
    # The only external URLs are the exit button and its skip-link twin, both links (never src).
    assert {(tag, name) for tag, name, _ in external} == {("a", "href")}
    assert "Leaving this site and covering your tracks" in html
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"


def errors(response) -> list[str]:
    return re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', response.content.decode())


# ----- pages and their safety features -----


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_need_no_login_and_are_safe(db, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_safe_public_page(response)
    assert "Signed in as" not in response.content.decode()


def test_form_pages_with_errors_and_error_pages_are_safe_too(county, front_door, client):
    with_errors = client.post(SELF, {})
    assert with_errors.status_code == 200
    assert_safe_public_page(with_errors)
    assert_safe_public_page(client.post(WORRIED, {}))
    redirect = client.post(SELF, self_referral())
    assert redirect["Cache-Control"] == "no-store" and redirect["Referrer-Policy"] == "same-origin"


def test_start_page_offers_both_routes_and_the_emergency_numbers(db, client):
    html = client.get(START).content.decode()
    assert 'call <a class="govuk-link" href="tel:999">999</a>' in html
    assert "0808 2000 247" in html
    assert f'href="{SELF}"' in html and "I need help for myself" in html
    assert f'href="{WORRIED}"' in html and "I am worried about someone else" in html
    assert "press the Shift key 3 times" in html


def test_forms_mention_childline_and_keep_no_autofill(db, client):
    html = client.get(SELF).content.decode()
    assert "If you are under 16 you can also call Childline on 0800 1111" in html
    assert 'autocomplete="off"' in html
    # No CSRF token: it would need a cookie. Cross-site POSTs are refused another way
    # (tests/referrals/test_public_languages_and_cookies.py).
    assert 'name="csrfmiddlewaretoken"' not in html
    assert "If you are under 16 you can also call Childline" in client.get(WORRIED).content.decode()


def test_demo_banner_only_in_demo_mode(db, client, settings):
    assert "Demo – synthetic data" not in client.get(START).content.decode()
    settings.DEMO_MODE = True
    assert "Demo – synthetic data" in client.get(START).content.decode()


# ----- what a valid referral records -----


def test_self_referral_records_one_referral_and_only_the_safe_channels(county, front_door, client):
    response = client.post(SELF, self_referral())
    assert response.status_code == 302 and response["Location"] == SENT

    referral = Referral.objects.get()
    assert referral.channel == "self" and referral.consent == "given"
    assert referral.referring_agency is None and referral.receiving_agency == front_door
    victim = referral.victim
    assert (victim.given_name, victim.family_name, victim.recorded_by) == ("Sam", "Lee", front_door)
    address = victim.addresses.get()
    assert (address.line_1, address.postcode) == ("Northtown", "NT1 4QZ")
    assert sorted(child.age for child in referral.children.all()) == [3, 7]
    assert "He checks my phone" in referral.details
    assert referral.victim.safe_contact.notes == "Do not say who you are if a man answers."

    safe = SafeContact.objects.get(person=victim)
    assert (safe.safe_phone, safe.safe_times, safe.safe_email) == (
        "07700 900456",
        "Weekdays 10am to 2pm",
        "sam.safe@example.com",
    )
    assert (safe.voicemail_safe, safe.text_safe, safe.email_safe, safe.letter_safe) == ("no", "yes", "yes", "no")
    assert safe.do_not_contact_via == ["home_visit"]

    task = Task.objects.get(referral=referral, action_type="dash_assessment")
    assert task.owner_agency == front_door
    assert task.contact_channels == ["email", "phone_call", "text"]
    # Children are notified whatever the adult's risk, even before the DASH checklist.
    assert Task.objects.filter(referral=referral, action_type="children_services_notification").exists()


def test_a_number_for_texts_only_is_never_rung(county, front_door, client):
    client.post(SELF, self_referral(contact_methods=["text"], safe_email=""))
    safe = SafeContact.objects.get()
    assert "phone_call" in safe.do_not_contact_via
    assert Task.objects.get(action_type="dash_assessment").contact_channels == ["text"]


def test_do_not_contact_me_marks_no_channel_safe(county, front_door, client):
    response = client.post(SELF, self_referral(contact_methods=["none"]))
    assert response.status_code == 302
    safe = SafeContact.objects.get()
    assert safe.safe_phone == "" and safe.safe_email == ""
    assert {safe.voicemail_safe, safe.text_safe, safe.email_safe, safe.letter_safe} == {"no"}
    assert sorted(safe.do_not_contact_via) == sorted(ALL_CHANNELS)
    assert Task.objects.get(action_type="dash_assessment").contact_channels == []
    assert "Do not contact me" in Referral.objects.get().details


def test_letter_uses_the_home_address_given(county, front_door, client):
    client.post(
        SELF,
        self_referral(
            contact_methods=["letter"],
            safe_phone="",
            safe_times="",
            place="",
            home_address="4 Elm Road\nNorthtown\nnt2 9xy",
        ),
    )
    address = Referral.objects.get().victim.addresses.get()
    assert address.postcode == "NT2 9XY" and address.line_1.startswith("4 Elm Road")
    assert Task.objects.get(action_type="dash_assessment").contact_channels == ["letter"]


def test_friends_and_family_referral_records_the_referrer_and_consent(county, front_door, client):
    response = client.post(WORRIED, worried_referral())
    assert response.status_code == 302 and response["Location"] == SENT
    referral = Referral.objects.get()
    assert referral.channel == "friends_family"
    assert (referral.referrer_name, referral.referrer_contact, referral.referrer_relationship) == (
        "Alex Morgan",
        "07700 900789",
        "Sister",
    )
    assert (referral.consent, referral.consent_reason) == ("not_sought", "He is always with her.")
    assert referral.victim.given_name == "Jo"
    safe = SafeContact.objects.get(person=referral.victim)
    # A friend answers for someone else: what they did not tick is unknown, and unknown is unsafe.
    assert (safe.voicemail_safe, safe.text_safe, safe.email_safe) == ("not_known", "not_known", "not_known")
    assert Task.objects.get(action_type="dash_assessment").contact_channels == ["phone_call"]
    assert referral.children.count() == 0


def test_friend_who_knows_no_safe_channel_leaves_every_channel_unknown(county, front_door, client):
    client.post(WORRIED, worried_referral(safe_phone="", contact_methods=None, consent="given", not_sought_reason=""))
    referral = Referral.objects.get()
    assert referral.consent == "given" and referral.consent_reason == ""
    assert Task.objects.get(action_type="dash_assessment").contact_channels == []


# ----- never reveal whether a person is known -----


def normalised(response) -> bytes:
    """The page without what differs on every response: the script nonce."""
    return re.sub(rb'nonce="[^"]*"', b"", response.content)


def test_confirmation_is_identical_for_a_known_name_and_a_new_one(county, front_door, reported_event):
    known = reported_event.victim  # Imogen Quatermass, already on police records
    pages = []
    for first, last in [(known.given_name, known.family_name), ("Zeb", "Newperson")]:
        client = Client(HTTP_ORIGIN="http://testserver")
        posted = client.post(SELF, self_referral(first_name=first, last_name=last))
        followed = client.get(posted["Location"])
        pages.append(
            (posted.status_code, posted["Location"], posted.content, followed.status_code, normalised(followed))
        )
    assert pages[0] == pages[1]
    assert Referral.objects.count() == 2

    worried = [
        Client(HTTP_ORIGIN="http://testserver").post(
            WORRIED, worried_referral(first_name=name, last_name=surname), follow=True
        )
        for name, surname in [(known.given_name, known.family_name), ("Zeb", "Newperson")]
    ]
    assert normalised(worried[0]) == normalised(worried[1]) == pages[0][4]


# ----- validation -----


@pytest.mark.parametrize(
    "overrides, message, field_id",
    [
        ({"first_name": ""}, "Enter your first name", "id_first_name"),
        (
            {"contact_methods": None},
            "Select how we can contact you safely, or select ‘Do not contact me’",
            "id_contact_methods",
        ),
        (
            {"contact_methods": ["call", "none"]},
            "Select the ways we can contact you, or select ‘Do not contact me’, not both",
            "id_contact_methods",
        ),
        ({"safe_phone": ""}, "Enter a phone number that is safe to call or text", "id_safe_phone"),
        ({"safe_phone": "call me"}, "Enter a phone number, like 07700 900 982", "id_safe_phone"),
        ({"contact_methods": ["email"]}, "Select if we can call or text this number, or delete it", "id_safe_phone"),
        (
            {"contact_methods": ["voicemail", "text"]},
            "Select ‘Phone call’ as well if we can leave a voicemail",
            "id_contact_methods",
        ),
        ({"safe_email": ""}, "Enter an email address that is safe to use", "id_safe_email"),
        (
            {"safe_email": "sam at example"},
            "Enter an email address in the correct format, like name@example.com",
            "id_safe_email",
        ),
        ({"contact_methods": ["call", "letter"]}, "Enter your home address", "id_home_address"),
        ({"age": "thirty"}, "Enter your age as a number, like 34", "id_age"),
        ({"age": "140"}, "Age must be 120 or less", "id_age"),
        ({"dob_day": "1", "dob_year": "1990"}, "Date of birth must include a month", "id_dob_month"),
        ({"dob_day": "31", "dob_month": "2", "dob_year": "1990"}, "Date of birth must be a real date", "id_dob_day"),
        ({"dob_day": "1", "dob_month": "2", "dob_year": "90"}, "Year must include 4 numbers", "id_dob_year"),
        ({"dob_day": "1", "dob_month": "2", "dob_year": "2999"}, "Date of birth must be in the past", "id_dob_day"),
        (
            {"age": "20", "dob_day": "1", "dob_month": "2", "dob_year": "1960"},
            "Age and date of birth do not match. Check them, or leave one empty",
            "id_age",
        ),
        ({"children_ages": "lots"}, "Enter the children’s ages as numbers, like 3 and 7", "id_children_ages"),
        ({"children_ages": "3 and 19"}, "Only enter the ages of children under 18", "id_children_ages"),
    ],
)
def test_self_referral_errors_are_specific(county, front_door, client, overrides, message, field_id):
    response = client.post(SELF, self_referral(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert errors(response) == [message]
    assert f'<li><a href="#{field_id}">{message}</a></li>' in html  # the summary links to the field
    assert f'id="{field_id}"' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in html  # and the field says it too
    assert "<title>Error: " in html
    assert Referral.objects.count() == 0


def test_an_empty_self_referral_lists_every_problem(county, front_door, client):
    assert errors(client.post(SELF, {})) == [
        "Enter your first name",
        "Select how we can contact you safely, or select ‘Do not contact me’",
    ]


def test_worried_about_someone_errors_are_specific(county, front_door, client):
    assert errors(client.post(WORRIED, {})) == [
        "Enter your name",
        "Enter a phone number or email address we can use to contact you",
        "Enter how you know them, like friend or sister",
        "Enter their first name",
        "Select if they know you are contacting us",
    ]
    assert errors(client.post(WORRIED, worried_referral(not_sought_reason=""))) == [
        "Tell us why you have not asked them"
    ]
    assert errors(client.post(WORRIED, worried_referral(contact_methods=None))) == [
        "Select if we can call or text this number, or delete it"
    ]
    assert errors(client.post(WORRIED, worried_referral(contact_methods=["call", "none"]))) == [
        "Select the ways we can contact them, or select ‘Do not contact them’, not both"
    ]
    assert Referral.objects.count() == 0


def test_answers_are_kept_when_the_form_is_shown_again(county, front_door, client):
    html = client.post(SELF, self_referral(first_name="", contact_methods=["call", "email"])).content.decode()
    assert 'value="07700 900456"' in html and 'value="sam.safe@example.com"' in html
    assert re.search(r'value="call" checked', html) and re.search(r'value="email" checked', html)
    assert 'id="conditional-safe-email">' in html  # the revealed email question is not hidden


# ----- failures -----


def test_no_front_door_agency_shows_a_plain_page_with_the_helpline(county, client):
    response = client.post(SELF, self_referral())
    assert response.status_code == 503
    html = response.content.decode()
    assert "Sorry, we could not send your message" in html and "0808 2000 247" in html
    assert "Traceback" not in html and "ValueError" not in html
    assert_safe_public_page(response)
    assert Referral.objects.count() == 0 and Person.objects.count() == 0


def test_only_get_and_post(db, client):
    assert client.put(SELF).status_code == 405
    assert client.post(SENT).status_code == 405
    assert client.post(START).status_code == 405


def test_the_friend_can_say_how_to_reach_them_safely_and_the_front_door_sees_it(county, front_door, client, login):
    talk_to_me_first = worried_referral(
        contact_methods=["none"], safe_phone="", referrer_safe_contact="Text me first; after 6pm is best"
    )
    assert client.post(WORRIED, talk_to_me_first).status_code == 302
    referral = Referral.objects.get()
    assert referral.referrer_safe_contact == "Text me first; after 6pm is best"
    worker = staff_create(username="mash", agency=front_door, role=Role.TRIAGE, password=PASSWORD)
    page = login(worker).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Alex Morgan (Sister)" in page and "07700 900789" in page
    assert "Safe to contact them: Text me first; after 6pm is best" in page
    assert "Do not contact them. Talk to me first" in page
