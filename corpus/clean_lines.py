"""The lines of a batch of news pages and the facts cleaning decides on, found for
the whole batch at once.

`corpus.clean` judges lines, not pages, and most lines of a page are plain
paragraphs that no rule touches. Finding them line by line in Python cost more
than all the rules together, so this stage works on the batch's lines as one
buffer (`corpus.line_layout`: one encoding, line boundaries by numpy): numpy
masks that mark word bytes (with a code-point table for the non-ASCII ones, as
the shingle stage does), word counts per line from 0/1 flags of where words
begin, summed 8 bytes at a time over each line's span (where the words begin is
listed only when the initials need it, in the second pass), colons found with
`bytes.find`, and the lines' last characters read from
their last bytes. `plain_content` then tells, with array operations, which lines
are content without asking any rule; only the others go through
`corpus.clean`'s rules one by one. Sentences that crawling broke across lines are
joined again first (`join_broken_lines`, only on the pages that may hold one).

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

from corpus import glued_chrome, line_keys
from corpus.line_layout import IGNORECASE_LOOKALIKES, Layout, char_traits, find_all, layout, word_runs
from corpus.line_shapes import (
    CLOSERS,
    LONG_LINE_WORDS,
    MAX_LINK_LINE_WORDS,
    WORD,
    is_glued_link,
    is_label_line,
    is_prose,
    label_of,
    trailing_fragment,
)

TAIL_LINES = 3                        # how near the end
# A line inside a page (above its last TAIL_LINES) counted with the line before it and with the
# line after it: one short sentence (a prompt between paragraphs, 'Tap the icon to get the app.';
# a shorter one that two pages share is boilerplate anyway). Both neighbours count: an edited copy
# of a report changes the line before a sentence it shares, seldom the line after it too.
BODY_PROMPT_WORDS = (7, 15)
CHUNK_TEXTS = 250                  # texts whose lines are measured together
COUNTED_WORDS = 2 * LONG_LINE_WORDS   # a line this long is counted across documents only if it is not prose
                                      # (or holds a web address, `addressed_lines`)
DIGIT = re.compile(r"\d")
# A bracket opening right after a sentence's full stop (and its closing quote): where a credit or
# a source tag glued between two sentences starts ('… said. (Agency, 5 Dec 2021) Next …').
BRACKETS_AFTER_SENTENCE = (". (", ".\" (", ".” (")
PLAIN_ENDS = frozenset(".!?。！？।؟")   # sentence ends other than an ellipsis
MARK_HINTS = ("©", "(c)", "copyright", "http", "www.")   # in every copyright mark or link, case-folded
_BREAK_END_BYTES = np.frombuffer(".!?:;".encode(), dtype=np.uint8)
MARK_HINT_BYTES = tuple(hint.encode() for hint in MARK_HINTS)
ASCII_MARK_HINTS = tuple(hint for hint in MARK_HINT_BYTES if hint.isascii())


# A line break before a line that starts in lower case, after a line that ends no sentence
# (nor a label): the break of a link or an emphasis taken out of a sentence.
BREAK_ENDS = frozenset(".!?…:;。！？।؟" + CLOSERS)
BROKEN_LINE = re.compile(r"\n\s*(?=[^\W\d_A-Z])")


def join_broken_lines(text: str) -> str:
    """The text with the sentences that crawling broke across lines (at a link, a name in bold:
    "… leader\nwas listed among …") joined again by a space. A line that starts in lower case
    goes on the line above it when that line ends with no sentence end, colon or semicolon and
    what follows its last sentence holds no label ('Label: Names', a credit)."""
    if "\n" not in text:
        return text
    return BROKEN_LINE.sub(lambda match: " " if _continues(text, match) else match[0], text)


def _continues(text: str, match: re.Match) -> bool:
    line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()].rstrip()
    if not line or not text[match.end()].islower() or line[-1] in BREAK_ENDS:
        return False
    return ":" not in (trailing_fragment(line) or line)


@dataclass(frozen=True)
class LineCounts:
    """How many documents carry each counted line, by a 64-bit hash of the line's key.

    Counts of separate batches add up (`a + b`), so a stream is counted batch by batch.
    The openings of first lines are counted here too, with the opening each one extends
    (`parents`, `corpus.glued_chrome`) until `repeated` turns them into chrome entries.
    """

    hashes: np.ndarray      # sorted, distinct uint64
    documents: np.ndarray   # int64, documents carrying each
    parents: np.ndarray | None = None   # uint64 pairs: each opening's parent and lead (0 for other keys); None: none

    @staticmethod
    def empty() -> LineCounts:
        return LineCounts(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))

    @staticmethod
    def of_hashes(hashes: np.ndarray, parents: np.ndarray | None = None) -> LineCounts:
        """Counts from one hash per document and distinct counted key (with its parent)."""
        if parents is None:
            values, documents = np.unique(hashes, return_counts=True)
            return LineCounts(values, documents.astype(np.int64))
        return LineCounts.merged([LineCounts(hashes, np.ones(len(hashes), dtype=np.int64), parents)])

    @staticmethod
    def merged(parts: list[LineCounts]) -> LineCounts:
        """The counts of several batches as one."""
        hashes, documents = np.concatenate([p.hashes for p in parts]), np.concatenate([p.documents for p in parts])
        if all(p.parents is None for p in parts):
            values, inverse = np.unique(hashes, return_inverse=True)
            return LineCounts(values, np.bincount(inverse, weights=documents, minlength=len(values)).astype(np.int64))
        order = np.argsort(hashes)   # equal keys have equal parents: any order among them will do
        hashes = hashes[order]
        first = np.flatnonzero(np.concatenate([[True], hashes[1:] != hashes[:-1]])) if len(hashes) else order
        shape = next(p.parents.shape[1:] for p in parts if p.parents is not None)
        parents = np.concatenate([np.zeros((len(p.hashes), *shape), dtype=np.uint64) if p.parents is None else p.parents
                                  for p in parts])
        documents = np.add.reduceat(documents[order], first) if len(first) else documents
        return LineCounts(hashes[first], documents.astype(np.int64), parents[order][first])

    def __add__(self, other: LineCounts) -> LineCounts:
        return LineCounts.merged([self, other])

    def repeated(self) -> LineCounts:
        """Only the lines found in two or more documents (all that cleaning asks about), and
        an entry for each opening of first lines that is chrome (`glued_chrome.chrome_entries`)."""
        several = (self.documents >= 2) & (self.hashes != glued_chrome.DOCUMENTS_KEY)
        if self.parents is None:
            return LineCounts(self.hashes[several], self.documents[several])
        chrome, continuations = glued_chrome.chrome_entries(self.hashes, self.documents, self.parents)
        hashes = np.concatenate([self.hashes[several], chrome])
        order = np.argsort(hashes, kind="stable")
        return LineCounts(hashes[order], np.concatenate([self.documents[several], continuations])[order])

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
    in_context: np.ndarray          # whether a counted line is counted with the line before it (near the page's end, or a short sentence;
                                    # one inside the page with the line after it too)
    near_end: np.ndarray            # whether a line is one of the page's last TAIL_LINES
    colon: np.ndarray          # whether the line holds a colon
    pipe: np.ndarray           # whether it holds a "|" (a label's mark too: 'Also Read | Headline')
    last_bytes: np.ndarray     # the last byte of each line
    plain_end: np.ndarray      # whether the line ends with a sentence end other than an ellipsis

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.layout.line_texts()

    @functools.cached_property
    def bracket_after_sentence(self) -> np.ndarray:
        """Whether each line holds a bracket right after a full stop (`BRACKETS_AFTER_SENTENCE`):
        a credit or a source tag between two sentences may be there."""
        return np.logical_or.reduce([self.layout.lines_with(needle.encode()) for needle in BRACKETS_AFTER_SENTENCE])

    def texts_of(self, at: list[int]) -> list[str]:
        """The lines `at` as strings (taken from `lines` once they are made)."""
        return list(map(self.lines.__getitem__, at)) if "lines" in self.__dict__ else self.layout.some_lines(at)

    @functools.cached_property
    def line_pages(self) -> np.ndarray:
        """The page of each line (made once: several stages ask)."""
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

    def following_hashes(self, at: np.ndarray) -> np.ndarray:
        """The hashes of the lines `at` (never a page's last) with the line after it."""
        lay = self.layout
        after = line_keys.segment_hashes(lay.buffer, lay.starts[at + 1], lay.ends[at + 1], line_keys.NEXT_LINE_SEED)
        return line_keys.pair_hashes(self.keys_hashed(at), after)

    def end_hashes(self, at: np.ndarray) -> np.ndarray:
        """The hashes of the lines `at` as the last sentences of their pages (`ending_sentences`)."""
        return line_keys.pair_hashes(self.keys_hashed(at), np.full(len(at), line_keys.END_SEED, dtype=np.uint64))

    @functools.cached_property
    def ending_sentences(self) -> np.ndarray:
        """Counted short sentences that are the last line of their page with a sentence's end, near its
        end (only chrome after it) and below its first TAIL_LINES lines (a short page's end is its top)."""
        ended = np.flatnonzero(self.plain_end)
        last = np.full(len(self.offsets) - 1, -1, dtype=np.int64)
        last[self.line_pages[ended]] = ended   # ascending: the last one of each page stays
        last = last[last >= self.offsets[:-1] + TAIL_LINES]
        found = np.zeros(len(self.plain_end), dtype=bool)
        found[last] = True
        return found & self.in_context & self.near_end & (self.key_words >= BODY_PROMPT_WORDS[0]) \
            & (self.key_words <= BODY_PROMPT_WORDS[1])

    def counted_hashes(self) -> np.ndarray:
        """One hash per page and distinct counted key or label (what `LineCounts.of_hashes` takes)."""
        pages = self.line_pages
        inside = self.in_context & ~self.near_end
        ending = self.ending_sentences
        hashes = np.concatenate([self.keys_hashed(np.flatnonzero(self.counted)), self.label_hashes[self.label_counted],
                                 self.tail_label_hashes[self.tail_counted],
                                 self.context_hashes(np.flatnonzero(self.in_context)),
                                 self.following_hashes(np.flatnonzero(inside)), self.end_hashes(np.flatnonzero(ending))])
        owners = np.concatenate([pages[self.counted], pages[self.label_counted], pages[self.tail_counted],
                                 pages[self.in_context], pages[inside], pages[ending]])
        order = np.lexsort((hashes, owners))
        hashes, owners = hashes[order], owners[order]
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
        return hashes[first]

    def few_capitals(self, at: np.ndarray, most: int) -> np.ndarray:
        """For the lines `at`, False where the line certainly has a name or a number, told from
        the words' first bytes: an ASCII line with more than `most` capitalised words (a
        sentence's first), or with a word starting with a digit (other lines: True)."""
        lay = self.layout
        begins = lay.ascii_begins
        first, last = lay.line_begins()
        a, b = first[at], last[at]
        lengths = b - a
        if not lengths.sum():
            return np.ones(len(at), dtype=bool)
        # the first bytes of the words of the lines `at` only, one line after another
        first = lay.data[begins[np.arange(lengths.sum()) + np.repeat(a - np.cumsum(lengths) + lengths, lengths)]]
        line = np.repeat(np.arange(len(at)), lengths)
        capitals = np.bincount(line, weights=(first >= ord("A")) & (first <= ord("Z")), minlength=len(at))
        digits = np.bincount(line, weights=(first >= ord("0")) & (first <= ord("9")), minlength=len(at))
        return lay.non_ascii[at] | ((capitals <= most) & (digits == 0))

    def last_char_in(self, chars: frozenset[str]) -> np.ndarray:
        """Whether each line ends with one of these characters (read from its last byte when it is ASCII)."""
        found = np.isin(self.last_bytes, [ord(char) for char in chars if char.isascii()])
        other = np.flatnonzero(self.last_bytes >= 0x80)
        if len(other) and not all(char.isascii() for char in chars):
            found[other] = [text[-1] in chars for text in self.texts_of(other.tolist())]
        return found

    def may_hold_marks(self, at: np.ndarray) -> np.ndarray:
        """`may_hold_mark` of the lines `at`, looked at together on their bytes (lower-cased bytes
        hold an ASCII hint where the case-folded text does, unless a character folds to ASCII
        letters: then the lines holding characters other than ASCII are looked at one by one)."""
        holds = np.zeros(len(at), dtype=bool)
        other = self.layout.non_ascii[at] if any(char_traits(char)[2] for char in self.layout.unusual) \
            else np.zeros(len(at), dtype=bool)
        if other.any():
            holds[other] = list(map(may_hold_mark, self.texts_of(at[other].tolist())))
        plain = np.flatnonzero(~other)
        if len(plain):
            buffer = self.layout.buffer
            starts, ends = self.layout.starts[at[plain]], self.layout.ends[at[plain]]
            joined = b"\n".join(map(buffer.__getitem__, map(slice, starts.tolist(), ends.tolist()))).lower()
            hints = MARK_HINT_BYTES if "©" in self.layout.unusual else ASCII_MARK_HINTS
            found = [position for hint in hints for position in find_all(joined, hint)]
            if found:
                begins = np.cumsum(ends - starts + 1) - (ends - starts + 1)
                holds[plain[np.searchsorted(begins, found, side="right") - 1]] = True
        return holds


def batch_lines(texts: list[str]) -> BatchLines:
    """The lines of a batch of documents and their word counts, keys and labels, made with a
    few whole-batch operations rather than page by page (sentences broken across lines
    joined first, `join_broken_lines`)."""
    lay = layout(texts)
    broken = _broken_pages(lay)
    if len(broken):
        joined = list(texts)
        for p in broken.tolist():
            joined[p] = join_broken_lines(texts[p])
        if joined != texts:
            lay = layout(joined)
    count = len(lay.starts)
    words = word_runs(lay)
    key_words = words.copy()
    folded_apart = lay.lines_holding(frozenset(char for char in lay.unusual if not char_traits(char)[1]))
    for i, text in zip(folded_apart, lay.some_lines(folded_apart)):
        key_words[i] = len(WORD.findall(text.casefold()))
    last_bytes = lay.data[lay.ends - 1] if count else np.zeros(0, dtype=np.uint8)
    batch = BatchLines(lay, lay.offsets, words, key_words, np.zeros(count, dtype=np.uint64), key_words > 0,
                       np.zeros(count, dtype=np.uint64), np.zeros(count, dtype=bool), np.zeros(count, dtype=bool),
                       np.zeros(count, dtype=np.uint64), np.zeros(count, dtype=bool), np.zeros(count, dtype=bool),
                       np.zeros(count, dtype=bool), lay.lines_with(b":"), lay.lines_with(b"|"), last_bytes,
                       np.zeros(count, dtype=bool))
    batch.plain_end = batch.last_char_in(PLAIN_ENDS)

    counted = batch.counted
    long_lines = counted & (key_words >= COUNTED_WORDS)
    counted[long_lines & batch.plain_end & (words >= LONG_LINE_WORDS)] = False
    asked = np.flatnonzero(long_lines & ~(batch.plain_end & (words >= LONG_LINE_WORDS))).tolist()
    for i, text in zip(asked, batch.texts_of(asked)):
        counted[i] = not is_prose(text, int(words[i]))
    counted[addressed_lines(batch)] = True   # a note that links away recurs on a site's pages (`corpus.clean`)

    first_lines = set(lay.offsets[:-1].tolist())
    labels, tails = {}, {}
    with_colon = np.flatnonzero(batch.colon | batch.pipe).tolist()   # 'Label:' or 'Label |'
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
    # other lines on each, is furniture (a prompt), where copies of one report end alike; so is
    # a short sentence inside many pages, each after another line (`corpus.clean`).
    last_lines = batch.near_end
    offsets = lay.offsets
    for back in range(1, TAIL_LINES + 1):
        at_end = offsets[1:] - back
        last_lines[at_end[at_end > offsets[:-1]]] = True
    inside = ~last_lines & batch.plain_end & (key_words >= BODY_PROMPT_WORDS[0]) & (key_words <= BODY_PROMPT_WORDS[1])
    inside[offsets[:-1][offsets[:-1] < count]] = False   # a page's first line has none before it
    batch.in_context = counted & (last_lines | inside)
    return batch


def addressed_lines(batch: BatchLines) -> np.ndarray:
    """The lines, too long to count as prose paragraphs but up to MAX_LINK_LINE_WORDS words, that
    hold a web address with its scheme ('https://…': looked for at once, quickly, in the batch)."""
    long = (batch.key_words >= COUNTED_WORDS) & (batch.key_words <= MAX_LINK_LINE_WORDS)
    if not long.any():
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(long & batch.layout.lines_with(b"://"))


def _broken_pages(lay: Layout) -> np.ndarray:
    """The pages that may hold a sentence broken across lines (`join_broken_lines` tells): a
    line that starts in lower case (or with a byte of another character) below one that ends
    with no ASCII sentence end, colon or semicolon."""
    if len(lay.starts) < 2:
        return np.zeros(0, dtype=np.int64)
    first, last = lay.data[lay.starts[1:]], lay.data[lay.ends[:-1] - 1]
    pages = np.repeat(np.arange(len(lay.offsets) - 1), np.diff(lay.offsets))
    starts_lower = ((first >= ord("a")) & (first <= ord("z"))) | (first >= 0x80)
    candidates = starts_lower & ~np.isin(last, _BREAK_END_BYTES) & (pages[1:] == pages[:-1])
    return np.unique(pages[1:][candidates])


def has_bracket_after_sentence(line: str) -> bool:
    """Whether a line holds a bracket right after a sentence's full stop (`BRACKETS_AFTER_SENTENCE`)."""
    return "(" in line and any(needle in line for needle in BRACKETS_AFTER_SENTENCE)


def may_hold_mark(line: str) -> bool:
    """Whether a line may hold a copyright mark or a link: every one holds one of these, case-folded."""
    if line.isascii():
        folded = line.lower()
        return "http" in folded or "www." in folded or "(c)" in folded or "copyright" in folded
    folded = line.casefold()
    return any(hint in folded for hint in MARK_HINTS) or not IGNORECASE_LOOKALIKES.isdisjoint(line)
