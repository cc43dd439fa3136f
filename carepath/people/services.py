"""Writes for identity resolution (issue 4): linking person records as one person.

The splink model and its scores come from ``linkage.py``; grouping scored pairs with
reviewers' decisions from ``identity.py``. Here they are applied to the records: each
change to which records are one person is written with the person's history
(django-simple-history) and an ``IdentityChange`` saying who, when, why, and the keys
before and after, so a merge or a split can be undone. Linking records never widens who
may see them: access still follows the agency that recorded each record or a share.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from carepath.configuration.selectors import partnership_settings_get
from carepath.core.bulk import bulk_insert
from carepath.core.history import changed_by
from carepath.people import linkage
from carepath.people.identity import ScoredPair, identities_cluster, ordered_pair
from carepath.people.linkage_csv import dates_kept_as_written
from carepath.people.models import (
    REVIEWED,
    IdentityChange,
    IdentityChangeKind,
    LinkageRun,
    LinkStatus,
    Person,
    RecordLink,
)
from carepath.people.selectors import linkage_candidates, linkage_records


def _thresholds() -> tuple[float, float]:
    settings = partnership_settings_get()
    return float(settings.linkage_link_probability), float(settings.linkage_review_probability)


def _identity_keys_set(
    keys: dict[int, int | None], *, kind: str, user=None, reason: str = "", link: RecordLink | None = None
) -> IdentityChange | None:
    """Give records new identity keys (``None``: linked to no other), with history and an
    ``IdentityChange``. Records whose key does not change are left alone."""
    people = Person.objects.in_bulk(list(keys))
    changed = [p for pk, p in people.items() if p.identity_key != keys[pk]]
    if not changed:
        return None
    before = {str(p.pk): p.identity_key for p in changed}
    for person in changed:
        person.identity_key = keys[person.pk]
    # The history says what kind of change it was; why is in the IdentityChange, encrypted
    # (a change reason in history is plain text).
    bulk_update_with_history(
        changed,
        Person,
        ["identity_key"],
        batch_size=2000,
        default_user=user,
        default_change_reason=IdentityChangeKind(kind).label,
    )
    return IdentityChange.objects.create(
        kind=kind,
        made_by=user,
        reason=reason,
        link=link,
        before=before,
        after={str(p.pk): p.identity_key for p in changed},
    )


def _keys_from_groups(groups: dict[int, list[int]]) -> dict[int, int | None]:
    return {pk: (key if len(members) > 1 else None) for key, members in groups.items() for pk in members}


def _decisions(record_ids: Iterable[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    ids = list(record_ids)
    reviewed = RecordLink.objects.filter(status__in=REVIEWED).filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids))
    confirmed, rejected = [], []
    for a, b, status in reviewed.values_list("person_a_id", "person_b_id", "status"):
        (confirmed if status == LinkStatus.CONFIRMED else rejected).append((a, b))
    return confirmed, rejected


def _members_of(keys: Iterable[int]) -> dict[int, int]:
    """Record id -> identity key for every record of these identities."""
    keys = set(keys)
    members = dict(Person.objects.filter(identity_key__in=keys).values_list("pk", "identity_key"))
    return {**{k: k for k in keys}, **members}


def _regroup(
    record_ids: Iterable[int], *, kind: str, user, reason: str, link: RecordLink | None
) -> IdentityChange | None:
    """Recompute who is one person among these records (and all records of their
    identities), from their stored links and reviewers' decisions."""
    link_probability, _ = _thresholds()
    current = _members_of(
        Person.objects.filter(pk__in=list(record_ids)).values_list("identity_key", flat=True).exclude(identity_key=None)
    )
    current |= {pk: current.get(pk, pk) for pk in record_ids}
    ids = list(current)
    stored = RecordLink.objects.filter(
        person_a_id__in=ids, person_b_id__in=ids, status__in=[LinkStatus.LINKED, LinkStatus.CONFIRMED]
    )
    pairs = [ScoredPair(a, b, p) for a, b, p in stored.values_list("person_a_id", "person_b_id", "match_probability")]
    confirmed, rejected = _decisions(ids)
    clustering = identities_cluster(
        ids, pairs, link_probability=link_probability, confirmed=confirmed, rejected=rejected
    )
    return _identity_keys_set(_keys_from_groups(clustering.groups()), kind=kind, user=user, reason=reason, link=link)


