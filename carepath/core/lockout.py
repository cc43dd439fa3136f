"""Locking out password guessing (django-axes), by username at an address and by address.

Axes counts failures per username at one address (``AXES_LOCKOUT_PARAMETERS``) against
one limit. On its own that lets one address try a few passwords on every username in
turn; so failures from one address across all usernames are counted too, against a
higher limit (``CAREPATH_LOGIN_ADDRESS_FAILURE_LIMIT``), within the same cool-off window.
Either limit reached locks the sign-in for that address.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum


def failures_from_address(request) -> int:
    """Failed sign-ins from the request's address, for any username, in the cool-off window."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class UsernameAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, whose failure count also reaches the limit once the address
    alone has reached its own limit."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if failures_from_address(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_count_failure(request, *, username: str) -> bool:
    """Count a wrong secret typed by someone already past the password (their current
    password when changing it, an enrolment code) as a failed sign-in for that username
    at that address. Once that locks them out they are signed out, and the lockout page
    answers the request. Returns True if they were locked out."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return True
    return False
