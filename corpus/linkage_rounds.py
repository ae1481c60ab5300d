"""Average linkage of large components, in rounds of reciprocal best pairs
(`corpus.linkage` clusters the smaller ones on dense arrays).

The components' pairs of clusters are held as arrays, memory growing with
those pairs: in each round every two clusters that are each other's best
(highest mean, ties: the smallest partner) and reach the threshold merge,
and the pairs of the merged clusters are summed into one. Average linkage is
reducible (a merged cluster's mean with a third is a weighted mean of its
parts', never above both), so a reciprocal best pair is merged one merge at
a time as well, at the same mean: the merges are the same, put back in the
order one at a time makes them (best mean first; equal means, the smallest
clusters first). A cluster left without a pair at the threshold never merges
again, and its pairs are dropped. When one round joins both sides of a pair,
its sums may be added in another order than one merge at a time adds them
(a difference in the last bit)."""

from __future__ import annotations

import heapq

import numpy as np

from corpus.ranking import rank_in_groups


def empty_steps() -> dict[str, np.ndarray]:
    """No merges, in the columns every kind of step gives them."""
    return {"component": np.empty(0, dtype=np.int64), "step": np.empty(0, dtype=np.int64),
            "left": np.empty(0, dtype=np.int64), "right": np.empty(0, dtype=np.int64),
            "score": np.empty(0), "size": np.empty(0)}


def large_steps(component: np.ndarray, size: np.ndarray, first: np.ndarray, second: np.ndarray,
                scores: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    """The merges of the large components, all at once, by rounds of
    reciprocal best pairs (module notes); `first`, `second`: their pairs
    (grouped by component), `scores` theirs; the three arrays are worked on
    in place.
    A round regroups only the pairs of the clusters it merged (in the order
    of their pairs before it, as one merge at a time adds them up); the
    others keep their place, so a round costs a few passes over the pairs,
    not a sort of them all."""
    count = len(size)
    weight = size.astype(np.float64, copy=True)
    if not _distinct(first, second, component, count):
        first, second, scores = _combined(first, second, scores, count)
    total = scores
    into = np.arange(count, dtype=item_type(count))  # per item: the cluster it joined this round (itself if none)
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
        return empty_steps()
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
    return (keys[starts] // count).astype(item_type(count)), (keys[starts] % count).astype(item_type(count)), sums


def item_type(count: int):
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
