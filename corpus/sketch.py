"""MinHash signatures of shingle sets, computed with numpy."""

from __future__ import annotations

import numpy as np

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) parameters of the affine permutations, as datasketch draws them."""
    gen = np.random.RandomState(seed)
    a, b = np.array(
        [(gen.randint(1, MERSENNE, dtype=np.uint64), gen.randint(0, MERSENNE, dtype=np.uint64)) for _ in range(num_perm)],
        dtype=np.uint64,
    ).T
    return a, b


def signatures(hash_sets: list[np.ndarray], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """One MinHash signature row per shingle set; an empty set gets all MAX_HASH."""
    a, b = permutations(num_perm, seed)
    out = np.full((len(hash_sets), num_perm), MAX_HASH, dtype=np.uint64)
    for row, hashes in enumerate(hash_sets):
        if len(hashes):
            hv = (hashes & MAX_HASH)[:, None]
            out[row] = (((hv * a + b) % MERSENNE) & MAX_HASH).min(axis=0)
    return out


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """The MinHash estimate: the share of equal signature positions."""
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)
