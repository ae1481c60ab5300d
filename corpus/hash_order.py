"""Stable orders of 64-bit hashes (np.argsort(kind="stable") and the sorted
values), sooner than numpy's stable argsort of 64-bit keys, which is a merge
sort (a timsort: fast only where the keys come in sorted runs, as the
vocabularies `corpus.terms.merged_vocabulary` merges do): what the term
stage groups a chunk's term occurrences with (`corpus.terms`)."""

from __future__ import annotations

import numpy as np

BUCKETED_UP_TO = 1 << 18      # `stable_order` sorts by buckets up to this many hashes
_TOP_SHIFT = np.uint64(48)


def stable_order(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(np.argsort(hashes, kind="stable"), the sorted hashes), sooner. Up to
    BUCKETED_UP_TO hashes (a chunk's terms): a stable
    sort on their top 16 bits (numpy sorts 16-bit keys by radix, in linear
    time), then only the buckets where hashes came out of order sorted again
    (`packed_order`), about a tenth of a chunk's; past that, most buckets
    would be, and `packed_order` sorts everything."""
    if len(hashes) > BUCKETED_UP_TO:
        return packed_order(hashes)
    top = (hashes >> _TOP_SHIFT).astype(np.uint16)
    order = np.argsort(top, kind="stable")
    ordered = hashes[order]
    unsorted = np.flatnonzero(ordered[1:] < ordered[:-1])
    if len(unsorted):
        in_unsorted = np.zeros(1 << 16, dtype=bool)
        in_unsorted[top[order[unsorted]]] = True
        again = np.flatnonzero(in_unsorted[top[order]])        # whole buckets, still in bucket order
        within, ordered[again] = packed_order(hashes[order[again]])
        order[again] = order[again][within]
    return order, ordered


def packed_order(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`stable_order` for any number of hashes: the positions are packed
    into the hashes' low bits and the keys sorted as they are (a vectorised
    sort, where a stable argsort of 64-bit values is a merge sort). Two terms
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
