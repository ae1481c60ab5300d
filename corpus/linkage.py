"""Average linkage at a threshold, at array speed.

The definition (`average_linkage`): clusters merge one pair at a time, the
pair with the highest mean score over all its cross pairs first (pairs not
given score 0), while that mean reaches the threshold; ties go to the pair of
clusters with the smallest ids, a cluster's id being its smallest item.

The same merges, computed in parts:
- A mean reaches the threshold only if one of its cross pairs does (a mean
  is never above its largest term), so no cluster ever reaches across the
  connected components of the pairs that reach it on their own: each
  component is clustered apart, and pairs between components are dropped.
- Components of up to DENSE_LIMIT items are clustered on dense arrays, many
  of about one size at once: a matrix of score sums per component, the means
  from them, and per row its best mean and where it is, so a step (one merge
  in every component still merging) costs array operations over rows, not a
  Python loop over pairs. Sums are added and divided as the one-pair-at-a-time
  definition adds and divides them, so the means, and every tie, are the same
  floating-point numbers.
- Larger components are clustered together in rounds of reciprocal best
  pairs (`corpus.linkage_rounds`), memory growing with their pairs of
  clusters; the merges are those of one at a time, in its order (a sum may
  differ in its last bit, only in components past DENSE_LIMIT).
- The pairs may be arrays mapped from a file (`corpus.mapped`): they are
  read a part at a time (each part let go after) to find the components and
  again to take the pairs inside them, placed by component size class and
  component without sorting them all, so only those pairs are held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from corpus.linkage_languages import language_steps
from corpus.linkage_rounds import empty_steps, item_type, large_steps
from corpus.mapped import let_go
from corpus.ranking import rank_in_groups
from corpus.similarity import PAIRS_AT_ONCE

DENSE_LIMIT = 512             # components of up to this many items are clustered on dense arrays
BATCH_CELLS = 1 << 21         # matrix cells of the components clustered together (two float64 arrays of this size)
COMPONENT_SLACK = 1e-9        # components are cut a hair below the threshold, so rounding never splits a cluster


@dataclass(frozen=True)
class Merge:
    """One linkage step: the clusters whose first items are `left` and `right`
    joined at mean score `score` into `size` documents. `follow_up`: a lone
    report joined to a story beyond the window, `score` its mean cosine with
    all of the story's reports (`corpus.followups`)."""

    left: int
    right: int
    score: float
    size: int
    follow_up: bool = False


