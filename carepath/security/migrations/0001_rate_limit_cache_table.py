"""The rate limits' counters: the table of Django's database cache (settings.CACHES["ratelimit"]),
created here so that ``migrate`` (the demo, the tests, a deployment) needs no extra step."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def cache_table_drop(apps, schema_editor):
    table = settings.CACHES["ratelimit"]["LOCATION"]
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(cache_table_create, cache_table_drop, elidable=False)]
