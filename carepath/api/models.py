"""API clients: one per agency system that sends referrals (a police force's records system,
a hospital's safeguarding system). Each holds a bearer token, of which Carepath keeps
only a SHA-256 hash and a short, non-secret prefix to find it by."""

from django.db import models

from carepath.core.history import RecordHistory
from carepath.core.models import Agency


class ApiClient(models.Model):
    """One agency system allowed to call the API. Referrals it sends are recorded as
    referred by ``agency``. An administrator deactivates a client to revoke its token."""

    name = models.CharField(max_length=100, help_text='The sending system, e.g. "Police records system".')
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text="The referring agency: referrals sent with this client's token are recorded as from it.",
    )
    token_prefix = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text="The start of the token, not secret: it identifies the client in logs and in this list.",
    )
    token_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(default=True, help_text="Untick to revoke the token at once.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The hash stays out of the history table; last use changes on every call and is not an edit.
    history = RecordHistory(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        verbose_name = "API client"
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_api_client_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` header a client sent with a referral: a retry with the same
    key gets the first referral back and records nothing new. The body is kept only as a
    keyed hash (no personal data), to refuse the same key sent with a different body."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    body_digest = models.CharField(max_length=64)
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="unique_idempotency_key_per_client")]

    def __str__(self) -> str:
        return f"Idempotency key {self.pk}"
