"""Referrals into specialist services through the One Front Door (seed 002 Appendix 2, 7)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from carepath.core.codes import ChildrenOutcome, Consent, choices
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
    """Where a referral is at the front door: it ends routed, or closed with an outcome."""

    NEW = "new", "New"
    IN_TRIAGE = "in_triage", "In triage"
    ROUTED = "routed", "Routed"
    CLOSED = "closed", "Closed"


#: The states a referral waits in at the front door.
OPEN_STATUSES = (ReferralStatus.NEW, ReferralStatus.IN_TRIAGE)


class ClosureOutcome(models.TextChoices):
    """Why a referral left the front door without being routed to a service."""

    NO_FURTHER_ACTION = "nfa", "No further action"
    DUPLICATE = "duplicate", "Duplicate of another referral"
    NOT_DOMESTIC_ABUSE = "not_da", "Not domestic abuse"
    ANOTHER_AREA = "another_area", "Passed to another area"
    NO_CONTACT = "no_contact", "Could not reach the victim safely"
    DECLINED = "declined", "The victim declined any service"


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
    triage_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_in_triage",
        help_text="The member of the front door who has it.",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_contact_due_at = models.DateTimeField(
        null=True, blank=True, help_text="The earliest open first-contact deadline of its tasks, kept for the queue."
    )
    closure_outcome = models.CharField(max_length=20, choices=ClosureOutcome.choices, blank=True)
    triage_note = EncryptedTextField(blank=True, help_text="Why it was last closed or reopened, in the worker's words.")
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
        # Covers the triage queue: its access rule, filters, missed-deadline order and the team's load.
        indexes = [
            models.Index(
                fields=[
                    "receiving_agency",
                    "status",
                    "referring_agency",
                    "triage_owner",
                    "first_contact_due_at",
                    "risk_level",
                    "received_at",
                ],
                name="referral_front_door_queue",
            )
        ]
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
    # Children's services' decision for this child (board measure 5), and who recorded it.
    outcome = models.CharField(max_length=20, choices=choices(ChildrenOutcome), blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
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
    dates_kept_as_written = models.PositiveIntegerField(
        default=0,
        help_text="Dates of birth imported as the force wrote them because they are no real date "
        "(kept for matching records, never used as a date).",
    )
    warnings = models.JSONField(default=list, blank=True)
    rejected_rows = EncryptedTextField(blank=True, help_text="The rejected rows as CSV, with line and reason.")
    history = RecordHistory()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"Police extract import {self.pk}"


class ReferralDecision(models.Model):
    """One re-routing of a referral after the front door assessed the risk (the DASH
    completed later, or a re-assessment): the decision it replaced, the one that replaced
    it, who, when and how the victim was reached. The referral's ``decision`` is always
    the current one; these rows keep every earlier decision."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact_channel = models.CharField(max_length=20, help_text="How the victim was reached for the checklist.")
    risk_assessment = models.ForeignKey("risk.RiskAssessment", on_delete=models.PROTECT, related_name="+")
    earlier_risk_assessment = models.ForeignKey(
        "risk.RiskAssessment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Encrypted as the referral's decision is: messages quote a professional judgement's reason.
    earlier = EncryptedJSONField(default=dict, blank=True, help_text="The decision replaced.")
    decision = EncryptedJSONField(default=dict, blank=True, help_text="The decision made on the new assessment.")
    history = RecordHistory()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"Decision {self.pk} on referral {self.referral_id}"
