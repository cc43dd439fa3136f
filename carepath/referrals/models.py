"""Referrals into specialist services through the One Front Door (seed 002 Appendix 2, 7)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from carepath.core.codes import Consent, choices
from carepath.core.encryption import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from carepath.core.history import RecordHistory
from carepath.core.models import Agency, District
from carepath.events.models import Event
from carepath.people.models import Person


class Channel(models.TextChoices):
    PROFESSIONAL = "professional", "Professional referral form"
    POLICE_IMPORT = "police_import", "Police incident extract"
    SELF = "self", "Self-referral"
    FRIENDS_FAMILY = "friends_family", "Friend or family member"
    API = "api", "Agency system (API)"


class Destination(models.TextChoices):
    MARAC = "marac", "MARAC"
    IDVA = "idva", "IDVA service"
    CASEWORKER = "caseworker", "Domestic abuse caseworker"
    TRIAGE = "triage", "Front-door triage"


class ReferralStatus(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    CLOSED = "closed", "Closed"


class Referral(models.Model):
    """A concern or a request that a victim receive a service. Source agency and channel
    are kept so the board can see who refers (Appendix 7). A referral through the One
    Front Door carries its DASH assessment and the routing decision made on it."""

    channel = models.CharField(max_length=20, choices=Channel.choices)
    destination = models.CharField(max_length=20, choices=Destination.choices)
    referring_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        help_text="Blank for self-referrals and friends-and-family referrals.",
    )
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT)
    received_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    receiving_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        help_text="The front door or service that received it.",
    )
    external_reference = models.CharField(
        max_length=60, blank=True, help_text="The referrer's own reference: re-sending it adds nothing."
    )
    api_client = models.ForeignKey(
        "api.ApiClient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="The agency system that sent it through the API.",
    )
    perpetrator = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    risk_assessment = models.ForeignKey(
        "risk.RiskAssessment", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    risk_level = models.CharField(max_length=10, blank=True, db_index=True)
    consent = models.CharField(max_length=12, choices=choices(Consent), default=Consent.NOT_SOUGHT)
    consent_reason = EncryptedTextField(blank=True, help_text="Why consent was refused or not sought.")
    # Encrypted: its messages quote the practitioner's reason for a professional judgement.
    decision = EncryptedJSONField(default=dict, blank=True, help_text="The routing decision, with its rules, as made.")
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.NEW)
    referrer_name = EncryptedCharField(max_length=200, blank=True)
    referrer_contact = EncryptedCharField(max_length=200, blank=True)
    referrer_relationship = models.CharField(max_length=100, blank=True, help_text="For friends and family.")
    details = EncryptedTextField(blank=True, help_text="What happened, in the referrer's words.")
    tasks = GenericRelation("core.Task", related_query_name="referral")
    shares = GenericRelation("core.InformationShare", related_query_name="referral")
    history = RecordHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referring_agency", "channel", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="unique_referral_external_reference",
            )
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}"


class ReferralChild(models.Model):
    """A child in the victim's household, assessed separately: two children in one family
    can be at different levels (domain.md "Victim risk level")."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    present = models.BooleanField(default=True, help_text="Present at or witnessed the abuse.")
    harmed = models.BooleanField(default=False)
    risk_level = models.CharField(max_length=10, blank=True)
    risk_notes = EncryptedTextField(blank=True)
    history = RecordHistory()


class ImportSource(models.TextChoices):
    UPLOAD = "upload", "Uploaded on the police extract page"
    COMMAND = "command", "Imported at the terminal"


class PoliceImport(models.Model):
    """One police incident extract imported: uploaded on the police extract page or with
    ``carepath import-police-extract``. Who, when, which file (its SHA-256 says whether the
    same file came twice) and what came of it. The rejected rows are kept encrypted (they
    hold names) for the force or the front door to download, fix and import again."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="police_imports", help_text="The force whose extract it is."
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Blank when imported at the terminal.",
    )
    source = models.CharField(max_length=10, choices=ImportSource.choices)
    imported_at = models.DateTimeField(db_index=True)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    rows = models.PositiveIntegerField(help_text="Incident rows read.")
    imported = models.PositiveIntegerField()
    already_imported = models.PositiveIntegerField(help_text="Incidents imported from an earlier file.")
    rejected = models.PositiveIntegerField()
    warnings = models.JSONField(default=list, blank=True)
    rejected_rows = EncryptedTextField(blank=True, help_text="The rejected rows as CSV, with line and reason.")
    history = RecordHistory()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"Police extract import {self.pk}"
