"""Grouping records into people from scored pairs and reviewers' decisions (pure)."""

from carepath.people.identity import ScoredPair, identities_cluster


def test_pairs_at_or_above_the_linking_probability_join_records_into_one_person():
    result = identities_cluster(
        [1, 2, 3, 4], [ScoredPair(1, 2, 0.99), ScoredPair(2, 3, 0.995), ScoredPair(3, 4, 0.989)], link_probability=0.99
    )
    assert result.identity == {1: 1, 2: 1, 3: 1, 4: 4}
    assert result.groups() == {1: [1, 2, 3], 4: [4]}


def test_a_confirmed_pair_is_linked_whatever_its_score():
    result = identities_cluster([5, 9], [ScoredPair(5, 9, 0.4)], link_probability=0.99, confirmed=[(9, 5)])
    assert result.identity == {5: 5, 9: 5}


def test_a_rejected_pair_is_never_joined_even_through_a_chain_and_the_weakest_link_gives_way():
    # 1-2 strong, 2-3 weaker: a reviewer said 1 and 3 are different people.
    pairs = [ScoredPair(1, 2, 0.999), ScoredPair(2, 3, 0.991)]
    result = identities_cluster([1, 2, 3], pairs, link_probability=0.99, rejected=[(3, 1)])
    assert result.identity == {1: 1, 2: 1, 3: 3}
    assert result.held_apart == [(2, 3)]


def test_a_rejected_pair_is_not_linked_directly():
    result = identities_cluster([1, 2], [ScoredPair(1, 2, 1.0)], link_probability=0.99, rejected=[(1, 2)])
    assert result.identity == {1: 1, 2: 2}


def test_records_only_in_pairs_are_included():
    result = identities_cluster([], [ScoredPair(7, 3, 0.999)], link_probability=0.99)
    assert result.identity == {3: 3, 7: 3}
