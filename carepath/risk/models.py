"""Stored risk checklists (versions of the DASH) and DASH risk assessments. Scoring
rules live in ``dash.py`` and ``checklist.py`` (pure)."""

from django.conf import settings
from django.db import models

from carepath.core.codes import RiskLevel, choices
from carepath.core.encryption import EncryptedJSONField, EncryptedTextField
from carepath.core.history import RecordHistory
from carepath.core.models import Agency
from carepath.people.models import Person


class Checklist(models.Model):
    """One adopted version of the risk checklist: its questions as data (``checklist.py``),
    who adopted it and when. Exactly one is in force: the seeded SafeLives DASH RIC 2009
    until an administrator or commissioner adopts another (``services.checklist_adopt``);
    earlier versions are kept, and every assessment names the version it used. A version
    never changes once stored: a revision is a new version."""

    name = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    questions = models.JSONField(help_text="Each question's number, text, help text and weight.")
    in_force = models.BooleanField(default=False)
    adopted_at = models.DateTimeField()
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why the partnership adopted it.")
    history = RecordHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="unique_checklist_version"),
            models.UniqueConstraint(
                fields=["in_force"], condition=models.Q(in_force=True), name="one_checklist_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class RiskAssessment(models.Model):
    """One DASH assessment of one person (a victim, or a child assessed separately).

    ``answers`` keeps every question's answer, source and comment (domain.md: store the
    answers, not only the total): ``{"1": {"answer": "yes", "source": "victim", "comment": ""}}``.
    It is empty when an agency sent only the score. The answers are encrypted whole
    (their comments are the victim's words), with the judgement's reason.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="risk_assessments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    assessed_at = models.DateTimeField()
    answers = EncryptedJSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank for a child assessed on judgement."
    )
    level_by_score = models.CharField(max_length=10, choices=choices(RiskLevel), blank=True)
    judgement_level = models.CharField(max_length=10, choices=choices(RiskLevel), blank=True)
    judgement_reason = EncryptedTextField(blank=True)
    level = models.CharField(max_length=10, choices=choices(RiskLevel))
    checklist = models.ForeignKey(
        Checklist,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The checklist version its questions and score belong to; blank for a child assessed on judgement.",
    )
    history = RecordHistory()

    def __str__(self) -> str:
        return f"Risk assessment {self.pk}"
