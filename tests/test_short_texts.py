"""Short texts borrow their neighbours' terms; full-length reports are left alone."""

import numpy as np
import scipy.sparse as sp

from corpus.short_texts import (BORROWED_WEIGHT, SHORT_TERMS, _unit_rows, best_neighbours, scores_without_each_other,
                                short_pair_scores)
from corpus.stories import SCORE_FLOOR, scored_pairs, story_clusters


def test_best_neighbours_keeps_the_k_best_partners_of_each():
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    scores = np.array([0.5, 0.2, 0.9])
    best = best_neighbours(pairs, scores, np.arange(3), 3, k=1).toarray()
    assert best.tolist() == [[0, 0.5, 0], [0, 0, 0.9], [0, 0.9, 0]]
    assert best_neighbours(pairs, scores, np.array([2]), 3, k=2).toarray().tolist() == [[0.2, 0.9, 0]]


def test_long_documents_keep_their_pairs():
    vectors = sp.csr_matrix(np.eye(3))
    pairs, scores = np.array([[0, 1]]), np.array([0.5])
    found = short_pair_scores(vectors, np.full(3, SHORT_TERMS), pairs, scores, SCORE_FLOOR)
    assert found[0] is pairs and found[1] is scores


def test_two_short_texts_without_a_shared_word_meet_through_their_neighbours():
    # terms: 0 "storm", 1 "coast", 2 "power", 3 "council"
    vectors = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 1, 0], [0, 0, 0, 1.0]]))
    vectors = sp.csr_matrix(vectors / np.linalg.norm(vectors.toarray(), axis=1, keepdims=True))
    lengths = np.array([5, 5, 5, 500])
    pairs, scores = scored_pairs(vectors, SCORE_FLOOR)
    new_pairs, new_scores = short_pair_scores(vectors, lengths, pairs, scores, SCORE_FLOOR)
    found = dict(zip(map(tuple, new_pairs.tolist()), new_scores.tolist()))
    before = dict(zip(map(tuple, pairs.tolist()), scores.tolist()))
    assert found[(0, 1)] > before[(0, 1)]                     # closer through their shared neighbour
    assert (0, 3) not in found and (2, 3) not in found           # the long document stays apart


HEADLINES = [
    "Storm cuts power to coastal towns", "Coastal towns in the dark after storm", "Power back after the storm",
    "Utility says storm outages will last days", "Council approves budget for new schools",
    "New schools budget passes council vote", "Council vote on schools budget delayed",
]


def test_headlines_of_one_story_cluster_and_two_stories_stay_apart():
    labels = story_clusters(HEADLINES).labels
    assert labels[4] == labels[5] == labels[6]
    assert labels[0] != labels[4] and labels[3] != labels[4]


UNRELATED = [
    "Council approves new budget for schools and roads", "Storm floods coastal towns as rivers burst their banks",
    "Apple unveils new iPhone with faster chip", "Striker scores twice as United beat City in derby",
    "Central bank raises interest rates to curb inflation",
]


def test_unrelated_headlines_sharing_a_common_word_stay_apart():
    """Headlines sharing only 'new' or 'as' were each other's only neighbours, borrowed
    each other's terms and scored ~0.99 (3 stories of 5)."""
    assert len(set(story_clusters(UNRELATED).labels)) == len(UNRELATED)


def test_scores_without_each_other_are_the_cosines_of_vectors_built_without_the_other():
    rng = np.random.default_rng(1)
    vectors = _unit_rows(sp.random(12, 30, density=0.2, random_state=2, format="csr"))
    lengths = rng.integers(3, 80, 12).astype(float)
    full = (vectors @ vectors.T).toarray()
    first, second = np.triu_indices(12, 1)
    pairs, scores = np.stack([first, second], axis=1), full[first, second]
    pairs, scores = pairs[scores > 0], scores[scores > 0]
    short = np.flatnonzero(lengths < SHORT_TERMS)
    found = np.array([(a, b) for a in range(len(short)) for b in range(a + 1, len(short))])
    lent, dense = best_neighbours(pairs, scores, short, 12).toarray(), vectors.toarray()

    def expanded(a, other):
        borrowed = np.where(np.arange(12) == other, 0.0, lent[a]) @ dense
        weight = BORROWED_WEIGHT * np.clip(1 - lengths[short[a]] / SHORT_TERMS, 0, 1)
        norm = np.linalg.norm(borrowed)
        vector = dense[short[a]] + (weight * borrowed / norm if norm > 0 else 0)
        return vector / np.linalg.norm(vector)

    want = [expanded(a, short[b]) @ expanded(b, short[a]) for a, b in found]
    neighbours = best_neighbours(pairs, scores, short, 12)
    got = scores_without_each_other(vectors, lengths, neighbours, sp.csr_matrix(neighbours @ vectors), short, found)
    assert np.allclose(got, want)


def test_no_pairs_found_scores_nothing():
    vectors = sp.csr_matrix(np.eye(3))
    found = np.empty((0, 2), dtype=np.int64)
    assert len(scores_without_each_other(vectors, np.full(3, 5.0), sp.csr_matrix((3, 3)), sp.csr_matrix((3, 3)),
                                         np.arange(3), found)) == 0
