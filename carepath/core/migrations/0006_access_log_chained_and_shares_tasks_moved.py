"""Chain the access log rows already written, and move information shares (from
referrals) and tasks (from triage) into core, where every app's records can use them.

Old shares named one person each and gave the whole referral: each becomes a share of its
referral (or, without one, of its person) naming that person, with every part. Their
earlier history rows are not carried over; each moved row starts a new history.
"""

from django.db import migrations, models

from carepath.core.audit import GENESIS, row_digest

ALL_PARTS = ["children", "dash_answers", "decision", "details", "risk", "safe_contact", "summary"]


def chain_existing_rows(apps, schema_editor):
    from django.conf import settings

    AccessLog = apps.get_model("core", "AccessLog")
    key, previous = settings.CAREPATH_AUDIT_KEY.encode(), GENESIS
    for seq, row in enumerate(AccessLog.objects.order_by("viewed_at", "pk").iterator(chunk_size=10000), start=1):
        previous = row_digest(key, previous, seq, row.user_id, row.agency_id, "opened", row.content_type_id,
                              row.object_id, None, None, row.viewed_at, row.path)
        AccessLog.objects.filter(pk=row.pk).update(seq=seq, action="opened", digest=previous)


def move_shares_and_tasks(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldShare = apps.get_model("referrals", "InformationShare")
    OldTask = apps.get_model("triage", "Task")
    Share, SharedPerson, Task = (apps.get_model("core", name) for name in ("InformationShare", "SharedPerson", "Task"))
    referral_type = ContentType.objects.get_or_create(app_label="referrals", model="referral")[0]
    person_type = ContentType.objects.get_or_create(app_label="people", model="person")[0]
    merged = {}
    for old in OldShare.objects.order_by("pk").iterator():
        subject = (referral_type.pk, old.referral_id) if old.referral_id else (person_type.pk, old.person_id)
        key = (*subject, old.shared_with_id)
        if key not in merged:
            merged[key] = Share.objects.create(
                content_type_id=subject[0], object_id=subject[1], parts=ALL_PARTS, shared_with_id=old.shared_with_id,
                shared_by_id=old.shared_by_id, what=old.what, why=old.why, lawful_basis=old.lawful_basis,
                consent=old.consent, consent_reason=old.consent_reason, shared_at=old.shared_at)
        SharedPerson.objects.get_or_create(share=merged[key], person_id=old.person_id, defaults={"why": old.why[:300]})
    Task.objects.bulk_create([Task(
        content_type_id=referral_type.pk, object_id=old.referral_id, action_type=old.action_type, concerns=old.subject,
        reason=old.reason, rule=old.rule, owner_agency_id=old.owner_agency_id, owner_agency_type=old.owner_agency_type,
        due_at=old.due_at, contact_channels=old.contact_channels, lawful_basis=old.lawful_basis, status=old.status,
        done_by_id=old.done_by_id, done_at=old.done_at, note=old.note) for old in OldTask.objects.order_by("pk")])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_access_registry_tasks_shares_audit_chain"),
        ("referrals", "0004_history_indexed_by_record_id"),
        ("triage", "0002_history_indexed_by_record_id"),
    ]

    operations = [
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(move_shares_and_tasks, migrations.RunPython.noop),
        migrations.AlterField(model_name="accesslog", name="seq", field=models.PositiveBigIntegerField(unique=True)),
        migrations.AlterField(model_name="accesslog", name="action", field=models.CharField(
            choices=[("opened", "Opened"), ("listed", "Listed"), ("exported", "Exported"), ("printed", "Printed"),
                     ("refused", "Refused")], max_length=10)),
        migrations.AlterField(model_name="accesslog", name="digest", field=models.CharField(max_length=64)),
    ]
