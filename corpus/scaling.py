"""Local scaling (hubness reduction, as CSLS in Conneau et al. 2018). A
report in a dense neighbourhood - a recurring topic (Gaza, a long trial) -
scores high with many reports of other events; a pair is therefore judged
against both documents' usual scores: each document's level r is the sum
of its LOCAL_K best pair scores / LOCAL_K (missing ones count as 0), and a
pair's score is cosine * (median r / sqrt(r_i * r_j)) ** LOCAL_ALPHA, a
level counting as at least LEVEL_MIN_SHARE * median r (so a faint pair of
two loners is lifted at most 1.68x).
Levels are taken over the pairs the window allows (pairs outside it are
unrelated) and without near-duplicates (copies would make their original
look like a hub). Pairs are scored down to SCORE_FLOOR, not a share of the
threshold, so that pairs lifted by the scaling are not lost, and the levels
do not depend on the threshold. B-cubed F1 at threshold 0.17, without ->
with (k=5, alpha=0.75): ECB+ 0.908 -> 0.906, Multi-News cleaned 0.867 ->
0.883 (precision 0.91 -> 0.94), UCI headlines 0.591 -> 0.584. The cost:
corpora made of a few very large stories (the UCI aggregator's headlines)
lose ~0.01 F1, as their members are all "hubs" of each other.
A pair whose cosine rests for ONE_TERM_SHARE or more on one shared term is
not lifted (`one_term_pairs`): two single reports that share one rare name
have quiet neighbourhoods, and lifting them made stories of unrelated
loners in dense corpora (100,000 generated articles: B-cubed precision
0.915 -> 0.952); reports of one story that are lifted share several
terms (in ECB+ and Multi-News the largest holds a median 0.26-0.30 of
their cosine).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corpus.mapped import ParkedPlace, let_go_matrix
from corpus.similarity import PAIRS_AT_ONCE   # pairs worked through at a time after scoring (memory, not results)


# Chosen once for every corpus, on ECB+ and Multi-News together (benchmarks/evaluate.py).
LOCAL_K = 5                   # a document's neighbourhood level: the sum of its LOCAL_K best pair scores / LOCAL_K
LOCAL_ALPHA = 0.75            # strength of local scaling; 0 leaves the cosines as they are
LEVEL_MIN_SHARE = 0.5         # a level counts as at least half the median: a faint pair of loners is not lifted past 1.68x
ONE_TERM_SHARE = 0.5          # a pair whose score rests this much on one shared term is not lifted
RANKED_AT_ONCE = 1 << 15      # pairs ranked at a time for the levels (speed, not results)
MULTIPLIED_AT_ONCE = 1 << 13  # pairs whose rows are multiplied term by term at a time (memory, not results)
TOP_TERMS = 8                 # each row's largest entries kept to settle most one-term checks without its row
TOP_RANKED_AT_ONCE = 1 << 22  # entries ranked at a time for the top terms (memory, not results)


def neighbourhood_levels(pairs: np.ndarray, scores: np.ndarray, count: int, k: int = LOCAL_K) -> np.ndarray:
    """Each item's neighbourhood level: the sum of its k best pair scores divided
    by k (pairs not given count as 0, so an item with few neighbours has a low level)."""
    best = BestScores(count, k)
    best.add(pairs, scores)
    return best.levels()


class BestScores:
    """Each item's k best pair scores so far, as pairs are added a part at a
    time (`neighbourhood_levels` over pairs read in parts). Pairs are ranked
    RANKED_AT_ONCE at a time: only a score above an item's k-th best so far
    can change its k best; those are ranked per item and their k highest
    merged with the item's k best so far, so the work stays near one pass
    over the pairs, however many an item has (ranking a million pairs at once
    cost 4x as much)."""

    def __init__(self, count: int, k: int = LOCAL_K):
        self.best = np.full((count, k), -np.inf)      # per item its k best scores so far, highest first

    def add(self, pairs: np.ndarray, scores: np.ndarray) -> None:
        best, k = self.best, self.best.shape[1]
        for start in range(0, len(scores), RANKED_AT_ONCE):
            part = slice(start, start + RANKED_AT_ONCE)
            items = np.concatenate([pairs[part, 0], pairs[part, 1]]).astype(np.int64)
            both = np.concatenate([scores[part], scores[part]])
            better = both > best[items, -1]
            if not better.any():
                continue
            items, both = items[better], both[better]
            order = np.argsort(-both, kind="stable")
            order = order[np.argsort(items[order], kind="stable")]      # by item, the highest first
            items, both = items[order], both[order]
            starts = np.flatnonzero(np.r_[True, items[1:] != items[:-1]])
            group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(items)]))
            rank = np.arange(len(items)) - starts[group]
            top = rank < k
            found = np.full((len(starts), k), -np.inf)
            found[group[top], rank[top]] = both[top]
            involved = items[starts]
            merged = np.concatenate([best[involved], found], axis=1)
            merged.sort(axis=1)
            best[involved] = merged[:, : -k - 1 : -1]                     # the k highest, highest first

    def levels(self) -> np.ndarray:
        """The sum of each item's k best divided by k, added from the highest
        down (as a sum over them ranked adds them)."""
        levels = np.zeros(len(self.best))
        for column in self.best.T:
            levels += np.where(column > -np.inf, column, 0.0)
        return levels / self.best.shape[1]


def typical_level(levels: np.ndarray) -> float:
    """The median neighbourhood level of the items that have one (1.0 when none has)."""
    active = levels[levels > 0]
    return float(np.median(active)) if len(active) else 1.0


def scaling_factor(levels: np.ndarray, typical: float, first, second, alpha: float = LOCAL_ALPHA) -> np.ndarray:
    """(typical / sqrt(r_first * r_second)) ** alpha, each level r counted as at
    least LEVEL_MIN_SHARE * typical, so no pair is lifted more than (1 / LEVEL_MIN_SHARE) ** alpha."""
    counted = np.maximum(levels, LEVEL_MIN_SHARE * typical)
    return (typical / np.sqrt(counted[first] * counted[second])) ** alpha


def heaviest_weights(vectors) -> np.ndarray:
    """Each row's largest entry (0 for an empty row)."""
    return vectors.max(axis=1).toarray().ravel() if vectors.shape[1] else np.zeros(vectors.shape[0])


