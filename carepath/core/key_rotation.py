"""Re-encrypt every encrypted value with the newest key (``carepath rotate-keys``), so an
older key can then be removed from ``CAREPATH_FIELD_ENCRYPTION_KEYS``.

Every model is covered, change-history tables included, by finding the encrypted fields
(``carepath.core.encryption``) rather than by a list. Values are rewritten through SQL,
batch by batch in primary-key order, each batch in its own transaction: saving the records
instead would add a change-history row for each and fire their signals. A value already
under the newest key is left alone, so a second run rewrites nothing and an interrupted
run can simply be started again. Blind indexes are recomputed under the newest key too.
"""

from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connections, router, transaction

from carepath.core.encryption import (
    blind_index_fields,
    encrypted_fields,
    field_cipher,
    newest_key_cipher,
)


class KeyMissing(Exception):
    """A value that none of the configured keys opens: its key was removed too early."""


@dataclass
class TableRotation:
    table: str
    rows: int = 0
    values_reencrypted: int = 0
    values_current: int = 0
    indexes_rewritten: int = 0


def _rotate_table(model, batch_size: int) -> TableRotation:
    encrypted, indexes = encrypted_fields(model), blind_index_fields(model)
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    by_name = {f.name: f for f in model._meta.concrete_fields}
    # Columns read: the encrypted ones, each index, and what each index is computed from.
    read = list(dict.fromkeys([*encrypted, *indexes, *(by_name[i.skip_when] for i in indexes if i.skip_when)]))
    # Bandit's B608 (SQL built from strings): the table and columns are the models' own, quoted.
    columns = ", ".join(quote(f.column) for f in read)
    select = f"SELECT {quote(pk)}, {columns} FROM {quote(table)} WHERE {quote(pk)} > %s ORDER BY {quote(pk)} LIMIT %s"  # nosec B608
    every_key, newest = field_cipher(), newest_key_cipher()
    result, last = TableRotation(table=table), None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(select, [-1 if last is None else last, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return result
            updates: dict[tuple[str, ...], list[list]] = {}
            for key, *values in rows:
                row, changed = dict(zip((f.name for f in read), values)), {}
                for field in encrypted:
                    token = row[field.name]
                    token = bytes(token) if token is not None else b""
                    if not token:  # blank values are stored blank
                        continue
                    try:
                        newest.decrypt(token)
                        result.values_current += 1
                        continue
                    except InvalidToken:
                        pass
                    try:
                        changed[field.column] = connection.Database.Binary(every_key.rotate(token))
                    except InvalidToken:
                        raise KeyMissing(
                            f"{table}, row {key}: {field.column} opens with none of the configured "
                            "keys. Put back the key it was encrypted with, then rotate again."
                        ) from None
                    result.values_reencrypted += 1
                for index in indexes:
                    token = bytes(row[index.source] or b"")
                    plain = every_key.decrypt(token).decode() if token else ""
                    expected = index.value_from_row({index.source: plain, index.skip_when: row.get(index.skip_when)})
                    if row[index.name] != expected:
                        changed[index.column] = expected
                        result.indexes_rewritten += 1
                if changed:
                    updates.setdefault(tuple(changed), []).append([*changed.values(), key])
                result.rows += 1
            for columns, params in updates.items():
                assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                # Bandit's B608: the table and columns are the models' own, quoted; values are parameters.
                sql = f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s"  # nosec B608
                cursor.executemany(sql, params)
            last = rows[-1][0]


def encrypted_values_rotate(*, batch_size: int = 1000, progress=None) -> list[TableRotation]:
    """Rotate every table holding encrypted values; ``progress`` is called with each
    table's result as it finishes. Raises ``KeyMissing`` (after committing the batches
    before it) for a value no configured key opens."""
    results = []
    for model in apps.get_models():
        if model._meta.proxy or not (encrypted_fields(model) or blind_index_fields(model)):
            continue
        result = _rotate_table(model, batch_size)
        results.append(result)
        if progress:
            progress(result)
    return results
