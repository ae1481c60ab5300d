"""MinHash signatures of shingle sets, by one-permutation hashing.

Batch API (a pure function of its arguments, run by worker processes):

    sketch_batch(texts, *, ngram, num_perm, seed, bands, rows) -> SketchBatch

What is computed how. Every shingle hash h of a set is remixed for the seed,
g = mix(h ^ seed_key), and g picks one of num_perm bins by its high 32 bits
(`bin = (g >> 32) * num_perm >> 32`). A signature position is the smallest g
that fell into its bin, stored as its low 32 bits (uint32). That is one
permutation split into num_perm ranges (Li, Owen and Zhang 2012), computed
with one hash per shingle and one vectorized `np.minimum.at` per batch.

A bin that no shingle fell into borrows the value of another bin: bin i
probes the bins in a fixed pseudo-random order (a permutation per bin, drawn
from the seed, the same for every set) and copies the first non-empty one.
This is Shrivastava's optimal densification (2017). Because the probe order
does not depend on the sets, two sets probe alike, and for every position

    Pr[signature_a[i] == signature_b[i]] = J(a, b)

(exactly under a random hash; plus a 2**-32 chance that two different values
agree in their stored 32 bits), so the share of equal positions is an
unbiased estimate of the Jaccard similarity, as with classic MinHash. A set
without shingles gets the all-0xFFFFFFFF signature (as datasketch's empty
MinHash). Signatures are deterministic for a seed, in every process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from corpus.neighbours import EMPTY_KEY, band_keys, lsh_parameters
from corpus.shingles import batch_shingle_hashes, mix

DEFAULT_THRESHOLD = 0.8
_NO_HASH = np.uint64(0xFFFFFFFFFFFFFFFF)
_LOW32 = np.uint64(0xFFFFFFFF)


@dataclass
class SketchBatch:
    """Everything later stages need about a batch of texts, as compact arrays."""

    hashes: np.ndarray        # uint64: every text's sorted distinct shingle hashes, concatenated
    offsets: np.ndarray       # int64, len N+1: text i's hashes are hashes[offsets[i]:offsets[i+1]]
    signatures: np.ndarray    # uint32 (N, num_perm)
    band_keys: np.ndarray     # uint64 (N, bands); EMPTY_KEY for texts without shingles

    def hashes_of(self, i: int) -> np.ndarray:
        """Text i's sorted distinct shingle hashes."""
        return self.hashes[self.offsets[i] : self.offsets[i + 1]]


def sketch_batch(
    texts: Sequence[str],
    *,
    ngram: int = 5,
    num_perm: int = 128,
    seed: int = 1,
    bands: int | None = None,
    rows: int | None = None,
) -> SketchBatch:
    """Shingle hashes, signatures and LSH band keys of a batch of texts.

    bands and rows default to `lsh_parameters(DEFAULT_THRESHOLD, num_perm)`.
    """
    if (bands is None) != (rows is None):
        raise ValueError("give both bands and rows, or neither")
    if bands is None:
        bands, rows = lsh_parameters(DEFAULT_THRESHOLD, num_perm)
    hashes, offsets = batch_shingle_hashes(texts, ngram)
    sigs = signatures_flat(hashes, offsets, num_perm, seed)
    keys = band_keys(sigs, bands, rows)
    keys[offsets[1:] == offsets[:-1]] = EMPTY_KEY
    return SketchBatch(hashes, offsets, sigs, keys)


