"""The lines of a batch of news pages and the facts cleaning decides on, found for
the whole batch at once.

`corpus.clean` judges lines, not pages, and most lines of a page are plain
paragraphs that no rule touches. Finding them line by line in Python cost more
than all the rules together, so this stage works on the batch's lines as one
text: one split into lines, one UTF-8 encoding, numpy masks that mark word
bytes (with a code-point table for the non-ASCII ones, as the shingle stage
does), word counts per line from those marks, and a handful of C-level
passes (`map`) over the lines for their last characters, colons, capitals. `plain_content` then tells, with array operations, which lines are
content without asking any rule; only the others go through `corpus.clean`'s
rules one by one.

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
from itertools import compress, repeat
from operator import contains, getitem, itemgetter

import numpy as np

from corpus import line_keys
from corpus.utf8 import code_points, padded
from corpus.line_shapes import (
    CLOSERS,
    COPYRIGHT,
    COPYRIGHT_MARK,
    LINK,
    URL,
    INVISIBLE,
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
INVISIBLE_CHARS = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Characters that re.IGNORECASE matches with an ASCII letter although case folding keeps them apart.
IGNORECASE_LOOKALIKES = frozenset("ıİſK")
MARK_HINTS = ("©", "(c)", "copyright", "http", "www.")   # in every copyright mark or link, case-folded


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

    lines: list[str]
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
    encoded: bytes             # the lines joined by newlines, UTF-8
    starts: np.ndarray         # where each line starts in `encoded`
    ascii_word: np.ndarray     # whether each byte of `encoded` is an ASCII word character
    unusual: frozenset[str]    # the characters of the batch other than printable ASCII

    def page_of_lines(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))

    def keys_hashed(self, at: np.ndarray) -> np.ndarray:
        """The hashes of the keys of the lines `at`, made when first asked for (cleaning asks
        only about the lines whose counts can change what it keeps)."""
        missing = at[self.key_hashes[at] == 0]
        if len(missing):
            data = np.frombuffer(self.encoded, dtype=np.uint8)
            self.key_hashes[missing] = line_keys.key_hashes(self.lines, data, self.starts, self._ends(), missing)
        return self.key_hashes[at]

    def context_hashes(self, at: np.ndarray) -> np.ndarray:
        """For lines `at` (of `in_context`), a hash of the line's key with the line before it."""
        data = np.frombuffer(self.encoded, dtype=np.uint8)
        before = line_keys.hash_bytes(data, self.starts[at - 1], self._ends()[at - 1], line_keys.LINE_SEED)
        return line_keys.pair_hashes(self.keys_hashed(at), before)

    def _ends(self) -> np.ndarray:
        """Where each line ends in `encoded` (at the newline after it, or the end)."""
        return np.append(self.starts[1:] - 1, len(self.encoded))

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


@functools.cache
def _char_traits(char: str) -> tuple[bool, bool, bool]:
    """For a character other than printable ASCII: whether it changes the layout of a line
    (a space other than " ", an invisible character); whether case folding keeps it a word
    character or a separator, one character for one; and whether it may stand for ASCII
    letters in a case-insensitive match (its case folding holds some, or `re` matches it so)."""
    folded = char.casefold()
    return (
        char.isspace() or char in INVISIBLE_CHARS,
        len(folded) == 1 and folded.isalnum() == char.isalnum() and folded.isascii() == char.isascii(),
        char in IGNORECASE_LOOKALIKES or (not char.isascii() and any(c.isascii() for c in folded)),
    )


