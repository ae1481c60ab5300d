"""Line keys and their 64-bit hashes, made for many lines at once.

Cleaning compares lines across a corpus by their key: the line's case-folded
words joined by single spaces. An ASCII line's key is made from its bytes with
three C-level calls (one table lower-cases it and blanks the separators, then
split and join); other lines get theirs from `key_of` (Unicode case folding).
Every key of a batch is then hashed in one pass: the keys zero-padded to whole
8-byte words and laid end to end (no grid as wide as the longest key), each word
mixed with a code of its column within its key (splitmix64's finaliser), the
words of a key summed, the sum mixed again with the key's length and a seed. Equal bytes always hash alike, whichever way they were made.

The hashes are compared only within one run (they are never stored), and
`hash_pieces` is the single definition every counted hash goes through (keys,
labels, and lines with the line before them, each under its own seed).
"""

from __future__ import annotations

import functools
from itertools import repeat
from typing import Callable

import numpy as np

from corpus.line_shapes import WORD

_ASCII_WORD = bytes(b for b in range(0x80) if chr(b).isalnum() or b == ord("_"))
# Lower-cased ASCII word bytes as they are, every other ASCII byte a space.
_FOLD = bytes(ord(chr(b).lower()) if b in _ASCII_WORD else b if b >= 0x80 else 0x20 for b in range(256))
_FOLD_LINES = _FOLD[:0x0A] + b"\n" + _FOLD[0x0B:]   # newlines kept
_BASE = np.uint64(0x9E3779B97F4A7C15)
_MIN_COLUMNS = 512   # column codes made at least this many at once (powers of two: few sizes cached)
KEY_SEED, LABEL_SEED, LINE_SEED, NEXT_LINE_SEED, END_SEED = 1, 2, 3, 4, 5


def key_of(line: str) -> str:
    """A line's key: its case-folded words joined by single spaces."""
    if line.isascii():
        return b" ".join(line.encode().translate(_FOLD).split()).decode()
    return " ".join(WORD.findall(line.casefold()))


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of the result depends on every bit of the input."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


@functools.cache
def _column_codes(columns: int) -> np.ndarray:
    """A fixed pseudo-random code for each column of 8-byte words (the first `columns`, at least
    a few hundred, made once)."""
    return _mix((np.arange(columns, dtype=np.uint64) + np.uint64(1)) * _BASE)


def hash_pieces(pieces: list[bytes], seed: int) -> np.ndarray:
    """A 64-bit hash of each piece of bytes: the pieces zero-padded to whole 8-byte words and
    laid end to end, each word mixed with the code of its column in its piece, summed per piece."""
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    sums = np.zeros(len(pieces), dtype=np.uint64)
    counts = (lengths + 7) // 8
    total = int(counts.sum())
    if total:
        words = np.frombuffer(b"".join(map(bytes.ljust, pieces, (counts * 8).tolist(), repeat(b"\0"))), dtype=np.uint64)
        firsts = np.cumsum(counts) - counts
        columns = np.arange(total) - np.repeat(firsts, counts)
        codes = _column_codes(max(_MIN_COLUMNS, 1 << int(counts.max() - 1).bit_length()))
        filled = counts > 0
        sums[filled] = np.add.reduceat(_mix(words ^ codes[columns]), firsts[filled])
    return _mix(sums ^ (lengths.astype(np.uint64) * _BASE) ^ np.uint64(seed))


def hash_strings(texts: list[str], seed: int) -> np.ndarray:
    """`hash_pieces` of each text's UTF-8 bytes."""
    return hash_pieces(list(map(str.encode, texts, repeat("utf-8"), repeat("surrogatepass"))), seed)


def segment_hashes(data: bytes, starts: np.ndarray, ends: np.ndarray, seed: int) -> np.ndarray:
    """`hash_pieces` of each segment data[starts[i]:ends[i]]."""
    return hash_pieces(list(map(data.__getitem__, map(slice, starts.tolist(), ends.tolist()))), seed)


def pair_hashes(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One hash of each pair of hashes (order matters)."""
    return _mix(first * _BASE + _mix(second))


def _collapsed_lines(folded: bytes) -> list[bytes]:
    """The lines of folded bytes (word bytes and spaces, lines split by newlines) with each run
    of spaces between two words made one space and the others dropped: what a split and a
    join give line by line, made with array operations on all the lines at once."""
    data = np.frombuffer(folded, dtype=np.uint8)
    space = data == 0x20
    padded_space = np.zeros(len(data) + 2, dtype=bool)   # byte i at i + 1, no space around
    padded_space[1:-1] = space
    word = np.zeros(len(data) + 2, dtype=bool)
    word[1:-1] = ~space & (data != 0x0A)
    first = np.flatnonzero(space & ~padded_space[:-2])   # runs of spaces: where they start, where they end
    last = np.flatnonzero(space & ~padded_space[2:])
    keep = ~space
    keep[first[word[first] & word[last + 2]]] = True
    return data[keep].tobytes().split(b"\n")


def key_hashes(data: bytes, starts: np.ndarray, ends: np.ndarray, non_ascii: np.ndarray,
               texts_of: Callable[[np.ndarray], list[str]]) -> np.ndarray:
    """`hash_strings([key_of(line)], KEY_SEED)` of the lines whose UTF-8 bytes are
    data[starts:ends]: ASCII lines' keys made from their bytes, the others' (`non_ascii`)
    by case folding their texts (`texts_of(indices)`)."""
    folded = b"\n".join(map(data.__getitem__, map(slice, starts.tolist(), ends.tolist()))).translate(_FOLD_LINES)
    keys = _collapsed_lines(folded) if len(starts) else []
    other = np.flatnonzero(non_ascii)
    for i, text in zip(other.tolist(), texts_of(other)):
        keys[i] = " ".join(WORD.findall(text.casefold())).encode("utf-8", "surrogatepass")
    return hash_pieces(keys, KEY_SEED)
