"""Encrypt the DASH answers (with their comments) and the reason for a professional
judgement, on the assessments and in their history (carepath/core/encryption.py)."""

from django.db import migrations

from carepath.core.encryption import EncryptedJSONField, EncryptedTextField
from carepath.core.migration_operations import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ("risk", "0002_history_indexed_by_record_id"),
    ]

    operations = encrypt_columns("risk", "riskassessment", {
        "answers": EncryptedJSONField(blank=True, default=dict),
        "judgement_reason": EncryptedTextField(blank=True, default=""),
    }, keep_defaults=("answers",))
