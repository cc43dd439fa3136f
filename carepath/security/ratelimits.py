"""Rate limits for what anyone on the internet can reach: the public forms' POSTs and the
API (``CAREPATH_RATE_LIMIT_*``). Staff pages are not limited here: sign-in has its own
lockout (django-axes).

Counting is django-ratelimit's (fixed windows, one counter per key and window) in the
``ratelimit`` cache, which is Django's database cache so that every worker process of a
deployment counts into the same table. Its increments are a read then a write, so requests
arriving at the same instant may be counted as one: the limits hold to within the number
of concurrent workers, enough against floods and form-filling bots.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django_ratelimit.core import get_usage

from carepath.security.network import client_network


def rate_limit_count(
    request: HttpRequest, *, group: str, rate: str, key: Callable[[str, HttpRequest], str] | None = None
) -> int | None:
    """Count this request against ``rate`` (e.g. "20/h") for its client (by default its
    address). ``None`` while within the limit; over it, the seconds until the count restarts."""
    usage = get_usage(request, group=group, key=key or (lambda _group, r: client_network(r)), rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 1)
