"""Geography, agencies, staff, their authenticator apps and the access log.

Geography follows seed 002 §3 and Appendix 6: a partnership (the county) is split into
MARAC areas (Hertfordshire: Central, East, West), each covering several districts.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp import models as otp_totp

from carepath.core.codes import AccessAction, ActionType, AgencyType, Consent, Role, TaskStatus, choices
from carepath.core.encryption import EncryptedCharField, EncryptedTextField
from carepath.core.history import RecordHistory


class Partnership(models.Model):
    """The county-wide domestic abuse partnership that runs this installation."""

    name = models.CharField(max_length=200, unique=True)
    population = models.PositiveIntegerField(help_text="Total resident population.")
    women_16_plus = models.PositiveIntegerField(help_text="Female population aged 16 and over.")

    def __str__(self) -> str:
        return self.name


class MaracArea(models.Model):
    """The footprint of one MARAC meeting."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="marac_areas")
    name = models.CharField(max_length=100)
    population = models.PositiveIntegerField()
    women_16_plus = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="unique_marac_area_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district or borough council area within a MARAC area."""

    marac_area = models.ForeignKey(MaracArea, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100, unique=True)
    population = models.PositiveIntegerField()
    women_16_plus = models.PositiveIntegerField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An organisation whose staff use Carepath or whose reports arrive in it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=40, choices=choices(AgencyType))
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, help_text="Blank for county-wide agencies."
    )
    marac_area = models.ForeignKey(
        MaracArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="For an agency serving one MARAC area (its MARAC coordination): the victims living there.",
    )

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Every user belongs to exactly one agency and has one role.

    Record access is decided by the agency (see ``carepath.core.access``); the role
    decides which queues and tools a user sees.
    """

    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=30, choices=choices(Role))
    is_supervisor = models.BooleanField(
        default=False, help_text="Supervisors may read who has viewed their agency's records."
    )
    is_demo_account = models.BooleanField(
        default=False,
        help_text="Demo accounts may skip the second factor, and only while the server runs in demo mode.",
    )
    history = RecordHistory(excluded_fields=["password", "last_login"])

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser


class AccessLog(models.Model):
    """One view of a record by a member of staff, or one refused attempt to open one.

    No library logs reads, so this table does: a row for the record a page opened and one
    for every person the page, list or download showed. It holds ids only, never names.
    Rows form a hash chain (``carepath.core.audit``): ``seq`` numbers them without gaps and
    ``digest`` covers the row and the digest before it, so an edited, deleted or
    re-ordered row is found by ``carepath audit verify``.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=choices(AccessAction))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # The page's own record when this row is a person it showed (a referral, an event).
    via_type = models.ForeignKey(ContentType, null=True, on_delete=models.PROTECT, related_name="+")
    via_id = models.PositiveBigIntegerField(null=True)
    viewed_at = models.DateTimeField(db_index=True)
    path = models.CharField(max_length=300)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["content_type", "object_id", "-viewed_at"], name="access_log_record"),
            models.Index(fields=["user", "-viewed_at"], name="access_log_user"),
        ]
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"Access log row {self.seq}"


class AccessAlert(models.Model):
    """A burst of refused attempts by one user, for administrators to look into."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    refusals = models.PositiveIntegerField(help_text="Refused attempts in the window when it was raised.")
    window_minutes = models.PositiveIntegerField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Access alert {self.pk}"


class InformationShare(models.Model):
    """A recorded share of a record with an agency (domain.md "Information sharing"): what,
    with whom, why, on what basis, and consent. The subject is any registered record (a
    referral today); the share names the people it gives and the parts of the record.

    A share is what lets an agency other than the involved ones open the record, see the
    people it names, and only the parts it lists (default deny).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    people = models.ManyToManyField("people.Person", through="SharedPerson", related_name="shares")
    parts = models.JSONField(default=list, help_text="The parts of the record shared (codes.SharePart).")
    shared_with = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shares_received")
    shared_by = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="shares_made")
    what = models.CharField(max_length=200)
    why = models.TextField()
    lawful_basis = models.TextField(blank=True)
    consent = models.CharField(max_length=12, choices=choices(Consent))
    consent_reason = EncryptedTextField(blank=True)
    shared_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        indexes = [models.Index(fields=["shared_with", "content_type", "object_id"], name="share_agency_subject")]

    def __str__(self) -> str:
        return f"Information share {self.pk}"


