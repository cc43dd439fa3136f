"""The planner's stored inputs: the workbooks commissioners upload.

The newest upload is the partnership's current input set; with none stored, the planner
uses the Hertfordshire 2014 set that ships with Carepath. Nothing here is personal: the
inputs are county totals, budgets and assumptions.
"""

from django.conf import settings
from django.db import models

from carepath.core.history import RecordHistory


class PlanningInputs(models.Model):
    """One uploaded set of planner inputs, kept as the workbook the commissioner sent.

    The workbook is kept as uploaded, not re-written, so reading it again gives exactly
    the inputs that were checked when it was accepted.
    """

    name = models.CharField(max_length=200, help_text="Shown on the planner page and its downloads.")
    filename = models.CharField(max_length=255)
    workbook = models.BinaryField(help_text="The .xlsx workbook as uploaded, one sheet per input file.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    history = RecordHistory()

    class Meta:
        verbose_name = "planning inputs"
        verbose_name_plural = "planning inputs"
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.name
