import random

import numpy as np

from corpus import line_keys
from corpus.line_keys import KEY_SEED, hash_bytes, hash_strings, key_hashes, key_of, pair_hashes


def _laid_out(lines: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    encoded = [line.encode("utf-8", "surrogatepass") for line in lines]
    lengths = np.array([len(e) for e in encoded], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
    return np.frombuffer(b"\n".join(encoded), dtype=np.uint8), starts, starts + lengths


def _non_ascii(lines: list[str]) -> np.ndarray:
    return np.array([not line.isascii() for line in lines], dtype=bool)


def test_key_hashes_are_the_hashes_of_the_keys_however_they_are_made():
    rng = random.Random(3)
    pieces = ["Word", "word", "WORD", "it's", "--", "  ", "\t", "2024", "a_b", "École", "straße", "ſome", "…", "«x»", ",", "."]
    lines = ["".join(rng.choice(pieces) + rng.choice([" ", "", "  "]) for _ in range(rng.randint(1, 12))).strip() or "x"
             for _ in range(400)]
    data, starts, ends = _laid_out(lines)
    assert (key_hashes(data, starts, ends, _non_ascii(lines), lambda which: [lines[i] for i in which]) == hash_strings([key_of(line) for line in lines], KEY_SEED)).all()


def test_equal_keys_hash_alike_and_others_apart():
    lines = ["Share this!", "SHARE  this", "share-this", "Share that", "share", "this share"]
    data, starts, ends = _laid_out(lines)
    hashes = key_hashes(data, starts, ends, _non_ascii(lines), lambda which: [lines[i] for i in which]).tolist()
    assert hashes[0] == hashes[1] == hashes[2]
    assert len({hashes[0], *hashes[3:]}) == 4


def test_hashes_depend_on_every_byte_the_seed_and_the_order_of_pairs():
    data = np.frombuffer(b"abcabdab", dtype=np.uint8)
    hashes = hash_bytes(data, np.array([0, 3, 0, 6, 6]), np.array([3, 6, 3, 8, 6]), 1)
    assert hashes[0] == hashes[2] and hashes[0] != hashes[1] and hashes[3] != hashes[4]
    assert hash_bytes(data, np.array([0]), np.array([3]), 2)[0] != hashes[0]
    a, b = hashes[:1], hashes[1:2]
    assert pair_hashes(a, b)[0] != pair_hashes(b, a)[0]


def test_long_segments_grow_the_table_of_powers():
    text = "word " * 5000
    assert hash_strings([text], KEY_SEED)[0] != hash_strings([text + "x"], KEY_SEED)[0]
    assert len(line_keys._powers) >= len(text)
