"""Stored DASH risk assessments. Scoring rules live in ``dash.py`` (pure)."""

from django.conf import settings
from django.db import models

from carepath.core.codes import RiskLevel, choices
from carepath.core.encryption import EncryptedJSONField, EncryptedTextField
from carepath.core.history import RecordHistory
from carepath.core.models import Agency
from carepath.people.models import Person


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
    history = RecordHistory()

    def __str__(self) -> str:
        return f"Risk assessment {self.pk}"
