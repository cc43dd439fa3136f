"""Stored configuration values. A missing row means the default from ``definitions``."""

from django.db import models

from carepath.core.history import RecordHistory


class SettingValue(models.Model):
    """A partnership's own value for one setting. Its history (who, when, old and new
    value, and why) is kept by django-simple-history."""

    key = models.CharField(max_length=80, unique=True)
    value = models.CharField(max_length=40)
    history = RecordHistory()

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
