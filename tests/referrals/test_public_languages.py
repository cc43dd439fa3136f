"""The public pages in English and Welsh, and what they leave behind: nothing.

- Welsh is at /cy/help/...; the language comes from the address only, never from a cookie,
  the session or the browser's languages (a shared or watched device must remember nothing),
  and staff pages stay in English.
- Every page links to itself in the other language, named in that language.
- No English is left on a Welsh page, in any state a visitor can reach, and every message
  in the forms is in the catalogue; every catalogue is complete and compiled.
- No page sets a cookie, before or after a form is sent; a POST from another site is refused.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from carepath.people.models import District
from carepath.referrals import public_forms
from carepath.referrals.models import Referral
from carepath.referrals.public_forms import SelfReferralForm, WorriedAboutSomeoneForm
from carepath.translations import catalogues, problems, read
from tests.public_pages import PUBLIC_FORMS, PUBLIC_PAGES, in_both_languages, require_compiled_catalogues, welsh
from tests.referrals.test_public_pages import assert_safe_public_page, self_referral, worried_referral

SELF, WORRIED = "/help/self-referral/", "/help/worried-about-someone/"
ON_THIS_SITE = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture(autouse=True)
def compiled_catalogues():
    require_compiled_catalogues()


class PageText(HTMLParser):
    """What a visitor reads or hears on a page: its text, its title, and the attributes read
    out or announced (aria-label, alt, title, and Exit this page's Shift announcements)."""

    SPOKEN = {"aria-label", "alt", "title", "placeholder"}
    SKIPPED = {"script", "style", "textarea"}  # a textarea holds what the visitor typed

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.links: list[dict] = []
        self.lang = ""
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if tag in self.SKIPPED:
            self._skipping += 1
        for name, value in attrs.items():
            if value and (name in self.SPOKEN or name.startswith("data-i18n.")):
                self.texts.append(value.strip())
        if tag == "a":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def page_text(response) -> PageText:
    parser = PageText()
    parser.feed(response.content.decode())
    return parser


def words(text: str) -> bool:
    """Text with words in it (not only a number, a phone number or punctuation)."""
    return bool(re.search(r"[^\W\d_]{2,}", text))


#: Names that are the same in both languages.
SAME_IN_BOTH = {"Childline", "Shift"}


# ----- the language comes from the address only -----


def test_welsh_pages_are_at_cy_and_english_ones_have_no_prefix(db, client):
    english, welsh_page = client.get("/help/"), client.get("/cy/help/")
    assert (english.status_code, welsh_page.status_code) == (200, 200)
    assert page_text(english).lang == "en-GB" and page_text(welsh_page).lang == "cy"
    assert '<h1 class="govuk-heading-l">Get help with domestic abuse</h1>' in english.content.decode()
    assert '<h1 class="govuk-heading-l">Cael help gyda cham-drin domestig</h1>' in welsh_page.content.decode()
    assert welsh_page["Content-Language"] == "cy"


def test_the_browser_language_a_cookie_or_an_earlier_welsh_page_change_nothing(db, client):
    client.cookies["django_language"] = "cy"
    assert page_text(client.get("/help/", HTTP_ACCEPT_LANGUAGE="cy")).lang == "en-GB"
    assert page_text(client.get("/cy/help/", HTTP_ACCEPT_LANGUAGE="en-GB,en")).lang == "cy"
    after_welsh = client.get("/help/self-referral/")
    assert after_welsh.status_code == 200 and page_text(after_welsh).lang == "en-GB"
    assert "Ask for help for yourself" in after_welsh.content.decode()


def test_staff_pages_stay_in_english_and_have_no_welsh_address(db, client):
    login = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="cy")
    assert page_text(login).lang == "en-GB" and "Skip to main content" in login.content.decode()
    assert client.get("/cy" + reverse("login")).status_code == 404


def test_a_welsh_form_sends_to_and_confirms_in_welsh(county, front_door, client):
    form = client.get(welsh(SELF)).content.decode()
    assert f'action="{welsh(SELF)}"' in form
    sent = client.post(welsh(SELF), self_referral(), **ON_THIS_SITE)
    assert sent.status_code == 302 and sent["Location"] == "/cy/help/sent/"
    confirmation = client.get(sent["Location"])
    assert "Mae eich neges wedi’i hanfon" in confirmation.content.decode()
    assert "o fewn 1 diwrnod gwaith" in confirmation.content.decode()  # the partnership’s default


def test_the_front_door_reads_a_welsh_referral_in_english(county, front_door, client):
    """The record is the staff's: what was chosen is stored in their words."""
    client.post(welsh(SELF), self_referral(contact_methods=["none"], safe_phone=""), **ON_THIS_SITE)
    assert "Contact: Do not contact me. I will call when it is safe" in Referral.objects.get().details


