"""Ranking scores within items, on arrays: each item's best scores
(`ranked_first`, with `near_the_top` as a cheap cut before it), positions
within runs of equal keys, and the order of pairs. Shared by the similarity
product (a row's best pairs), short texts (their neighbours) and linkage."""

from __future__ import annotations

import numpy as np

RANKING_CELLS = 1 << 23      # (item, band) counts `near_the_top` may hold: up to 255 bands, fewer for many items


def ranked_first(items: np.ndarray, scores: np.ndarray, count: int, need: int | np.ndarray) -> np.ndarray:
    """Whether each entry is among the first `need` (per item < count, or for
    all) of its item ranked by score, highest first, ties in order of position.
    Round by round each item's highest remaining score is taken (as many of
    its ties as still fit), so the work is a few passes, not a sort."""
    need = np.broadcast_to(need, (count,))
    chosen = np.zeros(len(items), dtype=bool)
    taken = np.zeros(count, dtype=np.int64)
    left = np.flatnonzero(need[items] > 0)
    while len(left):
        mine = items[left]
        top = np.full(count, -np.inf)
        np.maximum.at(top, mine, scores[left])
        at_top = scores[left] == top[mine]
        tied = left[at_top]                              # each item's highest left, in order of position
        at_once = np.bincount(items[tied], minlength=count)
        if at_once.max(initial=0) > 1:                   # ties: ranked by position within their item
            by_item = np.argsort(items[tied], kind="stable")
            grouped = items[tied[by_item]]
            chosen[tied[by_item]] = rank_in_groups(grouped) + taken[grouped] < need[grouped]
        else:
            chosen[tied] = taken[items[tied]] < need[items[tied]]
        taken += at_once
        left = left[~at_top]
        mine = items[left]
        left = left[taken[mine] < need[mine]]
    return chosen


def near_the_top(items: np.ndarray, scores: np.ndarray, count: int, best: int | np.ndarray) -> np.ndarray:
    """True for every score that may be among the `best` highest of its item
    (items < count; `best` per item or for all), ties included, and few
    others: a cheap cut before ranking. Scores fall into bands of equal width;
    an item keeps the band holding its best-th highest score and those above.
    A lower band's scores are strictly lower, so none of them is needed."""
    if len(scores) <= 4 * count * int(np.max(best, initial=0)):
        return np.ones(len(scores), dtype=bool)
    bands = int(np.clip(min(RANKING_CELLS, len(scores)) // count, 1, 255))
    lowest, highest = float(scores.min()), float(scores.max())
    band = ((scores - lowest) * ((bands - 1e-6) / (highest - lowest))).astype(np.uint8) if highest > lowest \
        else np.zeros(len(scores), dtype=np.uint8)
    from_top = np.bincount(items * bands + band, minlength=count * bands).reshape(count, bands)[:, ::-1].cumsum(axis=1)
    enough = from_top >= np.reshape(best, (-1, 1))
    needed = np.where(enough[:, -1], bands - 1 - enough.argmax(axis=1), 0).astype(np.uint8)
    return band >= needed[items]


def rank_in_groups(keys: np.ndarray) -> np.ndarray:
    """For sorted `keys`, each one's position among the equal keys before it (0 for the first of a run)."""
    positions = np.arange(len(keys))
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = keys[1:] != keys[:-1]
    return positions - np.maximum.accumulate(np.where(starts, positions, 0))


def sorted_pairs(pairs: np.ndarray, count: int) -> np.ndarray:
    """The order that sorts distinct pairs (first < second, both < count) by first, then second."""
    return np.argsort(pairs[:, 0].astype(np.int64) * count + pairs[:, 1])
