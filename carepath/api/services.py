"""Writes of the API: a referral received from an agency system, recorded once per
``Idempotency-Key``.

An agency system that lost the answer to a POST (a timeout, a dropped connection) sends it
again with the same key and gets the first referral back, with nothing recorded twice
(after the IETF draft "The Idempotency-Key HTTP Header Field",
draft-ietf-httpapi-idempotency-key-header). The same key with a different body is a
mistake in the sending system, and is refused rather than guessed at.
"""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from carepath.api.models import ApiClient, IdempotencyKey
from carepath.referrals.intake import ReferralInput
from carepath.referrals.services import ReferralResult, referral_create


class IdempotencyKeyReused(Exception):
    """The client already used this key for a referral with a different body."""


def body_digest(body: dict) -> str:
    """A keyed hash of the body as validated, the same whatever the order of its keys. Keyed,
    so that the stored value cannot be used to test a guess at the personal data in it."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return salted_hmac("carepath.api.idempotency-key", canonical, algorithm="sha256").hexdigest()


def idempotent_referral_get(*, client: ApiClient, key: str, digest: str) -> ReferralResult | None:
    """The referral first recorded with this key, or None for a key not used yet. Raises
    ``IdempotencyKeyReused`` when the key came with a different body."""
    used = IdempotencyKey.objects.filter(client=client, key=key).first()
    if used is None:
        return None
    if used.body_digest != digest:
        raise IdempotencyKeyReused
    return ReferralResult(referral_id=used.referral_id, created=False)


@transaction.atomic
def api_referral_create(*, client: ApiClient, data: ReferralInput, key: str = "", digest: str = "") -> ReferralResult:
    """Record a referral from ``client`` (see ``referral_create``), once per ``key`` when one
    is given. A key sent twice at once: the second waits for the first, and fails on the
    key's unique constraint (``IntegrityError``); ask ``idempotent_referral_get`` again."""
    if key:
        first = idempotent_referral_get(client=client, key=key, digest=digest)
        if first is not None:
            return first
    result = referral_create(data=data)
    if key:
        IdempotencyKey.objects.create(
            client=client, key=key, body_digest=digest, referral_id=result.referral_id, created_at=timezone.now()
        )
    return result
