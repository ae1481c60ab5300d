"""Reports their own language disagrees with leave their stories of several languages.

The linkage's veto (`corpus.linkage_languages`) judges two clusters' pooled
pairs of one language, so a report can still come in on its partner's word:
a single English report of one lander
and an Indonesian report of the other paired first (across languages, 0.38),
and the pair joined the other lander's story, the Indonesian report's pairs
there (0.28) lifting the pooled mean over the English one's (0.11-0.14). So
after linkage and the cohesion review (`detached`), a report in a story of
two or more languages whose mean with the story's other reports in its own
language is below the threshold, and below its mean with those in the other
languages, leaves the story: its own language disagrees, and only the
coarser cross-language scores keep it there. Its merges are rewritten
without it (their means as the linkage found them).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import scipy.sparse as sp

from corpus.linkage import Merge
from corpus.mapped import let_go
from corpus.similarity import PAIRS_AT_ONCE


def detached(local: np.ndarray, merges: Sequence[Merge], pairs: np.ndarray, scores: np.ndarray,
             languages: np.ndarray, threshold: float) -> tuple[np.ndarray, list[Merge]]:
    """Each item's cluster id (its smallest item) and the merges once the
    reports their own language disagrees with have left their stories of
    several languages (module notes). `local`, `merges`: the linkage's;
    `pairs`, `scores`: those it linked (read a part at a time)."""
    codes = np.where(languages >= 0, languages, -1)
    count = len(local)
    low, high = np.full(count, codes.max() + 1), np.full(count, -1)
    known = np.flatnonzero(codes >= 0)
    np.minimum.at(low, local[known], codes[known])
    np.maximum.at(high, local[known], codes[known])
    mixed = (high > low)[local]                      # per item: in a cluster of two or more languages
    if not mixed.any():
        return local, list(merges)
    kept = [np.empty((0, 2), dtype=np.int64)], [np.empty(0)]
    for start in range(0, len(scores), PAIRS_AT_ONCE):
        part, part_scores = np.asarray(pairs[start:start + PAIRS_AT_ONCE]), np.asarray(scores[start:start + PAIRS_AT_ONCE])
        inside = mixed[part[:, 0]] & (local[part[:, 0]] == local[part[:, 1]])
        kept[0].append(part[inside].astype(np.int64))
        kept[1].append(part_scores[inside])
        let_go(pairs, start, start + PAIRS_AT_ONCE)
        let_go(scores, start, start + PAIRS_AT_ONCE)
    within, within_scores = np.concatenate(kept[0]), np.concatenate(kept[1])
    matrix = sp.csr_matrix((within_scores, (within[:, 0], within[:, 1])), shape=(count, count))
    matrix = (matrix + matrix.T).tocsr()
    leaving = []
    for cluster in np.unique(local[mixed]).tolist():
        members = np.flatnonzero(local == cluster)
        block = matrix[members][:, members].toarray()
        own = codes[members]
        for at, item in enumerate(members.tolist()):
            same = (own == own[at]) & (np.arange(len(members)) != at)
            other = (own != own[at]) & (own >= 0)
            if own[at] >= 0 and same.any() and other.any():
                mean_same, mean_other = block[at, same].mean(), block[at, other].mean()
                if mean_same < threshold and mean_same < mean_other:
                    leaving.append(item)
    if not leaving:
        return local, list(merges)
    return _without(local, merges, leaving)


def _without(local: np.ndarray, merges: Sequence[Merge], leaving: list[int]) -> tuple[np.ndarray, list[Merge]]:
    """Clusters and merges with the `leaving` items on their own: each merge
    replayed over its clusters' members less those items (dropped when a side
    is left empty), a cluster's id its smallest remaining member."""
    gone = set(leaving)
    members = {}                                     # per current cluster id: its remaining members
    rewritten = []
    for merge in merges:
        sides = [members.pop(side, None) for side in (merge.left, merge.right)]
        sides = [[side] if found is None and side not in gone else (found or []) for side, found in
                 zip((merge.left, merge.right), sides)]
        joined = sides[0] + sides[1]
        if joined:
            members[min(merge.left, merge.right)] = joined
        if sides[0] and sides[1]:
            left, right = min(sides[0]), min(sides[1])
            rewritten.append(Merge(min(left, right), max(left, right), merge.score, len(joined), merge.follow_up))
    local = local.copy()
    for cluster in np.unique(local).tolist():
        at = np.flatnonzero(local == cluster)
        at = at[~np.isin(at, leaving)]
        local[at] = at.min() if len(at) else 0
    local[leaving] = leaving
    return local, rewritten
