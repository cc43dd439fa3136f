"""Staff must pass the second factor (TOTP) before any page other than logging in."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
