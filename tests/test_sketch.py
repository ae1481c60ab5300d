import os
import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash

from corpus.neighbours import EMPTY_KEY, band_keys, candidate_pairs, exact_jaccard
from corpus.shingles import batch_shingle_hashes
from corpus.sketch import estimate_jaccard, estimate_jaccards, from_minhashes, signatures, sketch_batch, to_minhash


def overlapping_sets(size_a: int, size_b: int, common: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted sets of random 64-bit values sharing `common` values."""
    values = np.unique(np.random.default_rng(seed).integers(0, 2**63, size_a + size_b, dtype=np.uint64))
    values = np.random.default_rng(seed + 1).permutation(values)[: size_a + size_b - common]
    a = values[:size_a]
    b = np.concatenate([values[:common], values[size_a:]])
    return np.sort(a), np.sort(b)


def test_shape_dtype_and_determinism():
    a, b = overlapping_sets(300, 200, 100, seed=1)
    sigs = signatures([a, b], num_perm=64, seed=7)
    assert sigs.shape == (2, 64) and sigs.dtype == np.uint32
    assert np.array_equal(sigs, signatures([a, b], num_perm=64, seed=7))
    assert not np.array_equal(sigs, signatures([a, b], num_perm=64, seed=8))
    assert np.array_equal(signatures([b], num_perm=64, seed=7)[0], sigs[1])   # a row does not depend on its batch


def test_identical_disjoint_and_empty_sets():
    a, b = overlapping_sets(500, 500, 0, seed=2)
    sigs = signatures([a, a.copy(), b, np.empty(0, np.uint64)], num_perm=128)
    assert estimate_jaccard(sigs[0], sigs[1]) == 1.0
    assert estimate_jaccard(sigs[0], sigs[2]) <= 0.02
    assert np.all(sigs[3] == 0xFFFFFFFF)


def test_estimates_of_many_rows_equal_row_by_row():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 4, (30, 64)).astype(np.uint32)
    b = rng.integers(0, 4, (30, 64)).astype(np.uint32)
    assert estimate_jaccards(a, b).tolist() == [estimate_jaccard(x, y) for x, y in zip(a, b)]


def test_repeated_values_do_not_change_the_signature():
    a, _ = overlapping_sets(50, 1, 0, seed=3)
    assert np.array_equal(signatures([a])[0], signatures([np.concatenate([a, a[:10]])])[0])


@pytest.mark.parametrize("size_a,size_b,common", [(2000, 2000, 1600), (1000, 600, 300), (100, 100, 67), (40, 30, 20), (6, 5, 3), (1, 1, 1), (3, 1, 0)])
def test_estimator_is_unbiased_and_as_accurate_as_classic_minhash(size_a, size_b, common):
    """Over 300 seeds the mean estimate is within 5 standard errors of the exact Jaccard, and the
    spread is close to that of k independent permutations, sqrt(J(1-J)/k). Fixed seeds: no flakes."""
    a, b = overlapping_sets(size_a, size_b, common, seed=size_a + size_b)
    truth = exact_jaccard(a, b)
    estimates = np.array([estimate_jaccard(*signatures([a, b], num_perm=128, seed=s)) for s in range(300)])
    assert abs(estimates.mean() - truth) <= 5 * estimates.std() / np.sqrt(len(estimates)) + 1e-12
    assert estimates.std() <= 1.3 * np.sqrt(truth * (1 - truth) / 128) + 0.005


def test_sketch_batch_is_consistent_with_the_single_functions():
    texts = ["alpha beta gamma delta epsilon zeta eta theta", "", "alpha beta gamma delta epsilon zeta eta iota", "x"]
    batch = sketch_batch(texts, ngram=3, num_perm=64, seed=5, bands=8, rows=4)
    flat, offsets = batch_shingle_hashes(texts, 3)
    assert np.array_equal(batch.hashes, flat) and np.array_equal(batch.offsets, offsets)
    sets = [flat[offsets[i] : offsets[i + 1]] for i in range(len(texts))]
    assert np.array_equal(batch.signatures, signatures(sets, num_perm=64, seed=5))
    expected = band_keys(batch.signatures, 8, 4)
    assert np.array_equal(batch.band_keys[[0, 2, 3]], expected[[0, 2, 3]])
    assert np.all(batch.band_keys[1] == EMPTY_KEY)
    assert np.array_equal(batch.hashes_of(2), sets[2])


def test_sketch_batch_default_bands_follow_lsh_parameters():
    batch = sketch_batch(["a b c d e f g"], num_perm=128)
    assert batch.signatures.shape == (1, 128) and batch.band_keys.shape[1] >= 1


def test_signatures_are_the_same_in_a_process_with_another_hash_seed():
    texts = ["Sebuah kalimat pendek tentang berita hari ini", "another short sentence about the news of today"]
    code = "from corpus.sketch import sketch_batch; b = sketch_batch(%r, seed=3); print(b.signatures.tobytes().hex(), b.band_keys.tobytes().hex())" % texts
    env = dict(os.environ, PYTHONHASHSEED="999")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    batch = sketch_batch(texts, seed=3)
    assert out == [batch.signatures.tobytes().hex(), batch.band_keys.tobytes().hex()]


def test_to_minhash_gives_datasketch_the_same_estimate():
    a, b = overlapping_sets(400, 300, 200, seed=11)
    sigs = signatures([a, b])
    assert to_minhash(sigs[0]).jaccard(to_minhash(sigs[1])) == estimate_jaccard(sigs[0], sigs[1])


def _datasketch_minhashes(sets, seed=1):
    return MinHash.bulk([[int(v).to_bytes(8, "little") for v in s] for s in sets], num_perm=128, seed=seed)


def test_datasketch_and_our_estimates_agree_with_exact_jaccard():
    """Over 20 pairs at J = 0.6 both estimators average to the exact value (within 0.03, ~5 standard errors)."""
    ours, theirs, truth = [], [], []
    for seed in range(20):
        a, b = overlapping_sets(300, 300, 225, seed=100 + seed)
        truth.append(exact_jaccard(a, b))
        ours.append(estimate_jaccard(*signatures([a, b])))
        m = _datasketch_minhashes([a, b])
        theirs.append(m[0].jaccard(m[1]))
    assert abs(np.mean(ours) - np.mean(truth)) < 0.03
    assert abs(np.mean(theirs) - np.mean(truth)) < 0.03


def test_datasketch_minhashes_work_with_our_lsh():
    a, b = overlapping_sets(500, 500, 490, seed=21)
    c, _ = overlapping_sets(500, 1, 0, seed=22)
    sigs = from_minhashes(_datasketch_minhashes([a, c, b]))
    assert sigs.shape == (3, 128) and sigs.dtype == np.uint32
    assert candidate_pairs(band_keys(sigs, 16, 6)).tolist() == [[0, 2]]


def test_from_minhashes_rejects_mixed_seeds():
    with pytest.raises(ValueError):
        from_minhashes([MinHash(seed=1), MinHash(seed=2)])


def test_sketch_batch_needs_both_bands_and_rows():
    with pytest.raises(ValueError):
        sketch_batch(["a b c"], bands=4)
