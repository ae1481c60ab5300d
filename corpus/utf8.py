"""UTF-8 text as numpy byte arrays: the code points of characters found by
their lead bytes, shared by the term stage and the line work of cleaning."""

from __future__ import annotations

import numpy as np

PADDING = 3   # bytes after the end, so that a lead byte's continuation bytes can always be read


def padded(data: np.ndarray) -> np.ndarray:
    """The bytes with PADDING zero bytes after them, as `code_points` reads them."""
    return np.concatenate([data, np.zeros(PADDING, dtype=np.uint8)])


def code_points(data: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The code points of the UTF-8 characters starting at bytes `at` (data padded by PADDING bytes)."""
    b0 = data[at].astype(np.int32)
    b1, b2, b3 = (data[at + k].astype(np.int32) & 0x3F for k in (1, 2, 3))
    return np.where(b0 < 0x80, b0, np.where(
        b0 >= 0xF0, (b0 & 0x07) << 18 | b1 << 12 | b2 << 6 | b3,
        np.where(b0 >= 0xE0, (b0 & 0x0F) << 12 | b1 << 6 | b2, (b0 & 0x1F) << 6 | b1)))
