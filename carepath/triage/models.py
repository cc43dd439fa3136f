"""Tasks: the actions a routing decision produced, each owned by an agency with a deadline."""

from django.conf import settings
from django.db import models
from carepath.core.history import RecordHistory

from carepath.core.models import Agency
from carepath.referrals.models import Referral


class TaskStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done (reason recorded)"


class Task(models.Model):
    """One action from a routing decision (``rules.Action``) with the rule that produced it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="tasks")
    action_type = models.CharField(max_length=40)
    subject = models.CharField(max_length=60, default="victim")
    reason = models.TextField()
    rule = models.CharField(max_length=200)
    owner_agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="tasks",
                                     help_text="Blank when no agency of the owning type is set up yet.")
    owner_agency_type = models.CharField(max_length=40)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    contact_channels = models.JSONField(default=list, blank=True, help_text="The only channels this task may use.")
    lawful_basis = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    history = RecordHistory()

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"Task {self.pk}"