# ----- the language switch -----


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_links_to_itself_in_the_other_language(db, client, url):
    for here, there, name, lang in ((url, welsh(url), "Cymraeg", "cy"), (welsh(url), url, "English", "en-GB")):
        links = [a for a in page_text(client.get(here)).links if a.get("hreflang")]
        assert links == [{"class": "govuk-link", "href": there, "lang": lang, "hreflang": lang}], here
        assert f">{name}</a>" in client.get(here).content.decode()


def test_a_form_with_errors_links_to_the_empty_form_in_the_other_language(db, client):
    with_errors = client.post(welsh(WORRIED), {}, **ON_THIS_SITE)
    assert [a["href"] for a in page_text(with_errors).links if a.get("hreflang")] == [WORRIED]


# ----- no English left in Welsh -----


def every_state(client: Client, prefix: str, settings) -> dict[str, object]:
    """Every state of every public page a visitor can reach, in the language of ``prefix``."""
    pages = {url: client.get(prefix + url) for url in PUBLIC_PAGES}
    pages["self, empty"] = client.post(prefix + SELF, {}, **ON_THIS_SITE)
    pages["self, wrong answers"] = client.post(
        prefix + SELF,
        self_referral(
            age="thirty",
            dob_day="1",
            dob_year="90",
            children_ages="lots",
            safe_phone="call me",
            contact_methods=["voicemail", "email", "letter"],
            safe_email="sam at example",
        ),
        **ON_THIS_SITE,
    )
    pages["worried, empty"] = client.post(prefix + WORRIED, {}, **ON_THIS_SITE)
    pages["worried, wrong answers"] = client.post(
        prefix + WORRIED, worried_referral(not_sought_reason="", contact_methods=["call", "none"]), **ON_THIS_SITE
    )
    pages["no front door (503)"] = client.post(prefix + SELF, self_referral(), **ON_THIS_SITE)
    pages["sent from another site (403)"] = client.post(prefix + SELF, self_referral())
    settings.RATE_LIMIT_PUBLIC_FORMS = "1/h"
    client.post(prefix + WORRIED, {}, REMOTE_ADDR="192.0.2.9", **ON_THIS_SITE)
    pages["too many (429)"] = client.post(prefix + WORRIED, {}, REMOTE_ADDR="192.0.2.9", **ON_THIS_SITE)
    return pages


def test_no_english_is_left_on_any_welsh_page(county, settings):
    """Every text and spoken attribute of each Welsh page differs from all of the English
    pages' (but numbers and names): a string left out of {% translate %} or the catalogue
    would show up here. The demo banner is on, so its words are checked too."""
    settings.DEMO_MODE = True
    english = every_state(Client(), "", settings)
    settings.RATE_LIMIT_PUBLIC_FORMS = "20/h"
    welsh_pages = every_state(Client(), "/cy", settings)
    expected = {"no front door (503)": 503, "sent from another site (403)": 403, "too many (429)": 429}
    for name, response in welsh_pages.items():
        assert response.status_code == expected.get(name, 200), name
        assert english[name].status_code == response.status_code, name
    # The districts in "Find help near you" are place names, the same in both languages.
    places = set(District.objects.values_list("name", flat=True))
    english_texts = {text for response in english.values() for text in page_text(response).texts if words(text)}
    assert "Exit this page" in english_texts and "There is a problem" in english_texts
    for name, response in welsh_pages.items():
        parsed = page_text(response)
        assert parsed.lang == "cy", name
        left = {t for t in parsed.texts if words(t) and t in english_texts} - SAME_IN_BOTH - {"English"} - places
        assert not left, f"English on the Welsh page ({name}): {sorted(left)}"
    assert "Shift, pwyswch 2 waith eto i adael." in page_text(welsh_pages["/help/"]).texts


def translatable_strings(module) -> set[tuple[str | None, str]]:
    """(context, English) of every gettext call in a module's source: _, gettext_lazy, pgettext_lazy."""
    found = set()
    for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id in ("_", "gettext_lazy") and len(args) == 1:
                found.add((None, args[0]))
            elif node.func.id == "pgettext_lazy" and len(args) == 2:
                found.add((args[0], args[1]))
    return found


def test_every_message_in_the_public_forms_is_translated():
    """Error messages only some answers reach, checked against the catalogue itself."""
    strings = translatable_strings(public_forms)
    assert len(strings) > 100 and (None, "Enter your first name") in strings
    catalogue = read(Path(public_forms.__file__).parent / "locale/cy/LC_MESSAGES/django.po")
    for context, english in strings:
        message = catalogue.get(english, context=context)
        assert message is not None and message.string, f"not in the Welsh catalogue: {english!r}"


