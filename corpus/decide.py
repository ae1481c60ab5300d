"""Dedup's decide stage: which document of each near-duplicate group stays.

Greedy in a total priority order (the keep policy, ties by input order):
the best document not yet removed is kept, and every not-yet-decided
document verified similar to it is removed in its favour (`choose_kept`),
completed within each group (`decide`). The outcome depends on the pairs
found, never on the order they are found in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from corpus.dedup_settings import KEEP_POLICIES
from corpus.verify import verified_pairs


@dataclass(frozen=True)
class Removal:
    """A removed document: the index of the document kept in its place, their
    exact Jaccard and its MinHash estimate."""

    kept: int
    jaccard: float
    jaccard_estimate: float


@dataclass
class Decision:
    """The outcome: removals by document index, and the number of near-duplicate groups."""

    removals: dict[int, Removal]
    groups: int


def priority_order(keep: str, lengths: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """Document indices, the one to keep first: by input order, longest text
    first, or earliest date first (unknown dates last); ties by input order."""
    index = np.arange(len(lengths))
    if keep == "first":
        return index
    if keep == "longest":
        return np.lexsort((index, -np.asarray(lengths, dtype=np.int64)))
    if keep == "earliest":
        return np.lexsort((index, np.where(np.isnan(dates), np.inf, dates)))
    raise ValueError(f"unknown keep policy {keep!r} (one of {', '.join(KEEP_POLICIES)})")


def decide(
    count: int,
    pairs: np.ndarray,
    jaccards: np.ndarray,
    order: np.ndarray,
    hashes_of: Callable[[int], np.ndarray],
    threshold: float,
) -> tuple[np.ndarray, np.ndarray, int]:
    """`choose_kept`, then completed within each group: LSH may pair a large
    bucket of copies only as a star and a chain, so a copy of the group's best
    document need not have been compared with it. Every other kept member of
    a group is verified against the group's best document, and the choice is
    made again, until no new similar pair turns up.
    Returns (kept_of, jaccard_of, number of groups)."""
    labels = group_labels(count, pairs)
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    checked: set[tuple[int, int]] = set()
    while True:
        kept_of, jaccard_of = choose_kept(count, pairs, jaccards, order)
        extra = [pair for pair in _unpaired_with_best(labels, rank, kept_of, pairs) if pair not in checked]
        checked.update(extra)
        extra_pairs = np.array(extra, dtype=np.int64).reshape(-1, 2)
        new_pairs, new_jaccards = verified_pairs(extra_pairs, hashes_of, threshold)
        if not len(new_pairs):
            grouped = labels[np.unique(pairs)] if len(pairs) else labels[:0]
            return kept_of, jaccard_of, len(np.unique(grouped))
        pairs, jaccards = np.concatenate([pairs, new_pairs]), np.concatenate([jaccards, new_jaccards])


def _unpaired_with_best(
    labels: np.ndarray, rank: np.ndarray, kept_of: np.ndarray, pairs: np.ndarray
) -> list[tuple[int, int]]:
    """(best, other) for every kept document of a group besides the group's
    best one, as sorted pairs, unless they are a verified pair already."""
    if not len(pairs):
        return []
    members = np.unique(pairs)
    kept = members[kept_of[members] < 0]
    by_group = kept[np.lexsort((rank[kept], labels[kept]))]
    first = np.ones(len(by_group), dtype=bool)
    first[1:] = labels[by_group[1:]] != labels[by_group[:-1]]
    best = by_group[first][np.cumsum(first) - 1]
    others = ~first
    low, high = np.minimum(best, by_group)[others], np.maximum(best, by_group)[others]
    count = len(labels)                  # a sorted pair (i, j) as the code i * count + j
    known = np.isin(low * count + high, pairs.min(axis=1) * count + pairs.max(axis=1))
    return list(zip(low[~known].tolist(), high[~known].tolist()))


def choose_kept(
    count: int, pairs: np.ndarray, jaccards: np.ndarray, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each of `count` documents: the document it is removed in favour of
    (-1 if kept) and their Jaccard, given the verified similar `pairs` and the
    priority `order` (document indices, best first)."""
    kept_of = np.full(count, -1, dtype=np.int64)
    jaccard_of = np.zeros(count)
    if not len(pairs):
        return kept_of, jaccard_of
    source = np.concatenate([pairs[:, 0], pairs[:, 1]])
    target = np.concatenate([pairs[:, 1], pairs[:, 0]])
    weight = np.concatenate([jaccards, jaccards])
    by_source = np.argsort(source, kind="stable")
    target, weight = target[by_source].tolist(), weight[by_source].tolist()
    starts = np.searchsorted(source[by_source], np.arange(count + 1)).tolist()
    involved = np.zeros(count, dtype=bool)
    involved[source] = True
    decided = np.zeros(count, dtype=bool)
    for doc in order[involved[order]].tolist():
        if decided[doc]:
            continue
        decided[doc] = True          # kept
        for position in range(starts[doc], starts[doc + 1]):
            other = target[position]
            if not decided[other]:
                decided[other] = True
                kept_of[other], jaccard_of[other] = doc, weight[position]
    return kept_of, jaccard_of


def group_labels(count: int, pairs: np.ndarray) -> np.ndarray:
    """Each document's group: the smallest document index connected to it by
    verified pairs; a document in no pair is its own group. In numpy, in
    rounds: the groups (trees whose root is their smallest member) a pair
    joins go under the smaller of their roots, and every document then
    points straight at its root. Each round joins every group that has a
    neighbouring group with a smaller root, so a few rounds do (15 ms for a
    chain of 100,000 documents in random order)."""
    labels = np.arange(count, dtype=np.int64)
    if not len(pairs):
        return labels
    first, second = pairs[:, 0], pairs[:, 1]
    while True:
        roots_first, roots_second = labels[first], labels[second]
        apart = roots_first != roots_second
        if not apart.any():
            return labels
        low = np.minimum(roots_first[apart], roots_second[apart])
        np.minimum.at(labels, roots_first[apart], low)
        np.minimum.at(labels, roots_second[apart], low)
        while not np.array_equal(jumped := labels[labels], labels):
            labels = jumped
