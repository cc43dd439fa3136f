"""For commands that read the partnership's configuration only when asked (``--settings-from-db``)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import DatabaseError


@contextmanager
def reading_partnership_settings() -> Iterator[None]:
    """Turn a database that cannot be read into a sentence saying what to do."""
    try:
        yield
    except DatabaseError:
        raise CommandError(
            "--settings-from-db: the partnership's configuration cannot be read from the database. "
            "Check DATABASE_URL and run `carepath migrate`, or leave out --settings-from-db to use "
            "Carepath's defaults."
        ) from None
