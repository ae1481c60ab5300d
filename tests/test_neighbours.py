import numpy as np
import pytest
from datasketch.lsh import _optimal_param

from corpus.neighbours import (
    EMPTY_KEY,
    band_keys,
    candidate_pairs,
    candidate_probability,
    containment,
    exact_jaccard,
    intersection_size,
    lsh_parameters,
    verify_pairs,
)
from corpus.sketch import sketch_batch
from corpus.workers import Workers


def u64(*values):
    return np.array(values, dtype=np.uint64)


def test_exact_jaccard_and_containment():
    a, b = u64(1, 2, 3, 4), u64(3, 4, 5)
    assert intersection_size(a, b) == 2 == intersection_size(b, a)
    assert exact_jaccard(a, b) == pytest.approx(2 / 5)
    assert containment(b, a) == pytest.approx(2 / 3) and containment(a, b) == pytest.approx(2 / 4)
    assert exact_jaccard(a, a) == 1.0 and exact_jaccard(a, u64(9, 10)) == 0.0
    assert exact_jaccard(u64(), u64()) == 0.0 and exact_jaccard(a, u64()) == 0.0 and containment(u64(), a) == 0.0
    big = u64(2**64 - 1, 2**63)
    assert intersection_size(np.sort(big), u64(5, 2**64 - 1)) == 1


