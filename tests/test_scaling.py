"""Local scaling: neighbourhood levels and the scaled scores of pairs."""

import functools

import numpy as np
import scipy.sparse as sp
import pytest

from corpus import scaling
from corpus.mapped import ParkedPlace, parked
from corpus.workers import Workers
from corpus.stories import StorySettings


def test_neighbourhood_level_is_the_mean_of_the_k_best_scores_with_missing_ones_as_zero():
    pairs = np.array([(0, 1), (0, 2), (0, 3), (0, 4), (3, 4)])
    scores = np.array([0.5, 0.4, 0.3, 0.2, 0.6])
    levels = scaling.neighbourhood_levels(pairs, scores, 6, k=3)
    assert levels == pytest.approx([0.4, 0.5 / 3, 0.4 / 3, 0.3, 0.8 / 3, 0.0])


def test_local_scaling_is_symmetric():
    rng = np.random.default_rng(7)
    pairs = np.array([(i, j) for i in range(8) for j in range(i + 1, 8) if rng.random() < 0.6])
    scores = rng.uniform(0.05, 0.6, len(pairs))
    scaled, _ = scaling.local_scaling(pairs, scores, 8)
    mirrored, _ = scaling.local_scaling(7 - pairs[:, ::-1], scores, 8)      # items renamed in reverse, pairs flipped
    assert np.allclose(scaled, mirrored)


def test_local_scaling_leaves_scores_alone_when_every_level_is_the_same():
    pairs = np.array([(i, j) for i in range(5) for j in range(i + 1, 5)])
    scores = np.full(len(pairs), 0.4)
    scaled, levels = scaling.local_scaling(pairs, scores, 5, k=3)
    assert np.allclose(levels, 0.4) and np.allclose(scaled, scores)
    unscaled, _ = scaling.local_scaling(pairs, np.linspace(0.1, 0.5, len(pairs)), 5, alpha=0.0)
    assert np.allclose(unscaled, np.linspace(0.1, 0.5, len(pairs)))


def test_a_hub_pair_scores_below_a_quiet_pair_of_the_same_cosine():
    # 0 is close to 1, 2 and 3; every other item has one neighbour; 0-4 and 5-6 have the same cosine
    pairs = np.array([(0, 1), (0, 2), (0, 3), (0, 4), (5, 6), (7, 8), (9, 10), (11, 12)])
    scores = np.array([0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3])
    scaled, levels = scaling.local_scaling(pairs, scores, 13, k=3)
    assert levels[0] == pytest.approx(0.5) and levels[5] == pytest.approx(0.1)
    hub, quiet = scaled[3], scaled[4]
    assert hub < 0.6 * quiet
    assert quiet == pytest.approx(0.3)              # a pair of typical documents keeps its cosine


def test_a_faint_pair_of_loners_is_lifted_at_most_by_the_bound():
    pairs = np.array([(i, j) for i in range(5) for j in range(i + 1, 5)] + [(5, 6)])
    scores = np.array([0.4] * 10 + [0.03])
    scaled, _ = scaling.local_scaling(pairs, scores, 7)
    bound = (1 / scaling.LEVEL_MIN_SHARE) ** scaling.LOCAL_ALPHA
    assert scaled[-1] == pytest.approx(0.03 * bound)
    assert scaled[-1] < StorySettings.threshold


def test_levels_and_scaling_do_not_depend_on_how_many_pairs_are_read_at_once(monkeypatch):
    rng = np.random.default_rng(5)
    pairs = np.unique(np.sort(rng.integers(0, 40, (300, 2)), axis=1), axis=0)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    scores = rng.integers(1, 40, len(pairs)) / 64          # many ties
    whole = scaling.local_scaling(pairs, scores, 40)
    monkeypatch.setattr(scaling, "PAIRS_AT_ONCE", 7)
    pieces = scaling.local_scaling(pairs, scores, 40)
    assert np.array_equal(whole[0], pieces[0]) and np.array_equal(whole[1], pieces[1])


def test_neighbourhood_levels_of_many_pairs_are_the_sums_of_each_items_k_best():
    rng = np.random.default_rng(5)
    pairs = np.array([(i, j) for i in range(40) for j in range(i + 1, 40) if rng.random() < 0.7])
    scores = rng.integers(1, 40, len(pairs)) / 64              # ties, and sums exact in any order
    scores[pairs[:, 0] == 3] /= 8                              # a loner: every score of its low
    levels = scaling.neighbourhood_levels(pairs, scores, 41, k=5)
    for item in range(41):
        mine = np.sort(scores[(pairs[:, 0] == item) | (pairs[:, 1] == item)])[::-1]
        assert levels[item] == mine[:5].sum() / 5


def test_scaling_by_given_best_rows_leaves_equal_levels_alone_and_lowers_a_hub():
    pairs = np.array([(0, 1), (2, 3), (0, 3)])
    scores = np.array([0.3, 0.3, 0.3])
    even = np.full((4, scaling.LOCAL_K), 0.2)
    assert np.allclose(scaling.scaled_by_best(even, pairs, scores), scores)
    hub = even.copy()
    hub[0] = 0.6                                        # item 0 scores high with many others
    scaled = scaling.scaled_by_best(hub, pairs, scores)
    assert scaled[0] < scores[0] and scaled[1] == pytest.approx(scores[1])


