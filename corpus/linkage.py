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
- Larger components are clustered together in rounds on arrays of their
  pairs of clusters, memory growing with those pairs: in each round every
  two clusters that are each other's best (highest mean, ties: the smallest
  partner) and reach the threshold merge, and the pairs of the merged
  clusters are summed into one. Average linkage is reducible (a merged
  cluster's mean with a third is a weighted mean of its parts', never above
  both), so a reciprocal best pair is merged one merge at a time as well,
  at the same mean: the merges are the same, put back in the order one at a
  time makes them (best mean first; equal means, the smallest clusters
  first). A cluster left without a pair at the threshold never merges again,
  and its pairs are dropped. When one round joins both sides of a pair,
  its sums may be added in another order than one merge at a time adds
  them (a difference in the last bit, only in components past DENSE_LIMIT).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from corpus.mapped import let_go
from corpus.similarity import PAIRS_AT_ONCE, rank_in_groups

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
                    sizes: np.ndarray | None = None) -> tuple[np.ndarray, list[Merge]]:
    """Agglomerate `count` items, best mean first, while the mean score over
    all cross pairs of two clusters (pairs not given score 0) is >= threshold
    (> 0). Ties go to the pair of clusters with the smallest ids; a cluster's
    id is its smallest item. Returns each item's cluster id and the merges:
    those of one component in the order made, components interleaved by
    score. `sizes` (default all 1) makes items clusters formed before: an item
    of size s stands for s documents, and its pair scores are sums over them."""
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
    starts = np.concatenate([[0], np.cumsum(sizes_of[sizes_of > 0])[:-1]])
    position[by_component] = np.arange(count) - np.repeat(starts, sizes_of[sizes_of > 0])
    widths = _widths()
    group = np.searchsorted(widths, sizes_of)                  # per component: its width, len(widths) if larger
    group[sizes_of < 2] = -1                                    # (a lone item has nothing to merge)
    first, second, scores, bounds = _grouped(count, component, group, len(widths) + 1, pairs, scores)
    steps = [_empty_steps()]
    for width_at, width in enumerate(widths):
        chosen = by_component[group[component[by_component]] == width_at]
        if len(chosen):
            mine = slice(bounds[width_at], bounds[width_at + 1])
            steps += _dense_steps(chosen, component, position, size, first[mine], second[mine], scores[mine],
                                  threshold, width)
    if bounds[-1] > bounds[-2]:
        large = slice(bounds[-2], bounds[-1])
        steps.append(_large_steps(component, size, first[large], second[large], scores[large], threshold))
    return _clusters_and_merges(count, steps)


