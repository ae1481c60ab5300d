"""Chrome glued to the start of a page that lost its line breaks, found by what recurs across a corpus.

A page flattened by its crawler can lose the break between its chrome and the article
("Reprints: this copy is for your personal use only. To order copies … visit
www.site.com the treasury department warned …"). The line rules judge whole lines, so
such a line is content to them, and its opening becomes the heading and the one shared
sentence of unrelated reports. Only such pages are read here: those whose first line
holds at least half of them (a page that kept its breaks has its chrome on lines of
its own, and costs nothing here).

An opening of that line (its words, split at white space, up to a sentence end or to
every STEP-th word; MIN_WORDS to MAX_WORDS of them, with REST_WORDS or more after them)
is chrome when many documents open with it, each going on differently: copies of one
report share what follows too (one continuation), and a quote several reports of one
story open with has as many continuations as the story has reports. So an opening is
cut only when it has `threshold(documents)` distinct continuations or more: as many as
a large story has reports (MIN_CONTINUATIONS, or one per DOCUMENTS_PER_CONTINUATION
documents of a large corpus). Nothing here knows a phrase or a language.

A shorter opening (SHORT_WORDS to MIN_WORDS - 1 words, every length) may be common words
("for the first time", "the council of district"), so it is cut only when, besides its
continuations, its pages rarely use its words again further on (at most 1/FAMILIAR_SHARE of
them use half its words: a player's buttons, "play facebook twitter embed", a picture's
credit, "image copyright afp image caption"), it holds at least 1/FIXED_SHARE of the pages
its words but its last open (its last word is chrome's, not an article's first: "washington
(ap) — the" holds a third of "washington (ap) —") and its last word opens in no capital after
a word in lower case (a sentence starts there). The openings of HEAD_WORDS words are counted
for that, never cut.

Openings are counted in cleaning's first pass with the lines (`corpus.clean_lines.
LineCounts`): each opening (its words, ASCII letters lower-cased) hashed, with the hash
of the opening before it on the line (its parent; an opening's continuations are its
children, the next opening of each line, one more counted past the last that may be
cut), and the first words each child adds (its lead: an opening that ends inside a
sentence ends on a multiple of STEP words, and the words after it up to the next one that
all its continuations begin with are chrome too). Once the corpus is counted,
`chrome_entries` turns the openings with enough children into entries of their own; the
second pass cuts from each first line the longest opening it finds there, with the words
after it its continuations all begin with, when the line has them (`cut_openings`). The openings of a batch are found at
once, on one buffer of its first lines (`openings`).
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Callable, NamedTuple

import numpy as np

from corpus.line_keys import hash_pieces, pair_hashes
from corpus.line_shapes import BOILERPLATE_OPENING, CLOSERS, Removed

MIN_WORDS = 8              # a shorter opening may be common words ("for the first time"): see SHORT_WORDS
SHORT_WORDS = 4            # a shorter one is cut only when its words are foreign to the pages it opens (`_foreign`)
HEAD_WORDS = SHORT_WORDS - 1   # openings of this many words are counted, never cut: a short opening's parent
FIXED_SHARE = 2            # a short opening holds at least 1/FIXED_SHARE of the documents its parent opens
FAMILIAR_SHARE = 3         # ... and at most 1/FAMILIAR_SHARE of them use half its words again further on
MAX_WORDS = 48
STEP = 4                   # an opening that ends inside a sentence is cut at a multiple of this many words
REST_WORDS = 20            # an opening is cut only from a line that goes on this long (not from a headline)
MIN_CONTINUATIONS = 8
DOCUMENTS_PER_CONTINUATION = 2000
LEAD_WORDS = STEP - 1      # the words after a chrome opening that all its continuations begin with are cut too
_MIN_CHARS = 2 * (SHORT_WORDS + REST_WORDS) - 1   # a line with fewer characters has fewer words
OPENING_SEED, CHROME_SEED, DOCUMENTS_SEED, FAMILIAR_SEED, FOREIGN_SEED = 4, 5, 6, 7, 8
LINE_CHARS = 600           # a first line is read this far (the words of a longest opening and those after it)
_SPACE_BYTES = np.isin(np.arange(256), list(b" \t\v\f\n"))   # white space, and the newlines between lines
TERMINAL_BYTES = tuple(mark.encode() for mark in ".!?…。！？।")
CLOSER_BYTES = tuple(mark.encode() for mark in CLOSERS)
_LAST_BYTES = np.isin(np.arange(256), [mark[-1] for mark in TERMINAL_BYTES + CLOSER_BYTES])
NON_SPACE = re.compile(r"[^ \t\v\f]+")
WORD = re.compile(r"\w+")
DOCUMENTS_KEY = hash_pieces([b""], DOCUMENTS_SEED)[0]   # counted once per document: the corpus's size
ANY_CHROME_KEY = hash_pieces([b""], CHROME_SEED)[0]     # present when some opening is chrome


def threshold(documents: int) -> int:
    """Distinct continuations that make an opening chrome in a corpus of this many documents."""
    return max(MIN_CONTINUATIONS, math.ceil(documents / DOCUMENTS_PER_CONTINUATION))


def _first_lines(texts: list[str]) -> tuple[list[int], list[tuple[int, str]]]:
    """The texts that lost their line breaks (their first line holds at least half of them,
    and is long enough to hold an opening), where that line starts and its first LINE_CHARS
    characters. A page that kept its breaks has its chrome on lines of its own."""
    at, lines = [], []
    for t, text in enumerate(texts):
        start = len(text) - len(text.lstrip()) if text[:1].isspace() else 0
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        carriage = text.find("\r", start, end)
        end = end if carriage < 0 else carriage
        if end - start >= _MIN_CHARS and 2 * (end - start) >= len(text) - start:
            at.append(t)
            lines.append((start, text[start : min(end, start + LINE_CHARS)]))
    return at, lines


def _ending(data: np.ndarray, last: np.ndarray, marks: tuple[bytes, ...]) -> np.ndarray:
    """Where the words whose last bytes are at `last` end with one of the marks, and how long it is."""
    length = np.zeros(len(last), dtype=np.int64)
    for mark in marks:
        found = last >= len(mark) - 1
        for back, byte in enumerate(reversed(mark)):
            found &= data[np.maximum(last - back, 0)] == byte
        length[found] = len(mark)
    return length


class Openings(NamedTuple):
    """The openings of a batch's first lines, a line's one after another."""

    texts: np.ndarray     # the text each opening opens
    words: np.ndarray     # how many words it holds
    may_cut: np.ndarray   # whether it may be cut (else it is the continuation of the one before)
    first: np.ndarray     # whether it is its line's first
    hashes: np.ndarray    # the hash of its words, ASCII letters lower-cased (with those of the openings before it)
    leads: np.ndarray     # the words it adds to the one before but its last, up to LEAD_WORDS (`_leads`)
    lines: dict[int, tuple[int, str]]   # each text's first line: where it starts, its first LINE_CHARS characters


def openings(texts: list[str]) -> Openings:
    """The openings of the texts' first lines, found for all at once on one buffer of them
    (UTF-8, ASCII letters lower-cased)."""
    at, lines = _first_lines(texts)
    encoded = "\n".join(line for _, line in lines).encode("utf-8", "surrogatepass")
    data = np.frombuffer(encoded.lower(), dtype=np.uint8)   # ASCII letters only
    space = _SPACE_BYTES[data]
    begins = np.flatnonzero(~space & np.concatenate([[True], space[:-1]]))
    ends = np.flatnonzero(~space & np.concatenate([space[1:], [True]]))   # each word's last byte
    line_of = np.searchsorted(np.flatnonzero(data == 0x0A), begins)
    counts = np.bincount(line_of, minlength=len(lines))
    firsts = np.cumsum(counts) - counts
    last = np.minimum(MAX_WORDS, counts - REST_WORDS)   # the longest opening that may be cut
    stop = last + STEP                                  # a STEP-th word follows it: its continuation
    grid = np.concatenate([np.arange(HEAD_WORDS, MIN_WORDS), np.arange(MIN_WORDS, MAX_WORDS + STEP + 1, STEP)])
    candidates = np.flatnonzero(last >= SHORT_WORDS)
    grid_lines, grid_words = np.repeat(candidates, len(grid)), np.tile(grid, len(candidates))
    asked = np.flatnonzero(_LAST_BYTES[data[ends]])   # words that may end a sentence
    asked = asked[asked - firsts[line_of[asked]] < stop[line_of[asked]]]
    core = ends[asked] - _ending(data, ends[asked], CLOSER_BYTES)   # a sentence ends before closing quotes or brackets
    sentence = asked[_ending(data, core, TERMINAL_BYTES) > 0]
    sentence_lines, sentence_words = line_of[sentence], sentence - firsts[line_of[sentence]] + 1
    lines_of = np.concatenate([grid_lines, sentence_lines])
    words = np.concatenate([grid_words, sentence_words])
    keep = (words >= HEAD_WORDS) & (words <= stop[lines_of])
    lines_of, words = lines_of[keep], words[keep]
    order = np.lexsort((words, lines_of))
    lines_of, words = lines_of[order], words[order]
    first = np.concatenate([[True], lines_of[1:] != lines_of[:-1]]) if len(words) else np.zeros(0, dtype=bool)
    distinct = first | np.concatenate([[True], words[1:] != words[:-1]])[: len(words)]
    lines_of, words, first = lines_of[distinct], words[distinct], first[distinct]
    head = words < SHORT_WORDS
    may_cut = ~head & (words <= last[lines_of]) & ~(_sentence_starts(encoded, begins)[firsts[lines_of] + words - 1]
                                                    & (words < MIN_WORDS))
    continuation = ~may_cut & ~head & np.concatenate([[True], may_cut[:-1]])[: len(words)]
    keep = head | may_cut | continuation
    lines_of, words, may_cut, first = lines_of[keep], words[keep], may_cut[keep], first[keep]
    stops = ends[firsts[lines_of] + words - 1] + 1
    starts = np.where(first, begins[firsts[lines_of]], np.concatenate([[0], stops[:-1]])[: len(stops)])
    depths = np.arange(len(words)) - np.maximum.accumulate(np.where(first, np.arange(len(words)), 0)) \
        if len(words) else np.zeros(0, dtype=np.int64)
    buffer = data.tobytes()
    pieces = list(map(buffer.__getitem__, map(slice, starts.tolist(), stops.tolist())))
    texts_of = np.array(at, dtype=np.int64)[lines_of]
    before = np.concatenate([[0], words[:-1]])[: len(words)]   # the words of the opening before
    leads = _leads(buffer, begins, ends, firsts[lines_of] + before, np.where(first, 0, words - before - 1))
    return Openings(texts_of, words, may_cut, first, _chained(pieces, depths), leads, dict(zip(at, lines)))


def _sentence_starts(encoded: bytes, begins: np.ndarray) -> np.ndarray:
    """Which words open in an ASCII capital after a word in lower case: a sentence the chrome
    before it is glued to ("Play video Officials said …"), which a short opening never ends with."""
    first = np.frombuffer(encoded, dtype=np.uint8)[begins]
    lower = (first >= ord("a")) & (first <= ord("z"))
    return (first >= ord("A")) & (first <= ord("Z")) & np.concatenate([[False], lower[:-1]])


def _leads(buffer: bytes, begins: np.ndarray, ends: np.ndarray, at: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """A code of the words from `at` on (`counts` of them, at most LEAD_WORDS): 16 bits of each
    word's hash, then how many there are."""
    counts = np.minimum(counts, LEAD_WORDS)
    rows = np.repeat(np.arange(len(at)), counts)
    places = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)   # 0, 1, 2 within each row
    first, last = begins[at[rows] + places], ends[at[rows] + places] + 1
    hashes = hash_pieces(list(map(buffer.__getitem__, map(slice, first.tolist(), last.tolist()))), OPENING_SEED)
    codes = counts.astype(np.uint64) << np.uint64(16 * LEAD_WORDS)
    np.bitwise_or.at(codes, rows, (hashes & np.uint64(0xFFFF)) << (places.astype(np.uint64) * np.uint64(16)))
    return codes


