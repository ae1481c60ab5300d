"""Separate a news page's content from its site chrome.

Crawled news text carries the page around the article: dates, bylines, photo
credits, "read more" links, advertisement slots, share and comment prompts,
"most read" lists, copyright footers. None of it is what the outlet reported,
so none of it may count when reports are compared.

The rules look at structure only, never at a list of phrases, so they hold for
any language written with spaces between words:

* a paragraph (one line) is content when it reads as prose: it ends with
  sentence punctuation, or it is long, mostly lower-case and not a title;
* a line that is not prose is chrome: navigation, buttons, labels, numbers,
  section names, names alone on a line; the first such line of some length
  at the top is the headline, kept apart as metadata;
* lines shaped like chrome are named for what they are: date lines, credits
  ("Label: Proper Names", all-capitals agency credits), copyright lines, links;
* a line that also occurs in other documents of the corpus is boilerplate
  unless it is prose or a list item of more than a few words (a quote two
  outlets share is content, and so is every paragraph of a wire copy); an
  unpunctuated phrase that three or more documents carry is boilerplate;
* a sentence repeated inside one document (a caption repeating the lede) is
  kept once, where the body has it;
* parts of content paragraphs are trimmed, never the paragraph: a dateline
  opening one of the first paragraphs ("SITE.COM, CITY --"), a credit in
  brackets after a paragraph's last sentence ("(Site.com/Name)"), a byline
  glued to the last sentence, the headline and its photo credit glued to the
  start of a paragraph.

Everything removed is kept, with its reason, in `Cleaned.removed`.

Lines are compared across a corpus by their key (case-folded words joined by
single spaces). Only lines that may be boilerplate are counted: lines of fewer
than 20 words and longer lines that are not prose (a long prose paragraph is
content however many documents carry it). A stream too large to hold is
cleaned in two passes over the same batches:

    counts = sum((line_key_counts(batch) for batch in batches), LineCounts.empty())
    for batch in batches: clean_batch(batch, counts.repeated())

`clean_batch` then gives exactly what `clean_corpus` gives on the whole stream,
except that a headline echo's photo credit ("Headline Photo: Name First
sentence …") is told from a capitalised first word by the words written in lower
case in the batch, not in the whole stream. Counting one large batch instead of
the stream (`clean_batch(batch, line_key_counts(batch))`, what `clean_corpus`
does) finds only the boilerplate repeated within that batch.

The speed comes from deciding most lines without looking at them word by word:
keys are made for a whole page at once with bytes.translate, and a line that
ends like a sentence, has no colon, no closing bracket, no date-like digits
when short, no copyright sign or link on its page, no repeat of its key on the
page, and no count across documents that could make it boilerplate is content
straight away; every other line goes through all the rules.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Callable, Iterable

import numpy as np

from corpus.line_shapes import (  # noqa: F401 - the reasons are part of this module's interface
    ALWAYS_CHROME,
    BOILERPLATE,
    CLOSERS,
    COPYRIGHT,
    COPYRIGHT_MARK,
    CREDIT,
    DATE,
    DATELINE,
    EDITOR_INITIALS,
    HEADLINE,
    INLINE_CREDIT,
    INVISIBLE,
    LABEL,
    LINK,
    LIST_ITEM,
    LONG_LINE_WORDS,
    MAX_CHROME_WORDS,
    MAX_HEADLINE_WORDS,
    MIN_SENTENCE_WORDS,
    NOT_A_SENTENCE,
    RELATED_LINK,
    REPEATED,
    SENTENCE_BREAK,
    SHORT_SENTENCE_WORDS,
    SOURCE_TAG,
    TERMINAL_MARKS,
    TRUNCATED,
    URL,
    WORD,
    Removed,
    ends_like_sentence,
    is_credit,
    is_date_line,
    is_label_line,
    label_of,
    is_list_item,
    is_prose,
    is_punctuated,
    line_words,
    strip_dateline,
    strip_headline_echo,
    strip_trailing_credits,
)

LABEL_KEY = b"\x00label "             # labels are counted beside line keys, apart from them
COUNTED_WORDS = 2 * LONG_LINE_WORDS   # a line this long is counted across documents only if it is not prose
DIGIT = re.compile(r"\d")
PLAIN_ENDS = frozenset(".!?。！？।؟")   # sentence ends other than an ellipsis
INVISIBLE_CHARS = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Characters that re.IGNORECASE matches with an ASCII letter although case folding keeps them apart.
IGNORECASE_LOOKALIKES = frozenset("ıİſK")
MARK_HINTS = ("©", "(c)", "copyright", "http", "www.")   # in every copyright mark or link, case-folded
DOUBLE_SPACE = re.compile("  ")
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\n"
_ASCII_NON_WORD = bytes(b for b in range(0x80) if b != 0x0A and not (chr(b).isalnum() or b == ord("_")))
# bytes.translate tables: ASCII separators to a space / every byte to "w" (word) or " " (separator),
# newlines kept; bytes of non-ASCII characters count as word bytes (separators among them are
# replaced by spaces first).
_ASCII_NON_WORD_TO_SPACE = bytes(0x20 if b in _ASCII_NON_WORD else b for b in range(256))
_WORD_MASK = bytes(0x20 if b in _ASCII_NON_WORD else b if b == 0x0A else ord("w") for b in range(256))


@dataclass
class Cleaned:
    """A document's content (paragraphs separated by blank lines) and what was removed, in order."""

    text: str
    removed: list[Removed] = field(default_factory=list)


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


