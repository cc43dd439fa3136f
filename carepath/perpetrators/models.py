"""Perpetrators (issue 17): orders and their breaches, releases from custody, criminal
history and intelligence, the serial and repeat perpetrator panel and its plans,
programmes, and Clare's Law applications.

A perpetrator is a ``Person`` (the person causing harm on events); his profile joins every
record linked as the same person (``Person.identity_key``). Seed 002 Appendix 4 and seed
003 priority 4; the police's practice in references.md (MATAC, Clare's Law).
"""

from django.conf import settings
from django.db import models

from carepath.core.encryption import EncryptedTextField
from carepath.core.history import RecordHistory
from carepath.core.models import Agency, MaracArea
from carepath.people.models import Person

STAFF = settings.AUTH_USER_MODEL


class OrderKind(models.TextChoices):
    """Orders and conditions that protect a victim (issue 17, 1)."""

    BAIL = "bail", "Bail conditions"
    NON_MOLESTATION = "non_molestation", "Non-molestation order"
    OCCUPATION = "occupation", "Occupation order"
    RESTRAINING = "restraining", "Restraining order"
    DVPN = "dvpn", "Domestic Violence Protection Notice (DVPN)"
    DVPO = "dvpo", "Domestic Violence Protection Order (DVPO)"
    DAPN = "dapn", "Domestic Abuse Protection Notice (DAPN)"
    DAPO = "dapo", "Domestic Abuse Protection Order (DAPO)"


class Order(models.Model):
    """An order or bail conditions against a perpetrator, protecting one victim."""

    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="orders_against")
    protected_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="orders_protecting", help_text="The victim it protects."
    )
    kind = models.CharField(max_length=20, choices=OrderKind.choices)
    made_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Blank until further order.")
    made_by = models.CharField(max_length=200, blank=True, help_text="The court or the police officer's rank.")
    conditions = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by_user = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["protected_person", "ends_on"], name="order_protected")]

    def __str__(self) -> str:
        return f"Order {self.pk}"


class BreachAction(models.TextChoices):
    ARRESTED = "arrested", "Arrested"
    CHARGED = "charged", "Charged"
    RETURNED_TO_COURT = "returned_to_court", "Returned to court"
    WARNED = "warned", "Warned"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"


class Breach(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="breaches")
    occurred_at = models.DateTimeField()
    what_happened = EncryptedTextField(blank=True)
    action = models.CharField(max_length=24, choices=BreachAction.choices)
    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by_user = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "breaches"


class CustodyRelease(models.Model):
    """A release from custody, which bears on the safety of every one of his victims."""

    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="custody_releases")
    released_on = models.DateField()
    licence_conditions = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by_user = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["-released_on", "-pk"]


class HistoryKind(models.TextChoices):
    CONVICTION = "conviction", "Conviction"
    CAUTION = "caution", "Caution"
    ARREST = "arrest", "Arrest"
    INTELLIGENCE = "intelligence", "Intelligence"


class CriminalHistoryEntry(models.Model):
    """Criminal history and intelligence: seen only by police and probation staff."""

    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="criminal_history")
    kind = models.CharField(max_length=14, choices=HistoryKind.choices)
    on = models.DateField()
    summary = EncryptedTextField()
    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by_user = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name_plural = "criminal history entries"


