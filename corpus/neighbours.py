"""Near-duplicate neighbours: LSH banding, candidate pairs, exact verification.

Whole-corpus API (the dedup stage calls these on arrays for all documents):

    band_keys(signatures, bands, rows)      -> (N, bands) uint64 keys
    candidate_pairs(keys, max_bucket=...)   -> (M, 2) int64 pairs i < j, sorted, distinct
    verify_pairs(pairs, hashes_of)          -> float64 exact Jaccard per pair
    lsh_parameters(threshold, num_perm, recall=0.99) -> (bands, rows)

Two documents are candidates when all `rows` signature positions of some band
agree. With signatures whose positions agree with probability J each, a pair
of Jaccard similarity J becomes a candidate with probability
1 - (1 - J**rows)**bands, the LSH S-curve; verification then keeps the pairs
whose exact Jaccard reaches the threshold.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from corpus.shingles import mix, position_constants

EMPTY_KEY = np.uint64(0)   # band key of a document without shingles; never a candidate
MAX_BUCKET = 100           # larger buckets give a star and a chain instead of all pairs
_CHUNK_ROWS = 8192


def intersection_size(a: np.ndarray, b: np.ndarray) -> int:
    """The number of common values of two sorted, distinct arrays."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return int(np.count_nonzero(b[at] == a))


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted, distinct hash arrays (0 for two empty sets)."""
    if len(a) == 0 and len(b) == 0:
        return 0.0
    inter = intersection_size(a, b)
    return inter / (len(a) + len(b) - inter)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """The share of a's shingles that b also has."""
    if len(a) == 0:
        return 0.0
    return intersection_size(a, b) / len(a)


def candidate_probability(similarity, bands: int, rows: int):
    """The chance that a pair of this Jaccard similarity shares a key in some band."""
    return 1.0 - (1.0 - np.asarray(similarity, dtype=float) ** rows) ** bands


@functools.lru_cache(maxsize=64)
def lsh_parameters(threshold: float, num_perm: int, recall: float | None = 0.99) -> tuple[int, int]:
    """(bands, rows) with bands * rows <= num_perm for verification at `threshold`.

    The LSH threshold sits below the verification threshold: among the
    (bands, rows) whose candidate probability at J = threshold is at least
    `recall` (so pairs at or above the threshold are missed with probability
    at most 1 - recall), take the one with the least false-candidate area,
    the integral of the candidate probability over J in [0, threshold]; for
    each rows only the fewest bands reaching `recall` are considered, and
    ties go to fewer signature positions. If no split reaches `recall`, the
    most sensitive one (rows = 1) is returned. recall=None gives
    datasketch's MinHashLSH choice (false positives and negatives weighted
    equally), for results comparable with datasketch.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must be between 0 and 1")
    if recall is None:
        from datasketch.lsh import _optimal_param

        return _optimal_param(threshold, num_perm, 0.5, 0.5)
    grid = np.linspace(0.0, threshold, 1001)
    choices = []
    for rows in range(1, num_perm + 1):
        max_bands = num_perm // rows
        reach = candidate_probability(threshold, np.arange(1, max_bands + 1), rows)
        enough = np.flatnonzero(reach >= recall)
        if len(enough):
            bands = int(enough[0]) + 1
            false_area = float(candidate_probability(grid, bands, rows).mean()) * threshold
            choices.append((false_area, bands * rows, bands, rows))
    if not choices:
        return num_perm, 1
    _, _, bands, rows = min(choices)
    return bands, rows


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (document, band): a mixed hash of the band's signature values.

    Keys are odd, so EMPTY_KEY (0) never occurs by chance; signatures may be
    uint32 (ours) or uint64 (datasketch's).
    """
    signatures = np.asarray(signatures)
    if bands * rows > signatures.shape[1]:
        raise ValueError(f"{bands} bands of {rows} rows need {bands * rows} signature positions, got {signatures.shape[1]}")
    weights = position_constants(rows)
    keys = np.empty((len(signatures), bands), dtype=np.uint64)
    for start in range(0, len(signatures), _CHUNK_ROWS):
        block = signatures[start : start + _CHUNK_ROWS, : bands * rows].astype(np.uint64)
        summed = (block.reshape(len(block), bands, rows) * weights).sum(axis=2, dtype=np.uint64)
        keys[start : start + _CHUNK_ROWS] = mix(summed) | np.uint64(1)
    return keys