def test_lsh_parameters_reach_the_recall_with_the_least_false_area():
    for threshold, num_perm, recall in [(0.8, 128, 0.99), (0.5, 64, 0.95), (0.9, 32, 0.99)]:
        bands, rows = lsh_parameters(threshold, num_perm, recall)
        assert bands * rows <= num_perm
        assert candidate_probability(threshold, bands, rows) >= recall
        grid = np.linspace(0, threshold, 1001)
        area = candidate_probability(grid, bands, rows).mean()
        for r in range(1, num_perm + 1):      # no feasible split has a clearly smaller false area
            for b in range(1, num_perm // r + 1):
                if candidate_probability(threshold, b, r) >= recall:
                    assert candidate_probability(grid, b, r).mean() >= area - 1e-12


def test_lsh_threshold_sits_below_the_verification_threshold():
    bands, rows = lsh_parameters(0.8, 128)
    assert candidate_probability(0.8, bands, rows) >= 0.99
    assert candidate_probability(0.3, bands, rows) < 0.05


def test_lsh_parameters_datasketch_style_and_unreachable_recall():
    assert lsh_parameters(0.8, 128, recall=None) == _optimal_param(0.8, 128, 0.5, 0.5)
    assert lsh_parameters(0.3, 2, recall=0.999) == (2, 1)
    with pytest.raises(ValueError):
        lsh_parameters(1.0, 128)


def test_band_keys_change_only_with_their_band():
    sigs = np.random.default_rng(0).integers(0, 2**32, (3, 12), dtype=np.uint64).astype(np.uint32)
    sigs[1] = sigs[0]
    sigs[1, 5] ^= 1          # band 1 of (4 bands x 3 rows) differs
    keys = band_keys(sigs, 4, 3)
    assert keys.shape == (3, 4) and keys.dtype == np.uint64
    assert (keys[0] == keys[1]).tolist() == [True, False, True, True]
    assert not np.any(keys[0] == keys[2])
    assert np.all(keys & np.uint64(1)) and not np.any(keys == EMPTY_KEY)
    assert np.array_equal(keys, band_keys(sigs.astype(np.uint64), 4, 3))   # datasketch's uint64 values alike
    with pytest.raises(ValueError):
        band_keys(sigs, 5, 3)


def test_band_keys_of_many_rows_equal_row_by_row():
    sigs = np.random.default_rng(1).integers(0, 2**32, (20000, 8), dtype=np.uint64).astype(np.uint32)
    keys = band_keys(sigs, 2, 4)
    assert np.array_equal(keys[12345], band_keys(sigs[12345:12346], 2, 4)[0])


def test_candidate_pairs_from_shared_keys():
    keys = np.array([[1, 10], [2, 11], [1, 12], [3, 11], [4, 13], [5, 10]], dtype=np.uint64)
    assert candidate_pairs(keys).tolist() == [[0, 2], [0, 5], [1, 3]]
    assert candidate_pairs(keys[:, 0]).tolist() == [[0, 2]]
    assert candidate_pairs(np.arange(1, 7, dtype=np.uint64)[:, None]).shape == (0, 2)
    assert candidate_pairs(np.empty((0, 3), dtype=np.uint64)).shape == (0, 2)


def test_candidate_pairs_band_by_band_in_worker_processes_are_the_same():
    keys = np.random.default_rng(3).integers(1, 40, (500, 6)).astype(np.uint64)
    keys[::7, 2] = EMPTY_KEY
    with Workers(2) as workers:
        assert np.array_equal(candidate_pairs(keys, max_bucket=12, map_bands=workers.results),
                              candidate_pairs(keys, max_bucket=12))


def test_empty_documents_are_never_candidates():
    keys = np.array([[EMPTY_KEY], [EMPTY_KEY], [7], [7]], dtype=np.uint64)
    assert candidate_pairs(keys).tolist() == [[2, 3]]


def test_buckets_up_to_max_bucket_give_all_pairs_and_larger_ones_a_star_and_chain():
    keys = np.array([5, 9, 5, 5, 9, 5, 9, 9, 9], dtype=np.uint64)
    assert candidate_pairs(keys, max_bucket=5).tolist() == [
        [0, 2], [0, 3], [0, 5], [1, 4], [1, 6], [1, 7], [1, 8], [2, 3], [2, 5], [3, 5],
        [4, 6], [4, 7], [4, 8], [6, 7], [6, 8], [7, 8],
    ]
    star_and_chain = [[0, 2], [0, 3], [0, 5], [2, 3], [3, 5], [1, 4], [1, 6], [1, 7], [1, 8], [4, 6], [6, 7], [7, 8]]
    assert candidate_pairs(keys, max_bucket=3).tolist() == sorted(star_and_chain)


def test_verify_pairs_fetches_each_first_document_once():
    sets = [u64(1, 2, 3), u64(1, 2, 3, 4), u64(7, 8), u64(1, 2)]
    calls = []

    def hashes_of(i):
        calls.append(i)
        return sets[i]

    pairs = np.array([[0, 1], [0, 3], [1, 3], [2, 3]])
    assert verify_pairs(pairs, hashes_of).tolist() == pytest.approx([3 / 4, 2 / 3, 2 / 4, 0.0])
    assert calls.count(0) == 1 and calls.count(1) == 2
    assert verify_pairs(np.empty((0, 2), dtype=np.int64), hashes_of).shape == (0,)


def _corpus(count: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i}" for i in range(5000)])
    return [" ".join(vocabulary[rng.integers(0, len(vocabulary), 300)]) for _ in range(count)]


def test_planted_near_copies_are_found_and_verified():
    rng = np.random.default_rng(3)
    texts = _corpus(300, seed=2)
    planted = []
    for k in range(60):
        words = texts[k].split()
        for at in rng.choice(len(words), 4, replace=False):   # 4 word edits out of 300: J around 0.88
            words[at] = "edit"
        texts.append(" ".join(words))
        planted.append((k, len(texts) - 1))
    batch = sketch_batch(texts, ngram=5, num_perm=128, seed=1)
    pairs = candidate_pairs(batch.band_keys)
    jaccard = verify_pairs(pairs, batch.hashes_of)
    found = {tuple(p) for p, j in zip(pairs.tolist(), jaccard) if j >= 0.8}
    truth = {p for p in planted if exact_jaccard(batch.hashes_of(p[0]), batch.hashes_of(p[1])) >= 0.8}
    assert len(truth) >= 55 and found == truth
    assert len(pairs) <= len(planted) + 5    # random texts are (almost) never candidates
