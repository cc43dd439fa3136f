"""Encrypt every address, the safe-contact details and the reasons given for linking and
unlinking records, on the records and in their history; index postcodes for matching
(carepath/core/encryption.py)."""

from django.db import migrations

import carepath.core.encryption
from carepath.core.encryption import EncryptedCharField, EncryptedEmailField, EncryptedTextField
from carepath.core.migration_operations import encrypt_columns


def index_postcodes(apps, schema_editor):
    address = apps.get_model("people", "Address")
    index = address._meta.get_field("postcode_index")
    for pk, postcode, confidential in address.objects.values_list("pk", "postcode", "is_confidential").iterator():
        address.objects.filter(pk=pk).update(
            postcode_index=index.value_from_row({"postcode": postcode, "is_confidential": confidential}))


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0003_history_indexed_by_record_id"),
    ]

    operations = [
        *encrypt_columns("people", "address", {
            "line_1": EncryptedCharField(max_length=200, default=""),
            "line_2": EncryptedCharField(max_length=200, blank=True, default=""),
            "town": EncryptedCharField(max_length=100, blank=True, default=""),
            "postcode": EncryptedCharField(max_length=10, blank=True, default=""),
        }),
        migrations.AddField(
            model_name="address",
            name="postcode_index",
            field=carepath.core.encryption.BlindIndexField(source="postcode", skip_when="is_confidential"),
        ),
        migrations.RunPython(index_postcodes, migrations.RunPython.noop),
        *encrypt_columns("people", "safecontact", {
            "safe_phone": EncryptedCharField(max_length=30, blank=True, default=""),
            "safe_times": EncryptedCharField(max_length=200, blank=True, default=""),
            "safe_email": EncryptedEmailField(blank=True, default=""),
            "notes": EncryptedTextField(blank=True, default=""),
        }),
        *encrypt_columns("people", "recordlink", {"reason": EncryptedTextField(blank=True, default="")}),
        *encrypt_columns("people", "identitychange", {"reason": EncryptedTextField(blank=True, default="")}),
    ]
