"""Encrypt what staff write on tasks and alerts, and why consent to a share was not given."""

from django.db import migrations

from carepath.core.encryption import EncryptedTextField
from carepath.core.migration_operations import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_encrypted_totp_device"),
    ]

    operations = [
        *encrypt_columns("core", "task", {"note": EncryptedTextField(blank=True, default="")}),
        *encrypt_columns("core", "informationshare", {"consent_reason": EncryptedTextField(blank=True, default="")}),
        *encrypt_columns("core", "accessalert", {"review_note": EncryptedTextField(blank=True, default="")}),
    ]
