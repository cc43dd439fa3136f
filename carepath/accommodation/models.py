"""Safe accommodation services (Domestic Abuse Act 2021 Part 4; seed 002 §5, Table 11)."""

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
    history = RecordHistory()

    def __str__(self) -> str:
        return self.name
