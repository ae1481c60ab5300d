"""Shingles: overlapping word n-grams of a text, hashed to 64-bit integers.

Words are runs of Unicode word characters (`\\w+`, underscore included) after
case folding, so any language written with spaces between words is handled
alike. A text with fewer than n words has its whole word sequence as its
single shingle; a text without words has no shingles.

Batch API (what worker processes call; pure functions of their arguments):

    batch_shingle_hashes(texts, n) -> (flat, offsets)

`flat[offsets[i]:offsets[i + 1]]` are the sorted, distinct shingle hashes of
`texts[i]`, exactly `shingle_hashes(texts[i], n)`. The words of a chunk of
texts (`chunk_words`) serve the story stage's terms too (`corpus.terms`), so
a text is tokenised once.

What is computed how (all arithmetic is uint64 and wraps modulo 2**64):

* token hash: the UTF-8 bytes c_0..c_{L-1} of a case-folded word give the
  polynomial p = sum(c_i * BASE**i), then `mix(p)` (the splitmix64 finalizer).
* shingle hash: for the word hashes t_0..t_{m-1} of a shingle (m = n, or fewer
  for a short text), `mix(sum(t_j * POSITION[j]))`, POSITION being fixed odd
  constants, so word order matters.

The batch is vectorized over the concatenated UTF-8 bytes of many texts: word
bytes are found with a code-point table equal to `re`'s `\\w` (a bit of
`corpus.term_characters`' flags, which the term stage reads from `Words` too),
the polynomial of every word comes from one multiplication by powers of BASE
and one cumulative sum, and shingles combine n shifted copies of the word hashes.
Nothing depends on Python's randomized `hash()`: the values are the same in
every process and on every platform.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from corpus.term_characters import WORD as WORD_BIT, byte_flags

WORD = re.compile(r"\w+")

BASE = np.uint64(0x100000001B3 * 2 + 1)   # odd, so invertible modulo 2**64
CHUNK_BYTES = 1 << 18                     # texts are hashed in chunks of about this many bytes (256 KB: 10-15% faster than 128 KB, 1 MB slower)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


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
    return batch_shingle_hashes([text], n)[0]


def batch_shingle_hashes(texts: Sequence[str], n: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Every text's sorted, distinct shingle hashes, concatenated: (flat uint64, offsets int64 of len N+1)."""
    if n < 1:
        raise ValueError("shingle size n must be at least 1")
    return joined_shingle_hashes((chunk_shingle_hashes(words, n) for _, words in chunk_words([folded(t) for t in texts])),
                                 len(texts))