def test_labels_choices_and_hints_come_out_in_welsh():
    with translation.override("cy"):
        for form in (SelfReferralForm(), WorriedAboutSomeoneForm()):
            for field in form:
                assert field.label and not field.label.startswith(("Your", "Their", "How", "What")), field.name
                for _value, label in getattr(field.field, "choices", []):
                    assert str(label) not in {"Yes", "No", "Phone call", "Email"}, (field.name, label)
        assert SelfReferralForm()["age"].help_text == (
            "Os ydych chi dan 16 oed, gallwch hefyd ffonio Childline ar 0800 1111. Mae am ddim."
        )


# ----- the catalogues -----


def test_there_is_a_welsh_catalogue_for_the_public_pages():
    languages = {po.parent.parent.name for po in catalogues()}
    assert "cy" in languages
    assert any(po.parts[-5] == "referrals" for po in catalogues())


@pytest.mark.parametrize("po", catalogues(), ids=lambda po: "/".join(po.parts[-5:]))
def test_every_catalogue_is_complete(po):
    """No entry untranslated or fuzzy, and every placeholder (like %(helpline)s) kept."""
    assert problems(po) == []


def test_an_incomplete_catalogue_is_reported_and_not_compiled(tmp_path):
    from carepath.translations import compile_all

    po = tmp_path / "app" / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Send"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Back"\nmsgstr "Yn ôl"\n\n'
        'msgid "Call %(helpline)s"\nmsgstr "Ffoniwch %(llinell)s"\n'
    )
    found = compile_all(tmp_path)
    assert len(found) == 3 and "not translated: 'Send'" in found[0] and "fuzzy" in found[1]
    assert "llinell" in found[2] or "placeholder" in found[2]
    assert not po.with_suffix(".mo").exists()


# ----- no cookie, and no POST from another site -----


def assert_no_cookie(response, where: str) -> None:
    assert not response.cookies, (where, response.cookies)
    assert "Set-Cookie" not in response.headers and b"Set-Cookie" not in response.serialize_headers(), where


@pytest.mark.parametrize("url", in_both_languages(PUBLIC_PAGES))
def test_no_page_sets_a_cookie(db, url):
    browser = Client()
    assert_no_cookie(browser.get(url), url)
    assert not browser.cookies


@pytest.mark.parametrize("url", in_both_languages(PUBLIC_FORMS))
def test_sending_a_form_sets_no_cookie_either(county, front_door, url):
    browser = Client(**ON_THIS_SITE)
    assert_no_cookie(browser.post(url, {}), url)  # with errors
    answers = self_referral() if "self" in url else worried_referral()
    sent = browser.post(url, answers, follow=True)
    assert sent.redirect_chain and sent.status_code == 200
    assert_no_cookie(sent, url)
    assert not browser.cookies and Referral.objects.count() == 1
    Referral.objects.all().delete()


@pytest.mark.parametrize(
    "headers, accepted",
    [
        ({"HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_REFERER": "http://testserver/help/self-referral/"}, True),  # no Origin: the Referer says
        ({"HTTP_ORIGIN": "https://evil.example"}, False),
        ({"HTTP_ORIGIN": "https://evil.example", "HTTP_REFERER": "http://testserver/help/"}, False),
        ({"HTTP_ORIGIN": "https://testserver"}, False),  # another scheme is another site
        ({"HTTP_ORIGIN": "http://testserver.evil.example"}, False),
        ({"HTTP_REFERER": "https://evil.example/http://testserver/"}, False),
        ({"HTTP_ORIGIN": "null"}, False),  # a sandboxed frame or a file on the device
        ({}, False),  # nothing says where it came from
    ],
)
def test_a_post_from_another_site_is_refused_with_a_plain_page(county, front_door, headers, accepted):
    for url in PUBLIC_FORMS:
        response = Client().post(url, self_referral() if url == SELF else worried_referral(), **headers)
        if accepted:
            assert response.status_code == 302, url
        else:
            assert response.status_code == 403, url
            html = response.content.decode()
            assert "Sorry, your message was not sent" in html and "0808 2000 247" in html
            assert f'href="{url}"' in html  # fill it in again, here
            assert_safe_public_page(response)
            assert_no_cookie(response, url)
    assert Referral.objects.count() == (2 if accepted else 0)


def test_a_trusted_origin_may_send_the_form(county, front_door, settings):
    """Behind a proxy the site's public address is one of CSRF_TRUSTED_ORIGINS."""
    settings.CSRF_TRUSTED_ORIGINS = ["https://help.example.org"]
    assert Client().post(SELF, self_referral(), HTTP_ORIGIN="https://help.example.org").status_code == 302


def test_the_refusal_is_in_welsh_on_a_welsh_form(county, front_door):
    response = Client().post(welsh(SELF), self_referral(), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "Mae’n ddrwg gennym, ni chafodd eich neges ei hanfon" in response.content.decode()
    assert f'href="{welsh(SELF)}"' in response.content.decode()
