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


class SpecialistGroup(models.TextChoices):
    """Who a specialist service is for: the annual return's specialist characteristics
    (references.md, Domestic Abuse Act 2021 Part 4 annual return)."""

    BLACK_MINORITISED = "black_minoritised", "Black and minoritised women"
    LGBT = "lgbt", "LGBT+ people"
    DISABLED = "disabled", "Disabled people"
    DEAF = "deaf", "Deaf people"
    MALE = "male", "Male victims"
    YOUNG = "young", "Young people aged 16 to 25"
    OLDER = "older", "Older people"
    MENTAL_HEALTH = "mental_health", "People with mental health needs"
    SUBSTANCE_USE = "substance_use", "People who use drugs or alcohol"
    NO_RECOURSE = "no_recourse", "People with no recourse to public funds"
    LARGE_FAMILIES = "large_families", "Large families"


class SupportType(models.TextChoices):
    """The support commissioned in safe accommodation (annual return: support types)."""

    ADVOCACY = "advocacy", "Advocacy and advice"
    SAFETY_PLANNING = "safety_planning", "Safety planning"
    COUNSELLING = "counselling", "Counselling and therapy"
    CHILDREN = "children", "Children's support"
    HOUSING = "housing", "Housing and move-on support"
    FINANCE = "finance", "Benefits and money advice"
    IMMIGRATION = "immigration", "Immigration advice"
    HEALTH = "health", "Health and wellbeing"
    LANGUAGE = "language", "Interpreting and language support"
    PREVENTION = "prevention", "Prevention and recovery programmes"


class QualityStandard(models.TextChoices):
    """The quality standard a service meets (annual return: quality of support)."""

    WOMENS_AID = "womens_aid", "Women's Aid National Quality Standards"
    LEADING_LIGHTS = "leading_lights", "SafeLives Leading Lights"
    IMKAAN = "imkaan", "Imkaan Accredited Quality Standard"
    OTHER = "other", "Another recognised standard"
    NONE = "none", "None yet"


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
    #: What the annual return asks of each service (domain.md "Safe accommodation"; seed
    #: 003 §13.2): the groups it specialises in, the support it gives, its quality standard
    #: and its funding.
    specialist_for = models.JSONField(default=list, blank=True, help_text="Codes of SpecialistGroup.")
    support_types = models.JSONField(default=list, blank=True, help_text="Codes of SupportType.")
    quality_standard = models.CharField(max_length=30, choices=QualityStandard.choices, blank=True)
    annual_funding = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Pounds a year, all sources."
    )
    funded_by = models.CharField(max_length=300, blank=True, help_text="Who funds it, in words.")
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


class Suitability(models.TextChoices):
    """The common suitability assessment of Hertfordshire's Safer Places (domain.md "Safe
    accommodation": refuge intake triage categories)."""

    NEEDS_REFUGE = "needs_refuge", "Needs refuge"
    COMMUNITY_OPTION = "community_option", "A community option would be safe"
    NO_ALTERNATIVE = "no_alternative", "Accepted for lack of an alternative"
    OTHER_HOUSING = "other_housing", "Another housing issue"


class PlacementStatus(models.TextChoices):
    REFERRED = "referred", "Referred: waiting for the provider"
    ACCEPTED = "accepted", "Accepted: arrival expected"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn before a decision"
    STAYING = "staying", "Staying"
    LEFT = "left", "Moved on"
    DID_NOT_ARRIVE = "did_not_arrive", "Did not arrive"


class MoveOn(models.TextChoices):
    """Where a household went when its stay ended (annual return: households that moved
    on, and where to)."""

    SOCIAL_TENANCY = "social_tenancy", "A social housing tenancy"
    PRIVATE_TENANCY = "private_tenancy", "A private rented tenancy"
    OWN_HOME = "own_home", "Her own home, made safe"
    FAMILY_FRIENDS = "family_friends", "Family or friends"
    OTHER_REFUGE = "other_refuge", "Another refuge"
    SECOND_STAGE = "second_stage", "Second-stage or move-on accommodation"
    TEMPORARY = "temporary", "Temporary accommodation"
    RETURNED_TO_PERPETRATOR = "returned_to_perpetrator", "Back to the person causing harm"
    NOT_KNOWN = "not_known", "Not known"
    OTHER = "other", "Somewhere else"


class Departure(models.TextChoices):
    """Why a stay ended (annual return: households that stopped receiving support, with
    reason)."""

    PLANNED = "planned", "Planned move-on"
    LEFT_UNPLANNED = "left_unplanned", "Left without notice"
    ASKED_TO_LEAVE = "asked_to_leave", "Asked to leave"
    RISK = "risk", "Moved for her safety"
    OTHER = "other", "Another reason"


class Placement(models.Model):
    """A family referred to a safe-accommodation unit, and her stay there if she comes:
    the referral with its Safer Places assessment, the provider's decision, arrival,
    support plan, children's support and departure with where she moved on to (issue 15
    items 3 and 4). A referral out of the area names a service elsewhere instead of a
    unit; a referral into the area names the referrer outside it and no home district."""

    hold = models.OneToOneField(Hold, null=True, blank=True, on_delete=models.PROTECT, related_name="placement")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    service_elsewhere = models.CharField(
        max_length=200, blank=True, help_text="A referral out of the area: the service it went to."
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    referring_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Blank: from outside."
    )
    referrer_elsewhere = models.CharField(
        max_length=200, blank=True, help_text="A referral into the area: who referred her."
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField()
    home_district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Blank: outside."
    )
    suitability = models.CharField(max_length=20, choices=Suitability.choices, blank=True)
    #: The household, for the annual return: who she is (matching.WOMAN, MAN, TRANS_WOMAN),
    #: how many adults and children, and the needs of matching.NEEDS she has.
    adult = models.CharField(max_length=20)
    adults = models.PositiveSmallIntegerField(default=1)
    children = models.PositiveSmallIntegerField(default=0)
    needs = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, help_text="For the provider: what it needs to know to decide.")
    status = models.CharField(max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.REFERRED)
    decided_at = models.DateTimeField(null=True, blank=True)
    #: Why it was declined: the provider's coded reason (a referral to a unit here copies
    #: its hold's), or the answer from a service elsewhere.
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    unmet_need = models.CharField(max_length=20, choices=UnmetNeed.choices, blank=True)
    arrived_on = models.DateField(null=True, blank=True)
    support_plan = models.TextField(blank=True)
    children_support = models.TextField(blank=True)
    children_supported = models.PositiveSmallIntegerField(default=0)
    left_on = models.DateField(null=True, blank=True)
    departure = models.CharField(max_length=20, choices=Departure.choices, blank=True)
    move_on = models.CharField(max_length=30, choices=MoveOn.choices, blank=True)
    history = RecordHistory()

    class Meta:
        indexes = [
            models.Index(fields=["status"], name="placement_status"),
            models.Index(fields=["arrived_on", "left_on"], name="placement_stay"),
            models.Index(fields=["referred_at"], name="placement_referred_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | ~models.Q(service_elsewhere=""),
                name="placement_to_a_unit_or_elsewhere",
            ),
        ]

    @property
    def out_of_area_in(self) -> bool:
        return self.home_district_id is None

    @property
    def out_of_area_out(self) -> bool:
        return self.unit_id is None

    @property
    def nights(self) -> int | None:
        """Length of stay in nights, to departure or (still staying) not known."""
        if self.arrived_on is None or self.left_on is None:
            return None
        return (self.left_on - self.arrived_on).days
