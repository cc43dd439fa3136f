"""Safe accommodation services (Domestic Abuse Act 2021 Part 4; seed 002 §5, Table 11)."""

from django.conf import settings
from django.db import models

from carepath.core.encryption import EncryptedTextField
from carepath.core.history import RecordHistory
from carepath.core.models import Agency, District


class AccommodationKind(models.TextChoices):
    REFUGE = "refuge", "Refuge"
    SPECIALIST = "specialist", "Specialist safe accommodation"
    DISPERSED = "dispersed", "Dispersed accommodation"
    SECOND_STAGE = "second_stage", "Second-stage or move-on"
    SANCTUARY = "sanctuary", "Sanctuary scheme"
    OTHER_EMERGENCY = "other_emergency", "Other designated emergency accommodation"


class SafeAccommodation(models.Model):
    """A commissioned safe-accommodation service. Its address is shown only to staff of
    the provider (domain.md "Safe contact")."""

    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="accommodation")
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=AccommodationKind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT)
    units = models.PositiveSmallIntegerField(help_text="Family units (beds) commissioned.")
    support_worker_fte = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    confidential_address = EncryptedTextField(blank=True)
    history = RecordHistory()

    def __str__(self) -> str:
        return self.name


class VacancyState(models.TextChoices):
    """What a unit can do tonight, as its provider last said (references.md, Finding A Bed
    Tonight: "accepting new guests" and a "temporarily closed" state)."""

    AVAILABLE = "available", "Available"
    ON_HOLD = "on_hold", "On hold for a referral"
    TEMPORARILY_CLOSED = "temporarily_closed", "Temporarily closed"
    OCCUPIED = "occupied", "Occupied"


class Unit(models.Model):
    """One family unit of a safe-accommodation service, with what it can take (issue 15
    item 1; references.md "Why placements fail" and Finding A Bed Tonight's constraints as
    data) and its vacancy as the provider last confirmed it. No address: the service's
    address is the provider's alone."""

    accommodation = models.ForeignKey(SafeAccommodation, on_delete=models.CASCADE, related_name="unit_set")
    name = models.CharField(max_length=100, help_text="The provider's own name for the unit, e.g. 'Flat 3'.")
    bedrooms = models.PositiveSmallIntegerField(default=1)
    cots = models.PositiveSmallIntegerField(default=0)
    children_spaces = models.PositiveSmallIntegerField(default=0, help_text="Children the unit can take.")
    oldest_boy_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The oldest boy accepted, in years; blank for any age."
    )
    wheelchair_accessible = models.BooleanField(default=False)
    accessibility_notes = models.TextField(blank=True)
    pets = models.BooleanField(default=False, help_text="Pets accepted.")
    male_victims = models.BooleanField(default=False, help_text="Male victims accepted.")
    trans_women = models.BooleanField(default=True, help_text="Trans women accepted.")
    staff_languages = models.JSONField(default=list, blank=True, help_text="Languages the staff speak, in words.")
    no_recourse_to_public_funds = models.BooleanField(
        default=False, help_text="Takes women with no recourse to public funds."
    )
    mental_health_support = models.BooleanField(default=False, help_text="High support needs: mental health.")
    substance_use_support = models.BooleanField(default=False, help_text="High support needs: substance use.")
    culturally_specific = models.CharField(
        max_length=200, blank=True, help_text="The community a culturally specific service is for; blank if none."
    )
    vacancy = models.CharField(max_length=20, choices=VacancyState.choices, default=VacancyState.OCCUPIED)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="When the provider last confirmed it.")
    history = RecordHistory()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["accommodation", "name"], name="unit_name_unique_per_service")]
        indexes = [models.Index(fields=["vacancy"], name="unit_vacancy")]

    def __str__(self) -> str:
        return f"{self.accommodation.name}, {self.name}"


class UnmetDemand(models.Model):
    """A vacancy search that found no unit available now to meet a family's needs: the
    evidence the needs assessment lacks (issue 15 item 2; references.md, Finding A Bed
    Tonight logs a search with no match). Needs as codes and counts, never a person."""

    searched_at = models.DateTimeField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", help_text="Who searched.")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="The family's home."
    )
    adult = models.CharField(max_length=20, help_text="matching.WOMAN, MAN or TRANS_WOMAN.")
    adults = models.PositiveSmallIntegerField(default=1)
    children = models.PositiveSmallIntegerField(default=0)
    oldest_boy_age = models.PositiveSmallIntegerField(null=True, blank=True)
    needs = models.JSONField(default=list, blank=True, help_text="Codes of forms.NEEDS the family has.")
    languages = models.JSONField(default=list, blank=True)
    districts_avoided = models.PositiveSmallIntegerField(default=0)
    available_units = models.PositiveIntegerField(help_text="Units available now at the time, suitable or not.")

    class Meta:
        indexes = [models.Index(fields=["searched_at"], name="unmet_demand_searched_at")]


class HoldStatus(models.TextChoices):
    """A hold's life (references.md, Finding A Bed Tonight: held -> confirmed / cancelled /
    expired)."""

    HELD = "held", "Held"
    ACCEPTED = "accepted", "Accepted by the provider"
    DECLINED = "declined", "Declined by the provider"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


class DeclineReason(models.TextChoices):
    """Why a provider declines a referral (domain.md "Defaults for the pathway beyond the
    front door"; references.md, No Woman Turned Away 2024)."""

    NO_SPACE = "no_space", "No space"
    NEEDS_NOT_MET = "needs_not_met", "Her needs cannot be met"
    RISK_TO_OTHERS = "risk_to_others", "Risk to other residents"
    NO_RECOURSE = "no_recourse", "No recourse to public funds"
    OUT_OF_AREA = "out_of_area", "Out of area"
    SURVIVOR_DECLINED = "survivor_declined", "She declined the place"
    INAPPROPRIATE = "inappropriate", "Referral inappropriate"
    OTHER = "other", "Other"


class UnmetNeed(models.TextChoices):
    """Which need a provider could not meet, when it declines for needs not met."""

    WHEELCHAIR = "wheelchair", "Wheelchair access"
    OTHER_ACCESS = "other_access", "Other accessibility"
    PETS = "pets", "A pet"
    MENTAL_HEALTH = "mental_health", "Mental health support"
    SUBSTANCE_USE = "substance_use", "Substance use support"
    CHILDREN = "children", "Room for the children"
    OLDEST_BOY = "oldest_boy", "The age of a son"
    LANGUAGE = "language", "A language"
    CULTURAL = "cultural", "A culturally specific service"
    OTHER = "other", "Another need"


class Hold(models.Model):
    """A referring agency's hold on an available unit while it refers a family: the unit
    is on hold until the provider accepts, the referrer cancels, or the hold expires
    (domain.md "Defaults ...": 4 hours unless the provider extends it). It carries no
    personal data: the family is handed over by phone (Finding A Bed Tonight's token)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="holds")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", help_text="The referrer's agency.")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=HoldStatus.choices, default=HoldStatus.HELD)
    ended_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    unmet_need = models.CharField(max_length=20, choices=UnmetNeed.choices, blank=True)
    history = RecordHistory()

    class Meta:
        indexes = [models.Index(fields=["status", "expires_at"], name="hold_status_expires")]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=models.Q(status="held"), name="one_live_hold_per_unit")
        ]