@dataclass
class TopTerms:
    """Each row's TOP_TERMS largest entries, highest first: their weights (0
    past the end of a shorter row) and terms (-1 there)."""

    weights: np.ndarray               # (rows, TOP_TERMS) float64
    terms: np.ndarray                 # (rows, TOP_TERMS) int32

    @property
    def heaviest(self) -> np.ndarray:
        """Each row's largest entry (0 for an empty row), as `heaviest_weights`."""
        return self.weights[:, 0]


def top_terms(vectors) -> TopTerms:
    """Each row's TOP_TERMS largest entries (`TopTerms`; of equal ones the
    first), a run of rows of about TOP_RANKED_AT_ONCE entries at a time
    (memory, not results). A row of TOP_TERMS entries or more is cut into
    TOP_TERMS parts: its TOP_TERMS-th largest is at least the smallest of the
    parts' largest, so only the entries from there up (a sixth of them at
    100,000 generated articles) are ranked, round by round each row's largest
    left (no sort)."""
    count = vectors.shape[0]
    weights, terms = np.zeros((count, TOP_TERMS)), np.full((count, TOP_TERMS), -1, dtype=np.int32)
    first = 0
    while first < count:
        last = max(first + 1, int(np.searchsorted(vectors.indptr, vectors.indptr[first] + TOP_RANKED_AT_ONCE,
                                                  side="right")) - 1)
        indptr = vectors.indptr[first : last + 1] - vectors.indptr[first]
        data = vectors.data[vectors.indptr[first] : vectors.indptr[last]]
        indices = vectors.indices[vectors.indptr[first] : vectors.indptr[last]]
        lengths = np.diff(indptr)
        row_of = np.repeat(np.arange(last - first), lengths)
        long = np.flatnonzero(lengths >= TOP_TERMS)
        parts = indptr[long, None] + np.arange(TOP_TERMS + 1) * lengths[long, None] // TOP_TERMS
        largest = np.maximum.reduceat(np.append(data, -np.inf), parts.ravel()).reshape(parts.shape)
        lowest = np.full(last - first, -np.inf)
        lowest[long] = largest[:, :-1].min(axis=1)                 # the last column: from a row's end to the next
        kept = np.flatnonzero(data >= lowest[row_of])
        left, row_of = data[kept], row_of[kept]
        starts = np.flatnonzero(np.r_[True, row_of[1:] != row_of[:-1]]) if len(kept) else kept
        for rank in range(TOP_TERMS):
            most = np.repeat(np.maximum.reduceat(left, starts), np.diff(np.r_[starts, len(left)])) if len(kept) else left
            at = np.flatnonzero((left == most) & (most > -np.inf))
            at = at[np.r_[True, row_of[at][1:] != row_of[at][:-1]]] if len(at) else at   # each row's first
            weights[first + row_of[at], rank] = left[at]
            terms[first + row_of[at], rank] = indices[kept[at]]
            left[at] = -np.inf
        first = last
    return TopTerms(weights, terms)