def average_linkage(count: int, pairs: np.ndarray, scores: np.ndarray, threshold: float,
                    sizes: np.ndarray | None = None,
                    languages: np.ndarray | None = None) -> tuple[np.ndarray, list[Merge]]:
    """Agglomerate `count` items, best mean first, while the mean score over
    all cross pairs of two clusters (pairs not given score 0) is >= threshold
    (> 0). Ties go to the pair of clusters with the smallest ids; a cluster's
    id is its smallest item. Returns each item's cluster id and the merges:
    those of one component in the order made, components interleaved by
    score. `sizes` (default all 1) makes items clusters formed before: an item
    of size s stands for s documents, and its pair scores are sums over them.
    `languages` (per item its language group, -1 unknown; not with `sizes`):
    in a component of up to DENSE_LIMIT items in two or more languages, two
    clusters with a language in common merge only when their cross pairs
    within one language reach the threshold too (`corpus.linkage_languages`)."""
    if threshold <= 0:
        raise ValueError("average linkage needs a threshold above 0")
    size = np.ones(count) if sizes is None else np.asarray(sizes, dtype=np.float64)
    pairs = (pairs if isinstance(pairs, np.ndarray) else np.asarray(pairs)).reshape(-1, 2)
    scores = scores if isinstance(scores, np.ndarray) else np.asarray(scores, dtype=np.float64)
    component = _components(count, pairs, scores, None if sizes is None else size,
                            threshold * (1 - COMPONENT_SLACK))
    sizes_of = np.bincount(component, minlength=count)
    by_component = np.argsort(component, kind="stable")      # each component's items in ascending order
    position = np.empty(count, dtype=np.int64)                  # of an item within its component
    starts = np.concatenate([[0], np.cumsum(sizes_of[sizes_of > 0])])[:-1]   # none for no items
    position[by_component] = np.arange(count) - np.repeat(starts, sizes_of[sizes_of > 0])
    widths = _widths()
    group = np.searchsorted(widths, sizes_of)                  # per component: its width, len(widths) if larger
    group[sizes_of < 2] = -1                                    # (a lone item has nothing to merge)
    mixed = len(widths) + 1                                     # the group of components in several languages
    if languages is not None and sizes is None:
        group[mixed_groups(component, languages, count) & (group >= 0) & (group < len(widths))] = mixed
    first, second, scores, bounds = _grouped(count, component, group, mixed + 1, pairs, scores)
    steps = [empty_steps()]
    for width_at, width in enumerate(widths):
        chosen = by_component[group[component[by_component]] == width_at]
        if len(chosen):
            mine = slice(bounds[width_at], bounds[width_at + 1])
            steps += _dense_steps(chosen, component, position, size, first[mine], second[mine], scores[mine],
                                  threshold, width)
    if bounds[-2] > bounds[-3]:
        large = slice(bounds[-3], bounds[-2])
        steps.append(large_steps(component, size, first[large], second[large], scores[large], threshold))
    if bounds[-1] > bounds[-2]:
        several = slice(bounds[-2], bounds[-1])
        steps.append(language_steps(component, languages, first[several], second[several], scores[several],
                                    threshold))
    return _clusters_and_merges(count, steps)


def mixed_groups(group: np.ndarray, languages: np.ndarray, count: int) -> np.ndarray:
    """Per group id (0..count-1): whether the items of the group (`group`: per item
    its id) hold two or more known languages (-1: unknown)."""
    known = np.flatnonzero(languages >= 0)
    if not len(known):
        return np.zeros(count, dtype=bool)
    low, high = np.full(count, languages.max() + 1), np.full(count, -1)
    np.minimum.at(low, group[known], languages[known])
    np.maximum.at(high, group[known], languages[known])
    return high > low


