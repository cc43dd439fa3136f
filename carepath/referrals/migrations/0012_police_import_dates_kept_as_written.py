"""Each police extract import counts the dates of birth it kept as the force wrote them,
because they are no real date (issue 12)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0011_police_reference_and_referrer_safe_contact'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalpoliceimport',
            name='dates_kept_as_written',
            field=models.PositiveIntegerField(default=0, help_text='Dates of birth imported as the force wrote them because they are no real date (kept for matching records, never used as a date).'),
        ),
        migrations.AddField(
            model_name='policeimport',
            name='dates_kept_as_written',
            field=models.PositiveIntegerField(default=0, help_text='Dates of birth imported as the force wrote them because they are no real date (kept for matching records, never used as a date).'),
        ),
    ]
