"""Which records are one person: clusters from scored pairs and reviewers' decisions.

Pure Python, no Django. Issue 4 ("Count people, not incidents"): splink scores pairs of
records; pairs at or above the partnership's linking probability are linked, and people
are the connected groups of linked records. A reviewer's decision stands in every later
run (issue 4, "Human review"): a confirmed pair is linked whatever its score, and a
rejected pair is never put in one group, not even through a chain of other links. Links
are taken strongest first, and one that would join two rejected records is skipped, so a
rejection separates the records at the weakest point of the chain.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScoredPair:
    """Two record ids and splink's probability that they are the same person."""

    a: int
    b: int
    probability: float


@dataclass
class Clustering:
    """``identity`` maps every record id to its person's key: the lowest id in its group."""

    identity: dict[int, int]
    #: Links not made because they would have joined records a reviewer said are different.
    held_apart: list[tuple[int, int]] = field(default_factory=list)

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for record, key in sorted(self.identity.items()):
            out.setdefault(key, []).append(record)
        return out


def ordered_pair(a: int, b: int) -> tuple[int, int]:
    """A pair of record ids as links store it: the lower id first."""
    return (a, b) if a < b else (b, a)


def identities_cluster(
    record_ids: Iterable[int],
    pairs: Iterable[ScoredPair],
    *,
    link_probability: float,
    confirmed: Iterable[tuple[int, int]] = (),
    rejected: Iterable[tuple[int, int]] = (),
) -> Clustering:
    """Group records into people.

    ``confirmed`` and ``rejected`` are reviewers' decisions on pairs. Records that appear
    only in pairs are included too.
    """
    rejected_with: dict[int, set[int]] = {}
    for a, b in rejected:
        rejected_with.setdefault(a, set()).add(b)
        rejected_with.setdefault(b, set()).add(a)
    rejected_pairs = {ordered_pair(a, b) for a, b in rejected}
    # Confirmed pairs first, then the strongest links: a rejection cuts the weakest link.
    edges = [(2.0, *ordered_pair(a, b)) for a, b in confirmed]
    edges += sorted(
        (
            (p.probability, *ordered_pair(p.a, p.b))
            for p in pairs
            if p.probability >= link_probability and ordered_pair(p.a, p.b) not in rejected_pairs
        ),
        reverse=True,
    )

    group_of: dict[int, int] = {r: r for r in record_ids}
    members: dict[int, set[int]] = {r: {r} for r in group_of}
    held_apart = []
    for _, a, b in edges:
        for r in (a, b):
            if r not in group_of:
                group_of[r] = r
                members[r] = {r}
        ga, gb = group_of[a], group_of[b]
        if ga == gb:
            continue
        small, large = (ga, gb) if len(members[ga]) <= len(members[gb]) else (gb, ga)
        if any(rejected_with.get(r, set()) & members[large] for r in members[small]):
            held_apart.append((a, b))
            continue
        for r in members[small]:
            group_of[r] = large
        members[large] |= members.pop(small)
    identity = {}
    for group in members.values():
        key = min(group)
        for r in group:
            identity[r] = key
    return Clustering(identity=identity, held_apart=held_apart)
