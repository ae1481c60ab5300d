"""Line keys and their 64-bit hashes, made for many lines at once.

Cleaning compares lines across a corpus by their key: the line's case-folded
words joined by single spaces. An ASCII line's key is made from its bytes with
three C-level calls (one table lower-cases it and blanks the separators, then
split and join); other lines get theirs from `key_of` (Unicode case folding).
Every key of a batch is then hashed in one pass over a grid: the keys as rows of
zero-padded 8-byte words (rows grouped by width, so that one long key does not
widen them all), each word mixed with a code of its column (splitmix64's
finaliser), the row summed, the sum mixed again with the key's length and a
seed. Equal bytes always hash alike, whichever way they were made.

The hashes are compared only within one run (they are never stored), and
`hash_pieces` is the single definition every counted hash goes through (keys,
labels, and lines with the line before them, each under its own seed).
"""

from __future__ import annotations

from itertools import repeat
from typing import Callable

import numpy as np

from corpus.line_shapes import WORD

_ASCII_WORD = bytes(b for b in range(0x80) if chr(b).isalnum() or b == ord("_"))
# Lower-cased ASCII word bytes as they are, every other ASCII byte a space.
_FOLD = bytes(ord(chr(b).lower()) if b in _ASCII_WORD else b if b >= 0x80 else 0x20 for b in range(256))
_FOLD_LINES = _FOLD[:0x0A] + b"\n" + _FOLD[0x0B:]   # newlines kept
_BASE = np.uint64(0x9E3779B97F4A7C15)
_WIDTHS = (16, 64, 256, 1024)   # bytes per row of the grids that shorter keys are laid out in
KEY_SEED, LABEL_SEED, LINE_SEED = 1, 2, 3


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


def _column_codes(columns: int) -> np.ndarray:
    """A fixed pseudo-random code for each column of 8-byte words."""
    return _mix((np.arange(columns, dtype=np.uint64) + np.uint64(1)) * _BASE)


def hash_pieces(pieces: list[bytes], seed: int) -> np.ndarray:
    """A 64-bit hash of each piece of bytes."""
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    sums = np.zeros(len(pieces), dtype=np.uint64)
    width_of = np.searchsorted(np.array(_WIDTHS), lengths)   # the narrowest grid each piece fits
    for group in range(len(_WIDTHS) + 1):
        rows = np.flatnonzero(width_of == group)
        if not len(rows):
            continue
        row_lengths = lengths[rows]
        width = _WIDTHS[group] if group < len(_WIDTHS) else -(-int(row_lengths.max()) // 8) * 8
        grid = np.zeros((len(rows), width), dtype=np.uint8)
        grid[np.arange(width) < row_lengths[:, None]] = np.frombuffer(b"".join(map(pieces.__getitem__, rows.tolist())),
                                                                      dtype=np.uint8)
        words = grid.view(np.uint64)
        used = np.arange(width // 8) < (row_lengths[:, None] + 7) // 8
        sums[rows] = np.where(used, _mix(words ^ _column_codes(width // 8)), np.uint64(0)).sum(axis=1, dtype=np.uint64)
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


def key_hashes(data: bytes, starts: np.ndarray, ends: np.ndarray, non_ascii: np.ndarray,
               texts_of: Callable[[np.ndarray], list[str]]) -> np.ndarray:
    """`hash_strings([key_of(line)], KEY_SEED)` of the lines whose UTF-8 bytes are
    data[starts:ends]: ASCII lines' keys made from their bytes, the others' (`non_ascii`)
    by case folding their texts (`texts_of(indices)`)."""
    folded = b"\n".join(map(data.__getitem__, map(slice, starts.tolist(), ends.tolist()))).translate(_FOLD_LINES)
    keys = list(map(b" ".join, map(bytes.split, folded.split(b"\n")))) if len(starts) else []
    other = np.flatnonzero(non_ascii)
    for i, text in zip(other.tolist(), texts_of(other)):
        keys[i] = " ".join(WORD.findall(text.casefold())).encode("utf-8", "surrogatepass")
    return hash_pieces(keys, KEY_SEED)