def batch_lines(texts: list[str]) -> BatchLines:
    """The lines of a batch of documents and their word counts, keys and labels, made with a
    few whole-batch operations rather than page by page."""
    encoded_texts = list(map(str.encode, texts, repeat("utf-8"), repeat("surrogatepass")))   # ASCII texts: copied
    if any(map(bytes.__contains__, encoded_texts, repeat(b"\r"))):
        texts = [text.replace("\r\n", "\n").replace("\r", "\n") for text in texts]
        encoded_texts = list(map(str.encode, texts, repeat("utf-8"), repeat("surrogatepass")))
    data = np.frombuffer(b"\n".join(encoded_texts), dtype=np.uint8)
    newlines = np.flatnonzero(data == 0x0A)
    # Every byte of a character other than printable ASCII is >= 0x80 or a control byte, so
    # those bytes, in order, decode to those characters.
    unusual = frozenset(data[(data >= 0x7F) | ((data < 0x20) & (data != 0x0A))].tobytes().decode("utf-8", "surrogatepass"))
    raw_lines = "\n".join(texts).split("\n")
    text_ends = np.cumsum(np.fromiter(map(len, encoded_texts), dtype=np.int64, count=len(texts)) + 1) - 1
    raw_per_page = np.diff(np.searchsorted(newlines, text_ends), prepend=-1)   # newlines inside each text, + 1
    layout = [char for char in unusual if _char_traits(char)[0]]
    doubled = np.flatnonzero((data[1:] == 0x20) & (data[:-1] == 0x20))
    collapse = set(np.searchsorted(newlines, doubled).tolist()) | set(_lines_with(raw_lines, frozenset(layout)) if layout else ())
    for i in sorted(collapse):
        line = INVISIBLE.sub("", raw_lines[i]) if not INVISIBLE_CHARS.isdisjoint(layout) else raw_lines[i]
        raw_lines[i] = " ".join(line.split())
    raw_lines = list(map(str.strip, raw_lines))
    non_empty = np.fromiter(map(len, raw_lines), dtype=np.int64, count=len(raw_lines)) > 0
    lines = list(compress(raw_lines, non_empty.tolist()))
    kept_before = np.zeros(len(raw_lines) + 1, dtype=np.int64)
    np.cumsum(non_empty, out=kept_before[1:])
    offsets = kept_before[np.concatenate([[0], np.cumsum(raw_per_page)])]

    # Each line encoded on its own: an ASCII line is copied as it is, where the joined text,
    # once one line is not ASCII, would be encoded character by character.
    encoded_lines = list(map(str.encode, lines, repeat("utf-8"), repeat("surrogatepass")))
    encoded = b"\n".join(encoded_lines)
    lengths = np.fromiter(map(len, encoded_lines), dtype=np.int64, count=len(lines))
    line_starts = np.zeros(len(lines), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=line_starts[1:])
    ascii_word = _ascii_word_bytes(np.frombuffer(encoded, dtype=np.uint8))
    words = _word_counts(encoded, ascii_word, line_starts, unusual)
    key_words = words.copy()
    for i in _lines_with(lines, frozenset(char for char in unusual if not _char_traits(char)[1])):
        key_words[i] = len(WORD.findall(lines[i].casefold()))

    plain_end = np.fromiter(map(PLAIN_ENDS.__contains__, map(itemgetter(-1), lines)), dtype=bool, count=len(lines))
    counted = key_words > 0
    for i in np.flatnonzero(counted & (key_words >= COUNTED_WORDS)).tolist():
        counted[i] = not ((plain_end[i] and words[i] >= LONG_LINE_WORDS) or is_prose(lines[i], int(words[i])))

    label_hashes = np.zeros(len(lines), dtype=np.uint64)
    labelled = np.zeros(len(lines), dtype=bool)
    label_counted = np.zeros(len(lines), dtype=bool)
    tail_label_hashes = np.zeros(len(lines), dtype=np.uint64)
    first_lines = set(offsets[:-1].tolist())
    tail_counted = np.zeros(len(lines), dtype=bool)
    labels, tails = {}, {}
    for i in _lines_with(lines, frozenset(), ":"):
        label = label_of(lines[i])
        if label:
            labels[i] = label
            label_counted[i] = i not in first_lines and is_label_line(lines[i])   # a page's first line is its title
        fragment = trailing_fragment(lines[i])
        tail = label_of(fragment)
        if tail:
            tails[i] = tail
            tail_counted[i] = is_glued_link(fragment)
    for found, hashes in ((labels, label_hashes), (tails, tail_label_hashes)):
        if found:
            hashes[list(found)] = line_keys.hash_strings(list(found.values()), line_keys.LABEL_SEED)
    labelled[list(labels)] = True

    # The last lines of a page with the line before them: a line many pages end with, after
    # other lines on each, is furniture (a prompt), where copies of one report end alike.
    last_lines = np.zeros(len(lines), dtype=bool)
    for back in range(1, TAIL_LINES + 1):
        at_end = offsets[1:] - back
        last_lines[at_end[at_end > offsets[:-1]]] = True
    in_context = counted & last_lines
    return BatchLines(lines, offsets, words, key_words, np.zeros(len(lines), dtype=np.uint64), counted, label_hashes,
                      labelled, label_counted, tail_label_hashes, tail_counted, in_context, encoded, line_starts,
                      ascii_word, unusual)


def _word_counts(encoded: bytes, ascii_word: np.ndarray, line_starts: np.ndarray, unusual: frozenset[str]) -> np.ndarray:
    """The number of runs of word characters (`\\w`) of each line of newline-separated UTF-8
    text whose lines start at `line_starts` (`ascii_word`: its ASCII word bytes)."""
    if not encoded:
        return np.zeros(0, dtype=np.int64)
    data = np.frombuffer(encoded, dtype=np.uint8)
    is_word = ascii_word | (data >= 0x80)
    separators = sorted(ord(char) for char in unusual if not char.isascii() and not (char.isalnum() or char == "_"))
    if separators:   # a non-ASCII character is a word character or a separator by its code point
        high = np.flatnonzero(data >= 0x80)
        lead = (data[high] & 0xC0) != 0x80
        is_word[high] = ~np.isin(code_points(padded(data), high[lead]), separators)[np.cumsum(lead) - 1]
    starts = np.empty(len(is_word), dtype=bool)   # where a word starts
    starts[0] = is_word[0]
    np.greater(is_word[1:], is_word[:-1], out=starts[1:])
    return np.add.reduceat(starts, line_starts, dtype=np.int32).astype(np.int64)   # int32: half the bytes to add


