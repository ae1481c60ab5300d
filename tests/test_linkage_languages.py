import numpy as np

from corpus import linkage
from corpus.linkage import average_linkage


def by_definition(count, pairs, scores, threshold, languages):
    """Average linkage with the veto straight from its definition: every step
    recomputes every cluster pair's mean, and its mean over pairs of one
    language where it has such pairs, and merges the best (ties: smallest ids)."""
    members = {i: [i] for i in range(count)}
    score = {}
    for (a, b), s in zip(pairs.tolist(), scores.tolist()):
        score[min(a, b), max(a, b)] = s
    merges = []
    while True:
        best = None
        for a in sorted(members):
            for b in sorted(members):
                if a >= b:
                    continue
                cross = [(x, y) for x in members[a] for y in members[b]]
                mean = sum(score.get((min(x, y), max(x, y)), 0.0) for x, y in cross) / len(cross)
                same = [(x, y) for x, y in cross
                        if languages[x] == languages[y] or languages[x] < 0 or languages[y] < 0]
                agree = not same or sum(score.get((min(x, y), max(x, y)), 0.0) for x, y in same) / len(same) >= threshold
                if agree and mean >= threshold and (best is None or mean > best[0]):
                    best = (mean, a, b)
        if best is None:
            break
        mean, a, b = best
        members[a] += members.pop(b)
        merges.append((a, b, mean, len(members[a])))
    cluster = np.empty(count, dtype=np.int64)
    for leader, items in members.items():
        cluster[items] = leader
    return cluster, merges


def test_a_report_does_not_join_through_the_other_language_when_its_own_disagrees():
    # 0: a single report in language 0; 1, 2 (language 0) and 3, 4 (language 1): another story
    pairs = np.array([(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4), (0, 1), (0, 2), (0, 3), (0, 4)])
    scores = np.array([0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 0.15, 0.15, 0.31, 0.31])
    plain = average_linkage(5, pairs, scores, 0.17)[0]
    assert plain.tolist() == [0] * 5                            # mean 0.23: its pairs in language 1 carry it
    clusters, merges = average_linkage(5, pairs, scores, 0.17, languages=np.array([0, 0, 0, 1, 1]))
    assert clusters.tolist() == [0, 1, 1, 1, 1]                 # its own language's pairs: 0.15
    assert [(m.left, m.right, m.size) for m in merges] == [(3, 4, 2), (1, 2, 2), (1, 3, 4)]


def test_clusters_without_a_language_in_common_merge_on_their_cross_pairs():
    clusters, _ = average_linkage(2, np.array([(0, 1)]), np.array([0.3]), 0.17, languages=np.array([0, 1]))
    assert clusters.tolist() == [0, 0]


def test_the_merges_are_those_of_the_definition_ties_included():
    rng = np.random.default_rng(5)
    for _ in range(150):
        count = int(rng.integers(2, 16))
        a, b = rng.integers(0, count, 3 * count), rng.integers(0, count, 3 * count)
        pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1)[a != b], axis=0)
        scores = rng.integers(1, 5, len(pairs)) / 8                # eighths: sums exact in any order, many ties
        languages = rng.integers(-1, 2, count)
        expected_clusters, expected_merges = by_definition(count, pairs, scores, 0.3, languages)
        clusters, merges = average_linkage(count, pairs, scores, 0.3, languages=languages)
        assert clusters.tolist() == expected_clusters.tolist()
        for leader in set(clusters.tolist()):               # each component's merges in the order made
            made = [(m.left, m.right, m.score, m.size) for m in merges if clusters[m.left] == leader]
            assert made == [m for m in expected_merges if expected_clusters[m[0]] == leader]


def test_one_language_and_large_components_keep_the_plain_linkage(monkeypatch):
    rng = np.random.default_rng(9)
    a, b = rng.integers(0, 60, 200), rng.integers(0, 60, 200)
    pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1)[a != b], axis=0)
    scores = rng.random(len(pairs))
    plain = average_linkage(60, pairs, scores, 0.3)
    for languages in (np.zeros(60, dtype=np.int64), np.full(60, -1)):
        same = average_linkage(60, pairs, scores, 0.3, languages=languages)
        assert same[0].tolist() == plain[0].tolist() and same[1] == plain[1]
    monkeypatch.setattr(linkage, "DENSE_LIMIT", 4)                 # a mixed component past it: no veto
    mixed = average_linkage(60, pairs, scores, 0.3, languages=rng.integers(0, 2, 60))
    assert mixed[0].tolist() == average_linkage(60, pairs, scores, 0.3)[0].tolist()