def _parts(pairs: np.ndarray, scores: np.ndarray, count: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(first, second, scores) of the pairs, PAIRS_AT_ONCE at a time, the
    smaller item first; a part of an array mapped from a file is let go once
    read (`corpus.mapped`), so the pairs are never all held."""
    kind = _item_type(count)
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
    reaching = [(np.empty(0, dtype=_item_type(count)),) * 2]
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
    kept_first, kept_second = np.empty(total, dtype=_item_type(count)), np.empty(total, dtype=_item_type(count))
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


def _empty_steps() -> dict[str, np.ndarray]:
    return {"component": np.empty(0, dtype=np.int64), "step": np.empty(0, dtype=np.int64),
            "left": np.empty(0, dtype=np.int64), "right": np.empty(0, dtype=np.int64),
            "score": np.empty(0), "size": np.empty(0)}


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
        return _empty_steps()
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


def _large_steps(component: np.ndarray, size: np.ndarray, first: np.ndarray, second: np.ndarray,
                 scores: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    """The merges of the large components, all at once, by rounds of
    reciprocal best pairs (module notes); `first`, `second`: their pairs.
    A round regroups only the pairs of the clusters it merged (in the order
    of their pairs before it, as one merge at a time adds them up); the
    others keep their place, so a round costs a few passes over the pairs,
    not a sort of them all."""
    count = len(size)
    weight = size.astype(np.float64, copy=True)
    if not _distinct(first, second, component, count):
        first, second, scores = _combined(first, second, scores, count)
    total = scores
    into = np.arange(count, dtype=_item_type(count))  # per item: the cluster it joined this round (itself if none)
    last = np.full(count, -1, dtype=np.int64)        # per cluster: the merge that made it, -1 for an item
    found, made = [], 0
    while len(first):
        mean = total / (weight[first] * weight[second])
        live = mean >= threshold
        alive = np.zeros(count, dtype=bool)         # a cluster without a pair at the threshold never merges again
        alive[first[live]] = alive[second[live]] = True
        kept = alive[first] & alive[second]
        if not kept.all():
            first, second, total, mean, live = first[kept], second[kept], total[kept], mean[kept], live[kept]
        del kept
        if not live.any():
            break
        left, right, top = _reciprocal_best(first[live], second[live], mean[live], count)
        del mean, live
        weight[left] += weight[right]
        numbers = np.arange(made, made + len(left))
        found.append((left, right, top, weight[left], last[left], last[right]))
        last[left] = numbers
        made += len(left)
        first, second, total = _regrouped(first, second, total, left, right, into, count)
    if not found:
        return _empty_steps()
    lefts, rights, tops, weights, before_left, before_right = (np.concatenate(part) for part in zip(*found))
    order = _order_made(lefts, rights, tops, before_left, before_right)
    ids = component[lefts[order]]
    by_component = np.argsort(ids, kind="stable")
    steps = np.empty(len(order), dtype=np.int64)
    steps[by_component] = rank_in_groups(ids[by_component])
    return {"component": ids, "step": steps, "left": lefts[order], "right": rights[order],
            "score": tops[order], "size": weights[order]}


def _distinct(first: np.ndarray, second: np.ndarray, component: np.ndarray, count: int) -> bool:
    """Whether the pairs (first <= second) are distinct and none joins an item
    to itself, told without sorting when each component's pairs come in pair
    order (as clustering's do)."""
    if not len(first):
        return True
    keys = first.astype(np.int64) * count + second
    same = component[first[1:]] == component[first[:-1]]
    return bool(np.all(first < second) and np.all(keys[1:][same] > keys[:-1][same]))


def _regrouped(first: np.ndarray, second: np.ndarray, total: np.ndarray, left: np.ndarray, right: np.ndarray,
               into: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of clusters after `right` joined `left` (each pair): the
    pairs that touch a merged cluster renamed and summed with their twins,
    taken in the order of their pairs before (the order one merge at a time
    sums them in: a pair order), the pair of a merge itself dropped."""
    merged = np.zeros(count, dtype=bool)
    merged[left] = merged[right] = True
    touched = np.flatnonzero(merged[first] | merged[second])
    del merged
    touched = touched[np.argsort(first[touched].astype(np.int64) * count + second[touched], kind="stable")]
    into[right] = left
    moved = _combined(into[first[touched]], into[second[touched]], total[touched], count)
    into[right] = right
    placed, dropped = touched[: len(moved[0])], touched[len(moved[0]) :]
    for array, values in zip((first, second, total), moved):
        array[placed] = values
    if not len(dropped):
        return first, second, total
    keep = np.ones(len(first), dtype=bool)
    keep[dropped] = False
    return first[keep], second[keep], total[keep]


def _combined(first: np.ndarray, second: np.ndarray, total: np.ndarray,
              count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of distinct clusters (smaller first, ascending) with the sums of their scores."""
    keep = first != second
    low, high = np.minimum(first[keep], second[keep]), np.maximum(first[keep], second[keep])
    keys = low * np.int64(count) + high
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.empty(0, dtype=np.int64)
    sums = np.add.reduceat(total[keep][order], starts) if len(keys) else np.empty(0)
    return (keys[starts] // count).astype(_item_type(count)), (keys[starts] % count).astype(_item_type(count)), sums


def _item_type(count: int):
    """The narrowest integer type for items below `count` (pairs of clusters take half the memory)."""
    return np.int32 if count < 2**31 else np.int64


def _reciprocal_best(first: np.ndarray, second: np.ndarray, mean: np.ndarray,
                     count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of clusters that are each other's best (highest mean, ties:
    the smallest partner): (smaller, larger, mean), by the smaller. Worked out
    with a maximum and a minimum per cluster, a few bytes per pair."""
    best = np.full(count, -np.inf)
    np.maximum.at(best, first, mean)
    np.maximum.at(best, second, mean)
    partner = np.full(count, count, dtype=np.int64)
    at_best = mean == best[first]
    np.minimum.at(partner, first[at_best], second[at_best])
    at_best = mean == best[second]
    np.minimum.at(partner, second[at_best], first[at_best])
    ends = np.flatnonzero(partner < count)
    partners = partner[ends]
    mutual = (partner[partners] == ends) & (ends < partners)
    return ends[mutual], partners[mutual], best[ends[mutual]]


def _order_made(lefts: np.ndarray, rights: np.ndarray, tops: np.ndarray, before_left: np.ndarray,
                before_right: np.ndarray) -> np.ndarray:
    """The merges in the order one merge at a time makes them: best mean first
    (average linkage never merges above an earlier merge), equal means by the
    smallest clusters among those whose own clusters are made by then."""
    order = np.lexsort((rights, lefts, -tops))
    sorted_tops = tops[order]
    tied = np.flatnonzero(np.r_[sorted_tops[1:] == sorted_tops[:-1], False] | np.r_[False, sorted_tops[1:] == sorted_tops[:-1]])
    if not len(tied):
        return order
    runs = np.split(tied, np.flatnonzero(np.diff(tied) > 1) + 1)
    for run in runs:
        order[run] = _tied_in_order(order[run], lefts, rights, before_left, before_right)
    return order


def _tied_in_order(members: np.ndarray, lefts: np.ndarray, rights: np.ndarray, before_left: np.ndarray,
                   before_right: np.ndarray) -> np.ndarray:
    """Merges of one mean in the order made: the smallest (left, right) whose earlier merges are done first."""
    inside = set(members.tolist())
    waiting = {m: {b for b in (int(before_left[m]), int(before_right[m])) if b in inside} for m in members.tolist()}
    unlocks: dict[int, list[int]] = {}
    for merge, needs in waiting.items():
        for need in needs:
            unlocks.setdefault(need, []).append(merge)
    ready = [(int(lefts[m]), int(rights[m]), m) for m, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    done = []
    while ready:
        _, _, merge = heapq.heappop(ready)
        done.append(merge)
        for other in unlocks.get(merge, []):
            waiting[other].discard(merge)
            if not waiting[other]:
                heapq.heappush(ready, (int(lefts[other]), int(rights[other]), other))
    return np.array(done, dtype=np.int64)


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