def signatures(hash_sets: Sequence[np.ndarray], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """One signature row (uint32) per set of 64-bit hashes."""
    offsets = np.zeros(len(hash_sets) + 1, dtype=np.int64)
    np.cumsum([len(h) for h in hash_sets], out=offsets[1:])
    flat = np.concatenate([np.asarray(h, dtype=np.uint64) for h in hash_sets]) if hash_sets else np.empty(0, np.uint64)
    return signatures_flat(flat, offsets, num_perm, seed)


def signatures_flat(hashes: np.ndarray, offsets: np.ndarray, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """Signatures of sets given concatenated (set i = hashes[offsets[i]:offsets[i+1]]); repeats are harmless."""
    if not 1 <= num_perm < 1 << 31:
        raise ValueError("num_perm must be between 1 and 2**31 - 1")
    count = len(offsets) - 1
    g = mix(np.asarray(hashes, dtype=np.uint64) ^ _seed_key(seed, 0))
    cells = ((g >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)
    set_base = np.zeros(len(g), dtype=np.uint64)          # becomes set index * num_perm
    starts = np.asarray(offsets[1:-1])
    np.add.at(set_base, starts[starts < len(g)], np.uint64(num_perm))
    cells += np.cumsum(set_base, out=set_base)
    smallest = np.full(count * num_perm, _NO_HASH)
    np.minimum.at(smallest, cells, g)
    filled = smallest != _NO_HASH     # (a shingle whose g is exactly 2**64 - 1 counts as absent, alike in every set)
    out = (smallest & _LOW32).astype(np.uint32).reshape(count, num_perm)
    _densify(out, filled.reshape(count, num_perm), _probe_order(num_perm, seed))
    return out


def _densify(sigs: np.ndarray, filled: np.ndarray, probes: np.ndarray) -> None:
    """Fill each empty bin of a non-empty set from the first filled bin in its probe order."""
    docs, bins = np.nonzero(~filled & filled.any(axis=1)[:, None])
    for attempt in range(probes.shape[1]):
        if not len(docs):
            return
        source = probes[bins, attempt]
        found = filled[docs, source]
        sigs[docs[found], bins[found]] = sigs[docs[found], source[found]]
        docs, bins = docs[~found], bins[~found]


@functools.lru_cache(maxsize=8)
def _probe_order(num_perm: int, seed: int) -> np.ndarray:
    """Row i: a pseudo-random permutation of all bins, the order in which empty bin i borrows."""
    draws = mix(np.arange(num_perm * num_perm, dtype=np.uint64) ^ _seed_key(seed, 1)).reshape(num_perm, num_perm)
    return np.argsort(draws, axis=1, kind="stable")


def _seed_key(seed: int, purpose: int) -> np.uint64:
    """A 64-bit key derived from the user's seed, distinct per purpose."""
    value = (int(seed) * 0x9E3779B97F4A7C15 + purpose * 0xD1B54A32D192ED03 + 1) % (1 << 64)
    return mix(np.array([value], dtype=np.uint64))[0]


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """The MinHash estimate: the share of equal signature positions."""
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


def estimate_jaccards(sigs_a: np.ndarray, sigs_b: np.ndarray) -> np.ndarray:
    """`estimate_jaccard` of each row of `sigs_a` with the same row of `sigs_b`."""
    return np.count_nonzero(sigs_a == sigs_b, axis=1) / sigs_a.shape[1]


def to_minhash(signature: np.ndarray, seed: int = 1):
    """A datasketch MinHash holding our signature row, for datasketch's LSH and jaccard().

    Compare it only with MinHashes made the same way (same num_perm and seed):
    its values are ours, so updating it with datasketch's update() is meaningless.
    """
    from datasketch import MinHash

    scheme = "affine32" if signature.dtype == np.uint32 else "affine64"
    return MinHash(seed=seed, hashvalues=signature, scheme=scheme)


def from_minhashes(minhashes: Sequence) -> np.ndarray:
    """The hash values of datasketch MinHashes as an (N, num_perm) array for our band keys.

    They must share num_perm, seed and scheme, else equal positions mean nothing.
    """
    if not minhashes:
        return np.empty((0, 0), dtype=np.uint64)
    first = minhashes[0]
    for m in minhashes:
        if (len(m), m.seed, getattr(m, "scheme", None)) != (len(first), first.seed, getattr(first, "scheme", None)):
            raise ValueError("MinHashes differ in num_perm, seed or scheme")
    return np.stack([m.hashvalues for m in minhashes])
