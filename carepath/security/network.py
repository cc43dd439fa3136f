"""Who is at the other end of a request: the client's address, for rate limits and
lockouts (``CAREPATH_TRUSTED_PROXIES``).

Each trusted proxy appends the address it saw to ``X-Forwarded-For``, so with ``n``
proxies the client's address is the ``n``-th from the right; anything further left was
written by the client and may be false. With no trusted proxies the header is ignored.
Addresses are never logged: they are personal data.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

#: IPv6 clients are counted by their /64 network: one home or phone is given a whole /64.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text ("" when the server was not told one)."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass  # a proxy that does not append plain addresses: fall back to the connection's
    return request.META.get("REMOTE_ADDR", "")


def client_network(request: HttpRequest) -> str:
    """What a rate limit counts: the client's IPv4 address or IPv6 /64 network."""
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)
