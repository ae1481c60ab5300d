"""The fast path of cleaning: which lines of a batch are plain content, found with array
operations, and the pages assembled without the rules.

Most lines of a news page are paragraphs no rule touches. `plain_content` tells them
from facts about the whole batch (`corpus.clean_lines`); a page whose other lines are
chrome whatever the page around them (copyright and link lines, prompts no other rule
can claim, lines settled by the one rule that can claim them) is assembled by
`plain_pages` at once. Every shortcut here gives what the rules of `corpus.clean_page`
give; False always means "ask the rules", never "chrome".
"""

from __future__ import annotations

import functools
import itertools
from itertools import compress, repeat
from operator import getitem, itemgetter
from typing import Callable, NamedTuple

import numpy as np

from corpus.clean_lines import DIGIT, BatchLines, may_hold_mark
from corpus.clean_page import Cleaned, Page, Removed, ends_questioning, plain_page, repeated_in_document
from corpus.line_layout import char_traits, find_all
from corpus.reader_prompts import mark_links_below, mark_prompts_below, mark_prompts_between
from corpus.line_shapes import (
    BOILERPLATE,
    CLOSERS,
    COPYRIGHT,
    COPYRIGHT_MARK,
    LINK,
    LONG_LINE_WORDS,
    MAX_CHROME_WORDS,
    MIN_SENTENCE_WORDS,
    REPEATED,
    SHORT_SENTENCE_WORDS,
    TERMINAL_MARKS,
    URL,
    is_credit,
    is_date_line,
)

DATELINE_REACH = 90   # a dateline's dash is this near a line's start
_ELLIPSIS = "…".encode()


class PlainLines(NamedTuple):
    """What `plain_content` finds, one entry per line."""

    plain: np.ndarray     # content paragraphs the rules would keep as they are
    unique: np.ndarray    # (of those lines, the shared ones and the prompts) words certainly nowhere else on the page
    repeats: np.ndarray   # plain but for their words found elsewhere on the page: only "repeated" can claim them
    shared: np.ndarray    # short sentences other documents carry, boilerplate by the rules whatever the page


