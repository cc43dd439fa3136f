"""Fast inserts of many new rows, with their creation history.

Django's ``bulk_create`` compiles SQL value by value, which dominates a national-scale
import (1.5 million incidents, about 30 rows each). This prepares each value once with the
field's own conversion, inserts with ``COPY`` on PostgreSQL and ``executemany`` on SQLite,
and writes django-simple-history's "created" rows alongside, so history stays complete.
Encrypted fields encrypt in their own conversion (``carepath.core.encryption``) and blind
indexes are computed from the row, as ``save`` would.
Primary keys are reserved up front and returned, so dependent rows can refer to them.

On SQLite this relies on ``transaction_mode = IMMEDIATE`` (see settings): the write lock is
held from the start of the transaction, so no other writer can take the reserved ids.
"""

from collections.abc import Sequence

from django.conf import settings
from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

CHUNK = 2000
# Field types whose Python value the database driver takes as it is.
PASS_THROUGH = {
    "AutoField",
    "BigAutoField",
    "ForeignKey",
    "OneToOneField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "SmallIntegerField",
    "BooleanField",
    "CharField",
    "TextField",
    "EmailField",
    "SlugField",
}


def _reserve_ids(connection, model: type[Model], count: int) -> list[int]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses an id, even a deleted one: start above both.
            # Bandit's B608 (SQL built from strings): the table and column are the model's own, quoted.
            column = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT MAX({column}) FROM {table}")  # nosec B608
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
            return list(range(start, start + count))
    raise NotImplementedError(f"Fast inserts are not written for {connection.vendor}.")


def _converter(field, connection):
    kind = field.get_internal_type()
    if kind in PASS_THROUGH:
        return None
    if kind == "DateTimeField" and connection.vendor == "sqlite" and settings.USE_TZ:
        # What SQLite's adapter does (naive text in the connection's zone), without the
        # checks for expressions that cost most of a national import's conversion time.
        zone = connection.timezone
        return lambda value: value.astimezone(zone).replace(tzinfo=None).isoformat(" ")
    return lambda value: field.get_db_prep_save(value, connection)


def _insert(connection, table: str, columns: list[str], rows: list[list]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        # COPY streams the rows in one statement: several times faster than INSERTs,
        # which psycopg sends one per row even in a pipeline.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # Bandit's B608 (SQL built from strings): the names are the models' own, quoted; values are parameters.
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})"  # nosec B608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


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
    _insert(
        connection,
        historical._meta.db_table,
        [fields[i].column for i in kept] + extra_columns,
        [[row[i] for i in kept] + [now, "+", None, history_user_id] for row in values],
    )


def large_write_prepare(using: str = "default") -> None:
    """Give this connection's SQLite a page cache big enough for one import (setting
    ``CAREPATH_SQLITE_IMPORT_CACHE_MIB``); PostgreSQL needs nothing."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{int(settings.CAREPATH_SQLITE_IMPORT_CACHE_MIB) * 1024}")


def bulk_insert(model: type[Model], rows: Sequence[dict], *, history_user_id: int | None = None) -> list[int]:
    """Insert new rows of ``model``, given as ``{attname: value}`` (``person_id``, not
    ``person``; missing fields take their defaults), and, when the model keeps history,
    one "created" history row each. Returns the new primary keys in order, so dependent
    rows can refer to them. No model instances are built, which is most of the cost at
    national scale. Must run inside a transaction."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    fields = model._meta.concrete_fields
    ids = _reserve_ids(connection, model, len(rows))
    now = timezone.now()
    defaults = {f.attname: (now if _auto_time(f) else f.get_default()) for f in fields if f is not model._meta.pk}
    converters = [_converter(f, connection) for f in fields]
    derived = [f for f in fields if hasattr(f, "value_from_row")]
    pk_name = model._meta.pk.attname
    values = []
    for pk, row in zip(ids, rows):
        full = {**defaults, **row, pk_name: pk}
        for field in derived:
            full[field.attname] = field.value_from_row(full)
        raw = [full[f.attname] for f in fields]
        values.append([v if convert is None or v is None else convert(v) for v, convert in zip(raw, converters)])
    _write(connection, model, fields, values, history_user_id)
    return ids
