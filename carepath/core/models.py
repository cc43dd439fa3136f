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

from carepath.core.encryption import EncryptedCharField
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


class AgencyType(models.TextChoices):
    """Agency types named in seed 002 (Appendix 7 and §2)."""

    POLICE = "police", "Police"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    GP = "gp", "GP practice"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    ACUTE_HOSPITAL = "acute_hospital", "Acute hospital"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    EDUCATION = "education", "Education"
    IDVA_SERVICE = "idva_service", "IDVA service"
    REFUGE_PROVIDER = "refuge_provider", "Refuge provider"
    VICTIM_SUPPORT = "victim_support", "Victim Support"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    MARAC = "marac", "MARAC coordination"
    FRONT_DOOR = "front_door", "MASH / One Front Door"
    PARTNERSHIP = "partnership", "Partnership office (commissioning and administration)"


class Agency(models.Model):
    """An organisation whose staff use Carepath or whose reports arrive in it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=40, choices=AgencyType.choices)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, help_text="Blank for county-wide agencies."
    )

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TRIAGE = "triage", "Front-door triage"
    IDVA = "idva", "IDVA"
    CASEWORKER = "caseworker", "Caseworker"
    MARAC_COORDINATOR = "marac_coordinator", "MARAC coordinator"
    MARAC_CHAIR = "marac_chair", "MARAC chair"
    REFUGE_WORKER = "refuge_worker", "Refuge worker"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    COMMISSIONER = "commissioner", "Commissioner or analyst"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data-protection officer"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A member of staff. Every user belongs to exactly one agency and has one role.

    Record access is decided by the agency (see ``carepath.core.access``); the role
    decides which queues and tools a user sees.
    """

    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=30, choices=Role.choices)
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
    """One successful view of a personal record by a member of staff.

    No library logs reads, so this table does. It holds ids only, never names.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "-viewed_at"], name="access_log_record")]
        ordering = ["-viewed_at", "-id"]


def _totp_field(name: str) -> models.Field:
    return otp_totp.TOTPDevice._meta.get_field(name).clone()


class TOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """A member of staff's authenticator app: django-otp's TOTP device with its secret
    encrypted (``carepath.core.encryption``). django-otp finds it as it finds its own
    plugins (any ``Device`` model); the checking of codes is django-otp's, unchanged."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_devices",
                             help_text="The user that this device belongs to.")
    key = EncryptedCharField(max_length=80, validators=[otp_totp.key_validator], default=otp_totp.default_key,
                             help_text="A hex-encoded secret key of up to 40 bytes.")
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
