"""The lines of a batch of news pages and the facts cleaning decides on, found for
the whole batch at once.

`corpus.clean` judges lines, not pages, and most lines of a page are plain
paragraphs that no rule touches. Finding them line by line in Python cost more
than all the rules together, so this stage works on the batch's lines as one
buffer (`corpus.line_layout`: one encoding, line boundaries by numpy): numpy
masks that mark word bytes (with a code-point table for the non-ASCII ones, as
the shingle stage does), word counts per line from the positions where words
begin, colons found with `bytes.find`, and the lines' last characters read from
their last bytes. `plain_content` then tells, with array operations, which lines
are content without asking any rule; only the others go through
`corpus.clean`'s rules one by one.

Lines are compared across a corpus by their key (case-folded words joined by
single spaces), hashed to 64 bits (`corpus.line_keys`, on demand). Only lines
that may be boilerplate are counted: lines of fewer than 20 words and longer
lines that are not prose, and the labels of 'Label: …' lines that open chrome
or of such links glued after a paragraph's last sentence (see `LineCounts`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from corpus import line_keys
from corpus.line_layout import IGNORECASE_LOOKALIKES, Layout, char_traits, find_all, layout, word_runs
from corpus.utf8 import code_points
from corpus.line_shapes import (
    CLOSERS,
    COPYRIGHT,
    COPYRIGHT_MARK,
    LINK,
    URL,
    LONG_LINE_WORDS,
    MAX_CHROME_WORDS,
    MIN_SENTENCE_WORDS,
    SHORT_SENTENCE_WORDS,
    TERMINAL_MARKS,
    WORD,
    is_glued_link,
    is_label_line,
    is_prose,
    label_of,
    trailing_fragment,
)

TAIL_LINES = 3                        # how near the end
CHUNK_TEXTS = 250                  # texts whose lines are measured together
COUNTED_WORDS = 2 * LONG_LINE_WORDS   # a line this long is counted across documents only if it is not prose
DIGIT = re.compile(r"\d")
PLAIN_ENDS = frozenset(".!?。！？।؟")   # sentence ends other than an ellipsis
MARK_HINTS = ("©", "(c)", "copyright", "http", "www.")   # in every copyright mark or link, case-folded
ASCII_MARK_HINTS = tuple(hint.encode() for hint in MARK_HINTS if hint.isascii())
_ELLIPSIS = "…".encode()


@dataclass(frozen=True)
class LineCounts:
    """How many documents carry each counted line, by a 64-bit hash of the line's key.

    Counts of separate batches add up (`a + b`), so a stream is counted batch by batch.
    """

    hashes: np.ndarray      # sorted, distinct uint64
    documents: np.ndarray   # int64, documents carrying each

    @staticmethod
    def empty() -> LineCounts:
        return LineCounts(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))

    @staticmethod
    def of_hashes(hashes: np.ndarray) -> LineCounts:
        """Counts from one hash per document and distinct counted key."""
        values, documents = np.unique(hashes, return_counts=True)
        return LineCounts(values, documents.astype(np.int64))

    def __add__(self, other: LineCounts) -> LineCounts:
        values, inverse = np.unique(np.concatenate([self.hashes, other.hashes]), return_inverse=True)
        weights = np.concatenate([self.documents, other.documents])
        return LineCounts(values, np.bincount(inverse, weights=weights, minlength=len(values)).astype(np.int64))

    def repeated(self) -> LineCounts:
        """Only the lines found in two or more documents (all that cleaning asks about)."""
        several = self.documents >= 2
        return LineCounts(self.hashes[several], self.documents[several])

    def documents_of(self, hashes: np.ndarray) -> np.ndarray:
        """The number of documents carrying each hashed key (0 for keys never counted)."""
        if not len(self.hashes) or not len(hashes):
            return np.zeros(len(hashes), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        return np.where(self.hashes[at] == hashes, self.documents[at], 0)


@dataclass
class BatchLines:
    """Every page's non-empty lines (spaces collapsed), pages one after another, with what
    classifying them needs; arrays have one entry per line."""

    layout: Layout             # where each line's bytes are in one buffer
    offsets: np.ndarray        # page p's lines are offsets[p]:offsets[p + 1]
    words: np.ndarray          # words per line (runs of \\w)
    key_words: np.ndarray      # words per key (the same unless case folding splits or joins a word)
    key_hashes: np.ndarray     # uint64 hash of the key of each line hashed so far (`keys_hashed`)
    counted: np.ndarray        # whether the line's key is counted across documents
    label_hashes: np.ndarray   # uint64 hash of the label of each 'Label: …' line (0 elsewhere)
    labelled: np.ndarray       # whether the line has a label
    label_counted: np.ndarray  # whether its label opens chrome here, so is counted across documents
    tail_label_hashes: np.ndarray   # hash of the label of a 'Label: …' fragment after the line's last sentence (0: none)
    tail_counted: np.ndarray        # whether that fragment is shaped like a chrome line, so its label is counted
    in_context: np.ndarray          # whether a counted line near the page's end is counted with the line before it
    colon: np.ndarray          # whether the line holds a colon
    last_bytes: np.ndarray     # the last byte of each line
    plain_end: np.ndarray      # whether the line ends with a sentence end other than an ellipsis
    ascii_begins: np.ndarray   # where each run of ASCII word characters begins in the layout's buffer

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.layout.line_texts()

    def texts_of(self, at: list[int]) -> list[str]:
        """The lines `at` as strings (taken from `lines` once they are made)."""
        return list(map(self.lines.__getitem__, at)) if "lines" in self.__dict__ else self.layout.some_lines(at)

    def page_of_lines(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))

    def keys_hashed(self, at: np.ndarray) -> np.ndarray:
        """The hashes of the keys of the lines `at`, made when first asked for (cleaning asks
        only about the lines whose counts can change what it keeps)."""
        missing = at[self.key_hashes[at] == 0]
        if len(missing):
            lay = self.layout
            self.key_hashes[missing] = line_keys.key_hashes(
                lay.buffer, lay.starts[missing], lay.ends[missing], lay.non_ascii[missing],
                lambda which: self.texts_of(missing[which].tolist()))
        return self.key_hashes[at]

    def context_hashes(self, at: np.ndarray) -> np.ndarray:
        """The hashes of the lines `at` (never a page's first) with the line before it."""
        lay = self.layout
        before = line_keys.segment_hashes(lay.buffer, lay.starts[at - 1], lay.ends[at - 1], line_keys.LINE_SEED)
        return line_keys.pair_hashes(self.keys_hashed(at), before)

    def counted_hashes(self) -> np.ndarray:
        """One hash per page and distinct counted key or label (what `LineCounts.of_hashes` takes)."""
        pages = self.page_of_lines()
        hashes = np.concatenate([self.keys_hashed(np.flatnonzero(self.counted)), self.label_hashes[self.label_counted],
                                 self.tail_label_hashes[self.tail_counted],
                                 self.context_hashes(np.flatnonzero(self.in_context))])
        owners = np.concatenate([pages[self.counted], pages[self.label_counted], pages[self.tail_counted],
                                 pages[self.in_context]])
        order = np.lexsort((hashes, owners))
        hashes, owners = hashes[order], owners[order]
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
        return hashes[first]

    def last_char_in(self, chars: frozenset[str]) -> np.ndarray:
        """Whether each line ends with one of these characters (read from its last byte when it is ASCII)."""
        found = np.isin(self.last_bytes, [ord(char) for char in chars if char.isascii()])
        other = np.flatnonzero(self.last_bytes >= 0x80)
        if len(other) and not all(char.isascii() for char in chars):
            found[other] = [text[-1] in chars for text in self.texts_of(other.tolist())]
        return found

    def may_hold_marks(self, at: np.ndarray) -> np.ndarray:
        """`may_hold_mark` of the lines `at`: the ASCII ones looked at together, on their bytes."""
        holds = np.zeros(len(at), dtype=bool)
        other = self.layout.non_ascii[at]
        if other.any():
            holds[other] = list(map(may_hold_mark, self.texts_of(at[other].tolist())))
        plain = np.flatnonzero(~other)
        if len(plain):
            buffer = self.layout.buffer
            starts, ends = self.layout.starts[at[plain]], self.layout.ends[at[plain]]
            joined = b"\n".join(map(buffer.__getitem__, map(slice, starts.tolist(), ends.tolist()))).lower()
            found = [position for hint in ASCII_MARK_HINTS for position in find_all(joined, hint)]
            if found:
                begins = np.cumsum(ends - starts + 1) - (ends - starts + 1)
                holds[plain[np.searchsorted(begins, found, side="right") - 1]] = True
        return holds


def batch_lines(texts: list[str]) -> BatchLines:
    """The lines of a batch of documents and their word counts, keys and labels, made with a
    few whole-batch operations rather than page by page."""
    lay = layout(texts)
    count = len(lay.starts)
    ascii_begins, words = word_runs(lay)
    key_words = words.copy()
    folded_apart = lay.lines_holding(frozenset(char for char in lay.unusual if not char_traits(char)[1]))
    for i, text in zip(folded_apart, lay.some_lines(folded_apart)):
        key_words[i] = len(WORD.findall(text.casefold()))
    last_bytes = lay.data[lay.ends - 1] if count else np.zeros(0, dtype=np.uint8)
    batch = BatchLines(lay, lay.offsets, words, key_words, np.zeros(count, dtype=np.uint64), key_words > 0,
                       np.zeros(count, dtype=np.uint64), np.zeros(count, dtype=bool), np.zeros(count, dtype=bool),
                       np.zeros(count, dtype=np.uint64), np.zeros(count, dtype=bool), np.zeros(count, dtype=bool),
                       lay.lines_with(b":"), last_bytes, np.zeros(count, dtype=bool), ascii_begins)
    batch.plain_end = batch.last_char_in(PLAIN_ENDS)

    counted = batch.counted
    long_lines = counted & (key_words >= COUNTED_WORDS)
    counted[long_lines & batch.plain_end & (words >= LONG_LINE_WORDS)] = False
    asked = np.flatnonzero(long_lines & ~(batch.plain_end & (words >= LONG_LINE_WORDS))).tolist()
    for i, text in zip(asked, batch.texts_of(asked)):
        counted[i] = not is_prose(text, int(words[i]))

    first_lines = set(lay.offsets[:-1].tolist())
    labels, tails = {}, {}
    with_colon = np.flatnonzero(batch.colon).tolist()
    for i, line in zip(with_colon, batch.texts_of(with_colon)):
        label = label_of(line)
        if label:
            labels[i] = label
            batch.label_counted[i] = i not in first_lines and is_label_line(line)   # a page's first line is its title
        fragment = trailing_fragment(line)
        tail = label_of(fragment)
        if tail:
            tails[i] = tail
            batch.tail_counted[i] = is_glued_link(fragment)
    for found, hashes in ((labels, batch.label_hashes), (tails, batch.tail_label_hashes)):
        if found:
            hashes[list(found)] = line_keys.hash_strings(list(found.values()), line_keys.LABEL_SEED)
    batch.labelled[list(labels)] = True

    # The last lines of a page with the line before them: a line many pages end with, after
    # other lines on each, is furniture (a prompt), where copies of one report end alike.
    last_lines = np.zeros(count, dtype=bool)
    offsets = lay.offsets
    for back in range(1, TAIL_LINES + 1):
        at_end = offsets[1:] - back
        last_lines[at_end[at_end > offsets[:-1]]] = True
    batch.in_context = counted & last_lines
    return batch


def plain_content(batch: BatchLines, documents: np.ndarray, prompts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each line, whether `corpus.clean`'s rules would keep it as a content paragraph
    without trimming, decided from facts about the whole batch: a line that ends like a
    sentence (a full stop, not an ellipsis, when it is long), holds no colon and does not end
    in a bracket, has no copyright mark or link hint when short, no date-like digits when
    shorter still, words found nowhere else on its page when it has more than a few, and is
    too long or too rare (`documents`: how many documents carry it) to be boilerplate, and is
    not one of the `prompts` (lines pages end with). False means "ask the rules", never
    "chrome". Also returns which of those lines and of the prompts certainly have their words
    nowhere else on their page (`_unique_on_page`), for the rules to skip that search, and the
    lines that are plain but for that (their words may be found elsewhere on the page: no rule
    but "repeated in the document" can claim them)."""
    words, key_words = batch.words, batch.key_words
    trimmable = batch.colon | (batch.last_bytes == ord(")"))
    ellipsis = _ellipsis(batch)
    sentence_end = _sentence_end(batch)
    punctuated = (words >= MIN_SENTENCE_WORDS) & sentence_end
    short = np.flatnonzero(punctuated & (words < LONG_LINE_WORDS)).tolist()   # a shouted short line is no sentence
    punctuated[short] = [not text.isupper() for text in batch.texts_of(short)]

    long_plain = ~trimmable & (key_words > MAX_CHROME_WORDS) & batch.plain_end & (words >= LONG_LINE_WORDS)
    short_plain = ~trimmable & ~long_plain & punctuated & ~ellipsis & ((key_words > SHORT_SENTENCE_WORDS) | (documents < 2))
    asked = np.flatnonzero(short_plain & (key_words <= MAX_CHROME_WORDS))
    short_plain[asked] = ~batch.may_hold_marks(asked)
    asked = np.flatnonzero(short_plain & (words <= MAX_CHROME_WORDS // 2)).tolist()
    short_plain[asked] = [not DIGIT.search(text) for text in batch.texts_of(asked)]
    long_plain &= ~ellipsis
    unique = _unique_on_page(batch, (key_words > MIN_SENTENCE_WORDS) & (long_plain | short_plain | prompts))
    plain = (long_plain & unique) | (short_plain & (unique | (key_words <= MIN_SENTENCE_WORDS)))
    repeats = (long_plain | short_plain) & ~plain & ~prompts
    return plain & ~prompts, unique, repeats


def _ellipsis(batch: BatchLines) -> np.ndarray:
    """Whether each line ends with "..." or "…" (read from its last three bytes)."""
    lay = batch.layout
    ends = lay.ends
    three = (ends - lay.starts) >= 3
    at = np.flatnonzero(three & ((batch.last_bytes == ord(".")) | (batch.last_bytes == _ELLIPSIS[-1])))
    found = np.zeros(len(ends), dtype=bool)
    if len(at):
        data = lay.data
        last3 = np.stack([data[ends[at] - 3], data[ends[at] - 2], data[ends[at] - 1]], axis=1)
        found[at] = (last3 == np.frombuffer(b"...", dtype=np.uint8)).all(axis=1) | \
            (last3 == np.frombuffer(_ELLIPSIS, dtype=np.uint8)).all(axis=1)
    return found


def _sentence_end(batch: BatchLines) -> np.ndarray:
    """Whether each line ends with a sentence's punctuation before any closing quotes or
    brackets (read from its last byte unless that is a closer or not ASCII)."""
    last = batch.last_bytes
    closers = np.isin(last, [ord(char) for char in CLOSERS if char.isascii()]) | (last >= 0x80)
    found = np.isin(last, [ord(char) for char in TERMINAL_MARKS if char.isascii()]) & ~closers
    other = np.flatnonzero(closers).tolist()
    found[other] = [text.rstrip(CLOSERS)[-1:] in TERMINAL_MARKS for text in batch.texts_of(other)]
    return found


def may_hold_mark(line: str) -> bool:
    """Whether a line may hold a copyright mark or a link: every one holds one of these, case-folded."""
    if line.isascii():
        folded = line.lower()
        return "http" in folded or "www." in folded or "(c)" in folded or "copyright" in folded
    folded = line.casefold()
    return any(hint in folded for hint in MARK_HINTS) or not IGNORECASE_LOOKALIKES.isdisjoint(line)


def mark_lines(batch: BatchLines, asked: np.ndarray) -> dict[int, str]:
    """Of the asked lines, those chrome whatever the page around them: a short line, neither
    ending in a bracket nor holding a colon (nothing to trim), with a copyright mark or a
    link. Returns {line: reason}."""
    marks = {}
    at = np.flatnonzero(asked & (batch.key_words <= MAX_CHROME_WORDS) & ~batch.colon & (batch.last_bytes != ord(")")))
    at = at[batch.may_hold_marks(at)].tolist()
    for i, line in zip(at, batch.texts_of(at)):
        if COPYRIGHT_MARK.search(line):
            marks[i] = COPYRIGHT
        elif URL.search(line):
            marks[i] = LINK
    return marks


def _unique_on_page(batch: BatchLines, asked: np.ndarray) -> np.ndarray:
    """For the asked lines, True when the line's words occur nowhere else on its page: not as
    another line, not inside a longer line (True is certain; False means "maybe").

    Compared on the lines' initials: the first letter of every run of ASCII word characters,
    lower-cased. The words of a line found inside another line have their initials inside
    that line's initials, so a line whose initials occur once on its page has its words
    nowhere else (the converse may fail: "maybe"). Each page's lines are laid out with the
    most initials first, and each asked line is looked for only up to the last line with as
    many: a line can be inside a longer one or equal to one as long, never inside a shorter one."""
    unique = np.zeros(len(batch.lines), dtype=bool)
    ask = np.flatnonzero(asked)
    if not len(ask):
        return unique
    lay = batch.layout
    begins = batch.ascii_begins
    text = (lay.data[begins] | 0x20).tobytes()   # lower-cased ("_" becomes DEL, as it does everywhere)
    first, last = np.searchsorted(begins, lay.starts), np.searchsorted(begins, lay.ends)
    initials = list(map(text.__getitem__, map(slice, first.tolist(), last.tolist())))
    lengths = last - first
    pages = batch.page_of_lines()
    order = np.lexsort((-lengths, pages))              # page by page (slots offsets[p]:offsets[p + 1]), longest first
    laid_out = b"\n".join(map(initials.__getitem__, order.tolist()))
    ends = np.cumsum(lengths[order] + 1) - 1           # where the line in each slot ends
    group = pages[order] * (int(lengths.max()) + 1) - lengths[order]   # ascending along the slots
    group_end = ends[np.searchsorted(group, group, side="right") - 1]
    slot = np.empty(len(order), dtype=np.int64)
    slot[order] = np.arange(len(order))
    page_start = (ends - lengths[order])[np.minimum(batch.offsets[:-1], len(order) - 1)][pages]
    found = map(laid_out.count, map(initials.__getitem__, ask.tolist()), page_start[ask].tolist(),
                group_end[slot[ask]].tolist())
    unique[ask] = np.fromiter(found, dtype=np.int64, count=len(ask)) == 1
    # A character standing for ASCII letters once folded could join lines that differ here.
    for i in lay.lines_holding(frozenset(char for char in lay.unusual if char_traits(char)[2])):
        page = pages[i]
        unique[batch.offsets[page] : batch.offsets[page + 1]] = False
    return unique