def candidate_pairs(keys: np.ndarray, max_bucket: int = MAX_BUCKET, map_bands: Callable = map) -> np.ndarray:
    """Distinct (i, j), i < j, sorted, of documents that share a key in some band.

    keys: (N, bands) for the whole corpus (a 1-d array is one band). A bucket
    of more than max_bucket documents gives a star (its first document with
    every other) and a chain (each document with the next, in document
    order) instead of all pairs: 2(s - 1) pairs rather than s(s - 1)/2, enough
    to connect a bucket of true duplicates into one group after verification.
    Documents with EMPTY_KEY are never paired. Each band is one piece of
    work: `map_bands(work, columns)` gives their results in order (a map
    over processes works as well as the builtin one).
    """
    keys = np.asarray(keys, dtype=np.uint64)
    if keys.ndim == 1:
        keys = keys[:, None]
    count = len(keys)
    columns = (keys[:, band] for band in range(keys.shape[1]))
    codes = list(map_bands(functools.partial(_band_pair_codes, max_bucket=max_bucket), columns))
    codes = np.unique(np.concatenate(codes)) if codes else np.empty(0, dtype=np.int64)
    return np.stack([codes // count, codes % count], axis=1) if count else np.empty((0, 2), dtype=np.int64)


def _band_pair_codes(column: np.ndarray, max_bucket: int) -> np.ndarray:
    """Pairs of one band as codes i * N + j."""
    count = len(column)
    order = np.argsort(column, kind="stable")   # members of a bucket in document order
    ordered = column[order]
    same_as_previous = np.zeros(count, dtype=bool)
    same_as_previous[1:] = (ordered[1:] == ordered[:-1]) & (ordered[1:] != EMPTY_KEY)
    in_bucket = same_as_previous.copy()
    in_bucket[:-1] |= same_as_previous[1:]
    at = np.flatnonzero(in_bucket)
    if not len(at):
        return np.empty(0, dtype=np.int64)
    members = order[at].astype(np.int64)
    starts = np.flatnonzero(~same_as_previous[at])
    bucket = np.cumsum(~same_as_previous[at]) - 1
    size = np.diff(np.append(starts, len(at)))[bucket]
    rank = np.arange(len(at)) - starts[bucket]
    firsts, seconds = [], []
    small = size <= max_bucket
    left = np.flatnonzero(small & (rank < size - 1))
    step = 1
    while len(left):
        firsts.append(members[left])
        seconds.append(members[left + step])
        step += 1
        left = left[rank[left] + step < size[left]]
    big = np.flatnonzero(~small & (rank > 0))
    firsts += [members[starts[bucket[big]]], members[big - 1]]
    seconds += [members[big], members[big]]
    return np.concatenate(firsts) * count + np.concatenate(seconds)


def verify_pairs(pairs: np.ndarray, hashes_of: Callable[[int], np.ndarray]) -> np.ndarray:
    """Exact Jaccard of each pair; hashes_of(i) gives document i's sorted distinct shingle hashes.

    Pairs sorted by their first document (as candidate_pairs returns them)
    fetch each first document's hashes once.
    """
    out = np.empty(len(pairs), dtype=np.float64)
    current, first = None, None
    for k, (i, j) in enumerate(np.asarray(pairs).tolist()):
        if i != current:
            current, first = i, hashes_of(i)
        out[k] = exact_jaccard(first, hashes_of(j))
    return out