def clean_corpus(texts: list[str]) -> list[Cleaned]:
    """Clean every document; lines are compared across the whole corpus."""
    pages = [_page(text) for text in texts]
    return _clean_pages(pages, _count(pages))


def clean_text(text: str) -> Cleaned:
    """Clean one document on its own (no corpus to compare lines with)."""
    return clean_corpus([text])[0]


def line_key_counts(texts: Iterable[str]) -> LineCounts:
    """The first pass over a stream: how many of these documents carry each counted line."""
    return _count([_page(text) for text in texts])


def clean_batch(texts: list[str], counts: LineCounts) -> list[Cleaned]:
    """Clean a batch of documents against line counts made over the whole corpus or stream."""
    return _clean_pages([_page(text) for text in texts], counts)


# --- pages: lines, their keys and word counts ------------------------------------------


@dataclass
class _Page:
    """A document's non-empty lines (spaces collapsed) with what classifying them needs."""

    lines: list[str]
    words: list[int]          # words per line (runs of \w)
    key_words: list[int]      # words per key (the same unless case folding splits a word)
    folded: bytes             # the lines case-folded, UTF-8, non-ASCII separators replaced by spaces
    counted: int              # how many distinct keys the page counts across documents
    key_index: list[int]      # for each line, the index of its key among the digests, or -1
    label_index: list[int]    # for each 'Label: …' line, the index of its label among the digests, or -1
    digests: bytes            # 64-bit hashes, 8 bytes each, of the counted keys then of labels only asked about

    @functools.cached_property
    def squashed_text(self) -> bytes:
        """The lines' case-folded word characters without separators, joined by newlines: a line whose
        squashed form occurs once in it has its words nowhere else on the page."""
        return self.folded.translate(None, _ASCII_NON_WORD)

    @functools.cached_property
    def squashed(self) -> list[bytes]:
        return self.squashed_text.split(b"\n") if self.lines else []

    @functools.cached_property
    def keys(self) -> list[str]:
        """Each line's case-folded words joined by single spaces (made only for pages that ask)."""
        return [" ".join(WORD.findall(line.casefold())) for line in self.lines]


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@functools.cache
def _char_traits(char: str) -> tuple[bool, tuple[bytes, ...], bool]:
    """For a character other than printable ASCII: whether it changes the layout of a line
    (a space other than " ", an invisible character), the UTF-8 bytes of the non-ASCII
    non-word characters of its case folding (they separate words), and whether case folding
    keeps it a word character or a separator."""
    folded = char.casefold()
    return (
        char.isspace() or char in INVISIBLE_CHARS,
        tuple(c.encode("utf-8", "surrogatepass") for c in folded if not c.isascii() and not _is_word_char(c)),
        bool(folded) and all(_is_word_char(c) == _is_word_char(char) for c in folded),
    )


