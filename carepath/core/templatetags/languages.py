"""The page's language for ``<html lang>`` and the links to the same page in the other
languages (settings.LANGUAGES), each named in its own language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


def _bcp47(code: str) -> str:
    """Django's "en-gb" as the HTML lang value "en-GB"."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


@register.simple_tag
def html_lang() -> str:
    return _bcp47(translation.get_language() or settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict[str, str]]:
    """[{"name", "lang", "url"}] for each language but the page's own: the same page (as a
    GET: a form page comes back empty; a search keeps what was chosen) at that language's
    address."""
    current = translation.get_language()
    request = context["request"]
    query = f"?{request.GET.urlencode()}" if request.method == "GET" and request.GET else ""
    return [
        {"name": name, "lang": _bcp47(code), "url": translate_url(request.path, code) + query}
        for code, name in settings.LANGUAGES
        if code != current
    ]
