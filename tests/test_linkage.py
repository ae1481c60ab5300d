import numpy as np
import pytest

from corpus import linkage
from corpus.linkage import average_linkage


def by_definition(count, pairs, scores, threshold, sizes=None):
    """Average linkage straight from its definition: every step recomputes every
    cluster pair's mean and merges the best (ties: smallest ids)."""
    size = [1] * count if sizes is None else [int(s) for s in sizes]
    members = {i: [i] for i in range(count)}
    score = {}
    for (a, b), s in zip(pairs.tolist(), scores.tolist()):
        score[min(a, b), max(a, b)] = score.get((min(a, b), max(a, b)), 0.0) + s
    merges = []
    while True:
        best = None
        for a in sorted(members):
            for b in sorted(members):
                if a < b:
                    total = sum(score.get((min(x, y), max(x, y)), 0.0) for x in members[a] for y in members[b])
                    mean = total / (sum(size[x] for x in members[a]) * sum(size[y] for y in members[b]))
                    if mean >= threshold and (best is None or mean > best[0]):
                        best = (mean, a, b)
        if best is None:
            break
        mean, a, b = best
        members[a] += members.pop(b)
        merges.append((a, b, mean, sum(size[x] for x in members[a])))
    cluster = np.empty(count, dtype=np.int64)
    for leader, items in members.items():
        cluster[items] = leader
    return cluster, merges


def random_graph(rng, count):
    """Random pairs with scores in eighths, so sums are exact in any order and ties are many."""
    a, b = rng.integers(0, count, 3 * count), rng.integers(0, count, 3 * count)
    pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1)[a != b], axis=0)
    return pairs, rng.integers(1, 5, len(pairs)) / 8


def test_no_items_give_no_clusters_and_no_merges():
    clusters, merges = average_linkage(0, np.empty((0, 2), np.int64), np.empty(0), 0.3)
    assert clusters.tolist() == [] and merges == []


@pytest.mark.parametrize("dense_limit", [512, 4])
def test_the_merges_are_those_of_the_definition_ties_included(monkeypatch, dense_limit):
    monkeypatch.setattr(linkage, "DENSE_LIMIT", dense_limit)     # 4: larger components take the rounds
    monkeypatch.setattr(linkage, "BATCH_CELLS", 64)                # several batches per size
    rng = np.random.default_rng(7)
    for trial in range(150):
        count = int(rng.integers(2, 30))
        pairs, scores = random_graph(rng, count)
        sizes = rng.integers(1, 4, count) if trial % 3 == 0 else None
        expected_clusters, expected_merges = by_definition(count, pairs, scores, 0.3, sizes)
        clusters, merges = average_linkage(count, pairs, scores, 0.3, sizes)
        assert clusters.tolist() == expected_clusters.tolist()
        assert sorted((m.left, m.right, m.score, m.size) for m in merges) == sorted(expected_merges)
        for leader in set(clusters.tolist()):               # each component's merges in the order made
            made = [(m.left, m.right, m.score, m.size) for m in merges if clusters[m.left] == leader]
            assert made == [m for m in expected_merges if expected_clusters[m[0]] == leader]


def test_rounds_give_the_same_merges_whatever_the_order_of_the_pairs(monkeypatch):
    monkeypatch.setattr(linkage, "DENSE_LIMIT", 2)                 # every component takes the rounds
    rng = np.random.default_rng(11)
    for trial in range(20):
        pairs, _ = random_graph(rng, 200)
        scores = rng.random(len(pairs))
        in_order = average_linkage(200, pairs, scores, 0.3)        # distinct, in pair order: no first sort
        shuffled = rng.permutation(len(pairs))
        flipped = pairs[shuffled][:, ::-1]                          # larger item first, any order: sorted first
        other = average_linkage(200, flipped, scores[shuffled], 0.3)
        assert in_order[0].tolist() == other[0].tolist()
        assert [(m.left, m.right, m.score, m.size) for m in in_order[1]] == \
            [(m.left, m.right, m.score, m.size) for m in other[1]]


def test_dense_and_round_paths_agree_on_a_large_component(monkeypatch):
    rng = np.random.default_rng(3)
    pairs, _ = random_graph(rng, 300)
    scores = rng.random(len(pairs))
    dense = average_linkage(300, pairs, scores, 0.4)
    monkeypatch.setattr(linkage, "DENSE_LIMIT", 2)
    rounds = average_linkage(300, pairs, scores, 0.4)
    assert dense[0].tolist() == rounds[0].tolist()
    assert [(m.left, m.right, m.score, m.size) for m in dense[1]] == [(m.left, m.right, m.score, m.size) for m in rounds[1]]


def test_merges_run_best_first_across_components():
    pairs = np.array([(0, 1), (2, 3), (4, 5)])
    clusters, merges = average_linkage(6, pairs, np.array([0.5, 0.9, 0.7]), 0.2)
    assert clusters.tolist() == [0, 0, 2, 2, 4, 4]
    assert [(m.left, m.right) for m in merges] == [(2, 3), (4, 5), (0, 1)]


def test_nothing_merges_below_the_threshold_and_a_threshold_of_zero_is_refused():
    clusters, merges = average_linkage(3, np.array([(0, 1)]), np.array([0.1]), 0.2)
    assert clusters.tolist() == [0, 1, 2] and merges == []
    with pytest.raises(ValueError):
        average_linkage(3, np.array([(0, 1)]), np.array([0.1]), 0.0)