def _parts(pairs: np.ndarray, scores: np.ndarray, count: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(first, second, scores) of the pairs, PAIRS_AT_ONCE at a time, the
    smaller item first; a part of an array mapped from a file is let go once
    read (`corpus.mapped`), so the pairs are never all held."""
    kind = item_type(count)
    for start in range(0, len(scores), PAIRS_AT_ONCE):
        stop = start + PAIRS_AT_ONCE
        part, part_scores = pairs[start:stop], np.array(scores[start:stop], dtype=np.float64)
        first, second = np.minimum(part[:, 0], part[:, 1]), np.maximum(part[:, 0], part[:, 1])
        yield first.astype(kind, copy=False), second.astype(kind, copy=False), part_scores
        let_go(pairs, start, stop)
        let_go(scores, start, stop)


def _components(count: int, pairs: np.ndarray, scores: np.ndarray, size: np.ndarray | None,
                cut: float) -> np.ndarray:
    """Each item's connected component of the pairs whose mean reaches `cut`
    (`size`: the items' sizes, None when all are 1: the scores are the means)."""
    reaching = [(np.empty(0, dtype=item_type(count)),) * 2]
    for first, second, part_scores in _parts(pairs, scores, count):
        means = part_scores if size is None else part_scores / (size[first] * size[second])
        at = means >= cut
        reaching.append((first[at], second[at]))
    first, second = (np.concatenate(column) for column in zip(*reaching))
    del reaching
    graph = sp.csr_matrix((np.ones(len(first)), (first, second)), shape=(count, count))
    del first, second
    return connected_components(graph, directed=False)[1]


def _grouped(count: int, component: np.ndarray, group: np.ndarray, groups: int, pairs: np.ndarray,
             scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pairs inside a component of a group (`group` per component; -1:
    none), and their scores: by group, then by component, each component's
    in their order, as arrays of just those pairs (a pass to count them, one
    to place them); and where each group's pairs start and end."""
    def inside(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        of_first = component[first]
        at = np.flatnonzero((of_first == component[second]) & (group[of_first] >= 0))
        return at, of_first[at]

    held = np.zeros(count, dtype=np.int64)                     # per component: its pairs
    for first, second, _ in _parts(pairs, scores, count):
        held += np.bincount(inside(first, second)[1], minlength=count)
    order = np.lexsort((np.arange(count), group))             # components by group, then id
    free = np.empty(count, dtype=np.int64)                     # per component: where its next pair goes
    free[order] = np.cumsum(held[order]) - held[order]
    total = int(held.sum())
    kept_first, kept_second = np.empty(total, dtype=item_type(count)), np.empty(total, dtype=item_type(count))
    kept_scores = np.empty(total)
    for first, second, part_scores in _parts(pairs, scores, count):
        at, of_first = inside(first, second)
        by = np.argsort(of_first, kind="stable")
        slots = np.empty(len(at), dtype=np.int64)
        slots[by] = free[of_first[by]] + rank_in_groups(of_first[by])
        free += np.bincount(of_first, minlength=count)
        kept_first[slots], kept_second[slots], kept_scores[slots] = first[at], second[at], part_scores[at]
    per_group = np.bincount(group[group >= 0], weights=held[group >= 0], minlength=groups)
    return kept_first, kept_second, kept_scores, np.concatenate([[0], np.cumsum(per_group)]).astype(np.int64)


def _widths() -> list[int]:
    """Powers of two from 2 to DENSE_LIMIT: components are clustered with others of about their size."""
    widths, width = [], 2
    while width <= DENSE_LIMIT:
        widths.append(width)
        width *= 2
    return widths


def _dense_steps(chosen: np.ndarray, component: np.ndarray, position: np.ndarray, size: np.ndarray,
                 first: np.ndarray, second: np.ndarray, scores: np.ndarray, threshold: float,
                 width: int) -> list[dict[str, np.ndarray]]:
    """The merges of the components of `chosen` items (grouped by component,
    ascending within), all of at most `width` items, batch by batch; their
    pairs `first`, `second` are grouped by component likewise."""
    ids = component[chosen]
    starts = np.flatnonzero(np.diff(ids, prepend=-1))
    bounds = np.append(starts, len(chosen))
    pair_ids = component[first]
    per_batch = max(1, BATCH_CELLS // (width * width))
    found = []
    for batch in range(0, len(starts), per_batch):
        low, high = bounds[batch], bounds[min(batch + per_batch, len(starts))]
        items = chosen[low:high]
        batch_ids = ids[starts[batch : batch + per_batch]]
        table = np.full((len(batch_ids), width), -1, dtype=np.int64)
        table[np.searchsorted(batch_ids, ids[low:high]), position[items]] = items
        lo, hi = np.searchsorted(pair_ids, batch_ids[0]), np.searchsorted(pair_ids, batch_ids[-1], side="right")
        slots = np.searchsorted(batch_ids, pair_ids[lo:hi])
        sums = np.zeros((len(batch_ids), width, width))
        np.add.at(sums, (slots, position[first[lo:hi]], position[second[lo:hi]]), scores[lo:hi])
        found.append(_dense_batch(table, batch_ids, sums, size, threshold))
    return found


def _dense_batch(table: np.ndarray, ids: np.ndarray, sums: np.ndarray, size: np.ndarray,
                 threshold: float) -> dict[str, np.ndarray]:
    """Average linkage of the components `ids` laid out in `table` (one row
    each: its items ascending, -1 after them) with the sums of their pairs'
    scores (first item's row, second's column), all at once: one merge per
    still-merging component per step (module notes)."""
    batch, width = table.shape
    listed = table >= 0
    sums += sums.transpose(0, 2, 1)
    weight = np.where(listed, size[np.maximum(table, 0)], 1.0)
    means = sums / (weight[:, :, None] * weight[:, None, :])
    best, best_at = means.max(axis=2), means.argmax(axis=2)
    found = []
    active, step = np.arange(batch), 0
    while len(active):
        top = best[active].max(axis=1)
        active, top = active[top >= threshold], top[top >= threshold]
        if not len(active):
            break
        left = (best[active] == top[:, None]).argmax(axis=1)   # the smallest row holding the best mean ...
        right = best_at[active, left]                           # ... and its smallest partner at that mean
        weight[active, left] += weight[active, right]
        found.append((active, np.full(len(active), step), table[active, left], table[active, right], top,
                      weight[active, left]))
        joined = sums[active, left] + sums[active, right]
        joined[np.arange(len(active)), left] = 0.0
        joined[np.arange(len(active)), right] = 0.0
        sums[active, left], sums[active, :, left] = joined, joined
        sums[active, right], sums[active, :, right] = 0.0, 0.0
        row = joined / (weight[active, left][:, None] * weight[active])
        means[active, left], means[active, :, left] = row, row
        means[active, right], means[active, :, right] = 0.0, 0.0
        _update_best(best, best_at, means, active, left, right, row)
        step += 1
    if not found:
        return empty_steps()
    slots, steps, lefts, rights, tops, weights = (np.concatenate(part) for part in zip(*found))
    return {"component": ids[slots], "step": steps, "left": lefts, "right": rights,
            "score": tops, "size": weights}


def _update_best(best: np.ndarray, best_at: np.ndarray, means: np.ndarray, active: np.ndarray, left: np.ndarray,
                 right: np.ndarray, row: np.ndarray) -> None:
    """Each row's best mean and its smallest column, after `right` joined
    `left` in each active component and `left`'s means became `row`."""
    held = best_at[active]
    lost = (held == left[:, None]) | (held == right[:, None])   # the best was with a cluster that changed: look again
    current = best[active]
    gains = ~lost & ((row > current) | ((row == current) & (left[:, None] < held)))
    best[active] = np.where(gains, row, current)
    best_at[active] = np.where(gains, left[:, None], held)
    where, rows = np.nonzero(lost)
    again = means[active[where], rows]
    best[active[where], rows] = again.max(axis=1)
    best_at[active[where], rows] = again.argmax(axis=1)
    best[active, left], best_at[active, left] = row.max(axis=1), row.argmax(axis=1)


def _clusters_and_merges(count: int, steps: list[dict[str, np.ndarray]]) -> tuple[np.ndarray, list[Merge]]:
    """Each item's cluster (its smallest item) and the merges, from the steps of every component."""
    found = {key: np.concatenate([s[key] for s in steps]) for key in steps[0]}
    parent = np.arange(count)
    parent[found["right"]] = found["left"]
    while True:                                      # follow each item up to its cluster's first item
        above = parent[parent]
        if np.array_equal(above, parent):
            break
        parent = above
    in_order = _component_order(found["component"], found["step"], found["score"])
    merges = [Merge(left, right, score, int(members)) for left, right, score, members in
              zip(found["left"][in_order].tolist(), found["right"][in_order].tolist(),
                  found["score"][in_order].tolist(), found["size"][in_order].tolist())]
    return parent, merges


def _component_order(component: np.ndarray, step: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Merges in order of score, each component's in the order made: by the
    lowest score of its component so far (best first), then by component and step."""
    by_step = np.lexsort((step, component))
    ordered = component[by_step]
    rank = np.unique(score, return_inverse=True)[1].reshape(-1)[by_step]   # equal scores, equal ranks
    segment = np.cumsum(np.diff(ordered, prepend=ordered[:1]) != 0)
    shift = segment * (len(score) + 1)              # each component below the last: a running minimum per component
    running = np.minimum.accumulate(rank - shift) + shift
    return by_step[np.lexsort((step[by_step], ordered, -running))]
