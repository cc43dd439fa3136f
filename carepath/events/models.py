"""Domestic abuse events as agencies report them.

An event is one incident reported by one agency (domain.md "Incident"): incidents are
not people, so repeat counts come from linking the people on them.
"""

from django.db import models

from carepath.core.codes import RiskLevel, choices
from carepath.core.history import RecordHistory
from carepath.core.models import Agency, District
from carepath.people.models import Person


class Event(models.Model):
    """One domestic abuse incident or concern reported by one agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="events")
    reference = models.CharField(max_length=60, help_text="The reporting agency's own reference.")
    occurred_at = models.DateTimeField(db_index=True)
    reported_at = models.DateTimeField()
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT)
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events_as_victim")
    perpetrator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="events_as_perpetrator"
    )
    is_crime = models.BooleanField(help_text="Recorded as a crime (otherwise a non-crime incident).")
    risk_level = models.CharField(
        max_length=10, choices=choices(RiskLevel), blank=True, help_text="The risk grade the reporting agency gave."
    )
    dash_score = models.PositiveSmallIntegerField(null=True, blank=True)
    children_present = models.BooleanField(default=False, help_text="Children present or witnessing.")
    children = models.ManyToManyField(Person, through="EventChild", related_name="events_as_child")
    history = RecordHistory(m2m_fields=[])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "reference"], name="unique_event_reference")]
        indexes = [models.Index(fields=["victim", "occurred_at"], name="event_victim_time")]
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"Event {self.pk}"


class ChildInvolvement(models.TextChoices):
    PRESENT = "present", "Present"
    WITNESS = "witness", "Witnessed"
    HARMED = "harmed", "Directly harmed"


class EventChild(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    involvement = models.CharField(max_length=10, choices=ChildInvolvement.choices)
    history = RecordHistory()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "child"], name="unique_event_child")]
