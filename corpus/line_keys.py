"""Line keys and their 64-bit hashes, made for many lines at once.

Cleaning compares lines across a corpus by their key: the line's case-folded
words joined by single spaces. Making each key as a string and hashing it with
a hash object cost more than everything else cleaning counts; here the keys of
a batch's ASCII lines are made from the batch's UTF-8 bytes with numpy (a table
lower-cases and blanks the separators, a mask keeps one space between words)
and every key is hashed in one pass: a polynomial over random byte codes,
modulo 2^64, then mixed (splitmix64's finaliser). Lines with other characters
get their keys from `key_of` (Unicode case folding), hashed the same way, so
equal keys always hash alike, whichever way they were made.

The hashes are compared only within one run (they are never stored), and
`hash_bytes` is the single definition every counted hash goes through (keys,
labels, and lines with the line before them, each under its own seed).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from corpus.line_shapes import WORD

_ASCII_WORD = bytes(b for b in range(0x80) if chr(b).isalnum() or b == ord("_"))
_ASCII_NON_WORD_TO_SPACE = bytes(b if b in _ASCII_WORD or b >= 0x80 else 0x20 for b in range(256))
# Lower-cased ASCII word bytes as they are, newlines kept, every other ASCII byte a space.
_FOLD = np.frombuffer(bytes(
    0x0A if b == 0x0A else (ord(chr(b).lower()) if b in _ASCII_WORD else b if b >= 0x80 else 0x20) for b in range(256)
), dtype=np.uint8)
_SPACE, _NEWLINE = 0x20, 0x0A

# Fixed random codes, so that hashes agree between processes and runs.
_CODES = np.random.default_rng(0x5A3E5707).integers(0, 2**64, size=256, dtype=np.uint64)
_BASE = np.uint64(0x9E3779B97F4A7C15)
KEY_SEED, LABEL_SEED, LINE_SEED = 1, 2, 3
_powers = np.ones(1, dtype=np.uint64)


def key_of(line: str) -> str:
    """A line's key: its case-folded words joined by single spaces."""
    if line.isascii():
        return b" ".join(line.encode().lower().translate(_ASCII_NON_WORD_TO_SPACE).split()).decode()
    return " ".join(WORD.findall(line.casefold()))


def _powers_of_base(n: int) -> np.ndarray:
    """_BASE ** k modulo 2^64 for k < n (at least)."""
    global _powers
    if len(_powers) < n:
        grown = np.full(max(n, 2 * len(_powers)), _BASE, dtype=np.uint64)
        grown[0] = 1
        _powers = np.multiply.accumulate(grown)   # wraps modulo 2^64
    return _powers


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of the result depends on every bit of the input."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def hash_bytes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray, seed: int) -> np.ndarray:
    """A 64-bit hash of each segment data[starts[i]:ends[i]] of a uint8 array."""
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    lengths = ends - starts
    return _hash_tiled(data[_positions(starts, lengths)], lengths, seed)


def _positions(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions of the bytes of the segments starts[i]:starts[i] + lengths[i], in order."""
    first = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=first[1:])
    return np.arange(first[-1], dtype=np.int64) + np.repeat(starts - first[:-1], lengths)


def _hash_tiled(data: np.ndarray, lengths: np.ndarray, seed: int) -> np.ndarray:
    """The hashes of the consecutive segments of these lengths that make up `data`."""
    sums = np.zeros(len(lengths), dtype=np.uint64)
    filled = lengths > 0
    if filled.any():
        first = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=first[1:])
        position = np.arange(first[-1], dtype=np.int64) - np.repeat(first[:-1], lengths)   # within its segment
        sums[filled] = np.add.reduceat(_CODES[data] * _powers_of_base(int(lengths.max()))[position], first[:-1][filled])
    return _mix(sums ^ (lengths.astype(np.uint64) * _BASE) ^ np.uint64(seed))


def hash_strings(texts: list[str], seed: int) -> np.ndarray:
    """`hash_bytes` of each text's UTF-8 bytes."""
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    return _hash_tiled(np.frombuffer(b"".join(encoded), dtype=np.uint8), lengths, seed)


def pair_hashes(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One hash of each pair of hashes (order matters)."""
    return _mix(first * _BASE + _mix(second))


def key_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray, non_ascii: np.ndarray,
               texts_of: Callable[[np.ndarray], list[str]]) -> np.ndarray:
    """`hash_strings([key_of(line)], KEY_SEED)` of the lines whose UTF-8 bytes are
    data[starts:ends]: ASCII lines' keys made from their bytes, the others' (`non_ascii`)
    by case folding their texts (`texts_of(indices)`)."""
    hashes = np.zeros(len(starts), dtype=np.uint64)
    ascii_at = np.flatnonzero(~non_ascii)
    if len(ascii_at):
        hashes[ascii_at] = _ascii_key_hashes(data, starts[ascii_at], ends[ascii_at])
    other = np.flatnonzero(non_ascii)
    if len(other):
        hashes[other] = hash_strings([key_of(text) for text in texts_of(other)], KEY_SEED)
    return hashes


def _ascii_key_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The key hashes of ASCII segments: lower-cased words, one space between them."""
    lengths = ends - starts + 1   # and the byte after each, read as a newline
    first = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=first[1:])
    position = _positions(starts, lengths)
    np.minimum(position, len(data) - 1, out=position)
    folded = _FOLD[data[position]]
    folded[first[1:] - 1] = _NEWLINE
    word = (folded != _SPACE) & (folded != _NEWLINE)
    gaps = np.flatnonzero((folded[1:] == _SPACE) & word[:-1]) + 1   # a space after a word
    solid = np.flatnonzero(folded != _SPACE)
    following = solid[np.searchsorted(solid, gaps)]                   # a newline ends every segment
    keep = word
    keep[gaps[word[following]]] = True                                # a space between two words
    kept = np.add.reduceat(keep, first[:-1], dtype=np.int32).astype(np.int64)   # the key's bytes of each segment
    return _hash_tiled(folded[keep], kept, KEY_SEED)
