"""Shingles: overlapping word n-grams of a text, hashed to 64-bit integers.

Words are runs of Unicode word characters (`\\w+`) after case folding, so any
language written with spaces between words is handled alike. A text shorter
than n words has its whole word sequence as its single shingle.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """The case-folded words of a text."""
    return WORD.findall(text.casefold())


def shingles(text: str, n: int = 5) -> list[str]:
    """The word n-grams of a text, in order, repeats kept."""
    words = tokens(text)
    if len(words) <= n:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]


def shingle_hashes(text: str, n: int = 5) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of a text's shingles."""
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in shingles(text, n)]
    return np.unique(np.array(hashes, dtype=np.uint64))
