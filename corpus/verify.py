"""Dedup's verify stage: the exact Jaccard of candidate pairs, chunk by
chunk, each chunk a plain function of its pairs and where their shingle
hashes are (`verify_chunk`), run by an executor's workers."""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from corpus import neighbours
from corpus.dedup_settings import Progress
from corpus.spill import Spill, SpillPlaces

VERIFY_CHUNK = 20_000        # candidate pairs verified per read of their shingle sets


def verified_pairs(
    candidates: np.ndarray,
    hashes_of: Callable[[int], np.ndarray],
    threshold: float,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs whose exact Jaccard is >= threshold, and those Jaccards."""
    kept_pairs, kept_jaccards = [np.empty((0, 2), dtype=np.int64)], [np.empty(0)]
    for start in range(0, len(candidates), VERIFY_CHUNK):
        chunk = candidates[start : start + VERIFY_CHUNK]
        loaded = {doc: hashes_of(doc) for doc in np.unique(chunk).tolist()}
        jaccards = neighbours.verify_pairs(chunk, loaded.__getitem__)
        similar = jaccards >= threshold
        kept_pairs.append(chunk[similar])
        kept_jaccards.append(jaccards[similar])
        if progress:
            progress("verifying", start + len(chunk), len(candidates))
    return np.concatenate(kept_pairs), np.concatenate(kept_jaccards)


def verified_spilled(candidates: np.ndarray, spill: Spill, threshold: float, workers,
                      progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`verified_pairs` of spilled documents, chunk by chunk in the workers,
    each reading the shingle hashes it needs from the spill."""
    size = max(500, min(VERIFY_CHUNK, -(-len(candidates) // (16 * workers.jobs))))   # 16 chunks a process, or more
    chunks = np.split(candidates, range(size, len(candidates), size))
    items = ((chunk, spill.places(np.unique(chunk).tolist())) for chunk in chunks)
    found, done = [(np.empty((0, 2), dtype=np.int64), np.empty(0))], 0
    for (chunk, _), verified in workers.map(partial(verify_chunk, threshold=threshold), items, start_for=None):
        found.append(verified)
        done += len(chunk)
        if progress:
            progress("verifying", done, len(candidates))
    return np.concatenate([pairs for pairs, _ in found]), np.concatenate([jaccards for _, jaccards in found])


def verify_chunk(item: tuple[np.ndarray, SpillPlaces], threshold: float) -> tuple[np.ndarray, np.ndarray]:
    pairs, places = item
    return verified_pairs(pairs, places.read().__getitem__, threshold)
