"""MARACs, their meetings and their cases (issue 13).

A MARAC referral is a front-door ``Referral`` with destination MARAC, received by the
MARAC's coordination (an agency of type MARAC). The coordinator checks it: accepted, it
becomes a ``MaracCase`` listed at a meeting; returned, the case keeps the reason.
"""

from django.conf import settings
from django.db import models

from carepath.core.encryption import EncryptedTextField
from carepath.core.history import RecordHistory
from carepath.core.models import Agency, District
from carepath.marac import rules
from carepath.people.models import Person
from carepath.referrals.models import Referral


class MeetingPattern(models.TextChoices):
    WEEKLY = rules.WEEKLY, "Every week"
    FORTNIGHTLY = rules.FORTNIGHTLY, "Every two weeks"
    MONTHLY = rules.MONTHLY, "Every month, on the same weekday"


class Marac(models.Model):
    """One MARAC: the districts it serves, when it meets, how many cases a meeting can
    hear, and (for a medium-risk MARAC such as Stevenage's, scores 10-13) its score band."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="maracs",
        help_text="The MARAC coordination that runs it: it receives the referrals and its staff run the meetings.",
    )
    name = models.CharField(max_length=100, unique=True)
    districts = models.ManyToManyField(District, related_name="maracs", help_text="The districts it serves.")
    pattern = models.CharField(max_length=12, choices=MeetingPattern.choices, default=MeetingPattern.MONTHLY)
    first_meeting = models.DateTimeField(help_text="A meeting the pattern counts from (day of the week and time).")
    capacity = models.PositiveSmallIntegerField(default=25, help_text="Cases one meeting can hear.")
    min_score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Lowest DASH score it hears (a medium-risk MARAC); blank for any."
    )
    max_score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Highest DASH score it hears (a medium-risk MARAC); blank for any."
    )
    history = RecordHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = "MARAC"

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MaracMeeting(models.Model):
    marac = models.ForeignKey(Marac, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(help_text="Cases it can hear (the MARAC's, unless changed).")
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    chair = models.CharField(max_length=200, blank=True, help_text="Who chaired it (name and role).")
    history = RecordHistory()

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["marac", "starts_at"], name="one_meeting_at_a_time")]

    def __str__(self) -> str:
        return f"{self.marac} meeting"


class CaseSource(models.TextChoices):
    FRONT_DOOR = "front_door", "From the front door"
    AGENCY = "agency", "From an agency's referral form"
    TRANSFER_IN = "transfer_in", "Transferred in from another MARAC"


class CaseStatus(models.TextChoices):
    RETURNED = "returned", "Returned to the referrer"
    AWAITING_MEETING = "awaiting_meeting", "Accepted, no meeting with room yet"
    LISTED = "listed", "Listed for a meeting"
    DISCUSSED = "discussed", "Discussed"
    CLOSED = "closed", "Closed"
    TRANSFERRED_OUT = "transferred_out", "Transferred to another MARAC"


OPEN_CASE_STATUSES = (CaseStatus.AWAITING_MEETING, CaseStatus.LISTED, CaseStatus.DISCUSSED)


class MaracCase(models.Model):
    """A referral the coordinator has checked: accepted and listed at a meeting, or
    returned with the reason."""

    marac = models.ForeignKey(Marac, on_delete=models.PROTECT, related_name="cases")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="marac_case")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="marac_cases")
    number = models.PositiveIntegerField(null=True, blank=True, help_text="The MARAC's case number, once accepted.")
    source = models.CharField(max_length=12, choices=CaseSource.choices, default=CaseSource.FRONT_DOOR)
    criteria = models.JSONField(default=list, blank=True, help_text="The SafeLives criteria the referral meets.")
    status = models.CharField(max_length=20, choices=CaseStatus.choices, db_index=True)
    meeting = models.ForeignKey(MaracMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    referred_on = models.DateField(help_text="When the MARAC referral was made: repeats count from it.")
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The victim's last MARAC case within the repeat window, across her linked records.",
    )
    rolled_past = models.PositiveSmallIntegerField(
        default=0, help_text="Full meetings the case was rolled past when it was listed."
    )
    returned_reason = models.TextField(blank=True)
    transferred_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The case at the partnership's other MARAC this one was transferred from.",
    )
    transferred_from_outside = models.CharField(
        max_length=200, blank=True, help_text="The MARAC outside the partnership the case was transferred from."
    )
    transferred_to_outside = models.CharField(
        max_length=200, blank=True, help_text="The MARAC outside the partnership the case was transferred to."
    )
    review_on = models.DateField(null=True, blank=True, help_text="When the MARAC reviews an open case.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["marac", "number"], condition=models.Q(number__isnull=False), name="one_case_number_per_marac"
            )
        ]
        indexes = [models.Index(fields=["victim", "referred_on"], name="marac_case_history")]

    def __str__(self) -> str:
        return f"MARAC case {self.number}" if self.number else "Returned MARAC referral"

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of_id is not None


class MaracResearch(models.Model):
    """What one agency invited to a case holds on the victim, each child and the
    perpetrator, due before the meeting (issue 13, 2). Only the MARAC's coordination and
    the agency itself read it."""

    case = models.ForeignKey(MaracCase, on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nothing_held = models.BooleanField(default=False, help_text="The agency holds nothing on these people.")
    victim = EncryptedTextField(blank=True)
    children = EncryptedTextField(blank=True)
    perpetrator = EncryptedTextField(blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_research_per_agency")]

    def __str__(self) -> str:
        return f"MARAC research by {self.agency}"

    def overdue(self, now) -> bool:
        return self.returned_at is None and self.due_at < now


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Sent apologies"
    INFORMATION_SENT = "information_sent", "Sent apologies and information"
    OBSERVER = "observer", "Observer"


#: Who hears the cases, and so signs the confidentiality statement first.
IN_THE_ROOM = (Attendance.PRESENT, Attendance.OBSERVER)


class MaracAttendance(models.Model):
    """Who came to a meeting, who sent apologies or information, and the observers: everyone
    in the room has signed the confidentiality statement (issue 13, 3)."""

    meeting = models.ForeignKey(MaracMeeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Blank for an observer from outside the partnership.",
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="An observer's organisation outside the partnership."
    )
    attendee = models.CharField(
        max_length=200, blank=True, help_text="The representative's or observer's name and role."
    )
    attendance = models.CharField(max_length=20, choices=Attendance.choices)
    confidentiality_signed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["attendance", "agency__name", "organisation", "attendee"]

    def __str__(self) -> str:
        return f"Attendance at {self.meeting}"

    @property
    def who(self) -> str:
        return str(self.agency) if self.agency_id else self.organisation


class MaracDiscussion(models.Model):
    """One case as a meeting heard it: the summary and the risks identified. The action
    plan hangs off the case (``MaracAction``)."""

    case = models.ForeignKey(MaracCase, on_delete=models.CASCADE, related_name="discussions")
    meeting = models.ForeignKey(MaracMeeting, on_delete=models.PROTECT, related_name="discussions")
    summary = EncryptedTextField()
    risks = EncryptedTextField(help_text="The risks the meeting identified, to the victim, the children and others.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["meeting__starts_at"]
        constraints = [models.UniqueConstraint(fields=["case", "meeting"], name="one_discussion_per_meeting")]

    def __str__(self) -> str:
        return f"Discussion of {self.case}"


class ActionFor(models.TextChoices):
    VICTIM = "victim", "The victim"
    CHILD = "child", "A child"
    PERPETRATOR = "perpetrator", "The person causing harm"


class ActionStatus(models.TextChoices):
    """domain.md "Defaults for the pathway beyond the front door" (MARAC action status)."""

    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_POSSIBLE = "not_possible", "Not possible: circumstances changed"
    NOT_ACTED = "not_acted", "Agency did not act"


class MaracAction(models.Model):
    """One action of a case's plan: for whom, which agency and named person, by when, and
    how it ended (issue 13, 4). The owning agency is chased when it is overdue."""

    case = models.ForeignKey(MaracCase, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(MaracMeeting, on_delete=models.PROTECT, related_name="actions")
    action_for = models.CharField(max_length=12, choices=ActionFor.choices)
    child = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = EncryptedTextField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner = models.CharField(max_length=200, help_text="The named person at the agency who does it.")
    due_on = models.DateField()
    status = models.CharField(max_length=14, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True)
    status_note = models.TextField(blank=True)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_at = models.DateTimeField(null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True, help_text="When the owning agency was last chased.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    history = RecordHistory()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="marac_action_due")]

    def __str__(self) -> str:
        return f"MARAC action for {self.case}"

    def overdue(self, today) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today


class RiskManagementPlan(models.Model):
    """The plan for the person causing harm in a MARAC case, owned by a police lead, with
    the options of seed 002 §4.2 / Appendix 4 chosen (``rules.PERPETRATOR_OPTIONS``)."""

    case = models.OneToOneField(MaracCase, on_delete=models.CASCADE, related_name="risk_management_plan")
    police_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    options = models.JSONField(default=list, blank=True)
    notes = EncryptedTextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    history = RecordHistory()

    def __str__(self) -> str:
        return f"Risk-management plan for {self.case}"
