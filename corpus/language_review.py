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
languages, and whose mean with all of them is below the threshold too,
leaves the story: its own language disagrees, and only the coarser
cross-language scores keep it there. A report its whole story holds at the
threshold stays however lukewarm its own language: a peripheral report of
a story told in two languages has few pairs in its own, and their mean
can fall under the threshold while its pairs across languages are well
over it (ECB+ with half of each event pseudo-translated,
`benchmarks.pseudo_language`: 14 such reports left their stories, none
rightly; no report of dev-stories' stand-ins leaves by this rule, seeds
0-99). Its merges are rewritten without it (their means as the linkage
found them).

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

from corpus.linkage import Merge, mixed_groups
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
    staying = ~np.isin(np.arange(len(local)), list(moves))
    first_staying = np.full(len(local), len(local))  # per cluster before the moves: a member that stays
    np.minimum.at(first_staying, before[staying], np.flatnonzero(staying))
    size = np.bincount(local, minlength=len(local))
    joined_to = np.arange(len(local))                # per cluster id: the id of the cluster it joined
    for item, (target, mean) in sorted(moves.items()):
        if first_staying[target] == len(local):
            continue                                 # its whole target moved elsewhere: it stays alone
        current = _followed(joined_to, local[first_staying[target]])
        joined = min(current, item)
        size[joined] = size[current] + 1
        joined_to[current], joined_to[item] = joined, joined
        merges.append(Merge(joined, max(current, item), mean, int(size[joined])))
    return np.array([_followed(joined_to, cluster) for cluster in local.tolist()]), merges


def _followed(joined_to: np.ndarray, cluster: int) -> int:
    """A cluster's id once the moves have joined it to others."""
    while joined_to[cluster] != cluster:
        cluster = joined_to[cluster]
    return int(cluster)


def _in_mixed(local: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """Per item: whether its cluster holds two or more known languages."""
    return mixed_groups(local, languages, len(local))[local]


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
    their mean with its items of the other languages, and whose mean with
    all of them is below the threshold."""
    leaving = []
    chosen = np.flatnonzero(mixed)
    chosen = chosen[np.argsort(local[chosen], kind="stable")]             # by cluster, ascending within
    for members in np.split(chosen, np.flatnonzero(np.diff(local[chosen])) + 1):
        block = matrix[members][:, members].toarray()
        own = languages[members]
        for at, item in enumerate(members.tolist()):
            same = (own == own[at]) & (np.arange(len(members)) != at)
            other = (own != own[at]) & (own >= 0)
            if own[at] >= 0 and same.any() and other.any():
                mean_same, mean_other = block[at, same].mean(), block[at, other].mean()
                mean_all = block[at, same | other].mean()
                if mean_same < threshold and mean_same < mean_other and mean_all < threshold:
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
        ids, at = np.unique(local[cols], return_inverse=True)
        sums = np.bincount(at, weights=values, minlength=len(ids))
        same_sums = np.bincount(at[alike], weights=values[alike], minlength=len(ids))
        home = np.searchsorted(ids, own)
        home_sum = (same_sums[home], sums[home]) if home < len(ids) and ids[home] == own else (0.0, 0.0)
        base = home_sum[0] / mine + home_sum[1] / (size[own] - 1)   # its means with its story's others: in its language, all
        best = None
        for position in np.flatnonzero(same_sums > 0).tolist():
            cluster = int(ids[position])
            if cluster == own or size[cluster] < 2 or not (mixed[item] or mixed[cluster]):
                continue
            mean_same = same_sums[position] / of_language[cluster * span + code]
            mean = sums[position] / size[cluster]
            both = mean_same + mean
            if mean_same >= threshold and mean >= threshold and both > base and (best is None or both > best[0]):
                best = (both, cluster, mean)
        if best is not None:
            moves[item] = (best[1], float(best[2]))
    return moves


def _without(local: np.ndarray, merges: Sequence[Merge], leaving: list[int]) -> tuple[np.ndarray, list[Merge]]:
    """Clusters and merges with the `leaving` items on their own: each merge
    replayed over its clusters' remaining members, as (smallest, how many),
    and dropped when a side has none left; a cluster's id its smallest
    remaining member."""
    count = len(local)
    staying = ~np.isin(np.arange(count), leaving)
    held = {}                                        # per cluster id: (its smallest remaining member, how many remain)
    rewritten = []
    for merge in merges:
        sides = [held.pop(side, (side, 1) if staying[side] else (count, 0)) for side in (merge.left, merge.right)]
        (first, many_first), (second, many_second) = sides
        held[min(merge.left, merge.right)] = (min(first, second), many_first + many_second)
        if many_first and many_second:
            rewritten.append(Merge(min(first, second), max(first, second), merge.score, many_first + many_second,
                                   merge.follow_up))
    smallest = np.full(count, count)
    np.minimum.at(smallest, local[staying], np.flatnonzero(staying))
    return np.where(staying, smallest[local], np.arange(count)), rewritten
