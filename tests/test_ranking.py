"""Ranking within items: runs of equal keys, each item's best scores (ties by
position), and the cheap cut before ranking never losing one of them."""

import numpy as np
import pytest

from corpus.ranking import near_the_top, rank_in_groups, ranked_first, sorted_pairs


def test_rank_in_groups_counts_from_each_run_of_equal_keys():
    assert rank_in_groups(np.array([2, 2, 2, 5, 7, 7])).tolist() == [0, 1, 2, 0, 0, 1]


@pytest.mark.parametrize("seed", range(4))
def test_near_the_top_keeps_each_items_best_scores_ties_included(seed):
    rng = np.random.default_rng(seed)
    items = rng.integers(0, 30, 3000)
    scores = rng.integers(1, 200, 3000) / 256 if seed % 2 else rng.random(3000) ** 4
    best = rng.integers(0, 6, 30) if seed > 1 else 5
    close = near_the_top(items, scores, 30, best)
    assert close.sum() < len(scores) / 2
    for item in range(30):
        mine = scores[items == item]
        needed = np.sort(mine)[::-1][: np.broadcast_to(best, 30)[item]]
        kept = scores[close & (items == item)]
        assert not len(needed) or (kept >= needed[-1]).sum() == (mine >= needed[-1]).sum()


@pytest.mark.parametrize("seed", range(4))
def test_ranked_first_is_the_rank_by_score_then_position(seed):
    rng = np.random.default_rng(seed)
    items = rng.integers(0, 40, 2000)
    scores = rng.integers(1, 30, 2000) / 32 if seed % 2 else rng.random(2000)
    need = rng.integers(-1, 7, 40) if seed > 1 else 5
    order = np.lexsort((-scores, items))
    rank = np.empty(2000, dtype=np.int64)
    rank[order] = rank_in_groups(items[order])
    expected = rank < np.broadcast_to(need, 40)[items]
    assert np.array_equal(ranked_first(items, scores, 40, need), expected)


def test_sorted_pairs_orders_by_first_then_second():
    pairs = np.array([[3, 4], [0, 9], [3, 1], [0, 2]])
    assert pairs[sorted_pairs(pairs, 10)].tolist() == [[0, 2], [0, 9], [3, 1], [3, 4]]
