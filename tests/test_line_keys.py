import random

import numpy as np

from corpus.line_keys import KEY_SEED, hash_pieces, hash_strings, key_hashes, key_of, pair_hashes, segment_hashes


def _laid_out(lines: list[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    encoded = [line.encode("utf-8", "surrogatepass") for line in lines]
    lengths = np.array([len(e) for e in encoded], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
    return b"\n".join(encoded), starts, starts + lengths


def _non_ascii(lines: list[str]) -> np.ndarray:
    return np.array([not line.isascii() for line in lines], dtype=bool)


def test_key_hashes_are_the_hashes_of_the_keys_however_they_are_made():
    rng = random.Random(3)
    pieces = ["Word", "word", "WORD", "it's", "--", "  ", "\t", "2024", "a_b", "École", "straße", "ſome", "…", "«x»", ",", "."]
    lines = ["".join(rng.choice(pieces) + rng.choice([" ", "", "  "]) for _ in range(rng.randint(1, 60))).strip() or "x"
             for _ in range(400)]
    data, starts, ends = _laid_out(lines)
    hashes = key_hashes(data, starts, ends, _non_ascii(lines), lambda which: [lines[i] for i in which])
    assert (hashes == hash_strings([key_of(line) for line in lines], KEY_SEED)).all()


def test_equal_keys_hash_alike_and_others_apart():
    lines = ["Share this!", "SHARE  this", "share-this", "Share that", "share", "this share"]
    data, starts, ends = _laid_out(lines)
    hashes = key_hashes(data, starts, ends, _non_ascii(lines), lambda which: [lines[i] for i in which]).tolist()
    assert hashes[0] == hashes[1] == hashes[2]
    assert len({hashes[0], *hashes[3:]}) == 4


def test_hashes_depend_on_every_byte_the_seed_and_the_order_of_pairs():
    data = b"abcabdab"
    hashes = segment_hashes(data, np.array([0, 3, 0, 6, 6]), np.array([3, 6, 3, 8, 6]), 1)
    assert hashes[0] == hashes[2] and hashes[0] != hashes[1] and hashes[3] != hashes[4]
    assert segment_hashes(data, np.array([0]), np.array([3]), 2)[0] != hashes[0]
    a, b = hashes[:1], hashes[1:2]
    assert pair_hashes(a, b)[0] != pair_hashes(b, a)[0]


def test_a_piece_hashes_alike_whatever_grid_its_neighbours_need():
    rng = random.Random(5)
    pieces = [bytes(rng.randrange(1, 256) for _ in range(rng.choice([0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 300, 2000])))
              for _ in range(300)]
    together = hash_pieces(pieces, KEY_SEED)
    assert all(together[i] == hash_pieces([piece], KEY_SEED)[0] for i, piece in enumerate(pieces))
    distinct = {piece: h for piece, h in zip(pieces, together.tolist())}
    assert len(set(distinct.values())) == len(distinct)


def test_every_byte_and_the_length_change_the_hash():
    base = bytes(range(1, 41))
    changed = [base[:k] + bytes([base[k] ^ 0x80]) + base[k + 1 :] for k in range(len(base))]
    hashes = hash_pieces([base, *changed, base + b"\0", base[:-1]], KEY_SEED).tolist()
    assert len(set(hashes)) == len(hashes)