def joined_shingle_hashes(chunks, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The (flat, offsets) of consecutive chunks of texts as one (flat, offsets) of `count` texts."""
    parts, counts = [], []
    for flat, offsets in chunks:
        parts.append(flat)
        counts.append(np.diff(offsets))
    offsets = np.zeros(count + 1, dtype=np.int64)
    if counts:
        np.cumsum(np.concatenate(counts), out=offsets[1:])
    return (np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)), offsets


@dataclass
class Words:
    """The words of a chunk of case-folded texts, found once for every stage that needs them.

    `data` holds b" " + the texts' UTF-8 bytes joined by b" " + padding; word k
    is data[starts[k]:ends[k]] with hash hashes[k]; the words of text i are
    offsets[i]:offsets[i + 1], and text i starts at byte text_starts[i]."""

    data: np.ndarray
    flags: np.ndarray             # `corpus.term_characters.byte_flags` of data (the term stage reads them too)
    starts: np.ndarray
    ends: np.ndarray
    hashes: np.ndarray
    offsets: np.ndarray
    text_starts: np.ndarray
    _prefix: np.ndarray
    _inverse_powers: np.ndarray

    def span_hashes(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """The hash of data[start:end] for each span, as a word of those bytes would get."""
        at_starts = np.take(self._prefix, starts - 1)
        return mix((np.take(self._prefix, ends - 1) - at_starts) * np.take(self._inverse_powers, starts))


def chunk_words(folded_texts: Sequence[bytes]) -> Iterator[tuple[int, Words]]:
    """(index of the chunk's first text, its words) for consecutive chunks of
    about CHUNK_BYTES of case-folded texts (`folded`)."""
    first = 0
    for chunk in _chunks(folded_texts):
        yield first, _words(chunk)
        first += len(chunk)


def mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finalizer, a bijection on uint64 that spreads every input bit over the output."""
    out = x >> _S30
    out ^= x
    out *= _M1
    shifted = out >> _S27
    out ^= shifted
    out *= _M2
    np.right_shift(out, _S31, out=shifted)
    out ^= shifted
    return out


def position_constants(count: int) -> np.ndarray:
    """The odd multipliers POSITION[0..count) that make shingle hashes depend on word order."""
    return mix(np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)


def _chunks(encoded: Sequence[bytes]):
    """Consecutive runs of encoded texts of about CHUNK_BYTES in total (one text if it is larger)."""
    start, size = 0, 0
    for i, data in enumerate(encoded):
        if size and size + len(data) > CHUNK_BYTES:
            yield encoded[start:i]
            start, size = i, 0
        size += len(data) + 1
    if start < len(encoded) or not encoded:
        yield encoded[start:]


def folded(text: str) -> bytes:
    """A text case-folded, in UTF-8 (for ASCII, folding is lower-casing the bytes: several times faster)."""
    return text.encode().lower() if text.isascii() else text.casefold().encode("utf-8", "surrogatepass")


def chunk_shingle_hashes(chunk: Words, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted, distinct shingle hashes of a chunk's texts: (flat, offsets into flat)."""
    return _sorted_distinct(*window_hashes(chunk.hashes, chunk.offsets, n))


def window_hashes(token_hashes: np.ndarray, token_offsets: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The hash of every window of n words inside one text (texts: `token_offsets` into
    `token_hashes`), in text and word order, repeats kept; and how many each text has."""
    words = np.diff(token_offsets)
    starts, ends = token_offsets[:-1], token_offsets[1:]
    # summed[k] = sum_j token_hashes[k + j] * POSITION[j], kept where a window
    # of n words starts inside one text. A short text (fewer than n words)
    # keeps instead the partial sum over all its words, at its first word.
    position = position_constants(n)
    total = len(token_hashes)
    summed = token_hashes * position[0]
    window_start = np.ones(total, dtype=bool)
    short = (words > 0) & (words < n)
    short_sums = np.zeros(len(words), dtype=np.uint64)
    for j in range(n):
        if j:
            summed[: max(total - j, 0)] += token_hashes[j:] * position[j]
            last = ends - j
            window_start[last[last >= starts]] = False
        ends_here = short & (words == j + 1)
        short_sums[ends_here] = summed[starts[ends_here]]
    summed[starts[short]] = short_sums[short]
    window_start[starts[short]] = True
    per_text = np.where(words >= n, words - n + 1, short.astype(np.int64))
    return mix(summed[window_start]), per_text


def _sorted_distinct(values: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort each text's run of values and drop repeats; returns (flat, offsets)."""
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist()):
        if b - a > 1:
            values[a:b].sort()
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    keep[offsets[:-1][counts > 0]] = True
    kept_before = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept_before[1:])
    return values[keep], kept_before[offsets]


def _words(encoded: list[bytes]) -> Words:
    """The words of UTF-8 texts and their hashes (module notes)."""
    buffer = b" " + b" ".join(encoded) + b"    "   # spaces: no word spans texts; room to read 3 bytes ahead
    data = np.frombuffer(buffer, dtype=np.uint8)
    flags = byte_flags(data)
    is_word = np.bitwise_and(flags, WORD_BIT).view(np.bool_)   # WORD_BIT is bit 0: 0 or 1, a bool as it is
    edges = np.flatnonzero(is_word[1:] != is_word[:-1]) + 1   # alternately word start, word end
    word_starts = edges[0::2]
    powers, inverse_powers = _powers(len(data))
    prefix = np.multiply(data, powers, dtype=np.uint64)     # one pass, no uint64 copy of the bytes first
    np.cumsum(prefix, out=prefix)   # prefix[i] = sum of data[k] * BASE**k for k <= i
    at_edges = np.take(prefix, edges - 1)
    hashes = mix((at_edges[1::2] - at_edges[0::2]) * np.take(inverse_powers, word_starts))
    text_starts = np.ones(len(encoded), dtype=np.int64)
    if len(encoded) > 1:
        np.cumsum(np.fromiter((len(e) + 1 for e in encoded[:-1]), dtype=np.int64, count=len(encoded) - 1), out=text_starts[1:])
        text_starts[1:] += 1
    offsets = np.empty(len(encoded) + 1, dtype=np.int64)
    offsets[:-1] = np.searchsorted(word_starts, text_starts)
    offsets[-1] = len(word_starts)
    return Words(data, flags, word_starts, edges[1::2], hashes, offsets, text_starts, prefix, inverse_powers)


@functools.cache
def _cached_powers() -> tuple[np.ndarray, np.ndarray]:
    return _compute_powers(CHUNK_BYTES * 2)


def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < size (cached for ordinary chunk sizes)."""
    if size <= CHUNK_BYTES * 2:
        powers, inverse = _cached_powers()
        return powers[:size], inverse[:size]
    return _compute_powers(size)


def _compute_powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    inverse_base = pow(int(BASE), -1, 1 << 64)
    powers = np.full(size, BASE, dtype=np.uint64)
    inverse = np.full(size, np.uint64(inverse_base), dtype=np.uint64)
    powers[0] = inverse[0] = 1
    np.cumprod(powers, out=powers)
    np.cumprod(inverse, out=inverse)
    return powers, inverse