def test_one_term_pairs_are_those_whose_largest_shared_term_holds_the_share(monkeypatch):
    rng = np.random.default_rng(11)
    dense = rng.random((30, 25)) * (rng.random((30, 25)) < 0.3)
    dense[3] = 0.0                                                   # an empty row
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
    vectors = sp.csr_matrix(dense)
    pairs = np.array([(i, j) for i in range(30) for j in range(i + 1, 30)])
    products = dense[pairs[:, 0]] * dense[pairs[:, 1]]
    scores = products.sum(axis=1)
    lifted = (scores > 0) & (rng.random(len(pairs)) < 0.8)
    found = scaling.one_term_pairs(vectors, scaling.top_terms(vectors), pairs, scores, lifted)
    expected = lifted & (products.max(axis=1) >= scaling.ONE_TERM_SHARE * scores)
    assert np.array_equal(found, expected) and 0 < expected.sum() < lifted.sum()
    monkeypatch.setattr(scaling, "MULTIPLIED_AT_ONCE", 3)
    assert np.array_equal(scaling.one_term_pairs(vectors, scaling.top_terms(vectors), pairs, scores, lifted),
                          expected)


def test_top_terms_settle_the_one_term_check_as_the_rows_do(monkeypatch):
    rng = np.random.default_rng(13)
    dense = rng.random((30, 12)) ** 4 * (rng.random((30, 12)) < 0.6)
    dense[3] = 0.0                                                   # an empty row
    dense[4, 1:] = 0.0                                               # a row of one entry
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
    vectors = sp.csr_matrix(dense)
    monkeypatch.setattr(scaling, "TOP_TERMS", 2)
    monkeypatch.setattr(scaling, "TOP_RANKED_AT_ONCE", 5)            # ranked a few rows at a time
    top = scaling.top_terms(vectors)
    ranked = -np.sort(-dense, axis=1)[:, :2]
    assert np.array_equal(top.weights, ranked) and np.array_equal(top.heaviest, scaling.heaviest_weights(vectors))
    assert all(dense[row, top.terms[row, k]] == top.weights[row, k] if top.terms[row, k] >= 0 else top.weights[row, k] == 0
               for row in range(30) for k in range(2))
    pairs = np.array([(i, j) for i in range(30) for j in range(i + 1, 30)])
    products = dense[pairs[:, 0]] * dense[pairs[:, 1]]
    scores = products.sum(axis=1)
    resting = products.max(axis=1) >= scaling.ONE_TERM_SHARE * scores
    sure, open_ = scaling.settled_on_top_terms(top, pairs[:, 0], pairs[:, 1], scores)
    assert resting[sure].all() and not resting[~sure & ~open_].any()
    assert sure.any() and open_.any() and (~sure & ~open_ & (scores > 0)).any()
    lifted = scores > 0
    assert np.array_equal(scaling.one_term_pairs(vectors, top, pairs, scores, lifted), lifted & resting)


def test_the_one_term_check_on_parked_vectors_in_a_worker_is_the_same(tmp_path):
    rng = np.random.default_rng(12)
    dense = rng.random((40, 30)) * (rng.random((40, 30)) < 0.3)
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
    vectors = sp.csr_matrix(dense)
    place = ParkedPlace.of(vectors, str(tmp_path))
    parked(vectors, folder=str(tmp_path))
    pairs = np.array([(i, j) for i in range(40) for j in range(i + 1, 40)])
    scores = (dense[pairs[:, 0]] * dense[pairs[:, 1]]).sum(axis=1)
    alone = scaling.resting_on_one_term(vectors, pairs[:, 0], pairs[:, 1], scores)
    with Workers(2) as workers:
        tasks = [(pairs[k::3, 0], pairs[k::3, 1], scores[k::3]) for k in range(3)]
        shared = list(workers.results(functools.partial(scaling.parked_resting_on_one_term, place=place), tasks))
    assert all(np.array_equal(held, alone[k::3]) for k, held in enumerate(shared)) and 0 < alone.sum() < len(pairs)


def test_heaviest_weights_are_each_rows_largest_and_zero_for_an_empty_row():
    vectors = sp.csr_matrix(np.array([[0.0, 0.6, 0.8], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]))
    assert scaling.heaviest_weights(vectors).tolist() == [0.8, 0.0, 1.0]


def test_held_on_one_term_only_among_pairs_lifted_to_the_floor_and_not_both_short():
    vectors = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.6, 0.8]]))
    pairs = np.array([[0, 1], [0, 2], [1, 2], [0, 3]])
    raw = np.array([1.0, 1.0, 1.0, 0.6])
    scaled = np.array([1.2, 1.0, 1.2, 0.7])                   # pair 1 not lifted; pair 3 lifted but under the floor
    short = np.array([False, True, True, False])             # pair 2: two short texts
    held = scaling.held_on_one_term(vectors, scaling.top_terms(vectors), pairs, raw, scaled, 0.8, short)
    assert held.tolist() == [True, False, False, False]
