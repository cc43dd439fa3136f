"""Ground truth kept by the synthetic county generator.

Each synthetic person record points at the imaginary human it describes, so identity
resolution can be scored against the truth. Real installations never have rows here.
"""

from django.db import models

from carepath.people.models import Person


class SyntheticIdentity(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="synthetic_identity")
    true_person_key = models.CharField(max_length=20, db_index=True)
