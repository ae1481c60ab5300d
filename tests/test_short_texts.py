"""Short texts borrow their neighbours' terms; full-length reports are left alone."""

import numpy as np
import scipy.sparse as sp

from corpus.short_texts import SHORT_TERMS, best_neighbours, short_pair_scores
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
