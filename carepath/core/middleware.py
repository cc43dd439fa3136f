"""Staff must pass the second factor (TOTP) before any page other than logging in; the
language of a page comes from its address only."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

OPEN_PREFIXES = ("/static/", "/assets/", "/favicon")


def user_has_second_factor(user) -> bool:
    """True once the user has verified a TOTP token this session, or, only while the
    server runs in demo mode, for a demo account."""
    if not user.is_authenticated:
        return False
    if settings.DEMO_MODE and user.is_demo_account:
        return True
    return user.is_verified()


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not user_has_second_factor(request.user):
            allowed = {reverse("login"), reverse("logout"), reverse("two_factor")}
            if request.path not in allowed and not request.path.startswith(OPEN_PREFIXES):
                return redirect(f"{reverse('two_factor')}?next={request.path}")
        return self.get_response(request)


class UrlLanguageMiddleware:
    """The page's language comes from its address and nothing else: /cy/help/... is Welsh,
    every other address is in English (``LANGUAGE_CODE``).

    Django's LocaleMiddleware would also read a language cookie, the session and the
    browser's Accept-Language, and redirect to a language prefix. A shared or watched
    phone must not remember that someone read these pages, and a staff page must not turn
    Welsh because of a browser setting, so none of that is used here and nothing is stored.
    The language is active before the address is resolved: i18n_patterns needs it to match
    the /cy/ prefix.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
