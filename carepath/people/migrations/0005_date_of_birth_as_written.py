"""A date of birth that is no real date (1950-58-06) is kept as the source wrote it, on
the person and in their history, so that records can still be matched (issue 12); each
batch relink counts how many there were."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_agency_marac_area'),
        ('people', '0004_encrypt_addresses_safe_contact_and_reasons'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicallinkagerun',
            name='dates_kept_as_written',
            field=models.PositiveIntegerField(default=0, help_text='Records whose date of birth was no real date, compared as written.'),
        ),
        migrations.AddField(
            model_name='historicalperson',
            name='date_of_birth_as_written',
            field=models.CharField(blank=True, help_text='The date of birth as the source wrote it, when it is not a real date (1950-58-06); kept so that records can still be matched, never used as a date.', max_length=20),
        ),
        migrations.AddField(
            model_name='linkagerun',
            name='dates_kept_as_written',
            field=models.PositiveIntegerField(default=0, help_text='Records whose date of birth was no real date, compared as written.'),
        ),
        migrations.AddField(
            model_name='person',
            name='date_of_birth_as_written',
            field=models.CharField(blank=True, help_text='The date of birth as the source wrote it, when it is not a real date (1950-58-06); kept so that records can still be matched, never used as a date.', max_length=20),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(condition=models.Q(('date_of_birth_as_written', ''), _negated=True), fields=['date_of_birth_as_written'], name='person_dob_as_written'),
        ),
    ]
