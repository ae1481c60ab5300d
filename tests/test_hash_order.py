"""Stable orders of 64-bit hashes: numpy's stable argsort, sooner."""

import numpy as np

from corpus import hash_order


def test_stable_order_is_the_stable_argsort_also_when_high_bits_collide():
    rng = np.random.default_rng(5)
    hashes = rng.integers(0, 2**64 - 1, 3000, dtype=np.uint64, endpoint=True)[rng.integers(0, 3000, 5000)]
    order, ordered = hash_order.stable_order(hashes)
    assert np.array_equal(order, np.argsort(hashes, kind="stable")) and np.array_equal(ordered, np.sort(hashes))
    alike = np.array([0xABC0000000000005, 0xABC0000000000001, 7, 0xABC0000000000001, 0xABC0000000000003],
                     dtype=np.uint64)                       # equal above the low 3 bits the positions take
    order, ordered = hash_order.stable_order(alike)
    assert order.tolist() == np.argsort(alike, kind="stable").tolist() == [2, 1, 3, 4, 0]
    for spread in (40, 1 << 20):                          # every key, or many runs of keys, alike in high bits
        small = rng.integers(0, spread, 5000, dtype=np.uint64) | np.uint64(spread << 40)
        order, ordered = hash_order.stable_order(small)
        assert np.array_equal(order, np.argsort(small, kind="stable")) and np.array_equal(ordered, np.sort(small))
