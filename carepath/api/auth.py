"""Bearer tokens for agency systems.

A token looks like ``cp_3f9a1c2b7d4e.<43 random characters>``. The part before the dot is
a non-secret prefix, stored in clear to find the client; the whole token is stored only as
its SHA-256 hash (the token is 256 random bits, so a fast hash is enough: there is nothing
to guess). The token is shown once, when the client is created, and can never be shown again.
"""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from carepath.api.models import ApiClient
from carepath.core.models import Agency

# Bandit's B105 (a hard-coded password): this is the public start of every token, not a secret.
TOKEN_START = "cp_"  # nosec B105


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_generate() -> tuple[str, str]:
    """A new token and its prefix."""
    prefix = TOKEN_START + secrets.token_hex(6)
    return f"{prefix}.{secrets.token_urlsafe(32)}", prefix


@transaction.atomic
def api_client_create(*, name: str, agency: Agency) -> tuple[ApiClient, str]:
    """Create a client for one agency system. Returns the client and its token, which the
    caller must show once and not keep: only its hash is stored."""
    token, prefix = token_generate()
    client = ApiClient.objects.create(name=name, agency=agency, token_prefix=prefix, token_hash=token_hash(token))
    return client, token


def api_client_for_token(token: str) -> ApiClient | None:
    """The active client holding this token, or None (unknown, malformed or deactivated)."""
    prefix, dot, _ = token.partition(".")
    if not dot or not prefix.startswith(TOKEN_START) or len(prefix) > 16:
        return None
    client = ApiClient.objects.select_related("agency").filter(token_prefix=prefix).first()
    if client is None or not hmac.compare_digest(client.token_hash, token_hash(token)) or not client.is_active:
        return None
    return client


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. Sets ``request.auth`` to the ``ApiClient``."""

    openapi_description = (
        "A token issued to one agency system by a Carepath administrator "
        '(`carepath api-client-create NAME --agency "Agency name"`). Send it as '
        "`Authorization: Bearer <token>`. Referrals are recorded as from the token's agency."
    )

    def __call__(self, request: HttpRequest) -> ApiClient | None:
        # Unlike ninja's HttpBearer, never log the header: it holds the credential.
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        client = api_client_for_token(token)
        if client is not None:
            # A plain update: no history row for every call.
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return client
