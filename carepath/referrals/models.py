"""Referrals into specialist services through the One Front Door (seed 002 Appendix 2, 7)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from carepath.core.models import Agency, District
from carepath.events.models import Event
from carepath.people.models import Person


class Channel(models.TextChoices):
    PROFESSIONAL = "professional", "Professional referral form"
    POLICE_IMPORT = "police_import", "Police incident extract"
    SELF = "self", "Self-referral"
    FRIENDS_FAMILY = "friends_family", "Friend or family member"
    API = "api", "Agency system (API)"


class Destination(models.TextChoices):
    MARAC = "marac", "MARAC"
    IDVA = "idva", "IDVA service"
    CASEWORKER = "caseworker", "Domestic abuse caseworker"
    TRIAGE = "triage", "Front-door triage"


class Referral(models.Model):
    """A request that a victim receive a service. Source agency and channel are kept so
    the board can see who refers (Appendix 7)."""

    channel = models.CharField(max_length=20, choices=Channel.choices)
    destination = models.CharField(max_length=20, choices=Destination.choices)
    referring_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_made",
        help_text="Blank for self-referrals and friends-and-family referrals.",
    )
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT)
    received_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Referral {self.pk}"