def settled_on_top_terms(top: TopTerms, first: np.ndarray, second: np.ndarray,
                         scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For pairs of rows (with their cosines), whether `resting_on_one_term`
    is sure to say True, and whether it can say either, from the rows'
    `top_terms` alone: a term in both rows' top terms whose product reaches
    ONE_TERM_SHARE of the score is such a term (the same product), and no
    other shared term's product can exceed the larger of the top terms'
    shared products, one row's last top weight times the other's largest,
    and the other way round. At 100,000 generated articles 94% of the pairs
    are settled so, without multiplying their rows."""
    sure, open_ = np.zeros(len(scores), dtype=bool), np.zeros(len(scores), dtype=bool)
    for start in range(0, len(scores), MULTIPLIED_AT_ONCE):
        some = slice(start, start + MULTIPLIED_AT_ONCE)
        need = ONE_TERM_SHARE * scores[some]
        terms_a, terms_b = top.terms[first[some]], top.terms[second[some]]
        weights_a, weights_b = top.weights[first[some]], top.weights[second[some]]
        shared = (terms_a[:, :, None] == terms_b[:, None, :]) & (terms_a[:, :, None] >= 0)
        best = np.where(shared, weights_a[:, :, None] * weights_b[:, None, :], 0.0).max(axis=(1, 2))
        bound = np.maximum(best, np.maximum(weights_a[:, -1] * weights_b[:, 0], weights_a[:, 0] * weights_b[:, -1]))
        sure[some] = best >= need
        open_[some] = ~sure[some] & (bound >= need)
    return sure, open_


def one_term_pairs(vectors, top: TopTerms, pairs: np.ndarray, scores: np.ndarray,
                   lifted: np.ndarray) -> np.ndarray:
    """True for the `lifted` pairs whose score (the cosine of their rows of
    `vectors`) rests for ONE_TERM_SHARE or more on one shared term: one rare
    name is no story, however quiet the two documents' neighbourhoods.
    Only the `one_term_candidates` that their `top_terms` leave open
    (`settled_on_top_terms`) are multiplied term by term."""
    found = np.zeros(len(scores), dtype=bool)
    sure, maybe = one_term_checks(top, pairs, scores, lifted)
    found[sure] = True
    found[maybe] = resting_on_one_term(vectors, pairs[maybe, 0], pairs[maybe, 1], scores[maybe])
    return found


def one_term_checks(top: TopTerms, pairs: np.ndarray, scores: np.ndarray,
                    lifted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The places of the `one_term_candidates` that rest on one term for sure,
    and of those their `top_terms` leave open (`settled_on_top_terms`): the
    ones to multiply term by term."""
    maybe = one_term_candidates(top.heaviest, pairs, scores, lifted)
    sure, open_ = settled_on_top_terms(top, pairs[maybe, 0], pairs[maybe, 1], scores[maybe])
    return maybe[sure], maybe[open_]


def one_term_candidates(heaviest: np.ndarray, pairs: np.ndarray, scores: np.ndarray, lifted: np.ndarray) -> np.ndarray:
    """The positions of the `lifted` pairs that may rest on one shared term.
    `heaviest`: each row's largest weight (`heaviest_weights`); a pair whose
    two largest weights multiplied stay under ONE_TERM_SHARE of its score
    cannot have such a term."""
    return np.flatnonzero(lifted & (heaviest[pairs[:, 0]] * heaviest[pairs[:, 1]] >= ONE_TERM_SHARE * scores))


def resting_on_one_term(vectors, first: np.ndarray, second: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Whether the largest product of the rows' shared terms reaches ONE_TERM_SHARE of each score."""
    found = np.zeros(len(scores), dtype=bool)
    for start in range(0, len(scores), MULTIPLIED_AT_ONCE):
        some = slice(start, start + MULTIPLIED_AT_ONCE)
        shared = vectors[first[some]].multiply(vectors[second[some]]).tocsr()
        found[some] = heaviest_weights(shared) >= ONE_TERM_SHARE * scores[some]
    return found


def parked_resting_on_one_term(pairs: tuple[np.ndarray, np.ndarray, np.ndarray], place: ParkedPlace) -> np.ndarray:
    """`resting_on_one_term` (first, second, scores) on the vectors parked at
    `place`, in any process (a worker's task; their pages let go after)."""
    vectors = place.matrix()
    try:
        return resting_on_one_term(vectors, *pairs)
    finally:
        let_go_matrix(vectors)


def lifted_to(pairs: np.ndarray, raw: np.ndarray, scaled: np.ndarray, floor: float, short: np.ndarray) -> np.ndarray:
    """The pairs local scaling lifts (from `raw` to `scaled`, to `floor` or
    above) that the one-term check concerns: not those of two `short` texts,
    scored on their neighbours' terms."""
    return (scaled > raw) & (scaled >= floor) & ~(short[pairs[:, 0]] & short[pairs[:, 1]])


def held_on_one_term(vectors, top: TopTerms, pairs: np.ndarray, raw: np.ndarray, scaled: np.ndarray,
                     floor: float, short: np.ndarray) -> np.ndarray:
    """True for the pairs `lifted_to` the floor that must keep their cosine,
    as it rests on one shared term (`one_term_pairs`). What the story stage
    and the index share."""
    return one_term_pairs(vectors, top, pairs, raw, lifted_to(pairs, raw, scaled, floor, short))


def local_scaling(
    pairs: np.ndarray, scores: np.ndarray, count: int, k: int = LOCAL_K, alpha: float = LOCAL_ALPHA
) -> tuple[np.ndarray, np.ndarray]:
    """Scores judged against both items' neighbourhoods (module notes, 3); deterministic, ties change no sum.
    Returns the scaled scores and each item's level."""
    levels = neighbourhood_levels(pairs, scores, count, k)
    typical = typical_level(levels)
    scaled = np.empty_like(scores)
    for start in range(0, len(scores), PAIRS_AT_ONCE):
        part = slice(start, start + PAIRS_AT_ONCE)
        scaled[part] = scores[part] * scaling_factor(levels, typical, pairs[part, 0], pairs[part, 1], alpha)
    return scaled, levels


def scaled_by_best(best: np.ndarray, pairs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Scores scaled by levels taken from each item's LOCAL_K best pair scores,
    given as rows (as the daily index keeps them) rather than found from the pairs."""
    levels = best.sum(axis=1) / LOCAL_K
    return scores * scaling_factor(levels, typical_level(levels), pairs[:, 0], pairs[:, 1])
