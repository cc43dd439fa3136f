"""Encryption at rest for the values whose leak could put someone in danger: safe-contact
details, addresses, free-text narratives and notes, DASH answers and TOTP secrets
(issue 10, item 5).

Each value is encrypted in the application, before it reaches the database, its history
tables or a backup, with Fernet (AES-128-CBC with an HMAC-SHA256, from ``cryptography``),
by django-fernet-fields-v2's field classes. The keys are the partnership's own
(``CAREPATH_FIELD_ENCRYPTION_KEYS`` -> ``settings.FERNET_KEYS``), never derived from
``SECRET_KEY``: newest first, the first encrypts and any of them decrypts
(``MultiFernet``), so a key can be retired after ``carepath rotate-keys``.

A value that no configured key opens raises ``InvalidToken``: a page fails rather than
show or re-save ciphertext as if it were the value.

Encrypted fields cannot be searched (the library refuses every lookup but ``isnull``). A
value that must be found by equality gets a blind index beside it
(:class:`BlindIndexField`): a keyed hash that says which rows share a value, and nothing
about the value to someone without the key.

To encrypt a field, declare it with one of the classes below. An existing column needs
a migration of ``migration_operations.encrypt_columns`` (it moves the values across and
covers the history table). ``carepath rotate-keys`` finds every encrypted field by
itself, and ``core.bulk.bulk_insert`` encrypts through the field as ``save`` does. Never
copy such a value into a plain column: a history change reason (``_change_reason``), a
log line, a task's text.
"""

import hashlib
import hmac
import json
from functools import lru_cache

import fernet_fields
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models
from django.utils.encoding import force_bytes


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def field_cipher() -> MultiFernet:
    """The configured keys, read on every call so a changed setting takes effect."""
    return _cipher(tuple(settings.FERNET_KEYS))


def newest_key_cipher() -> Fernet:
    return Fernet(settings.FERNET_KEYS[0])


class _CurrentKeys:
    """Use the keys configured now: the library caches them on each field for the life
    of the process, which would keep a retired key in use after the setting changed."""

    @property
    def fernet(self) -> MultiFernet:
        return field_cipher()


class _BlankStaysBlank:
    """A blank value is stored empty, not encrypted. Encrypting it would hide only that
    the field is blank, at a hundred bytes and one encryption each; most of a police
    import's free-text fields are blank, and that halves the import's encryption work."""

    def get_db_prep_save(self, value, connection):
        if value == "":
            return connection.Database.Binary(b"")
        return super().get_db_prep_save(value, connection)

    def from_db_value(self, value, expression, connection, *args):
        if value is not None and len(value) == 0:
            return ""
        return super().from_db_value(value, expression, connection, *args)


class EncryptedCharField(_CurrentKeys, _BlankStaysBlank, fernet_fields.EncryptedCharField):
    """A ``CharField`` kept encrypted; ``max_length`` limits the value, not the column."""


class EncryptedTextField(_CurrentKeys, _BlankStaysBlank, fernet_fields.EncryptedTextField):
    pass


class EncryptedEmailField(_CurrentKeys, _BlankStaysBlank, fernet_fields.EncryptedEmailField):
    pass


class EncryptedJSONField(_CurrentKeys, fernet_fields.EncryptedField, models.JSONField):
    """A ``JSONField`` encrypted whole: the JSON text is the value encrypted. Keys inside
    it cannot be queried (no transforms), which is the point."""

    def get_db_prep_save(self, value, connection):
        if value is None:
            return None
        text = json.dumps(value, cls=self.encoder)
        return connection.Database.Binary(self.fernet.encrypt(text.encode()))

    def from_db_value(self, value, expression, connection, *args):
        if value is None:
            return None
        return json.loads(self.fernet.decrypt(bytes(value)), cls=self.decoder)

    def get_transform(self, name):
        return None


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, fernet_fields.EncryptedField)]


# Blind indexes ---------------------------------------------------------------------------


def _normalise(value: str) -> str:
    """Case and spaces do not make a different value ("al1 2ab" is "AL1 2AB")."""
    return "".join(value.split()).upper()


@lru_cache(maxsize=16)
def _index_key(fernet_key: str) -> bytes:
    # A subkey of its own (HKDF), so the Fernet key's bytes are never used as an HMAC key
    # directly; it turns with the Fernet keys (rotate-keys rewrites the indexes).
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"carepath blind index").derive(
        force_bytes(fernet_key)
    )


def _digest(key: str, label: str, value: str) -> str:
    return hmac.new(_index_key(key), f"{label}\0{_normalise(value)}".encode(), hashlib.sha256).hexdigest()


def blind_index(label: str, value: str) -> str | None:
    """The index of a value under the newest key; None for an empty value."""
    if not value or not value.strip():
        return None
    return _digest(settings.FERNET_KEYS[0], label, value)


def blind_index_lookup(label: str, values) -> set[str]:
    """What to look for in an index to find these values: their digests under every
    configured key, so rows indexed before a key change are still found."""
    return {_digest(key, label, v) for key in settings.FERNET_KEYS for v in values if v and v.strip()}


class BlindIndexField(models.CharField):
    """A keyed hash (HMAC-SHA256) of another field's value, for finding rows by that value.
    Blank when the value is empty or when the row's ``skip_when`` field is true (a
    confidential address is never matched). Written by ``save`` and by
    ``core.bulk.bulk_insert`` alike."""

    def __init__(self, *args, source: str, skip_when: str = "", **kwargs):
        self.source, self.skip_when = source, skip_when
        kwargs.update(max_length=64, null=True, blank=True, editable=False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for option in ("max_length", "null", "blank", "editable"):
            kwargs.pop(option, None)
        kwargs["source"] = self.source
        if self.skip_when:
            kwargs["skip_when"] = self.skip_when
        return name, path, args, kwargs

    def value_from_row(self, row: dict) -> str | None:
        if self.skip_when and row.get(self.skip_when):
            return None
        return blind_index(self.source, row.get(self.source) or "")

    def pre_save(self, model_instance, add):
        row = {self.source: getattr(model_instance, self.source)}
        if self.skip_when:
            row[self.skip_when] = getattr(model_instance, self.skip_when)
        value = self.value_from_row(row)
        setattr(model_instance, self.attname, value)
        return value


def blind_index_fields(model) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
