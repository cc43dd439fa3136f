"""Encrypt the refuges' confidential addresses, and their history (carepath/core/encryption.py)."""

from django.db import migrations

from carepath.core.encryption import EncryptedTextField
from carepath.core.migration_operations import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ("accommodation", "0003_history_indexed_by_record_id"),
    ]

    operations = encrypt_columns("accommodation", "safeaccommodation", {
        "confidential_address": EncryptedTextField(blank=True, default=""),
    })
