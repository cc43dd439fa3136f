"""The access log as a hash chain that cannot be quietly edited.

Every row gets the next number (``seq``, no gaps) and a digest: HMAC-SHA256, keyed by
``CAREPATH_AUDIT_KEY`` (kept outside the database), over the row's fields and the digest
of the row before it. Editing, deleting or re-ordering a row breaks the chain from that
row on, and without the key nobody who can write to the database can forge a new one.
Cutting rows off the end leaves a valid but shorter chain: ``carepath audit anchor``
prints the head (number and digest) to keep elsewhere, and ``verify`` with that anchor
finds the cut.

Writers hold one lock while they read the head and append (a PostgreSQL advisory lock;
SQLite's transactions already take the write lock when they begin), so the chain stays
in order under concurrent page views.
"""

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from carepath.core.codes import AccessAction

GENESIS = "0" * 64
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_ADVISORY_LOCK = 0x63617265  # "care": one lock for every writer of the chain
FIELDS = (
    "seq",
    "user_id",
    "agency_id",
    "action",
    "content_type_id",
    "object_id",
    "via_type_id",
    "via_id",
    "viewed_at",
    "path",
    "digest",
)


@lru_cache(maxsize=4)
def _keyed(key: bytes):
    """The HMAC keyed once; each row's digest continues a copy (verify walks millions)."""
    return hmac.new(key, digestmod=hashlib.sha256)


def row_digest(
    key: bytes,
    previous: str,
    seq: int,
    user_id: int,
    agency_id: int | None,
    action: str,
    content_type_id: int,
    object_id: int,
    via_type_id: int | None,
    via_id: int | None,
    viewed_at: datetime,
    path: str,
) -> str:
    """The digest of one row chained to the one before it."""
    agency = "" if agency_id is None else agency_id
    via_type = "" if via_type_id is None else via_type_id
    via = "" if via_id is None else via_id
    message = (
        f"{previous}\x1f{seq}\x1f{user_id}\x1f{agency}\x1f{action}\x1f{content_type_id}\x1f{object_id}"
        f"\x1f{via_type}\x1f{via}\x1f{(viewed_at - _EPOCH) // _MICROSECOND}\x1f{path}"
    )
    digest = _keyed(key).copy()
    digest.update(message.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _key() -> bytes:
    return settings.CAREPATH_AUDIT_KEY.encode()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])


@transaction.atomic
def _append(*, user, action: str, content_type_id: int, object_ids: Iterable[int], via: Model | None, path: str) -> int:
    from carepath.core.models import AccessLog

    ids = list(object_ids)
    if not ids:
        return 0
    _lock_chain()
    head = AccessLog.objects.order_by("-seq").values_list("seq", "digest").first()
    seq, previous = head if head else (0, GENESIS)
    via_type_id = ContentType.objects.get_for_model(via).pk if via is not None else None
    via_id = via.pk if via is not None else None
    now, key, path = timezone.now(), _key(), path[:300]
    rows = []
    for object_id in ids:
        seq += 1
        previous = row_digest(
            key,
            previous,
            seq,
            user.pk,
            user.agency_id,
            action,
            content_type_id,
            object_id,
            via_type_id,
            via_id,
            now,
            path,
        )
        rows.append(
            AccessLog(
                seq=seq,
                user_id=user.pk,
                agency_id=user.agency_id,
                action=action,
                content_type_id=content_type_id,
                object_id=object_id,
                via_type_id=via_type_id,
                via_id=via_id,
                viewed_at=now,
                path=path,
                digest=previous,
            )
        )
    AccessLog.objects.bulk_create(rows)
    return len(rows)


def views_record(
    *,
    user,
    action: str,
    path: str,
    records: Iterable[Model] = (),
    model: type[Model] | None = None,
    ids: Iterable[int] = (),
    via: Model | None = None,
) -> None:
    """One row per record viewed: ``records`` (of one model), or ``ids`` of ``model``."""
    records = list(records)
    if records:
        model, ids = type(records[0]), [r.pk for r in records]
    if model is None:
        return
    _append(
        user=user,
        action=action,
        content_type_id=ContentType.objects.get_for_model(model).pk,
        object_ids=ids,
        via=via,
        path=path,
    )