def _extension(lead: int, chrome_lead: int) -> int:
    """How many words after a chrome opening are cut with it: those its continuations all
    begin with (`chrome_lead`), when this line begins with them too (`lead`)."""
    words = chrome_lead >> 16 * LEAD_WORDS
    mask = (1 << 16 * words) - 1
    return words if lead >> 16 * LEAD_WORDS >= words and lead & mask == chrome_lead & mask else 0


def _chained(pieces: list[bytes], depths: np.ndarray) -> np.ndarray:
    """The hash of each opening: the hashes of its line's pieces up to its own, each mixed with
    its place, summed (`depths`: 0 for a line's first opening, then 1, 2 …; a
    line's openings one after another)."""
    placed = pair_hashes(hash_pieces(pieces, OPENING_SEED), depths.astype(np.uint64))
    sums = np.cumsum(placed)
    sums -= (sums - placed)[np.arange(len(depths)) - depths]   # what the lines before summed
    return pair_hashes(sums, np.full(len(sums), OPENING_SEED, dtype=np.uint64))


def _word_start(line: str, k: int) -> int:
    """Where the k-th word (from 0) of a line split at ASCII white space starts."""
    return next(itertools.islice(NON_SPACE.finditer(line), k, None)).start()


def opening_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Pass 1: the hashes of the openings of each text's first line, one per text and
    opening, each with its parent (0 for the first) and its lead (`Openings.leads`), and a
    key counted once per text."""
    found = openings(texts)
    familiar = _familiar_keys(texts, found)
    parents = np.zeros((len(found.hashes) + len(familiar) + len(texts), 2), dtype=np.uint64)
    parents[1 : len(found.hashes), 0] = found.hashes[:-1]
    parents[: len(found.hashes)][found.first] = 0
    parents[: len(found.hashes), 1] = found.leads
    documents = np.full(len(texts), DOCUMENTS_KEY, dtype=np.uint64)
    return np.concatenate([found.hashes, familiar, documents]), parents


def _familiar_keys(texts: list[str], found: Openings) -> np.ndarray:
    """For each short opening that may be cut (SHORT_WORDS to MIN_WORDS - 1 words), a key
    saying whether its page holds half its words (runs of letters and digits, lower-cased)
    again after its first MIN_WORDS - 1 words: a common opening's words come back in its
    article ("for the first time"), a player's or a picture's chrome does not ("play facebook
    twitter embed"). A word is looked for inside others too (in less than half the time a set
    of the page's words takes): a short one ("ap" of a dateline) is found almost everywhere."""
    short = np.flatnonzero(found.may_cut & (found.words < MIN_WORDS))
    if not len(short):
        return np.zeros(0, dtype=np.uint64)
    rest: dict[int, tuple[list[set[str]], set[str]]] = {}   # each text's first words' words, those found after them
    familiar = np.zeros(len(short), dtype=bool)
    for n, r in enumerate(short.tolist()):
        t = int(found.texts[r])
        if t not in rest:
            begin, line = found.lines[t]
            end = _word_start(line, MIN_WORDS - 1)
            tokens = [set(WORD.findall(token)) for token in NON_SPACE.findall(line[:end].lower())]
            after = texts[t][begin + end :].lower()
            rest[t] = tokens, {word for word in set().union(*tokens) if word in after}
        tokens, again = rest[t]
        words = set().union(*tokens[: int(found.words[r])])
        familiar[n] = 2 * len(words & again) >= len(words)
    hashes = found.hashes[short]
    return np.where(familiar, pair_hashes(hashes, np.full(len(short), FAMILIAR_SEED, dtype=np.uint64)),
                    pair_hashes(hashes, np.full(len(short), FOREIGN_SEED, dtype=np.uint64)))


def chrome_entries(hashes: np.ndarray, documents: np.ndarray, parents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Once a corpus is counted (sorted distinct `hashes`, how many `documents` carry each,
    their `parents` and leads): an entry for each opening with enough continuations to be
    chrome, its value 1 + the lead all its continuations share (the words cut with it, when a
    line has them too: an opening ends every STEP words), and ANY_CHROME_KEY if there is one."""
    at = np.searchsorted(hashes, DOCUMENTS_KEY)
    corpus = int(documents[at]) if at < len(hashes) and hashes[at] == DOCUMENTS_KEY else 0
    children = parents[parents[:, 0] > 0]
    children = children[np.argsort(children[:, 0])]
    openings, starts, counts = np.unique(children[:, 0], return_index=True, return_counts=True)
    chrome = np.flatnonzero(counts >= threshold(corpus))
    chrome = chrome[_foreign(hashes, documents, parents, openings[chrome])]
    if not len(chrome):
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    leads = [_shared_lead(children[a : a + n, 1].tolist()) for a, n in zip(starts[chrome].tolist(), counts[chrome].tolist())]
    chrome = openings[chrome]
    return (np.append(_chrome_hashes(chrome), ANY_CHROME_KEY),
            np.array([1 + lead for lead in leads] + [len(chrome)], dtype=np.int64))


def _foreign(hashes: np.ndarray, documents: np.ndarray, parents: np.ndarray, openings: np.ndarray) -> np.ndarray:
    """Which of these openings with enough continuations may be cut: a long one, or a short one
    (counted by `_familiar_keys`) that its pages rarely use the words of again, holding at
    least 1/FIXED_SHARE of the pages its words but its last open (its last word no sentence's
    start: "washington (ap) — the" holds a third of "washington (ap) —")."""
    def of(keys):
        at = np.minimum(np.searchsorted(hashes, keys), len(hashes) - 1)
        return np.where(hashes[at] == keys, documents[at], 0), at
    seeds = np.ones(len(openings), dtype=np.uint64)
    familiar, foreign = of(pair_hashes(openings, seeds * FAMILIAR_SEED))[0], of(pair_hashes(openings, seeds * FOREIGN_SEED))[0]
    carrying, at = of(openings)
    parent = of(parents[at, 0])[0]
    short = familiar + foreign > 0
    return ~short | ((FAMILIAR_SHARE * familiar <= familiar + foreign) & (FIXED_SHARE * carrying >= parent))


def _shared_lead(leads: list[int]) -> int:
    """The longest lead every one of these begins with."""
    words = min(lead >> 16 * LEAD_WORDS for lead in leads)
    while words and len({lead & ((1 << 16 * words) - 1) for lead in leads}) > 1:
        words -= 1
    return words << 16 * LEAD_WORDS | leads[0] & ((1 << 16 * words) - 1)


def _chrome_hashes(openings: np.ndarray) -> np.ndarray:
    return pair_hashes(openings, np.full(len(openings), CHROME_SEED, dtype=np.uint64))


def cut_openings(texts: list[str], chrome_of: Callable[[np.ndarray], np.ndarray]) -> dict[int, tuple[str, Removed]]:
    """Pass 2: for each text whose first line opens with chrome (`chrome_of(hashes)`: the
    counts of chrome entries, 0 for other hashes), the text without its longest such
    opening, and the opening removed."""
    cut: dict[int, tuple[str, Removed]] = {}
    if not chrome_of(np.array([ANY_CHROME_KEY], dtype=np.uint64))[0]:
        return cut
    found = openings(texts)
    values = chrome_of(_chrome_hashes(found.hashes))
    chrome = np.flatnonzero(found.may_cut & (values > 0))
    longest = chrome[np.append(found.texts[chrome][1:] != found.texts[chrome][:-1], True)] if len(chrome) else chrome
    for r in longest.tolist():   # a cut opening is followed by its continuation, whose lead is the words after it
        t, words = int(found.texts[r]), int(found.words[r]) + _extension(int(found.leads[r + 1]), int(values[r]) - 1)
        text, (begin, line) = texts[t], found.lines[t]
        end = begin + _word_start(line, words)
        cut[t] = (text[:begin] + text[end:], Removed(text[begin:end].strip(), BOILERPLATE_OPENING))
    return cut