def _ascii_word_bytes(data: np.ndarray) -> np.ndarray:
    """Whether each byte is an ASCII word character (a letter, a digit, "_")."""
    letters = (data | 0x20) - np.uint8(ord("a")) < 26   # wraps below "a"
    return letters | (data - np.uint8(ord("0")) < 10) | (data == ord("_"))


def _lines_with(lines: list[str], chars: frozenset[str], text: str = "") -> list[int]:
    """The lines holding any of these characters or `text` (looked for only when needed)."""
    found = np.zeros(len(lines), dtype=bool)
    if text:
        found = np.fromiter(map(contains, lines, repeat(text)), dtype=bool, count=len(lines))
    for char in chars:
        found |= np.fromiter(map(contains, lines, repeat(char)), dtype=bool, count=len(lines))
    return np.flatnonzero(found).tolist()


def plain_content(batch: BatchLines, documents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each line, whether `corpus.clean`'s rules would keep it as a content paragraph
    without trimming, decided from facts about the whole batch: a line that ends like a
    sentence (a full stop, not an ellipsis, when it is long), holds no colon and does not end
    in a bracket, has no copyright mark or link hint when short, no date-like digits when
    shorter still, words found nowhere else on its page when it has more than a few, and is
    too long or too rare (`documents`: how many documents carry it) to be boilerplate.
    False means "ask the rules", never "chrome". Also returns which lines certainly have their
    words nowhere else on their page (`_unique_on_page`), for the rules to skip that search."""
    lines, words, key_words = batch.lines, batch.words, batch.key_words
    count = len(lines)
    lasts = list(map(itemgetter(-1), lines))
    trimmable = np.fromiter(map(contains, lines, repeat(":")), dtype=bool, count=count)
    trimmable |= np.fromiter(map(str.__eq__, lasts, repeat(")")), dtype=bool, count=count)
    plain_end = np.fromiter(map(PLAIN_ENDS.__contains__, lasts), dtype=bool, count=count)
    ellipsis = np.fromiter(map(str.endswith, lines, repeat(("...", "…"))), dtype=bool, count=count)
    bare = map(str.rstrip, lines, repeat(CLOSERS))
    sentence_end = np.fromiter(map(TERMINAL_MARKS.__contains__, map(getitem, bare, repeat(slice(-1, None)))),
                               dtype=bool, count=count)
    shouted = np.fromiter(map(str.isupper, lines), dtype=bool, count=count)
    punctuated = (words >= MIN_SENTENCE_WORDS) & sentence_end & ((words >= LONG_LINE_WORDS) | ~shouted)

    long_plain = ~trimmable & (key_words > MAX_CHROME_WORDS) & plain_end & (words >= LONG_LINE_WORDS)
    short_plain = ~trimmable & ~long_plain & punctuated & ~ellipsis & ((key_words > SHORT_SENTENCE_WORDS) | (documents < 2))
    for i in np.flatnonzero(short_plain & (key_words <= MAX_CHROME_WORDS)).tolist():
        short_plain[i] = not may_hold_mark(lines[i])
    for i in np.flatnonzero(short_plain & (words <= MAX_CHROME_WORDS // 2)).tolist():
        short_plain[i] = not DIGIT.search(lines[i])
    unique = _unique_on_page(batch, key_words > MIN_SENTENCE_WORDS)
    plain = (long_plain & ~ellipsis & unique) | (short_plain & (unique | (key_words <= MIN_SENTENCE_WORDS)))
    return plain, unique


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
    for i in np.flatnonzero(asked & (batch.key_words <= MAX_CHROME_WORDS)).tolist():
        line = batch.lines[i]
        if line[-1] != ")" and ":" not in line and may_hold_mark(line):
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
    data = np.frombuffer(batch.encoded, dtype=np.uint8)
    is_word = batch.ascii_word
    keep = np.empty(len(data), dtype=bool)
    keep[0] = is_word[0]
    np.greater(is_word[1:], is_word[:-1], out=keep[1:])
    keep |= data == 0x0A
    initials = np.compress(keep, data).tobytes().lower().split(b"\n")
    lengths = np.fromiter(map(len, initials), dtype=np.int64, count=len(initials))
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
    for i in _lines_with(batch.lines, frozenset(char for char in batch.unusual if _char_traits(char)[2])):
        page = pages[i]
        unique[batch.offsets[page] : batch.offsets[page + 1]] = False
    return unique
