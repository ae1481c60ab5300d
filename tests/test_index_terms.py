"""Term counts of open articles as the daily index stores them: id differences
and compressed counts, decoded at once for many documents (empty ones too);
their weights, those of `corpus.weights` over the index's statistics."""

import numpy as np
import scipy.sparse as sp

from corpus.index_terms import TermRows, TermStats, unit_vectors
from corpus.prior import Prior
from corpus.terms import term_counts
from corpus.weights import term_space


def test_rows_stored_as_blobs_decode_to_the_same_rows():
    rng = np.random.default_rng(3)
    sizes = [5, 0, 1, 300, 2]
    ids = [np.sort(rng.choice(10**6, size, replace=False)) for size in sizes]
    counts = [rng.integers(1, 400, size) for size in sizes]
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    rows = TermRows(indptr, np.concatenate(ids).astype(np.int64), np.concatenate(counts).astype(np.int64))
    blobs = rows.blobs()
    decoded = TermRows.from_blobs([b[0] for b in blobs], [b[1] for b in blobs])
    assert decoded.indptr.tolist() == indptr.tolist()
    assert decoded.ids.tolist() == rows.ids.tolist() and decoded.counts.tolist() == rows.counts.tolist()
    both = TermRows.joined([decoded, rows])
    assert both.documents == 10 and both.ids[both.indptr[5] :].tolist() == rows.ids.tolist()


def test_an_index_holding_one_corpus_weighs_it_as_term_space_does():
    texts = ["The Mayor of Springfield opened the bridge on Monday.", "Springfield bridge opened; 40 cars crossed.",
             "Rain in the valley", "", "The bridge the bridge the bridge"] + [f"word{i} filler text" for i in range(60)]
    counts = term_counts(texts)
    ids, terms = counts.term_ids, len(counts.vocabulary)
    stats = TermStats(np.arange(terms), np.bincount(ids, minlength=terms).astype(float),
                      np.bincount(ids, weights=counts.entry_inside, minlength=terms),
                      np.bincount(ids, weights=counts.entry_capitalised, minlength=terms), counts.has_digit,
                      [b""] * terms)
    matrix = sp.csr_matrix((counts.counts.astype(float), ids, counts.indptr), shape=(counts.documents, terms))
    ours = unit_vectors(matrix, stats, counts.documents, float(counts.lengths.mean()), Prior(0.0, 0.0))
    theirs = term_space(counts).vectors
    assert ours.shape == theirs.shape and abs(ours - theirs).max() < 1e-12
    assert (theirs != 0).nnz == (ours != 0).nnz > 0
