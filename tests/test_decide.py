"""corpus.decide: the choice of what to keep, by policy and ordinal."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from corpus.decide import choose_kept, group_labels, priority_order


# ---- choose_kept: the decision itself ----

def test_chain_keeps_the_end_not_similar_to_the_kept_one():
    pairs = np.array([[0, 1], [1, 2]])
    kept_of, jaccard_of = choose_kept(3, pairs, np.array([0.9, 0.85]), np.arange(3))
    assert kept_of.tolist() == [-1, 0, -1]
    assert jaccard_of[1] == 0.9


def test_policy_order_decides_which_stays():
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    kept_of, _ = choose_kept(3, pairs, np.array([0.9, 0.9, 0.9]), np.array([2, 0, 1]))
    assert kept_of.tolist() == [2, 2, -1]


pair_graphs = st.integers(2, 25).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.floats(0.8, 1.0)), max_size=60),
        st.permutations(range(n)),
        st.randoms(use_true_random=False),
    )
)


@given(pair_graphs)
@settings(max_examples=200, deadline=None)
def test_choice_invariants_and_independence_from_pair_order(graph):
    n, edges, order, rng = graph
    edges = {(min(a, b), max(a, b)): j for a, b, j in edges if a != b}
    pairs = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
    jaccards = np.array(list(edges.values()))
    kept_of, jaccard_of = choose_kept(n, pairs, jaccards, np.array(order))
    for doc in np.flatnonzero(kept_of >= 0).tolist():
        kept = int(kept_of[doc])
        assert kept_of[kept] == -1                                   # points at a kept document
        assert jaccard_of[doc] == edges[(min(doc, kept), max(doc, kept))]   # a verified pair
    kept_docs = set(np.flatnonzero(kept_of < 0).tolist())
    assert not any(a in kept_docs and b in kept_docs for a, b in edges)  # no similar pair survives
    shuffled = list(range(len(pairs)))
    rng.shuffle(shuffled)
    flipped = pairs[shuffled][:, ::-1] if rng.random() < 0.5 else pairs[shuffled]
    again, _ = choose_kept(n, np.ascontiguousarray(flipped), jaccards[shuffled], np.array(order))
    assert again.tolist() == kept_of.tolist()


@given(pair_graphs)
@settings(max_examples=200, deadline=None)
def test_group_labels_are_the_smallest_member_of_each_connected_group(graph):
    n, edges, _, _ = graph
    pairs = np.array([(min(a, b), max(a, b)) for a, b, _ in edges], dtype=np.int64).reshape(-1, 2)
    neighbours_of = {doc: set() for doc in range(n)}
    for a, b in pairs.tolist():
        neighbours_of[a].add(b)
        neighbours_of[b].add(a)
    expected = []
    for doc in range(n):
        group, reach = {doc}, [doc]
        while reach:
            new = neighbours_of[reach.pop()] - group
            group |= new
            reach += new
        expected.append(min(group))
    assert group_labels(n, pairs).tolist() == expected


def test_group_labels_join_a_long_chain_in_random_order():
    order = np.random.default_rng(3).permutation(100_000)
    chain = np.sort(np.stack([order[:-1], order[1:]], axis=1), axis=1)
    assert (group_labels(100_001, chain) == np.append(np.zeros(100_000, dtype=np.int64), 100_000)).all()


def test_priority_orders():
    lengths = np.array([5, 9, 9, 1])
    dates = np.array([30.0, math.nan, 10.0, 10.0])
    assert priority_order("first", lengths, dates).tolist() == [0, 1, 2, 3]
    assert priority_order("longest", lengths, dates).tolist() == [1, 2, 0, 3]
    assert priority_order("earliest", lengths, dates).tolist() == [2, 3, 0, 1]
    with pytest.raises(ValueError):
        priority_order("newest", lengths, dates)
