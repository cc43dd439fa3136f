"""Authenticator apps move to Carepath's own TOTP device, whose secret is encrypted
(carepath/core/encryption.py): every enrolled device is copied across, then deleted from
django-otp's table, where its secret was in plain text. Staff keep their app; a session
verified with the old device asks for a code again."""

import carepath.core.encryption
from django.contrib.auth.management import create_permissions
import django.db.models.deletion
import django_otp.plugins.otp_totp.models
from django.conf import settings
from django.db import migrations, models


FIELDS = ["user_id", "name", "confirmed", "throttling_failure_timestamp", "throttling_failure_count", "created_at",
          "last_used_at", "key", "step", "t0", "digits", "tolerance", "drift", "last_t"]


def move_devices(apps, schema_editor):
    old, new = apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("core", "TOTPDevice")
    for device in old.objects.order_by("pk"):
        moved = new.objects.create(**{name: getattr(device, name) for name in FIELDS})
        # created_at is set on creation (auto_now_add): keep the enrolment's.
        new.objects.filter(pk=moved.pk).update(created_at=device.created_at)
    old.objects.all().delete()


def move_devices_back(apps, schema_editor):
    old, new = apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("core", "TOTPDevice")
    for device in new.objects.order_by("pk"):
        moved = old.objects.create(**{name: getattr(device, name) for name in FIELDS})
        old.objects.filter(pk=moved.pk).update(created_at=device.created_at)


def grant_device_permissions(apps, schema_editor):
    """Whoever could manage django-otp's devices (administrators) can manage these."""
    config = apps.get_app_config("core")
    config.models_module = True  # create_permissions skips an app without models
    create_permissions(config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    config.models_module = None
    permission = apps.get_model("auth", "Permission")
    user = apps.get_model("core", "User")
    for old in permission.objects.filter(content_type__app_label="otp_totp", content_type__model="totpdevice"):
        new = permission.objects.get(content_type__app_label="core", content_type__model="totpdevice",
                                     codename=old.codename)
        for holder in user.objects.filter(user_permissions=old):
            holder.user_permissions.add(new)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_enrolment_codes_and_account_change_requests'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='TOTPDevice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('throttling_failure_timestamp', models.DateTimeField(blank=True, default=None, help_text='A timestamp of the last failed verification attempt. Null if last attempt succeeded.', null=True)),
                ('throttling_failure_count', models.PositiveIntegerField(default=0, help_text='Number of successive failed attempts.')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='The date and time when this device was initially created in the system.', null=True)),
                ('last_used_at', models.DateTimeField(blank=True, help_text='The most recent date and time this device was used.', null=True)),
                ('key', carepath.core.encryption.EncryptedCharField(default=django_otp.plugins.otp_totp.models.default_key, help_text='A hex-encoded secret key of up to 40 bytes.', max_length=80, validators=[django_otp.plugins.otp_totp.models.key_validator])),
                ('step', models.PositiveSmallIntegerField(default=30, help_text='The time step in seconds.')),
                ('t0', models.BigIntegerField(default=0, help_text='The Unix time at which to begin counting steps.')),
                ('digits', models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6, help_text='The number of digits to expect in a token.')),
                ('tolerance', models.PositiveSmallIntegerField(default=1, help_text='The number of time steps in the past or future to allow.')),
                ('drift', models.SmallIntegerField(default=0, help_text='The number of time steps the prover is known to deviate from our clock.')),
                ('last_t', models.BigIntegerField(default=-1, help_text='The t value of the latest verified token. The next token must be at a higher time step.')),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, related_name='totp_devices', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'authenticator app',
                'abstract': False,
            },
        ),
        migrations.RunPython(move_devices, move_devices_back),
        migrations.RunPython(grant_device_permissions, migrations.RunPython.noop),
    ]
