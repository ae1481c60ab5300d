"""Stable orders of 64-bit hashes (np.argsort(kind="stable") and the sorted
values), sooner than numpy's stable argsort of 64-bit keys, which is a merge
sort (a timsort: fast only where the keys come in sorted runs, as the
vocabularies `corpus.terms.merged_vocabulary` merges do): what the term
stage groups a chunk's term occurrences with (`corpus.terms`). The positions
are packed into the hashes' low bits and the keys sorted as they are, with
numpy's vectorised sort of 64-bit values (on a chunk's terms, a third sooner
than a stable radix sort on their top 16 bits with the buckets that came out
of order sorted again, which this module did before)."""

from __future__ import annotations

import numpy as np


def stable_order(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(np.argsort(hashes, kind="stable"), the sorted hashes), sooner: the
    positions packed into the hashes' low bits, the keys sorted. Two terms
    alike in their high bits can come out of order (by position); each such
    run of keys is sorted again on its own."""
    bits = max(len(hashes) - 1, 1).bit_length()
    low = np.uint64((1 << bits) - 1)
    keys = (hashes & ~low) | np.arange(len(hashes), dtype=np.uint64)
    keys.sort()
    order = (keys & low).astype(np.int64)
    ordered = hashes[order]
    if len(ordered) > 1:
        for high in np.unique(keys[np.flatnonzero(ordered[1:] < ordered[:-1])] & ~low).tolist():
            run = slice(int(np.searchsorted(keys, np.uint64(high))),
                        int(np.searchsorted(keys, np.uint64(high) | low, side="right")))
            order[run] = order[run][np.lexsort((order[run], ordered[run]))]
            ordered[run] = hashes[order[run]]
    return order, ordered
