"""Chrome glued to the start of a page's first line, found by what recurs across a corpus.

A page flattened by its crawler can lose the break between its chrome and the article
("Reprints: this copy is for your personal use only. To order copies … visit
www.site.com the treasury department warned …"). The line rules judge whole lines, so
such a line is content to them, and its opening becomes the heading and the one shared
sentence of unrelated reports.

An opening of a page's first line (its words, split at white space, up to a sentence end
or to every STEP-th word; MIN_WORDS to MAX_WORDS of them, with REST_WORDS or more after
them) is chrome when many documents open with it, each going on differently: copies of
one report share what follows too (one continuation), and a quote several reports of one
story open with has as many continuations as the story has reports. So an opening is cut
only when it has `threshold(documents)` distinct continuations or more: as many as a
large story has reports (MIN_CONTINUATIONS, or one per DOCUMENTS_PER_CONTINUATION
documents of a large corpus). Nothing here knows a phrase or a language.

Openings are counted in cleaning's first pass with the lines (`corpus.clean_lines.
LineCounts`): each opening's key (its case-folded words) hashed, with the hash of the
opening before it on the line (its parent; an opening's continuations are its children,
the next opening of each line, one more counted past the last that may be cut). Once the
corpus is counted, `chrome_entries` turns the openings with enough children into entries
of their own; the second pass cuts from each first line the longest opening it finds
there (`cut_openings`).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from typing import Callable

import numpy as np

from corpus.line_keys import hash_pieces, pair_hashes
from corpus.line_shapes import BOILERPLATE_OPENING, SENTENCE_BREAK, Removed

MIN_WORDS = 8              # a shorter opening may be common words ("for the first time")
MAX_WORDS = 64
STEP = 4                   # an opening that ends inside a sentence is cut at a multiple of this many words
REST_WORDS = 20            # an opening is cut only from a line that goes on this long (not from a headline)
MIN_CONTINUATIONS = 8
DOCUMENTS_PER_CONTINUATION = 2000
_SCANNED = MAX_WORDS + STEP + REST_WORDS
_MIN_CHARS = 2 * (MIN_WORDS + REST_WORDS) - 1   # a line with fewer characters has fewer words
OPENING_SEED, CHROME_SEED, DOCUMENTS_SEED = 4, 5, 6
FIRST_LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")
NON_SPACE = re.compile(r"\S+")
DOCUMENTS_KEY = hash_pieces([b""], DOCUMENTS_SEED)[0]   # counted once per document: the corpus's size
ANY_CHROME_KEY = hash_pieces([b""], CHROME_SEED)[0]     # present when some opening is chrome


def threshold(documents: int) -> int:
    """Distinct continuations that make an opening chrome in a corpus of this many documents."""
    return max(MIN_CONTINUATIONS, math.ceil(documents / DOCUMENTS_PER_CONTINUATION))


def _openings(line: str) -> tuple[list[bytes], list[int], int]:
    """A line's openings: the case-folded UTF-8 words each adds to the one before, how many
    words each holds, and how many of them may be cut (the last is one more, a continuation
    only). Words are split at white space (in C: every long first line of a corpus is split)."""
    if len(line) < _MIN_CHARS:
        return [], [], 0
    words = line.split(None, _SCANNED)   # the last piece may hold the rest of the line
    last = min(MAX_WORDS, len(words) - REST_WORDS)   # the longest opening that may be cut
    if last < MIN_WORDS:
        return [], [], 0
    stop = last + STEP   # a STEP-th word follows the last opening that may be cut: its continuation
    text = " ".join(words[:stop])
    breaks = {text.count(" ", 0, match.start(1)) for match in SENTENCE_BREAK.finditer(text)}   # words before each
    ends = sorted(breaks.intersection(range(MIN_WORDS, stop + 1)).union(range(MIN_WORDS, stop + 1, STEP)))
    cut = bisect.bisect_right(ends, last)
    ends = ends[: cut + 1]
    folded = text.lower() if text.isascii() else text.casefold()
    if len(folded) != len(text):   # a character folded to several: the words folded one by one
        folded = " ".join(word.casefold() for word in words[:stop])
        words = folded.split(" ")
    sizes = list(itertools.accumulate(map(len, words[: ends[-1]])))
    bounds = [0, *[sizes[k - 1] + k - 1 for k in ends]]
    return [folded[a:b].encode("utf-8", "surrogatepass") for a, b in zip(bounds, bounds[1:])], ends, cut


def _chained(pieces: list[bytes], depths: np.ndarray) -> np.ndarray:
    """The hash of each opening: its piece's hash mixed with the hash of the opening before it
    (`depths`: 0 for a line's first opening, then 1, 2 …; a line's openings one after another)."""
    hashes = hash_pieces(pieces, OPENING_SEED)
    for depth in range(1, int(depths.max(initial=0)) + 1):
        at = np.flatnonzero(depths == depth)
        hashes[at] = pair_hashes(hashes[at - 1], hashes[at])
    return hashes


def _first_openings(texts: list[str]) -> tuple[list[tuple[int, re.Match, list[int], int, int]], np.ndarray]:
    """For each text whose first line has openings: (the text's index, the line, the words in
    each opening, how many may be cut, where its openings start among all), and the hashes of
    all the openings."""
    found, pieces, depths = [], [], []
    for t, text in enumerate(texts):
        line = FIRST_LINE.search(text)
        keys, ends, cut = _openings(line[0]) if line else ([], [], 0)
        if keys:
            found.append((t, line, ends, cut, len(pieces)))
            pieces += keys
            depths += range(len(keys))
    return found, _chained(pieces, np.array(depths, dtype=np.int64))


def _word_start(line: str, k: int) -> int:
    """Where the k-th word (from 0) of a line split at white space starts."""
    return next(itertools.islice(NON_SPACE.finditer(line), k, None)).start()


def opening_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Pass 1: the hashes of the openings of each text's first line, one per text and
    opening, with each one's parent (0 for the first), and a key counted once per text."""
    found, hashes = _first_openings(texts)
    parents = np.zeros(len(hashes), dtype=np.uint64)
    parents[1:] = hashes[:-1]
    parents[np.array([first for *_, first in found], dtype=np.int64)] = 0
    documents = np.full(len(texts), DOCUMENTS_KEY, dtype=np.uint64)
    return np.concatenate([hashes, documents]), np.concatenate([parents, np.zeros(len(texts), dtype=np.uint64)])