def _links_record(
    pairs: list[ScoredPair], weights: dict[tuple[int, int], float], *, link_probability: float, at: datetime
) -> None:
    """Store scored pairs as links (new pairs only; a reviewed pair keeps its decision)."""
    keys = [ordered_pair(p.a, p.b) for p in pairs]
    existing = set(
        RecordLink.objects.filter(
            person_a_id__in={a for a, _ in keys}, person_b_id__in={b for _, b in keys}
        ).values_list("person_a_id", "person_b_id")
    )
    bulk_insert(
        RecordLink,
        [
            {
                "person_a_id": a,
                "person_b_id": b,
                "match_probability": p.probability,
                "match_weight": weights[(a, b)],
                "status": LinkStatus.LINKED if p.probability >= link_probability else LinkStatus.REVIEW,
                "scored_at": at,
            }
            for p, (a, b) in zip(pairs, keys)
            if (a, b) not in existing
        ],
    )


def latest_linkage_model() -> linkage.LinkageModel | None:
    run = LinkageRun.objects.order_by("-finished_at", "-pk").first()
    return linkage.LinkageModel.from_dict(run.model) if run else None


@transaction.atomic
def people_link_new(*, person_ids: list[int]) -> None:
    """Match records just recorded against the people already known (issue 4,
    "Incremental linking"), so routing sees a victim's history across agencies.

    Candidates are the records sharing an indexed value with a new one (see
    ``selectors.linkage_candidates``). Pairs at or above the linking probability are
    linked; pairs in the review band wait for a reviewer. Until a first ``carepath
    relink`` has trained the model, nothing is linked.
    """
    model = latest_linkage_model()
    if model is None or not person_ids:
        return
    link_probability, review_probability = _thresholds()
    new = linkage_records(person_ids)
    candidates = linkage_candidates(new)
    if not candidates and len(new) < 2:
        return
    new_ids = {r.record_id for r in new}
    if len(new) == 1:
        scored = linkage.match_new(new[0], candidates, model)
    else:
        # Only the scored pairs are used: grouping them is identities_cluster's job.
        scored = linkage.link(
            [*new, *[c for c in candidates if c.record_id not in new_ids]],
            model=model,
            match_probability=review_probability,
            review_probability=review_probability,
        ).pairs
    scored = [
        s
        for s in scored
        if s.match_probability >= review_probability and (s.record_id_l in new_ids or s.record_id_r in new_ids)
    ]
    if not scored:
        return
    pairs = [ScoredPair(int(s.record_id_l), int(s.record_id_r), s.match_probability) for s in scored]
    weights = {ordered_pair(p.a, p.b): s.match_weight for p, s in zip(pairs, scored)}
    _links_record(pairs, weights, link_probability=link_probability, at=timezone.now())
    linked = [p for p in pairs if p.probability >= link_probability]
    if linked:
        _regroup(
            {r for p in linked for r in (p.a, p.b)},
            kind=IdentityChangeKind.MERGE,
            user=None,
            reason="Linked when recorded",
            link=None,
        )


@transaction.atomic
def people_relink(*, backend: str = "duckdb", user=None) -> LinkageRun:
    """Rebuild every identity in batch (``carepath relink``): train the model on all
    person records without labels, score the blocked pairs, and regroup, keeping every
    reviewer's decision. A date of birth kept as written (no real date) is compared as
    written; the run records how many there were."""
    started = timezone.now()
    link_probability, review_probability = _thresholds()
    records = linkage_records()
    model = linkage.train(records, backend=backend)
    result = linkage.link(
        records,
        model=model,
        backend=backend,
        match_probability=review_probability,
        review_probability=review_probability,
    )
    # Unreviewed links are replaced by this run's; reviewers' decisions stay.
    RecordLink.objects.exclude(status__in=REVIEWED).delete()
    pairs = [ScoredPair(int(p.record_id_l), int(p.record_id_r), p.match_probability) for p in result.pairs]
    weights = {ordered_pair(p.a, p.b): s.match_weight for p, s in zip(pairs, result.pairs)}
    _links_record(pairs, weights, link_probability=link_probability, at=started)
    confirmed, rejected = _decisions(int(r.record_id) for r in records)
    clustering = identities_cluster(
        [int(r.record_id) for r in records],
        pairs,
        link_probability=link_probability,
        confirmed=confirmed,
        rejected=rejected,
    )
    groups = clustering.groups()
    _identity_keys_set(
        _keys_from_groups(groups),
        kind=IdentityChangeKind.RELINK,
        user=user,
        reason=f"Batch relink of {len(records)} records",
    )
    return LinkageRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        backend=backend,
        records=len(records),
        pairs_scored=len(pairs),
        identities=len(groups),
        dates_kept_as_written=dates_kept_as_written(records),
        model=model.as_dict(),
        started_by=user,
    )


