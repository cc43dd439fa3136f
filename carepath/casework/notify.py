"""GOV.UK Notify, the government's service for texts and emails, as casework uses it
(issue 14, item 4): the real client, ``notifications-python-client``, made from the
deployment's settings (``CAREPATH_NOTIFY_API_KEY``, ``CAREPATH_NOTIFY_BASE_URL``,
``CAREPATH_NOTIFY_TIMEOUT_SECONDS``, ``CAREPATH_NOTIFY_TEMPLATES``; see the README).

Settings are read when asked for, not at import, so a deployment (or a test) changes them
without a restart of this module. Nothing here logs the key.

Notify templates: each template Carepath uses holds only placeholders, ``((body))`` for a
text and subject ``((subject))`` with body ``((body))`` for an email, so that the words she
receives are the ones ``messages.py`` composed and checked, never words kept in Notify.
"""

from __future__ import annotations

import re

from django.conf import settings
from notifications_python_client.notifications import NotificationsAPIClient

#: A Notify API key: ``<key name>-<service id>-<secret>``, both ids UUIDs.
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
KEY_PATTERN = re.compile(rf".+-{_UUID}-{_UUID}")


def api_key() -> str:
    return getattr(settings, "NOTIFY_API_KEY", "") or ""


def is_configured() -> bool:
    """Whether a Notify key is set up at all (with none, messages are sent by hand)."""
    return bool(api_key())


def key_is_valid() -> bool:
    """Whether the key has Notify's shape; the client would otherwise fail on its own asserts."""
    return bool(KEY_PATTERN.fullmatch(api_key()))


def client() -> NotificationsAPIClient:
    """The real Notify client for this deployment. Callers check ``is_configured`` and
    ``key_is_valid`` first."""
    return NotificationsAPIClient(api_key(), base_url=settings.NOTIFY_BASE_URL, timeout=timeout_seconds())


def timeout_seconds() -> float:
    return float(getattr(settings, "NOTIFY_TIMEOUT_SECONDS", 10))


def template_id(*, channel: str, kind: str) -> str:
    """The Notify template for a message kind on a channel: ``"channel:kind"`` when the
    partnership set one for that kind, else ``"channel"``; empty when neither is set."""
    templates = getattr(settings, "NOTIFY_TEMPLATES", {}) or {}
    return templates.get(f"{channel}:{kind}") or templates.get(channel) or ""


def reference(message_pk: int) -> str:
    """The reference Notify keeps with the notification: finds it again by our message,
    so an unanswered send is looked up, never sent twice."""
    return f"carepath-message-{message_pk}"