def plain_content(batch: BatchLines, documents: np.ndarray, prompts: np.ndarray) -> PlainLines:
    """For each line, whether `corpus.clean`'s rules would keep it as a content paragraph
    without trimming, decided from facts about the whole batch: a line that ends like a
    sentence (a full stop, not an ellipsis, when it is long), holds no colon or "|" and does not end
    in a bracket, has no copyright mark or link hint when short, no date (nor digits and a
    slash) when shorter still, words found nowhere else on its page when it has more than a
    few, and is too long or too rare (`documents`: how many documents carry it) to be
    boilerplate, and is not one of the `prompts` (lines pages end with). False means "ask the
    rules", never "chrome". Also which of those lines, of the prompts and of the short shared
    sentences certainly have their words nowhere else on their page (`_unique_on_page`), for
    the rules to skip that search; the lines plain but for that; and the short sentences
    that would be plain if no other document carried them (without a slash: nothing to trim)."""
    words, key_words = batch.words, batch.key_words
    trimmable = batch.colon | batch.pipe | (batch.last_bytes == ord(")")) | batch.bracket_after_sentence
    ellipsis = _ellipsis(batch)
    sentence_end = _sentence_end(batch)
    punctuated = (words >= MIN_SENTENCE_WORDS) & sentence_end
    short = np.flatnonzero(punctuated & (words < LONG_LINE_WORDS)).tolist()   # a shouted short line is no sentence
    punctuated[short] = [not text.isupper() for text in batch.texts_of(short)]

    long_plain = ~trimmable & (key_words > MAX_CHROME_WORDS) & batch.plain_end & (words >= LONG_LINE_WORDS) & ~ellipsis
    short_plain = ~trimmable & ~long_plain & punctuated & ~ellipsis
    asked = np.flatnonzero(short_plain & (key_words <= MAX_CHROME_WORDS))
    short_plain[asked] = ~batch.may_hold_marks(asked)
    asked = np.flatnonzero(short_plain & (words <= MAX_CHROME_WORDS // 2)).tolist()
    short_plain[asked] = [not DIGIT.search(text) or ("/" not in text and not is_date_line(text, n))
                          for text, n in zip(batch.texts_of(asked), words[asked].tolist())]
    rare = (key_words > SHORT_SENTENCE_WORDS) | (documents < 2)
    shared = short_plain & ~rare & ~prompts
    shared[shared] = ["/" not in text for text in batch.texts_of(np.flatnonzero(shared).tolist())]
    short_plain &= rare
    unique = _unique_on_page(batch, (key_words > MIN_SENTENCE_WORDS) & (long_plain | short_plain | prompts | shared))
    plain = (long_plain & unique) | (short_plain & (unique | (key_words <= MIN_SENTENCE_WORDS)))
    repeats = (long_plain | short_plain) & ~plain & ~prompts
    return PlainLines(plain & ~prompts, unique, repeats, shared & (unique | (key_words <= MIN_SENTENCE_WORDS)))


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
    begins = lay.ascii_begins
    text = (lay.data[begins] | 0x20).tobytes()   # lower-cased ("_" becomes DEL, as it does everywhere)
    first, last = lay.line_begins()
    initials = list(map(text.__getitem__, map(slice, first.tolist(), last.tolist())))
    lengths = last - first
    pages = batch.line_pages
    key = pages * (int(lengths.max()) + 1) - lengths
    order = np.argsort(key, kind="stable")              # page by page (slots offsets[p]:offsets[p + 1]), longest first
    laid_out = b"\n".join(map(initials.__getitem__, order.tolist()))
    ends = np.cumsum(lengths[order] + 1) - 1           # where the line in each slot ends
    group = key[order]                                  # ascending along the slots
    group_end = ends[np.searchsorted(group, group, side="right") - 1]
    slot = np.empty(len(order), dtype=np.int64)
    slot[order] = np.arange(len(order))
    page_start = (ends - lengths[order])[np.minimum(batch.offsets[:-1], len(order) - 1)][pages]
    region_end = group_end[slot]
    alone = region_end - page_start == lengths   # the only line of its page with so many initials
    unique[ask[alone[ask]]] = True
    ask = ask[~alone[ask]]
    found = map(laid_out.count, map(initials.__getitem__, ask.tolist()), page_start[ask].tolist(), region_end[ask].tolist())
    unique[ask] = np.fromiter(found, dtype=np.int64, count=len(ask)) == 1
    # A character standing for ASCII letters once folded could join lines that differ here.
    for i in lay.lines_holding(frozenset(char for char in lay.unusual if char_traits(char)[2])):
        page = pages[i]
        unique[batch.offsets[page] : batch.offsets[page + 1]] = False
    return unique


@functools.lru_cache(maxsize=4096)
def is_plain_prompt(line: str, words: int, key_words: int) -> bool:
    """Whether a line of `Page.prompts`, its words nowhere else on its page, is boilerplate
    whatever the page around it: nothing to trim off it (no closing bracket, colon or slash)
    and none of the rules `_line_reason` asks before (copyright, link, date, credit, related
    link) can claim it. Remembered: prompts are the lines many pages end with."""
    return (line[-1] != ")" and ":" not in line and "/" not in line
            and not (key_words <= MAX_CHROME_WORDS and may_hold_mark(line))
            and not is_date_line(line, words) and not is_credit(line))


def settle_repeats(batch: BatchLines, plain: np.ndarray, marks: dict[int, str], repeats: np.ndarray,
                    page: Callable[[int], Page]) -> None:
    """Settle the lines that would be plain content but for their words found elsewhere on
    their page, on pages where every other line is plain or marked: such a line is removed as
    repeated in the document or is content, and no other rule can claim it (see
    `plain_content`), so the rule itself decides (`repeated_in_document`, every other line
    prose) unless the words are also inside a marked line, whose prose the rules would judge,
    or the line holds a slash (the rules would look for credits to trim in it). The page can
    then be assembled without the rules."""
    pages = batch.line_pages
    marked = np.zeros(len(plain), dtype=bool)
    marked[list(marks)] = True
    ruled = np.bincount(pages[~plain & ~marked & ~repeats], minlength=len(batch.offsets) - 1)
    at = np.flatnonzero(repeats & (ruled[pages] == 0))
    offsets, lines = batch.offsets.tolist(), batch.lines
    for p, owned in itertools.groupby(zip(pages[at].tolist(), at.tolist()), key=itemgetter(0)):
        group, one = [i for _, i in owned], page(p)
        a, b = offsets[p], offsets[p + 1]
        squashed = one.squashed
        if any("/" in lines[i] for i in group) or \
                any(squashed[i - a] in squashed[k - a] for k in range(a, b) if k in marks for i in group if k != i):
            continue
        prose = [True] * (b - a)
        decided = [repeated_in_document(i - a, one, prose) for i in group]
        for i, repeated in zip(group, decided):
            if repeated:
                marks[i] = REPEATED
            else:
                plain[i] = True


def settle_prompts(batch: BatchLines, plain: np.ndarray, marks: dict[int, str], held: np.ndarray,
                   page: Callable[[int], Page]) -> None:
    """Settle the short sentences that only the prompt rules may claim (`held`, from
    `corpus.reader_prompts.may_hold_prompts`), on pages where every other line is plain or
    marked: no other rule can claim a line of such a page, so the prompt rules themselves
    decide, on the marks as the reasons the rules give those lines, in the order the rules
    run (`corpus.clean_page.clean_page`). The page can then be assembled without the rules."""
    pages = batch.line_pages
    marked = np.zeros(len(plain), dtype=bool)
    marked[list(marks)] = True
    ruled = np.bincount(pages[~plain & ~marked & ~held], minlength=len(batch.offsets) - 1)
    offsets = batch.offsets.tolist()
    settled = held & (ruled[pages] == 0)
    for p in np.unique(pages[settled]).tolist():
        one, a = page(p), offsets[p]
        reasons = list(map(marks.get, range(a, offsets[p + 1])))
        mark_prompts_between(one.lines, reasons, one.key_words, one.documents)
        mark_prompts_below(one.lines, reasons, one.key_words, one.closings, one.prompts)
        mark_links_below(one.lines, reasons, one.key_words)
        for i, reason in enumerate(reasons, a):   # what they claimed (plain lines below a held one too)
            if reason is not None:
                marks[i] = reason
    plain[[i for i in np.flatnonzero(settled).tolist() if i not in marks]] = True   # the held lines they left


def plain_pages(batch: BatchLines, plain: np.ndarray, marks: dict[int, str]) -> list[Cleaned | None]:
    """The pages assembled without the rules (None for the others): pages whose lines are all
    plain content but for `marks`, copyright and link lines (chrome whatever the page around
    them) and prompts that no other rule can claim (a dateline may be trimmed). A prompt above
    the first paragraph may be the headline, and one on a page with nothing else is its
    content, and a first paragraph that asks or exclaims may be the headline: the rules decide
    those pages."""
    lines, count = batch.lines, len(batch.lines)
    offsets = batch.offsets
    firsts, lasts = offsets[:-1], offsets[1:]
    pages = batch.line_pages
    marked = np.zeros(count, dtype=bool)
    marked[list(marks)] = True
    ruled = np.bincount(pages[~plain & ~marked], minlength=len(firsts))
    kept_at = np.flatnonzero(~marked)
    first_kept = np.append(kept_at, count)[np.searchsorted(kept_at, firsts)]
    has_kept = first_kept < lasts
    prompts_at = np.array([i for i, reason in marks.items() if reason == BOILERPLATE], dtype=np.int64)
    prompts_at.sort()
    first_prompt = np.append(prompts_at, count)[np.searchsorted(prompts_at, firsts)]
    assembled = (ruled == 0) & ~((first_prompt < lasts) & (~has_kept | (first_prompt < first_kept)))
    asked = np.flatnonzero(assembled & has_kept)
    assembled[asked[np.fromiter(map(ends_questioning, map(lines.__getitem__, first_kept[asked].tolist())), dtype=bool,
                                count=len(asked))]] = False
    kept_before = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(~marked, out=kept_before[1:])
    early = np.flatnonzero(~marked & assembled[pages] & (kept_before[:-1] - kept_before[firsts][pages] < 3))
    dashed = np.zeros(len(firsts), dtype=bool)
    dashed[pages[early[lines_opening_dateline(list(map(lines.__getitem__, early.tolist())))]]] = True

    kept_lines = list(compress(lines, (~marked).tolist()))
    in_order = sorted(marks)   # the removed lines, page by page: page p's are pieces[bounds[p]:bounds[p + 1]]
    pieces = list(map(Removed, map(lines.__getitem__, in_order), map(marks.__getitem__, in_order)))
    bounds = np.searchsorted(np.array(in_order, dtype=np.int64), offsets).tolist()
    cleaned: list[Cleaned | None] = [None] * len(firsts)
    kept_starts, kept_ends = kept_before[firsts].tolist(), kept_before[lasts].tolist()
    for p in np.flatnonzero(assembled & dashed).tolist():
        a, b = int(firsts[p]), int(lasts[p])
        cleaned[p] = plain_page(lines[a:b], {i - a: marks[i] for i in range(a, b) if i in marks}, True)
    for p in np.flatnonzero(assembled & ~dashed).tolist():
        cleaned[p] = Cleaned("\n\n".join(kept_lines[kept_starts[p] : kept_ends[p]]), pieces[bounds[p] : bounds[p + 1]])
    return cleaned


def lines_opening_dateline(lines: list[str]) -> np.ndarray:
    """Whether each line has a dash after a space within its first DATELINE_REACH characters,
    where a dateline ends (`strip_dateline` needs one); looked for in one text of the lines'
    openings."""
    text = "\n".join(map(getitem, lines, repeat(slice(0, DATELINE_REACH))))
    lengths = np.fromiter(map(len, text.split("\n")), dtype=np.int64, count=len(lines)) if lines else np.zeros(0, dtype=np.int64)
    starts = np.cumsum(lengths + 1) - lengths - 1
    found = [position for dash in (" -", " –", " —") for position in find_all(text, dash)]
    opening = np.zeros(len(lines), dtype=bool)
    opening[np.searchsorted(starts, found, side="right") - 1] = True
    return opening
