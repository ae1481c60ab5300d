"""Stories of several languages reviewed by what each report's own language says.

The linkage's veto (`corpus.linkage_languages`) judges two clusters' pooled
pairs of one language, so a report can still come in on its partner's word:
a single English report of one lander and an Indonesian report of the other
paired first (across languages, 0.38),
and the pair joined the other lander's story, the Indonesian report's pairs
there (0.28) lifting the pooled mean over the English one's (0.11-0.14). So
after linkage and the cohesion review (`reviewed`), a report in a story of
two or more languages whose mean with the story's other reports in its own
language is below the threshold, and below its mean with those in the other
languages, leaves the story: its own language disagrees, and only the
coarser cross-language scores keep it there. Its merges are rewritten
without it (their means as the linkage found them).

Then a report's own language can prefer another story: an Indonesian report
of one lander joined the other lander's pair at 0.293 (0.26 with its
Indonesian report, 0.32 with its English one) over its own story at 0.272
(0.34 with its Indonesian report). A report moves to another story of two
or more reports (its own story or that one in several languages) when its
mean there over the reports in its language and its mean there over all
reach the threshold, and their sum beats the same sum over its own story's
others (it needs one in its language): its language and all the reports
judged together, so a report that all its story's reports hold close stays
(two Indonesian reports of two earthquakes in one agency's wording, 0.36,
against 0.30 with its own story's, whose English reports pair it at 0.41
and 0.53). It goes where that sum is highest (one more merge, at its mean
there).
Every move is found on the stories as they were before any of them. The
pairs read are those with a report of a story of several languages and
those inside a story.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import scipy.sparse as sp

from corpus.linkage import Merge
from corpus.mapped import let_go
from corpus.similarity import PAIRS_AT_ONCE


def reviewed(local: np.ndarray, merges: Sequence[Merge], pairs: np.ndarray, scores: np.ndarray,
             languages: np.ndarray, threshold: float) -> tuple[np.ndarray, list[Merge]]:
    """Each item's cluster id (its smallest item) and the merges once the
    reports their own language disagrees with have left their stories of
    several languages, and those their own language prefers another story
    for have moved there (module notes). `local`, `merges`: the linkage's;
    `pairs`, `scores`: those it linked (read a part at a time); `languages`:
    per item its language group (-1 unknown)."""
    mixed = _in_mixed(local, languages)
    if not mixed.any():
        return local, list(merges)
    matrix = _touching(pairs, scores, mixed, local)
    leaving = _disagreeing(local, mixed, matrix, languages, threshold)
    if leaving:
        local, merges = _without(local, merges, leaving)
    moves = _preferred(local, _in_mixed(local, languages), matrix, languages, threshold)
    if not moves:
        return local, list(merges)
    before, (local, merges) = local, _without(local, merges, list(moves))
    moving = np.isin(np.arange(len(local)), list(moves))
    for item, (target, mean) in sorted(moves.items()):
        staying = np.flatnonzero((before == target) & ~moving)
        if not len(staying):
            continue                                 # its whole target moved elsewhere: it stays alone
        current = local[staying[0]]
        joined = min(current, item)
        members = local == current
        local[members], local[item] = joined, joined
        merges.append(Merge(joined, max(current, item), mean, int(members.sum()) + 1))
    return local, merges


def _in_mixed(local: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """Per item: whether its cluster holds two or more known languages."""
    count = len(local)
    known = np.flatnonzero(languages >= 0)
    if not len(known):
        return np.zeros(count, dtype=bool)
    low, high = np.full(count, languages.max() + 1), np.full(count, -1)
    np.minimum.at(low, local[known], languages[known])
    np.maximum.at(high, local[known], languages[known])
    return (high > low)[local]


def _touching(pairs: np.ndarray, scores: np.ndarray, chosen: np.ndarray, local: np.ndarray) -> sp.csr_matrix:
    """The symmetric matrix of the pairs with an item of `chosen` and those
    inside a cluster (read a part at a time)."""
    count = len(local)
    kept = [np.empty((0, 2), dtype=np.int64)], [np.empty(0)]
    for start in range(0, len(scores), PAIRS_AT_ONCE):
        stop = start + PAIRS_AT_ONCE
        part, part_scores = np.asarray(pairs[start:stop]), np.asarray(scores[start:stop])
        inside = chosen[part[:, 0]] | chosen[part[:, 1]] | (local[part[:, 0]] == local[part[:, 1]])
        kept[0].append(part[inside].astype(np.int64))
        kept[1].append(part_scores[inside])
        let_go(pairs, start, stop)
        let_go(scores, start, stop)
    found, found_scores = np.concatenate(kept[0]), np.concatenate(kept[1])
    matrix = sp.csr_matrix((found_scores, (found[:, 0], found[:, 1])), shape=(count, count))
    return (matrix + matrix.T).tocsr()


def _disagreeing(local: np.ndarray, mixed: np.ndarray, matrix: sp.csr_matrix, languages: np.ndarray,
                 threshold: float) -> list[int]:
    """The items of clusters in several languages whose mean with their
    cluster's others of their language is below the threshold and below
    their mean with its items of the other languages."""
    leaving = []
    for cluster in np.unique(local[mixed]).tolist():
        members = np.flatnonzero(local == cluster)
        block = matrix[members][:, members].toarray()
        own = languages[members]
        for at, item in enumerate(members.tolist()):
            same = (own == own[at]) & (np.arange(len(members)) != at)
            other = (own != own[at]) & (own >= 0)
            if own[at] >= 0 and same.any() and other.any():
                mean_same, mean_other = block[at, same].mean(), block[at, other].mean()
                if mean_same < threshold and mean_same < mean_other:
                    leaving.append(item)
    return leaving


def _preferred(local: np.ndarray, mixed: np.ndarray, matrix: sp.csr_matrix, languages: np.ndarray,
               threshold: float) -> dict[int, tuple[int, float]]:
    """Per item that its own language prefers another cluster of two or more
    items for, its cluster or that one in several languages: that cluster's
    id and the item's mean with it (module notes)."""
    count = len(local)
    size = np.bincount(local, minlength=count)
    span = int(languages.max()) + 2
    of_language = np.bincount(local * span + languages + 1, minlength=count * span)   # items per cluster and language
    moves = {}
    near = (matrix @ mixed.astype(np.float64)) > 0   # items with a pair in a cluster of several languages
    for item in np.flatnonzero((mixed | near) & (languages >= 0)).tolist():
        row = matrix[item]
        cols, values = row.indices, row.data
        code = languages[item] + 1
        own = local[item]
        mine = of_language[own * span + code] - 1
        if mine < 1:
            continue
        alike = languages[cols] == languages[item]
        base = values[alike & (local[cols] == own)].sum() / mine   # its mean with its story's others in its language ...
        clusters = local[cols]
        sums = np.bincount(clusters, weights=values, minlength=count)
        same_sums = np.bincount(clusters[alike], weights=values[alike], minlength=count)
        base += sums[own] / (size[own] - 1)          # ... and its mean with all of its story's others
        best = None
        for cluster in np.unique(clusters[alike]).tolist():
            same = of_language[cluster * span + code]
            if cluster == own or size[cluster] < 2 or not (mixed[item] or mixed[cluster]):
                continue
            mean_same, mean = same_sums[cluster] / same, sums[cluster] / size[cluster]
            both = mean_same + mean
            if mean_same >= threshold and mean >= threshold and both > base and (best is None or both > best[0]):
                best = (both, cluster, mean)
        if best is not None:
            moves[item] = (best[1], float(best[2]))
    return moves


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
