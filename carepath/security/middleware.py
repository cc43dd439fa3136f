"""Middleware for what every response and every staff session must obey.

- ``NoStoreMiddleware``: no page, API answer or download is kept by the browser or a proxy
  (a shared computer's Back button, its disk cache, a council proxy): ``Cache-Control:
  no-store``. Static files are answered before this runs (WhiteNoise) and keep their caching.
- ``SessionLifetimeMiddleware``: a staff session ends a set number of hours after sign-in
  whatever the activity (``CAREPATH_SESSION_MAX_HOURS``), on top of the idle expiry
  (``CAREPATH_SESSION_IDLE_MINUTES``): OWASP's Session Management Cheat Sheet, "Absolute
  Timeout". A stolen or forgotten session cannot be kept alive by activity.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.template.defaultfilters import pluralize

from carepath.security.signals import SIGNED_IN_AT


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            # A session without the time (signed in before this check existed) is ended too.
            if not isinstance(signed_in_at, (int, float)) or time.time() - signed_in_at > settings.SESSION_MAX_AGE:
                logout(request)
                hours = settings.SESSION_MAX_AGE // 3600
                messages.info(
                    request,
                    f"You have been signed out because you signed in more than {hours} "
                    f"hour{pluralize(hours)} ago. Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