def _page(text: str) -> _Page:
    """Lines of one document and their word counts, keys and marks, made with a few
    whole-text byte operations (translate, split, count) rather than word by word."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    unusual = set(text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_BYTES).decode("utf-8", "surrogatepass"))
    traits = [_char_traits(char) for char in unusual]
    if any(layout for layout, _, _ in traits) or DOUBLE_SPACE.search(text):
        if not INVISIBLE_CHARS.isdisjoint(unusual):
            text = INVISIBLE.sub("", text)
        lines = [" ".join(raw.split()) for raw in text.split("\n")]
    else:
        lines = list(map(str.strip, text.split("\n")))
    lines = [line for line in lines if line]

    joined = "\n".join(lines)
    data = (joined.lower() if joined.isascii() else joined.casefold()).encode("utf-8", "surrogatepass")
    for separator in {separator for _, separators, _ in traits for separator in separators}:
        data = data.replace(separator, b" ")   # non-ASCII separators: the ASCII ones are translated
    mask = b" " + data.translate(_WORD_MASK).replace(b"\n", b"\n ")   # a separator before every line
    key_words = list(map(bytes.count, mask.split(b"\n"), repeat(b" w"))) if lines else []
    words = key_words if all(same for _, _, same in traits) else [len(line_words(line)) for line in lines]
    counted_lines = [
        i for i, n_key in enumerate(key_words)
        if n_key and (n_key < COUNTED_WORDS or not (
            (lines[i][-1] in PLAIN_ENDS and words[i] >= LONG_LINE_WORDS) or is_prose(lines[i], words[i])
        ))
    ]
    counted: dict[bytes, int] = {}
    key_index = [-1] * len(lines)
    if counted_lines:
        data_lines = data.split(b"\n")
        for i in counted_lines:
            key = b" ".join(data_lines[i].translate(_ASCII_NON_WORD_TO_SPACE).split())
            key_index[i] = counted.setdefault(key, len(counted))
    label_index, asked = _label_keys(lines, counted)
    digests = b"".join(hashlib.blake2b(key, digest_size=8).digest() for key in [*counted, *asked])
    return _Page(lines, words, key_words, data, len(counted), key_index, label_index, digests)


def _label_keys(lines: list[str], counted: dict[bytes, int]) -> tuple[list[int], dict[bytes, int]]:
    """The labels of 'Label: …' lines: a label that opens a chrome line here (a label line without
    a sentence after it, below the first line) is counted across documents; every label is looked up. Returns each
    line's label index (into the counted keys, then the asked ones; -1 for none) and the labels
    only asked about."""
    label_index = [-1] * len(lines)
    labelled = [(i, label) for i, line in enumerate(lines) if ":" in line and (label := label_of(line))]
    for i, label in labelled:
        if i > 0 and is_label_line(lines[i]):   # the first line is the page's title, not chrome
            label_index[i] = counted.setdefault(LABEL_KEY + label.encode("utf-8", "surrogatepass"), len(counted))
    asked: dict[bytes, int] = {}
    for i, label in labelled:
        key = LABEL_KEY + label.encode("utf-8", "surrogatepass")
        if label_index[i] < 0:
            label_index[i] = counted[key] if key in counted else len(counted) + asked.setdefault(key, len(asked))
    return label_index, asked


def _may_hold_mark(line: str) -> bool:
    """Whether a line may hold a copyright mark or a link: every one holds one of these, case-folded."""
    if line.isascii():
        folded = line.lower()
        return "http" in folded or "www." in folded or "(c)" in folded or "copyright" in folded
    folded = line.casefold()
    return any(hint in folded for hint in MARK_HINTS) or not IGNORECASE_LOOKALIKES.isdisjoint(line)


def _count(pages: list[_Page]) -> LineCounts:
    return LineCounts.of_hashes(np.frombuffer(b"".join(page.digests[: 8 * page.counted] for page in pages), dtype="<u8"))


def _clean_pages(pages: list[_Page], counts: LineCounts) -> list[Cleaned]:
    documents = counts.documents_of(np.frombuffer(b"".join(page.digests for page in pages), dtype="<u8")).tolist()
    seen_lowercase = _words_seen_lowercase([page.lines for page in pages])  # only needed if a headline is echoed
    cleaned, start = [], 0
    for page in pages:
        found = documents[start : start + len(page.digests) // 8]
        start += len(page.digests) // 8
        per_line = [found[k] if k >= 0 else 0 for k in page.key_index]
        per_label = [found[k] if k >= 0 else 0 for k in page.label_index]
        cleaned.append(_clean_document(page, per_line, per_label, seen_lowercase))
    return cleaned


# --- line reasons ----------------------------------------------------------------------


def _line_reason(line: str, page: _Page, index: int, prose: list[bool], documents: int, label_documents: int) -> str | None:
    """Why a line is chrome, or None for a content paragraph (`documents`: how many documents carry
    its key; `label_documents`: on how many documents its label opens a chrome line)."""
    n_words = page.key_words[index]
    line_words_known = page.words[index] if line is page.lines[index] else None   # not for a trimmed line
    if n_words <= MAX_CHROME_WORDS and _may_hold_mark(line):
        if COPYRIGHT_MARK.search(line):
            return COPYRIGHT
        if URL.search(line):
            return LINK
    if is_date_line(line, line_words_known):
        return DATE
    if is_credit(line):
        return CREDIT
    if label_documents >= 2 and _is_headline_after_label(line):
        return RELATED_LINK
    if prose[index] and is_punctuated(line, line_words_known) and n_words > MIN_SENTENCE_WORDS and _repeated_in_document(index, page, prose):
        return REPEATED
    if documents >= 2 and _is_boilerplate_shaped(line, prose[index], n_words, documents):
        return BOILERPLATE
    if prose[index] and line.endswith(("...", "…")) and n_words < 2 * LONG_LINE_WORDS and not SENTENCE_BREAK.search(line):
        return TRUNCATED
    if is_label_line(line):
        return NOT_A_SENTENCE
    if not prose[index] and not is_list_item(line):
        return NOT_A_SENTENCE
    return None


def _is_headline_after_label(line: str) -> bool:
    """'Label: text', headline-long, with text after the label."""
    match = LABEL.match(line)
    return bool(match and match["value"].strip()) and len(line_words(line)) <= MAX_HEADLINE_WORDS


def _mark_related_links(lines: list[str], reasons: list[str | None], key_words: list[int], labels: list[int]) -> None:
    """Headlines that a page lists as links to other articles, found by what surrounds them: the
    line after a label-only line ("Label:") whose label opens chrome on two or more pages, and
    titles listed one by one after bullet-only lines ("-") below the last paragraph of the body."""
    after_label = [
        i + 1 for i in range(len(lines) - 1)
        if labels[i] >= 2 and reasons[i] is not None and lines[i].endswith(":") and LABEL.match(lines[i])
    ]
    entries = [i + 1 for i in range(len(lines) - 1) if key_words[i] == 0 and len(lines[i]) <= 2 and key_words[i + 1]]
    body = [i for i, reason in enumerate(reasons) if reason is None and i not in entries]
    listed = entries if len(entries) >= 2 and (not body or body[-1] < entries[0]) else []
    for i in [*after_label, *listed]:
        if reasons[i] is None and len(line_words(lines[i])) <= MAX_HEADLINE_WORDS:
            reasons[i] = RELATED_LINK


def _is_plain_content(page: _Page, index: int, documents: int) -> bool:
    """Whether `_line_reason` would return None for a punctuated line without a colon or a closing
    bracket, decided from facts gathered for the whole page: no copyright mark or link on the
    line, no date-like digits in a short line, its words nowhere else on the page, too long
    or too rare to be boilerplate, not cut off by an ellipsis."""
    line, n_words, n_key = page.lines[index], page.words[index], page.key_words[index]
    return (
        (n_key > MAX_CHROME_WORDS or not _may_hold_mark(line))
        and (n_words > MAX_CHROME_WORDS // 2 or not DIGIT.search(line))
        and (n_key <= MIN_SENTENCE_WORDS or page.squashed_text.count(page.squashed[index]) == 1)
        and (n_key > SHORT_SENTENCE_WORDS or documents < 2)
        and not line.endswith(("...", "…"))
    )


def _is_boilerplate_shaped(line: str, prose: bool, n_words: int, documents: int) -> bool:
    """Whether a line found in `documents` (>= 2) documents is boilerplate rather than shared content.

    Shared lines that are neither prose nor list items are, and so are short ones. An
    unpunctuated single phrase of moderate length ("sign up … every day") is when three or
    more documents carry it; two may be copies of one report that lost a full stop.
    """
    if not (prose or is_list_item(line)) or n_words <= SHORT_SENTENCE_WORDS:
        return True
    phrase = not is_punctuated(line) and not SENTENCE_BREAK.search(line) and n_words < 2 * LONG_LINE_WORDS
    return phrase and documents >= 3


def _repeated_in_document(index: int, page: _Page, prose: list[bool]) -> bool:
    """The same words again later in the document, or inside a longer prose paragraph of it."""
    if len(page.lines) == 1 or page.squashed_text.count(page.squashed[index]) == 1:
        return False   # its word characters occur nowhere else on the page
    keys = page.keys
    key = keys[index]
    for other, other_key in enumerate(keys):
        if other == index:
            continue
        if other_key == key and other > index:
            return True
        if prose[other] and len(other_key) > len(key) and f" {key} " in f" {other_key} ":
            return True
    return False


def _words_seen_lowercase(documents: list[list[str]]) -> Callable[[str], bool]:
    """Whether the corpus writes a word in lower case somewhere (a common word, not a name).

    The word list is built on the first question: most corpora never ask.
    """

    @functools.cache
    def lowercase_words() -> frozenset[str]:
        return frozenset(w.casefold() for lines in documents for line in lines for w in WORD.findall(line) if w[0].islower())

    return lambda word: word.casefold() in lowercase_words()


# --- one document ------------------------------------------------------------------


def _clean_document(page: _Page, documents: list[int], labels: list[int], seen_lowercase: Callable[[str], bool]) -> Cleaned:
    """Clean one page; `documents[i]`: how many documents carry line i (0 if not counted);
    `labels[i]`: on how many documents the label of line i opens a chrome line."""
    lines, words, key_words = page.lines, page.words, page.key_words
    squashed_count, squashed = page.squashed_text.count, page.squashed
    cores = list(lines)                  # a credit after the last sentence does not make a line chrome
    trimmed: dict[int, list[Removed]] = {}
    punctuated = [True] * len(lines)
    prose = [True] * len(lines)
    undecided = []                       # lines that go through every rule
    for i, line in enumerate(lines):
        last = line[-1]
        if last == ")" or ":" in line:
            cores[i], pieces = strip_trailing_credits(line)
            if pieces:
                trimmed[i] = pieces
            punctuated[i] = is_punctuated(cores[i])
        elif key_words[i] > MAX_CHROME_WORDS and last in PLAIN_ENDS and words[i] >= LONG_LINE_WORDS:
            # The common case: a long paragraph ending in a full stop (not an ellipsis).
            if squashed_count(squashed[i]) == 1 and not line.endswith("..."):
                continue
        elif is_punctuated(line, words[i]):
            if _is_plain_content(page, i, documents[i]):
                continue
        else:
            punctuated[i] = False
        prose[i] = punctuated[i] or is_prose(cores[i], None if i in trimmed else words[i])
        undecided.append(i)
    if not undecided and not (lines and _ends_questioning(lines[0])):
        return _plain_document(lines)
    reasons: list[str | None] = [None] * len(lines)
    for i in undecided:
        reasons[i] = _line_reason(cores[i], page, i, prose, documents[i], labels[i])
    if undecided:
        if len(lines) > 1:
            _mark_related_links(lines, reasons, page.key_words, labels)
        _demote_outside_punctuated(cores, reasons, punctuated)
    headline = _mark_headline(cores, reasons)
    if all(reason is not None for reason in reasons):
        # Nothing would be left: a headline-only or one-line document is its own content.
        reasons = [reason if reason in ALWAYS_CHROME else None for reason in reasons]
        headline = None

    removed: list[tuple[int, int, Removed]] = []  # (line, position in line, what)
    kept: dict[int, str] = {}
    for i, reason in enumerate(reasons):
        if reason is None:
            kept[i] = cores[i]
            if i in trimmed:
                removed.extend((i, 1, piece) for piece in trimmed[i])
        else:
            removed.append((i, 0, Removed(lines[i], reason)))

    for i in list(kept)[:3]:
        rest = strip_dateline(kept[i])
        if rest is not None:
            removed.append((i, 0, Removed(kept[i][: len(kept[i]) - len(rest)].strip(), DATELINE)))
            kept[i] = rest
            break
    if headline is not None:
        for i in kept:
            echo = strip_headline_echo(kept[i], headline, seen_lowercase)
            if echo is not None:
                rest, pieces = echo
                removed.extend((i, 0, piece) for piece in pieces)
                kept[i] = rest

    removed.sort(key=lambda item: (item[0], item[1]))
    text = "\n\n".join(line for line in kept.values() if line)
    return Cleaned(text=text, removed=[r for _, _, r in removed])


def _plain_document(lines: list[str]) -> Cleaned:
    """A page whose every line is content: only a dateline may be trimmed."""
    for i, line in enumerate(lines[:3]):
        rest = strip_dateline(line)
        if rest is not None:
            dateline = Removed(line[: len(line) - len(rest)].strip(), DATELINE)
            return Cleaned("\n\n".join([*lines[:i], rest, *lines[i + 1 :]]), [dateline])
    return Cleaned("\n\n".join(lines))


def _ends_questioning(line: str) -> bool:
    """A question, an exclamation or an ellipsis at the end, before closing quotes or brackets."""
    return line.rstrip(CLOSERS).endswith(("?", "!", "...", "…"))


def _demote_outside_punctuated(lines: list[str], reasons: list[str | None], punctuated: list[bool]) -> None:
    """Before the first punctuated paragraph, unpunctuated lines are titles and decks; after
    the last one, list items are navigation ("most read" lists)."""
    content = [i for i, r in enumerate(reasons) if r is None and punctuated[i]]
    if not content:
        return
    for i, reason in enumerate(reasons):
        if reason is None and (i < content[0] or (i > content[-1] and LIST_ITEM.match(lines[i]))):
            reasons[i] = NOT_A_SENTENCE


def _mark_headline(lines: list[str], reasons: list[str | None]) -> str | None:
    """Mark the headline: the first title-shaped line above the content (not a date, link or
    copyright; a credit-shaped line only as the very first line), or a first line that ends
    in a question, an exclamation or an ellipsis.

    Only a document with line structure has one: the headline must be followed by content.
    """
    content = [i for i, r in enumerate(reasons) if r is None]
    if not content:
        return None
    for i in range(content[0]):
        n_words = len(line_words(lines[i]))
        shaped = (
            reasons[i] in (NOT_A_SENTENCE, RELATED_LINK)
            or (reasons[i] == BOILERPLATE and n_words > MIN_SENTENCE_WORDS)
            or (reasons[i] == CREDIT and i == 0)  # "Profile: Name" opening the page is a title, not a byline
        )
        if shaped and MIN_SENTENCE_WORDS <= n_words <= MAX_HEADLINE_WORDS and not lines[i].endswith(":"):
            reasons[i] = HEADLINE
            return lines[i]
    first = next(i for i, r in enumerate(reasons) if r not in (DATE, CREDIT, COPYRIGHT, LINK))
    if reasons[first] in (None, TRUNCATED) and _ends_questioning(lines[first]) and any(i > first for i in content):
        if len(line_words(lines[first])) <= MAX_HEADLINE_WORDS:
            reasons[first] = HEADLINE
            return lines[first]
    return None


