"""The risk checklist as versioned data: the SafeLives DASH RIC 2009 (the 24 questions
Carepath scored until now) is stored and put in force, and every earlier assessment,
and its history, names it."""

import json
from importlib import resources

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def seed_dash_ric_2009(apps, schema_editor):
    from django.utils import timezone

    Checklist = apps.get_model("risk", "Checklist")
    data = json.loads(resources.files("carepath.risk").joinpath("data/dash_ric_2009.json").read_text("utf-8"))
    seeded = Checklist.objects.create(
        name=data["name"],
        version=data["version"],
        questions=data["questions"],
        in_force=True,
        adopted_at=timezone.now(),
        reason="The checklist in use when Carepath started keeping versions.",
    )
    apps.get_model("risk", "RiskAssessment").objects.update(checklist=seeded)
    apps.get_model("risk", "HistoricalRiskAssessment").objects.update(checklist=seeded)


class Migration(migrations.Migration):

    dependencies = [
        ('risk', '0003_encrypt_dash_answers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Checklist',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('version', models.CharField(max_length=40)),
                ('questions', models.JSONField(help_text="Each question's number, text, help text and weight.")),
                ('in_force', models.BooleanField(default=False)),
                ('adopted_at', models.DateTimeField()),
                ('reason', models.TextField(blank=True, help_text='Why the partnership adopted it.')),
                ('adopted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddField(
            model_name='historicalriskassessment',
            name='checklist',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text='The checklist version its questions and score belong to; blank for a child assessed on judgement.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='risk.checklist'),
        ),
        migrations.AddField(
            model_name='riskassessment',
            name='checklist',
            field=models.ForeignKey(blank=True, help_text='The checklist version its questions and score belong to; blank for a child assessed on judgement.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='risk.checklist'),
        ),
        migrations.CreateModel(
            name='HistoricalChecklist',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('version', models.CharField(max_length=40)),
                ('questions', models.JSONField(help_text="Each question's number, text, help text and weight.")),
                ('in_force', models.BooleanField(default=False)),
                ('adopted_at', models.DateTimeField()),
                ('reason', models.TextField(blank=True, help_text='Why the partnership adopted it.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('adopted_by', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical checklist',
                'verbose_name_plural': 'historical checklists',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name='checklist',
            constraint=models.UniqueConstraint(fields=('name', 'version'), name='unique_checklist_version'),
        ),
        migrations.AddConstraint(
            model_name='checklist',
            constraint=models.UniqueConstraint(condition=models.Q(('in_force', True)), fields=('in_force',), name='one_checklist_in_force'),
        ),
        migrations.RunPython(seed_dash_ric_2009, migrations.RunPython.noop, elidable=False),
    ]