class SharedPerson(models.Model):
    """A person an information share names, and why that person is included."""

    share = models.ForeignKey(InformationShare, on_delete=models.CASCADE, related_name="named")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=300, blank=True)
    history = RecordHistory()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["share", "person"], name="unique_shared_person")]
        indexes = [models.Index(fields=["person", "share"], name="shared_person")]


class Task(models.Model):
    """One piece of work about a registered record (a referral today; a MARAC case, a
    casework case or a vacancy hold tomorrow), owned by an agency, perhaps by a named
    member of staff, with a deadline and the rule and reason that produced it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action_type = models.CharField(max_length=40, choices=choices(ActionType))
    concerns = models.CharField(max_length=60, default="victim", help_text="Who in the record the task is about.")
    reason = models.TextField()
    rule = models.CharField(max_length=200)
    owner_agency = models.ForeignKey(
        Agency,
        null=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        help_text="Blank when no agency of the owning type is set up yet.",
    )
    owner_agency_type = models.CharField(max_length=40, choices=choices(AgencyType))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks_owned",
        help_text="The named member of staff, once assigned.",
    )
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    contact_channels = models.JSONField(default=list, blank=True, help_text="The only channels this task may use.")
    lawful_basis = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=choices(TaskStatus), default=TaskStatus.OPEN, db_index=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="task_subject"),
            models.Index(fields=["owner_agency", "status", "action_type"], name="task_owner_queue"),
        ]

    def __str__(self) -> str:
        return f"Task {self.pk}"


class EnrolmentCodeStatus(models.TextChoices):
    ISSUED = "issued", "Issued, not used yet"
    USED = "used", "Used to set up an authenticator app"
    REFUSED = "refused", "Refused after too many wrong tries"
    REPLACED = "replaced", "Replaced by a newer code"


class EnrolmentCode(models.Model):
    """A one-time code that lets a member of staff set up their authenticator app.

    An administrator issues it (or ``carepath create-staff`` / ``enrolment-code`` at the
    server) and gives it to the person; the password alone no longer enrols a phone. The
    code is shown once and stored only as a hash; it expires, works once, and is refused
    after a few wrong tries. Issuing one removes the user's authenticator apps (a lost
    phone), and this row, with its history, records who did it and when.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Blank when issued at the server's command line.",
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=EnrolmentCodeStatus.choices, default=EnrolmentCodeStatus.ISSUED)
    wrong_tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    removed_devices = models.PositiveSmallIntegerField(
        default=0, help_text="Authenticator apps removed from the account when the code was issued."
    )
    history = RecordHistory(excluded_fields=["code_hash"])

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"Enrolment code {self.pk}"


class StaffChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "Approved and made"
    REJECTED = "rejected", "Rejected"


class StaffChangeRequest(models.Model):
    """A change to a staff account that one administrator requests and a different one
    approves (see ``carepath.core.staff_changes``): who, what (old -> new), why, and the
    decision. Only approval makes the change."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_requests")
    changes = models.JSONField(help_text="Field -> {'old': value, 'new': value}.")
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=StaffChangeStatus.choices, default=StaffChangeStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "account change request"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")), name="staff_change_not_decided_by_requester"
            ),
        ]

    def __str__(self) -> str:
        return f"Account change request {self.pk}"


def _totp_field(name: str) -> models.Field:
    return otp_totp.TOTPDevice._meta.get_field(name).clone()


class TOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """A member of staff's authenticator app: django-otp's TOTP device with its secret
    encrypted (``carepath.core.encryption``). django-otp finds it as it finds its own
    plugins (any ``Device`` model); the checking of codes is django-otp's, unchanged."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="totp_devices",
        help_text="The user that this device belongs to.",
    )
    key = EncryptedCharField(
        max_length=80,
        validators=[otp_totp.key_validator],
        default=otp_totp.default_key,
        help_text="A hex-encoded secret key of up to 40 bytes.",
    )
    step = _totp_field("step")
    t0 = _totp_field("t0")
    digits = _totp_field("digits")
    tolerance = _totp_field("tolerance")
    drift = _totp_field("drift")
    last_t = _totp_field("last_t")

    bin_key = otp_totp.TOTPDevice.bin_key
    verify_token = otp_totp.TOTPDevice.verify_token
    get_throttle_factor = otp_totp.TOTPDevice.get_throttle_factor
    config_url = otp_totp.TOTPDevice.config_url
    _read_str_from_settings = otp_totp.TOTPDevice._read_str_from_settings

    class Meta(Device.Meta):
        verbose_name = "authenticator app"
