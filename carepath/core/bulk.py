"""Fast inserts of many new rows, with their creation history.

Django's ``bulk_create`` compiles SQL value by value, which dominates a national-scale
import (1.5 million incidents, about 30 rows each). This prepares each value once with the
field's own conversion, inserts with ``executemany``, and writes django-simple-history's
"created" rows alongside, so history stays complete. Primary keys are reserved up front
and set on the objects, so dependent rows can refer to them.

On SQLite this relies on ``transaction_mode = IMMEDIATE`` (see settings): the write lock is
held from the start of the transaction, so no other writer can take the reserved ids.
"""

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

CHUNK = 2000
# Field types whose Python value the database driver takes as it is.
PASS_THROUGH = {"AutoField", "BigAutoField", "ForeignKey", "OneToOneField", "IntegerField", "BigIntegerField",
                "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "SmallIntegerField",
                "BooleanField", "CharField", "TextField", "EmailField", "SlugField"}


def _reserve_ids(connection, model: type[Model], count: int) -> list[int]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [model._meta.db_table, model._meta.pk.column, count])
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses an id, even a deleted one: start above both.
            cursor.execute(f"SELECT MAX({connection.ops.quote_name(model._meta.pk.column)}) FROM {table}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
            return list(range(start, start + count))
    raise NotImplementedError(f"Fast inserts are not written for {connection.vendor}.")


def _converter(field, connection):
    if field.get_internal_type() in PASS_THROUGH:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _insert(connection, table: str, columns: list[str], rows: list[list]) -> None:
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start:start + CHUNK])


def _auto_time(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _write(connection, model: type[Model], fields, values: list[list], history_user_id: int | None) -> None:
    """Insert prepared rows, then django-simple-history's "created" row for each."""
    _insert(connection, model._meta.db_table, [f.column for f in fields], values)
    history = getattr(model, "history", None)
    if history is None:
        return
    historical = history.model
    tracked = {f.attname for f in historical._meta.concrete_fields}
    kept = [i for i, f in enumerate(fields) if f.attname in tracked]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    extra_columns = ["history_date", "history_type", "history_change_reason", "history_user_id"]
    _insert(connection, historical._meta.db_table,
            [fields[i].column for i in kept] + extra_columns,
            [[row[i] for i in kept] + [now, "+", None, history_user_id] for row in values])


def bulk_insert(model: type[Model], objects: Sequence[Model], *, history_user_id: int | None = None) -> None:
    """Insert new ``objects`` of ``model`` (setting their primary keys) and, when the model
    keeps history, one "created" history row each. Must run inside a transaction."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    for obj, pk in zip(objects, _reserve_ids(connection, model, len(objects))):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = model._meta.concrete_fields
    converters = [_converter(f, connection) for f in fields]
    values = []
    for obj in objects:
        raw = [f.pre_save(obj, True) if _auto_time(f) else getattr(obj, f.attname) for f in fields]
        values.append([v if convert is None or v is None else convert(v) for v, convert in zip(raw, converters)])
    _write(connection, model, fields, values, history_user_id)


def bulk_insert_values(model: type[Model], rows: Sequence[dict], *, history_user_id: int | None = None) -> None:
    """Like ``bulk_insert`` for rows nothing else refers to, given as ``{attname: value}``
    (``person_id``, not ``person``): no model instances are built, which is most of the
    cost at national scale. Missing fields take their defaults."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = model._meta.concrete_fields
    ids = _reserve_ids(connection, model, len(rows))
    now = timezone.now()
    defaults = {f.attname: (now if _auto_time(f) else f.get_default()) for f in fields if f is not model._meta.pk}
    converters = [_converter(f, connection) for f in fields]
    pk_name = model._meta.pk.attname
    values = []
    for pk, row in zip(ids, rows):
        full = {**defaults, **row, pk_name: pk}
        raw = [full[f.attname] for f in fields]
        values.append([v if convert is None or v is None else convert(v) for v, convert in zip(raw, converters)])
    _write(connection, model, fields, values, history_user_id)