def _decide(link: RecordLink, *, status: str, user, reason: str) -> None:
    if not reason.strip():
        raise ValidationError("Say why: the decision stands in every later run and is audited.")
    link.status, link.decided_by, link.decided_at, link.reason = status, user, timezone.now(), reason
    changed_by(link, user, reason=LinkStatus(status).label)  # the reason itself is kept encrypted, in link.reason
    link.save(update_fields=["status", "decided_by", "decided_at", "reason"])


@transaction.atomic
def record_link_confirm(*, link: RecordLink, user, reason: str) -> IdentityChange | None:
    """A reviewer says the two records are the same person: they are linked (with every
    record of both their identities), and stay linked in later runs."""
    _, rejected = _decisions([link.person_a_id, link.person_b_id])
    members = _members_of({Person.objects.get(pk=pk).identity for pk in (link.person_a_id, link.person_b_id)})
    # This pair's own earlier rejection is what the reviewer is now changing.
    clash = [
        (a, b) for a, b in rejected if a in members and b in members and (a, b) != (link.person_a_id, link.person_b_id)
    ]
    if clash:
        raise ValidationError(
            f"Records {clash[0][0]} and {clash[0][1]} were decided to be different people; "
            "linking these two would make them one. Review that decision first."
        )
    _decide(link, status=LinkStatus.CONFIRMED, user=user, reason=reason)
    return _regroup(
        [link.person_a_id, link.person_b_id], kind=IdentityChangeKind.MERGE, user=user, reason=reason, link=link
    )


@transaction.atomic
def record_link_reject(*, link: RecordLink, user, reason: str) -> IdentityChange | None:
    """A reviewer says the two records are different people: if they were linked, the
    identity is split where the links are weakest, and they are never linked again."""
    _decide(link, status=LinkStatus.REJECTED, user=user, reason=reason)
    return _regroup(
        [link.person_a_id, link.person_b_id], kind=IdentityChangeKind.SPLIT, user=user, reason=reason, link=link
    )


@transaction.atomic
def person_identity_split(*, person: Person, user, reason: str) -> IdentityChange | None:
    """Take one record out of the person it is linked to: every link between it and the
    identity's other records is rejected, so later runs keep them apart."""
    if person.identity_key is None:
        raise ValidationError("This record is not linked to any other.")
    if not reason.strip():
        raise ValidationError("Say why: the decision stands in every later run and is audited.")
    others = list(
        Person.objects.filter(identity_key=person.identity_key).exclude(pk=person.pk).values_list("pk", flat=True)
    )
    now = timezone.now()
    for other in others:
        a, b = ordered_pair(person.pk, other)
        link, _ = RecordLink.objects.get_or_create(
            person_a_id=a,
            person_b_id=b,
            defaults={"match_probability": 0.0, "match_weight": 0.0, "status": LinkStatus.REJECTED, "scored_at": now},
        )
        _decide(link, status=LinkStatus.REJECTED, user=user, reason=reason)
    return _regroup([person.pk, *others], kind=IdentityChangeKind.SPLIT, user=user, reason=reason, link=None)


@transaction.atomic
def identity_change_undo(*, change: IdentityChange, user, reason: str) -> IdentityChange:
    """Put the records of an earlier merge or split back as they were, and reopen the
    reviewer's decision that caused it. Refused when a later change touched the same records."""
    if change.undone_by_id or hasattr(change, "undoes"):
        raise ValidationError("This change has already been undone, or is itself an undo.")
    if not reason.strip():
        raise ValidationError("Say why the change is undone.")
    current = dict(Person.objects.filter(pk__in=[int(k) for k in change.after]).values_list("pk", "identity_key"))
    if any(current.get(int(pk)) != key for pk, key in change.after.items()):
        raise ValidationError("Later changes touched these records: undo those first.")
    if change.link_id:
        link = change.link
        link.status, link.decided_by, link.decided_at = LinkStatus.REVIEW, user, timezone.now()
        link.reason = f"Decision undone: {reason}"
        changed_by(link, user, reason="Decision undone")
        link.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    undo = _identity_keys_set(
        {int(pk): key for pk, key in change.before.items()},
        kind=IdentityChangeKind.UNDO,
        user=user,
        reason=reason,
        link=change.link,
    )
    if undo is None:
        raise ValidationError("Nothing to undo.")
    change.undone_by = undo
    change.save(update_fields=["undone_by"])
    return undo
