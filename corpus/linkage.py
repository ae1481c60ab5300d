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
- Larger components go through `_heap_linkage`, the definition written as a
  heap of pairs (memory grows with their pairs, not the square of their size).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

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
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    scores = np.asarray(scores, dtype=np.float64)
    first, second = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    reaching = scores / (size[first] * size[second]) >= threshold * (1 - COMPONENT_SLACK)
    graph = sp.csr_matrix((np.ones(int(reaching.sum())), (first[reaching], second[reaching])), shape=(count, count))
    component = connected_components(graph, directed=False)[1]
    inside = component[first] == component[second]
    first, second, scores = first[inside], second[inside], scores[inside]
    sizes_of = np.bincount(component, minlength=count)
    by_component = np.argsort(component, kind="stable")      # each component's items in ascending order
    position = np.empty(count, dtype=np.int64)                  # of an item within its component
    starts = np.concatenate([[0], np.cumsum(sizes_of[sizes_of > 0])[:-1]])
    position[by_component] = np.arange(count) - np.repeat(starts, sizes_of[sizes_of > 0])
    order = np.argsort(component[first], kind="stable")
    first, second, scores = first[order], second[order], scores[order]
    steps = [_empty_steps()]
    for width in _widths():
        wanted = (sizes_of <= width) & (sizes_of > width // 2)
        chosen = by_component[wanted[component[by_component]]]
        if len(chosen):
            mine = wanted[component[first]]
            steps += _dense_steps(chosen, component, position, size, first[mine], second[mine], scores[mine],
                                  threshold, width)
    item_ids, pair_ids = component[by_component], component[first]
    for large in np.flatnonzero(sizes_of > DENSE_LIMIT).tolist():
        items = by_component[np.searchsorted(item_ids, large) : np.searchsorted(item_ids, large, side="right")]
        mine = slice(np.searchsorted(pair_ids, large), np.searchsorted(pair_ids, large, side="right"))
        steps.append(_heap_steps(large, items, size, first[mine], second[mine], scores[mine], threshold))
    return _clusters_and_merges(count, steps)


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


def _heap_steps(component_id: int, items: np.ndarray, size: np.ndarray, first: np.ndarray, second: np.ndarray,
                scores: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    """The merges of one large component (`items` ascending, its pairs `first`, `second`), by `_heap_linkage`."""
    local_pairs = np.stack([np.searchsorted(items, first), np.searchsorted(items, second)], axis=1)
    merges = _heap_linkage(len(items), local_pairs, scores, threshold, size[items])
    count = len(merges)
    return {"component": np.full(count, component_id, dtype=np.int64), "step": np.arange(count),
            "left": items[[m[0] for m in merges]].astype(np.int64), "right": items[[m[1] for m in merges]].astype(np.int64),
            "score": np.array([m[2] for m in merges], dtype=np.float64), "size": np.array([m[3] for m in merges], dtype=np.float64)}


def _heap_linkage(count: int, pairs: np.ndarray, scores: np.ndarray, threshold: float,
                  sizes: np.ndarray) -> list[tuple[int, int, float, int]]:
    """The definition of `average_linkage` over a heap of pairs: (left, right, mean, size) per merge, in order."""
    size = [int(s) for s in sizes]                                # lists: item access in the loop is 5x faster
    links: list[dict[int, float]] = [{} for _ in range(count)]   # cluster -> {other cluster: sum of scores}
    for (a, b), score in zip(pairs.tolist(), scores.tolist()):
        links[a][b] = links[a].get(b, 0.0) + score
        links[b][a] = links[b].get(a, 0.0) + score
    version = [0] * count
    heap = [(-mean, a, b, 0, 0) for a in range(count) for b, total in links[a].items()
            if a < b and (mean := total / (size[a] * size[b])) >= threshold]
    heapq.heapify(heap)
    merges = []
    while heap:
        negative, a, b, version_a, version_b = heapq.heappop(heap)
        if version[a] != version_a or version[b] != version_b:
            continue                                 # stale: a or b changed since this entry was pushed
        size[a] += size[b]                           # a < b: the joined cluster keeps id a
        version[a] += 1
        version[b] += 1
        merges.append((a, b, -negative, size[a]))
        joined = links[a]
        joined.pop(b, None)
        for other, total in links[b].items():
            if other != a:
                joined[other] = joined.get(other, 0.0) + total
        links[b] = {}
        for other, total in joined.items():
            links[other].pop(b, None)
            links[other][a] = total
            mean = total / (size[a] * size[other])
            if mean >= threshold:
                x, y = min(a, other), max(a, other)
                heapq.heappush(heap, (-mean, x, y, version[x], version[y]))
    return merges


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
