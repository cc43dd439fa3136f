"""Migration operations that encrypt a column in place, on a database that already holds
data (``carepath.core.encryption``).

A plain column cannot be altered into an encrypted one by the database (PostgreSQL would
cast text to ``bytea`` byte for byte, and a backslash in a note would not even cast), so
each column is moved: a new encrypted column beside it, every value copied across
through the fields (read in the plain field, written encrypted), the plain column
dropped, the new one renamed. Backwards, the same steps decrypt.
"""

from django.db import migrations

BATCH = 2000


def _copy(app_label: str, model_name: str, source: str, target: str):
    """Copy ``source`` into ``target`` row by row, each value read by the source field
    (decrypting or parsing it) and written by the target field (encrypting it), in
    batches in primary-key order."""

    def copy(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        field, pk = model._meta.get_field(target), model._meta.pk
        quote = connection.ops.quote_name
        # Bandit's B608: the table and columns are the model's own, quoted; values are parameters.
        table, column, key = quote(model._meta.db_table), quote(field.column), quote(pk.column)
        update = f"UPDATE {table} SET {column} = %s WHERE {key} = %s"  # nosec B608
        rows = model._base_manager.using(connection.alias).order_by("pk").values_list("pk", source)
        last = None
        while batch := list((rows if last is None else rows.filter(pk__gt=last))[:BATCH]):
            with connection.cursor() as cursor:
                cursor.executemany(update, [(field.get_db_prep_save(value, connection), key) for key, value in batch])
            last = batch[-1][0]
        if connection.vendor == "postgresql":
            # Run the foreign-key checks the updates queued, or PostgreSQL refuses the
            # next step's ALTER TABLE in the same transaction ("pending trigger events").
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    return copy


def encrypt_column(app_label: str, model_name: str, name: str, field, *, keep_default: bool = False) -> list:
    """Operations that replace the plain field ``name`` by ``field`` (an encrypted field
    class from ``carepath.core.encryption``, given a ``default`` that fills the new column
    until the values are copied, and stays the field's default with ``keep_default``) and
    encrypt every existing value."""
    moving = f"{name}_encrypted"
    return [
        migrations.AddField(model_name, moving, field, preserve_default=keep_default),
        migrations.RunPython(_copy(app_label, model_name, name, moving), _copy(app_label, model_name, moving, name)),
        migrations.RemoveField(model_name, name),
        migrations.RenameField(model_name, moving, name),
    ]


def encrypt_columns(app_label: str, model_name: str, fields: dict, *, keep_defaults: tuple[str, ...] = ()) -> list:
    """``encrypt_column`` for each field, on the model and on its change history."""
    return [
        operation
        for model in (model_name, f"historical{model_name}")
        for name, field in fields.items()
        for operation in encrypt_column(app_label, model, name, field.clone(), keep_default=name in keep_defaults)
    ]
