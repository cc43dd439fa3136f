"""IDVA and caseworker services, their workers, and each victim's case (issue 14).

A case is opened from the work routed to a service (the front door's IDVA or caseworker
referral task, a MARAC action, another agency's referral); the service's manager allocates
it to a worker; the worker contacts her only through the channels and at the times she said
are safe, and records the journey to closure with its outcomes (``rules``)."""

from django.conf import settings
from django.db import models

from carepath.casework import recovery, rules
from carepath.core.encryption import EncryptedTextField
from carepath.core.history import RecordHistory
from carepath.core.models import Agency, District, Task
from carepath.people.models import ContactChannel, Person
from carepath.referrals.models import Referral
from carepath.risk.models import RiskAssessment


class ServiceKind(models.TextChoices):
    IDVA = "idva", "IDVA service"
    CASEWORKER = "caseworker", "Domestic abuse caseworker service"
    OUTREACH = "outreach", "Outreach"
    HOSPITAL_IDVA = "hospital_idva", "Hospital IDVAs"
    YOUNG_PEOPLE = "young_people", "Young people's service"
    MALE_VICTIMS = "male_victims", "Male victims' service"


class Service(models.Model):
    """A casework service run by an agency, for the districts it covers."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="casework_services")
    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)
    districts = models.ManyToManyField(District, related_name="casework_services", blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="one_team_name_per_service")]

    def __str__(self) -> str:
        return self.name


class Worker(models.Model):
    """A member of staff who carries cases: their hours (FTE), specialisms and team. A
    manager allocates the service's cases and sees its caseloads."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseworker")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="workers")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="workers")
    fte = models.DecimalField("full-time equivalent", max_digits=3, decimal_places=2, default=1)
    specialisms = models.JSONField(default=list, blank=True, help_text="Codes of rules.SPECIALISMS.")
    is_manager = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    history = RecordHistory()

    class Meta:
        ordering = ["service__name", "user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class CaseSource(models.TextChoices):
    FRONT_DOOR = "front_door", "The front door"
    MARAC = "marac", "MARAC"
    AGENCY = "agency", "Another agency"
    HANDOVER = "handover", "Handed over from another service"


class Case(models.Model):
    """One victim's case at one service, from referral to closure."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cases")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="casework_cases")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    task = models.OneToOneField(
        Task,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="casework_case",
        help_text="The routed task the case was opened from.",
    )
    source = models.CharField(max_length=12, choices=CaseSource.choices)
    risk_level = models.CharField(max_length=12, blank=True)
    status = models.CharField(
        max_length=20, choices=list(rules.STATUS_WORDS.items()), default=rules.REFERRED, db_index=True
    )
    worker = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    referred_at = models.DateTimeField()
    first_contact_due = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    engaged_at = models.DateTimeField(null=True, blank=True)
    engagement_level = models.PositiveSmallIntegerField(null=True, blank=True)
    needs = models.JSONField(default=list, blank=True, help_text="Specialism codes her needs call for.")
    needs_notes = EncryptedTextField(blank=True)
    intake_scores = models.JSONField(default=dict, blank=True, help_text="Safety, wellbeing, quality of life: 1-10.")
    exit_scores = models.JSONField(default=dict, blank=True)
    outcomes = models.JSONField(default=dict, blank=True, help_text="Abuse type -> outcome at closure.")
    closed_at = models.DateTimeField(null=True, blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["-referred_at", "-pk"]
        indexes = [
            models.Index(fields=["service", "status"], name="casework_case_service_status"),
            models.Index(fields=["worker", "status"], name="casework_case_worker_status"),
            models.Index(fields=["referred_at"], name="casework_case_referred"),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class StatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, blank=True, choices=list(rules.STATUS_WORDS.items()))
    to_status = models.CharField(max_length=20, choices=list(rules.STATUS_WORDS.items()))
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(blank=True)

    history = RecordHistory()

    class Meta:
        ordering = ["at", "pk"]


class ContactAttempt(models.Model):
    """A try at reaching her, only by a channel and at a time she said is safe."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reached = models.BooleanField()
    note = EncryptedTextField(blank=True)

    history = RecordHistory()

    class Meta:
        ordering = ["at", "pk"]


class MessageStatus(models.TextChoices):
    TO_SEND_BY_HAND = "by_hand", "To send by hand (no GOV.UK Notify key)"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Not delivered"


class Message(models.Model):
    """A text or email to her through GOV.UK Notify, only on a safe channel at a safe time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=20)
    template = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=MessageStatus.choices)
    notify_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(
        max_length=300, blank=True, help_text="Why it is in this status, in words (never her details)."
    )
    body = EncryptedTextField(blank=True, help_text="The words sent (or to send by hand), as composed.")

    history = RecordHistory()

    class Meta:
        ordering = ["created_at", "pk"]


class SafetyPlan(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_plans")
    plan = EncryptedTextField()
    agreed_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField(null=True, blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["agreed_at", "pk"]


class Intervention(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=30, help_text="Code of rules.INTERVENTIONS.")
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(blank=True)

    history = RecordHistory()

    class Meta:
        ordering = ["on", "pk"]


class Handover(models.Model):
    """A case passed to another worker or service: the history stays with the case and the
    new worker is told what was agreed (seed 002 Appendix 1: one worker for the journey)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_worker = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed = EncryptedTextField(help_text="What was agreed with her, for the new worker.")

    history = RecordHistory()

    class Meta:
        ordering = ["at", "pk"]


class Reassessment(models.Model):
    """A DASH re-assessment of her risk during the case, with the risk it replaced, so the
    change over time is shown (issue 14, 3). The assessment itself is the risk app's."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reassessments")
    assessment = models.OneToOneField(RiskAssessment, on_delete=models.PROTECT, related_name="casework_reassessment")
    earlier_level = models.CharField(max_length=12, blank=True)
    earlier_score = models.PositiveSmallIntegerField(null=True, blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["assessment__assessed_at", "pk"]


class ServiceReferral(models.Model):
    """The service a casework referral was made to, when the referrer chose one: its task
    is then in that service's queue only, not every service of the agency."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="casework_service_referral")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals_made_to")


class RecoveryProgramme(models.Model):
    """A recovery (step-down) programme an agency runs, such as the Freedom Programme, in
    the districts it runs in (seed 002 §12.4; ``recovery``)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="recovery_programmes")
    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=list(recovery.KINDS.items()))
    districts = models.ManyToManyField(District, related_name="recovery_programmes", blank=True)
    active = models.BooleanField(default=True)
    history = RecordHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RecoveryCourse(models.Model):
    """One run of a programme: when it starts, for how many weeks, its places and the
    district it meets in (never its address: it is given to her, not kept here)."""

    programme = models.ForeignKey(RecoveryProgramme, on_delete=models.CASCADE, related_name="courses")
    starts_on = models.DateField()
    weeks = models.PositiveSmallIntegerField(default=12)
    places = models.PositiveSmallIntegerField(default=recovery.DEFAULT_PLACES)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = RecordHistory()

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.programme}, from {self.starts_on:%-d %B %Y}"


class RecoveryPlace(models.Model):
    """A case's place on a programme: on its waiting list (no course yet), then offered a
    place on a course, started, completed, left early or declined. Each change is kept in
    its history with who made it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recovery_places")
    programme = models.ForeignKey(RecoveryProgramme, on_delete=models.PROTECT, related_name="places")
    course = models.ForeignKey(RecoveryCourse, null=True, blank=True, on_delete=models.PROTECT, related_name="seats")
    status = models.CharField(
        max_length=12, choices=list(recovery.STATUS_WORDS.items()), default=recovery.WAITING, db_index=True
    )
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_at = models.DateTimeField()
    note = EncryptedTextField(blank=True, help_text="Why, at the last change.")
    history = RecordHistory()

    class Meta:
        ordering = ["added_at", "pk"]
        indexes = [models.Index(fields=["programme", "status"], name="casework_recovery_prog_status")]

    def __str__(self) -> str:
        return f"Case {self.case_id} on {self.programme}"
