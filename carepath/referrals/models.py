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
    referrer_safe_contact = EncryptedCharField(
        max_length=200, blank=True, help_text="How and when the referrer can safely be reached."
    )
    police_reference = models.CharField(
        max_length=60, blank=True, help_text="The police incident or crime reference another agency gave."
    )
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
