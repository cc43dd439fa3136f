"""The champions network (seed 002 Appendix 2, 2.2): a champion in every agency and team,
the training courses, their sessions and registers, and each trainee's record.

A trainee is a member of an agency's staff who booked a session (most have no Carepath
account); a champion is the agency's named lead, with the contact colleagues use."""

from django.conf import settings
from django.db import models

from carepath.core.history import RecordHistory
from carepath.core.models import Agency


class CourseKind(models.TextChoices):
    """The kinds of course seed 002 section 12.5 names: the one-day foundation course,
    DASH risk-assessment training, tier 2 training, and a refresher."""

    FOUNDATION = "foundation", "Foundation: domestic abuse awareness"
    DASH = "dash", "DASH risk assessment"
    TIER_TWO = "tier_two", "Tier 2"
    REFRESHER = "refresher", "Refresher"


class Champion(models.Model):
    """An agency's (or one team's) named domestic abuse champion: the lead who advises
    colleagues, keeps the agency's figures and is the IDVA service's link person."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="champions")
    team = models.CharField(max_length=200, blank=True, help_text="Blank when the champion is for the whole agency.")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    champion_from = models.DateField()
    champion_until = models.DateField(null=True, blank=True, help_text="Blank while they are the champion.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="champion_roles",
        help_text="Their Carepath account, when they have one.",
    )
    history = RecordHistory()

    class Meta:
        ordering = ["agency__name", "team", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(champion_until__isnull=True)
                | models.Q(champion_until__gte=models.F("champion_from")),
                name="champion_until_not_before_from",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=CourseKind.choices)
    description = models.TextField(blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One delivery of a course: when, where, by whom, and how many places."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    venue = models.CharField(max_length=200)
    trainer = models.CharField(max_length=200)
    places = models.PositiveSmallIntegerField()
    history = RecordHistory()

    class Meta:
        ordering = ["-held_on", "course__name"]

    def __str__(self) -> str:
        return f"{self.course} on {self.held_on:%d %B %Y}"


class Trainee(models.Model):
    """A member of an agency's staff on the network's training record."""

    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="trainees")
    team = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AttendanceStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"


class Booking(models.Model):
    """A trainee's place on a session's register, and whether they came."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=12, choices=AttendanceStatus.choices, default=AttendanceStatus.BOOKED)
    history = RecordHistory()

    class Meta:
        ordering = ["trainee__name"]
        constraints = [models.UniqueConstraint(fields=["session", "trainee"], name="one_booking_per_trainee")]

    @property
    def certificate_number(self) -> str:
        return f"T{self.pk:06d}"
