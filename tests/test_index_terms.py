"""Term counts of open articles as the daily index stores them: id differences
and compressed counts, decoded at once for many documents (empty ones too)."""

import numpy as np

from corpus.index_terms import TermRows


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