def chrome_entries(hashes: np.ndarray, documents: np.ndarray, parents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Once a corpus is counted (sorted distinct `hashes`, how many `documents` carry each,
    their `parents`): an entry (hash, distinct continuations) for each opening with enough
    continuations to be chrome, and ANY_CHROME_KEY if there is one."""
    at = np.searchsorted(hashes, DOCUMENTS_KEY)
    corpus = int(documents[at]) if at < len(hashes) and hashes[at] == DOCUMENTS_KEY else 0
    openings, children = np.unique(parents[parents > 0], return_counts=True)
    chrome = children >= threshold(corpus)
    if not chrome.any():
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    return (np.append(_chrome_hashes(openings[chrome]), ANY_CHROME_KEY),
            np.append(children[chrome], np.int64(chrome.sum())).astype(np.int64))


def _chrome_hashes(openings: np.ndarray) -> np.ndarray:
    return pair_hashes(openings, np.full(len(openings), CHROME_SEED, dtype=np.uint64))


def cut_openings(texts: list[str], chrome_of: Callable[[np.ndarray], np.ndarray]) -> dict[int, tuple[str, Removed]]:
    """Pass 2: for each text whose first line opens with chrome (`chrome_of(hashes)`: the
    counts of chrome entries, 0 for other hashes), the text without its longest such
    opening, and the opening removed."""
    cut: dict[int, tuple[str, Removed]] = {}
    if not chrome_of(np.array([ANY_CHROME_KEY], dtype=np.uint64))[0]:
        return cut
    found, hashes = _first_openings(texts)
    chrome = chrome_of(_chrome_hashes(hashes)) > 0
    for t, line, ends, count, first in found:
        hits = np.flatnonzero(chrome[first : first + count])
        if len(hits):
            text, begin, end = texts[t], line.start(), line.start() + _word_start(line[0], ends[hits[-1]])
            cut[t] = (text[:begin] + text[end:], Removed(text[begin:end].strip(), BOILERPLATE_OPENING))
    return cut
