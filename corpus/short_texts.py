"""Short texts (headlines, a title and a lead) borrow their neighbours' terms.

Two headlines of one story share one or two words, often none: the pairs of a
story of seventy headlines are mostly unscored, and the mean over all of a
cluster's cross pairs, which average linkage compares with the threshold,
stays far below it (UCI aggregator headlines: B-cubed F1 0.58, where TF-IDF
with its best cut per corpus reaches 0.71). Query expansion (pseudo-relevance
feedback) gives such a document the context it lacks: its vector is joined by
the unit sum of its NEIGHBOURS best-scoring neighbours' vectors (weighted by
their scores), times its shortness, 1 - length / SHORT_TERMS (0 from
SHORT_TERMS term occurrences on), and scored again. Reports of one story then
share their neighbours' words; reports of full length are left as they are,
so corpora of articles score as before.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from corpus.ranking import near_the_top, rank_in_groups, sorted_pairs
from corpus.similarity import scored_pairs

SHORT_TERMS = 60              # a document of fewer term occurrences is short, and borrows its neighbours' terms
NEIGHBOURS = 10               # how many of its best-scoring neighbours it borrows from
BORROWED_WEIGHT = 1.0         # the borrowed unit vector's weight for a document of no length


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ matrix)


def best_neighbours(pairs: np.ndarray, scores: np.ndarray, rows: np.ndarray, count: int,
                    k: int = NEIGHBOURS) -> sp.csr_matrix:
    """(len(rows), count): for each item of `rows` (ascending), its k best-scoring
    partners with their scores (ties: by partner)."""
    items = np.concatenate([pairs[:, 0], pairs[:, 1]]).astype(np.int64)
    partners = np.concatenate([pairs[:, 1], pairs[:, 0]]).astype(np.int64)
    both = np.concatenate([scores, scores])
    position = np.full(count, -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    asked = position[items] >= 0
    items, partners, both = position[items[asked]], partners[asked], both[asked]
    close = near_the_top(items, both, len(rows), k)      # ranking fewer gives the same k best
    items, partners, both = items[close], partners[close], both[close]
    order = np.lexsort((partners, -both, items))
    items, partners, both = items[order], partners[order], both[order]
    best = rank_in_groups(items) < k
    return sp.csr_matrix((both[best], (items[best], partners[best])), shape=(len(rows), count))


def expanded_vectors(vectors: sp.csr_matrix, lengths: np.ndarray, pairs: np.ndarray, scores: np.ndarray,
                     rows: np.ndarray) -> sp.csr_matrix:
    """Unit vectors of the documents `rows`, each joined by its neighbours' terms
    in proportion to its shortness (module notes)."""
    shortness = np.clip(1.0 - lengths[rows] / SHORT_TERMS, 0.0, 1.0)
    borrowed = _unit_rows(sp.csr_matrix(best_neighbours(pairs, scores, rows, vectors.shape[0]) @ vectors))
    return _unit_rows(sp.csr_matrix(vectors[rows] + sp.diags(BORROWED_WEIGHT * shortness) @ borrowed))


def short_pair_scores(vectors: sp.csr_matrix, lengths: np.ndarray, pairs: np.ndarray, scores: np.ndarray,
                      floor: float, days: np.ndarray | None = None, **options) -> tuple[np.ndarray, np.ndarray]:
    """The pairs and scores with those of two short documents scored on their
    expanded vectors instead (pairs with a longer document keep theirs); `days`
    (per document) and `options` go to `corpus.similarity.scored_pairs`, as for
    the first scoring (window, workers, pruning)."""
    is_short = lengths < SHORT_TERMS
    short = np.flatnonzero(is_short)
    if not len(short):
        return pairs, scores
    short_pairs, short_scores = scored_pairs(expanded_vectors(vectors, lengths, pairs, scores, short), floor,
                                             None if days is None else days[short], **options)
    short_pairs = short[short_pairs]
    others = ~(is_short[pairs[:, 0]] & is_short[pairs[:, 1]])
    pairs = np.concatenate([pairs[others], short_pairs])
    scores = np.concatenate([scores[others], short_scores])
    order = sorted_pairs(pairs, len(lengths))
    return pairs[order], scores[order]