class PanelMeeting(models.Model):
    """A meeting of the serial and repeat perpetrator panel (every 4 weeks)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", help_text="The police force.")
    marac_area = models.ForeignKey(MaracArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    held = models.BooleanField(default=False)
    history = RecordHistory()

    class Meta:
        ordering = ["starts_at"]


class PlanOption(models.TextChoices):
    """Seed 002 Appendix 4 and references.md 'MATAC': the panel's interventions."""

    SUPPORT = "support", "Support"
    PREVENTION = "prevention", "Prevention"
    DIVERSION = "diversion", "Diversion"
    DISRUPTION = "disruption", "Disruption"
    ENFORCEMENT = "enforcement", "Enforcement"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class PerpetratorPlan(models.Model):
    """The panel's plan for one perpetrator: its owner, options and review date."""

    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="perpetrator_plans")
    meeting = models.ForeignKey(PanelMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")
    owner = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    options = models.JSONField(default=list, blank=True, help_text="PlanOption codes.")
    actions = EncryptedTextField(blank=True)
    review_on = models.DateField()
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["review_on", "pk"]


class ProgrammeKind(models.TextChoices):
    COURT_ORDERED = "court_ordered", "Court-ordered programme"
    FAMILY_COURT = "family_court", "Family-court programme"
    VOLUNTARY = "voluntary", "Voluntary community programme"
    CARING_DADS = "caring_dads", "Caring Dads"
    DRIVE = "drive", "Drive (high-harm perpetrators)"


class CostBasis(models.TextChoices):
    PER_PERSON = "per_person", "per person"
    PER_COURSE = "per_course", "per course"


class Programme(models.Model):
    """A perpetrator programme a provider runs (seed 002 Appendix 12 Table 5)."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=ProgrammeKind.choices)
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="programmes")
    places = models.PositiveIntegerField(help_text="Places a year.")
    cost = models.DecimalField(max_digits=10, decimal_places=2)
    cost_basis = models.CharField(max_length=12, choices=CostBasis.choices, default=CostBasis.PER_PERSON)
    course_size = models.PositiveSmallIntegerField(null=True, blank=True, help_text="People on one course.")
    history = RecordHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ASSESSED_UNSUITABLE = "unsuitable", "Assessed as unsuitable"
    WAITING = "waiting", "Offered a place, waiting to start"
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"
    LEFT = "left", "Left before completing"


class LeftReason(models.TextChoices):
    """Attrition, with its reason (issue 17, 3)."""

    DISENGAGED = "disengaged", "Stopped attending"
    EXCLUDED = "excluded", "Excluded by the provider"
    CUSTODY = "custody", "Taken into custody"
    MOVED = "moved", "Moved away"
    BREACH_RETURNED = "breach_returned", "Returned to court for breach"
    OTHER = "other", "Other"


class ProgrammeReferral(models.Model):
    """One perpetrator's referral to a programme, to completion or attrition."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    perpetrator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="programme_referrals")
    partner = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_programme_referrals",
        help_text="The victim the partner's support worker (women's safety worker) supports.",
    )
    referred_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()
    status = models.CharField(max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.REFERRED)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=16, choices=LeftReason.choices, blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["-referred_on", "-pk"]


class PartnerContact(models.Model):
    """The partner's support worker's contact with the victim while he is on a programme."""

    referral = models.ForeignKey(ProgrammeReferral, on_delete=models.CASCADE, related_name="partner_contacts")
    at = models.DateTimeField()
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    reached = models.BooleanField()
    note = EncryptedTextField(blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["at", "pk"]


class DisclosureRoute(models.TextChoices):
    RIGHT_TO_ASK = "right_to_ask", "Right to ask"
    RIGHT_TO_KNOW = "right_to_know", "Right to know"


class DisclosureDecision(models.TextChoices):
    DISCLOSE = "disclose", "Disclose"
    NO_DISCLOSURE = "no_disclosure", "No disclosure"
    WITHDRAWN = "withdrawn", "Application withdrawn"


class DisclosureApplication(models.Model):
    """A Clare's Law (Domestic Violence Disclosure Scheme) application and its clocks."""

    route = models.CharField(max_length=14, choices=DisclosureRoute.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", help_text="The police force.")
    person_at_risk = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures_at_risk")
    applicant_is_person_at_risk = models.BooleanField(
        default=True, help_text="No when a third party (a relative, a friend, an agency) asked."
    )
    subject = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="disclosures_about", help_text="The person asked about."
    )
    received_at = models.DateTimeField()
    initial_checks_at = models.DateTimeField(null=True, blank=True)
    meeting_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=14, choices=DisclosureDecision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)
    support_worker_present = models.CharField(
        max_length=200, blank=True, help_text="Who supported her when the disclosure was made (name and service)."
    )
    safety_plan_at = models.DateTimeField(null=True, blank=True)
    delay_reason = EncryptedTextField(blank=True)
    owner = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    history = RecordHistory()

    class Meta:
        ordering = ["received_at", "pk"]