def refusal_record(*, user, model: type[Model], object_id: int, path: str) -> None:
    """Log a refused attempt to open a record; a burst of them raises an alert for the
    administrators (``CAREPATH_REFUSAL_ALERT_COUNT`` within ``..._MINUTES``)."""
    from carepath.core.models import AccessAlert, AccessLog

    with transaction.atomic():
        _append(
            user=user,
            action=AccessAction.REFUSED,
            content_type_id=ContentType.objects.get_for_model(model).pk,
            object_ids=[object_id],
            via=None,
            path=path,
        )
        window = timedelta(minutes=settings.CAREPATH_REFUSAL_ALERT_MINUTES)
        since = timezone.now() - window
        refusals = AccessLog.objects.filter(user=user, action=AccessAction.REFUSED, viewed_at__gte=since).count()
        if (
            refusals >= settings.CAREPATH_REFUSAL_ALERT_COUNT
            and not AccessAlert.objects.filter(user=user, raised_at__gte=since).exists()
        ):
            from carepath.core.services import access_alert_raise

            access_alert_raise(user=user, refusals=refusals, window_minutes=settings.CAREPATH_REFUSAL_ALERT_MINUTES)


@dataclass(frozen=True)
class Verification:
    rows: int
    head_seq: int
    head_digest: str
    problem: str = ""
    problem_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def _rows() -> Iterator[tuple]:
    from carepath.core.models import AccessLog

    return AccessLog.objects.order_by("seq").values_list(*FIELDS).iterator(chunk_size=20000)


def chain_verify(*, anchor: str = "", rows: Iterable[tuple] | None = None) -> Verification:
    """Walk the chain from the first row. The first row that was edited, deleted or put
    out of order is named; with ``anchor`` ("SEQ:DIGEST" from ``chain_anchor``), a chain
    that no longer reaches that row, or reaches it with another digest, was cut or rewritten."""
    key = _key()
    expected_seq, previous, count = 1, GENESIS, 0
    digest_at_anchor = None
    anchor_seq, _, anchor_digest = anchor.partition(":")
    anchor_at = int(anchor_seq) if anchor_seq.isdigit() else None
    for seq, user_id, agency_id, action, ct, object_id, via_type_id, via_id, viewed_at, path, digest in (
        _rows() if rows is None else rows
    ):
        if seq != expected_seq:
            what = "missing (deleted)" if seq > expected_seq else "out of order or duplicated"
            return Verification(count, expected_seq - 1, previous, f"row {expected_seq} is {what}", expected_seq)
        computed = row_digest(
            key, previous, seq, user_id, agency_id, action, ct, object_id, via_type_id, via_id, viewed_at, path
        )
        if not hmac.compare_digest(computed, digest):
            return Verification(count, seq - 1, previous, f"row {seq} was edited or inserted out of order", seq)
        if seq == anchor_at:
            digest_at_anchor = digest
        previous, expected_seq, count = digest, seq + 1, count + 1
    head = expected_seq - 1
    if anchor_at is not None:
        if anchor_at > head:
            return Verification(
                count,
                head,
                previous,
                f"the log ends at row {head} but the anchor was taken at row {anchor_at}: rows were cut off the end",
                head + 1,
            )
        if digest_at_anchor != anchor_digest:
            return Verification(count, head, previous, f"row {anchor_at} no longer has the anchor's digest", anchor_at)
    return Verification(count, head, previous)


def chain_anchor() -> str:
    """The head of the chain as "SEQ:DIGEST", to keep somewhere the database's users cannot write."""
    from carepath.core.models import AccessLog

    head = AccessLog.objects.order_by("-seq").values_list("seq", "digest").first()
    return f"{head[0]}:{head[1]}" if head else f"0:{GENESIS}"
