"""Near-duplicate neighbours: LSH banding, candidate pairs, exact verification."""

from __future__ import annotations

import numpy as np
from datasketch.lsh import _optimal_param


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted, distinct hash arrays."""
    if len(a) == 0 and len(b) == 0:
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """The share of a's shingles that b also has."""
    if len(a) == 0:
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / len(a)


def lsh_parameters(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) as datasketch's MinHashLSH chooses them."""
    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (document, band): documents sharing a key collide."""
    keys = np.empty((len(signatures), bands), dtype=np.uint64)
    for band in range(bands):
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        keys[:, band] = [hash(row.tobytes()) & 0xFFFFFFFFFFFFFFFF for row in block]
    return keys


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """Distinct (i, j), i < j, of documents that share a key in some band."""
    pairs = set()
    for band in range(keys.shape[1]):
        buckets: dict[int, list[int]] = {}
        for doc, key in enumerate(keys[:, band].tolist()):
            buckets.setdefault(key, []).append(doc)
        for members in buckets.values():
            pairs.update((members[i], members[j]) for i in range(len(members)) for j in range(i + 1, len(members)))
    return np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
