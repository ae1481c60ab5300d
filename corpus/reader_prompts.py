"""Short lines below the article, among its chrome, that speak to no news: app and
newsletter prompts, author and repost notes found on a single page ("Tap the bell to get
our alerts.", "Jo Park covers science for the site.").

A prompt that many pages end with is found by repetition (`corpus.clean`; a short one, which
may be a closing sentence reports share, only in the place described next); one that a
corpus holds once or twice has only its shape and its place: a short sentence without a
number or a quotation, whose names (capitalised words but a sentence's first) are mostly
ones the article's paragraphs never use, on a line of its own below the article, with
chrome right above it (not a link to another article, which may sit between two
paragraphs of the body) and nothing but chrome below it. The article's own last paragraph
follows a paragraph of the body, so it stays.
"""
from __future__ import annotations

import functools
import re
from itertools import compress, repeat
from operator import gt
from typing import Callable

import numpy as np

from corpus.clean_lines import BatchLines
from corpus.line_shapes import (
    BOILERPLATE,
    CAPTION,
    CLOSERS,
    LABEL,
    LINK,
    MAX_CHROME_WORDS,
    QUOTES,
    RELATED_LINK,
    REPEATED,
    SENTENCE_BREAK,
    TERMINAL_MARKS,
    URL,
    WORD,
    ends_like_sentence,
    line_words,
)

PROMPT = "prompt below the article"
PROMPT_IN_BODY = "prompt inside the article"
PROMPT_WORDS = 15           # a prompt is a short line ...
NOTE_WORDS = 60             # a note below the article that links away is a paragraph at most
MAX_SENTENCES = 2           # ... of one or two sentences
LINK_WORDS = 5              # a 'Label: …' line with this many words after its label links to an article
DIGIT = re.compile(r"\d")
QUOTE_MARKS = frozenset(QUOTES) | frozenset("”’»")
APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’](?=[^\W\d_])")   # inside a word ("today's", "don't"): no quotation mark
OPENING_BEFORE = re.compile(rf"[.!?…。！？।][{re.escape(CLOSERS)}]*\s+[\"'“‘«(]*$")   # what comes before a sentence's first word


@functools.lru_cache(maxsize=4096)
def sentence_names(line: str) -> tuple[str, ...] | None:
    """The names of a short line of one or two sentences without a number or a quotation (an
    apostrophe inside a word is none): its
    capitalised words but for each sentence's first (None for another line). Remembered: the
    prompts of a site recur on its pages."""
    words = line_words(line)
    if not 3 <= len(words) <= PROMPT_WORDS or not ends_like_sentence(line) or DIGIT.search(line) \
            or not QUOTE_MARKS.isdisjoint(APOSTROPHE.sub("", line)):
        return None
    openings = [0, *(m.start(1) for m in SENTENCE_BREAK.finditer(line))]
    if len(openings) > MAX_SENTENCES:
        return None
    return _names(line, openings)


def line_names(line: str) -> tuple[str, ...]:
    """The capitalised words of any line but for each sentence's first (quoted ones too)."""
    return _names(line, [0, *(m.start(1) for m in SENTENCE_BREAK.finditer(line))])


def _names(line: str, openings: list[int]) -> tuple[str, ...]:
    return tuple(m[0] for m in WORD.finditer(line) if m[0][0].isupper() and m.start() not in openings)


def article_text(lines: list[str], key_words: list[int]) -> str:
    """The article's paragraphs on a page: its lines of more than PROMPT_WORDS words, one text."""
    return "\n".join(compress(lines, map(gt, key_words, repeat(PROMPT_WORDS))))


def article_lines(key_words: np.ndarray) -> np.ndarray:
    """Where the paragraphs `article_text` joins are among lines of many pages, ascending."""
    return np.flatnonzero(key_words > PROMPT_WORDS)


def is_foreign_sentence(line: str, article: Callable[[], str]) -> bool:
    """A short sentence (`sentence_names`) fewer than half of whose names the article's
    paragraphs (`article()`, made when asked: `article_text`) use inside a sentence: the names the article speaks of come
    back in its paragraphs, the words of a prompt ('Follow us on Google News.', 'Abonnieren
    Sie unseren Newsletter.') do not, but for a word furniture glued to a paragraph may share
    ('Lesen Sie auch: …')."""
    found = sentence_names(line)
    if not found:
        return found is not None
    return names_foreign(found, article)


def names_foreign(found: tuple[str, ...], article: Callable[[], str]) -> bool:
    """Whether fewer than half of the names `found` are used inside a sentence of the article's
    paragraphs (`article()`, made when asked)."""
    names, text = _distinct_names(found), article()
    used, left = 0, len(names)   # stop once the count is settled either way
    for name in names:
        left -= 1
        if name in text and _inside_sentence(name, text):
            used += 1
            if 2 * used >= len(names):
                return False
        elif 2 * (used + left) < len(names):
            return True
    return 2 * used < len(names)


@functools.lru_cache(maxsize=4096)
def _distinct_names(found: tuple[str, ...]) -> tuple[str, ...]:
    """Each name once, the longest first: a long name is looked for fastest and is the likeliest
    to be missing from the article, which settles `is_foreign_sentence` soonest."""
    return tuple(sorted(set(found), key=lambda name: (-len(name), name)))


def _inside_sentence(name: str, text: str) -> bool:
    """Whether the word occurs in the text other than at the start of a line or a sentence, or
    after its line's last sentence end (what is glued there, 'Cek berita di Site News', is in
    no sentence)."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if at and not _is_word_char(text[at - 1]) and (end == len(text) or not _is_word_char(text[end])) \
                and text[at - 1] != "\n" and not OPENING_BEFORE.search(text, max(at - 8, 0), at) \
                and not TERMINAL_MARKS.isdisjoint(text[end : (text.find("\n", end) + 1 or len(text) + 1) - 1]):
            return True
        at = text.find(name, at + 1)
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def mark_prompts_below(lines: list[str], reasons: list[str | None], key_words: list[int], closings: list[bool],
                       prompts: list[bool]) -> None:
    """Mark the last lines kept (`reasons`: None for the lines kept so far), from the last up
    while each is a short sentence with no name of the article (`is_foreign_sentence`), or a
    short sentence many pages end with, each after another line (`closings`: names and numbers
    allowed, 'Follow our news on Site Name.'), when their run of kept lines has chrome right
    above it (not a link) and the article above that (a kept paragraph of more than
    PROMPT_WORDS words), and nothing but chrome below them (a sentence of the article's in the
    run stays, and so do the lines above it); then the run of kept lines above them the same
    way, when their whole run is prompts (a prompt marked is chrome above the run below it).
    Past the whole last run, below a line other pages repeat (which may be a sentence reports
    share), a prompt needs names (a note, a bio): an article may end with a short sentence
    without names there; not below a prompt that many pages hold, each after another line
    (`prompts`: a sentence reports share follows the same line in each)."""
    texts: dict[int, str] = {}

    def article(above: int) -> str:   # made when a sentence with names asks: the paragraphs above it
        if above not in texts:
            texts[above] = article_text(lines[:above], key_words[:above])
        return texts[above]

    end, upper = len(reasons), False
    while True:   # the runs of kept lines from the last up, while each is prompts (chrome for the next)
        while end and reasons[end - 1] is not None:
            end -= 1
        start = end - 1
        while start > 0 and reasons[start - 1] is None:
            start -= 1   # the last run of kept lines, one after another: start:end
        if start <= 0 or not _chrome_above(lines[start - 1], reasons[start - 1]) \
                or _first_paragraph(reasons, key_words, 0, start - 1) < 0:
            return   # no article above it (a paragraph of some length), or right below a link
        first = _prompts_from(lines, key_words, closings, start, end, article, named=False)
        if (first > start or upper) and reasons[start - 1] == BOILERPLATE and not prompts[start - 1]:
            # (may be a line reports share)
            first = _prompts_from(lines, key_words, closings, start, end, article, named=True)
        for i in range(first, end):
            reasons[i] = PROMPT
        if first > start:
            return
        end, upper = start, True


def _prompts_from(lines: list[str], key_words: list[int], closings: list[bool], start: int, end: int,
                  article: Callable[[int], str], named: bool) -> int:
    """The first of the lines start:end that are prompts from the last up (`mark_prompts_below`;
    `article(i)`: the paragraphs above line i, not the notes below it); `named`: a sentence
    without names (a short closing paragraph of the article has that shape too) is not one.
    Below a paragraph of more than PROMPT_WORDS words in the run, the article goes on below the
    chrome above the run (an app box between its paragraphs): its short last lines are its own
    but for those many pages end with (`closings`)."""
    first = end
    while first > start and (closings[first - 1] or (key_words[first - 1] <= PROMPT_WORDS
                                                     and (not named or sentence_names(lines[first - 1]))
                                                     and is_foreign_sentence(lines[first - 1], lambda: article(first - 1)))):
        first -= 1
    if first > start and key_words[first - 1] > PROMPT_WORDS:   # below a paragraph: the article goes on below the chrome
        while first < end and not closings[first]:
            first += 1   # its short last lines are its own, but for those many pages end with
    return first


def mark_links_below(lines: list[str], reasons: list[str | None], key_words: list[int]) -> None:
    """Mark the last lines kept that hold a web address, of up to NOTE_WORDS words, when the
    article stands above them (a kept line without an address right above, a kept paragraph
    of more than PROMPT_WORDS words somewhere above) and nothing but chrome below them: a note or a prompt that links away ('This
    article first appeared on … Read it at https://…', 'Join our channel: https://…'), too
    long for a line of links (`MAX_CHROME_WORDS`)."""
    found = []
    for i in range(len(lines) - 1, -1, -1):
        if reasons[i] is not None:
            continue
        if key_words[i] > NOTE_WORDS or not _holds_address(lines[i]):
            break
        found.append(i)
    else:
        return   # no article above them
    if found and _first_paragraph(reasons, key_words, 0, i + 1) >= 0:
        for j in found:
            reasons[j] = LINK


def mark_prompts_between(lines: list[str], reasons: list[str | None], key_words: list[int], documents: list[int]) -> None:
    """Mark a kept line inside the body that is a short sentence without a number, a quotation
    or names the article's paragraphs use (`is_foreign_sentence`: German capitalises its nouns
    too), standing alone between two
    short chrome lines (`_box_line`), one of them found on other pages too (`documents`: how
    many documents carry each line), with a paragraph of the article (more than PROMPT_WORDS
    words) somewhere above and below it: a prompt in a box between paragraphs ('Get the
    app' / 'Tap the icon to download it.' / 'App Store'). A paragraph of the article between
    two links to other articles stays, and so does a one-sentence section between two
    headings of its page (headings are the page's own)."""
    first = _first_paragraph(reasons, key_words, 0, len(reasons))
    back = _first_paragraph(reasons[::-1], key_words[::-1], 0, len(reasons) - 1 - first) if first >= 0 else -1
    if back < 0:
        return   # fewer than two paragraphs
    for i in range(first + 2, len(reasons) - 1 - back - 1):
        if reasons[i] is None and key_words[i] <= PROMPT_WORDS and max(documents[i - 1], documents[i + 1]) >= 2 \
                and _box_line(lines[i - 1], reasons[i - 1], key_words[i - 1]) \
                and _box_line(lines[i + 1], reasons[i + 1], key_words[i + 1]) \
                and is_foreign_sentence(lines[i], lambda: article_text(lines, key_words)):
            reasons[i] = PROMPT_IN_BODY


def _box_line(line: str, reason: str | None, key_words: int) -> bool:
    """A short chrome line around a prompt in the body: not a link, no sentence in it or
    quoted, and not a line that introduces the next ('… said:', 'Label:')."""
    return key_words <= PROMPT_WORDS and _chrome_above(line, reason) and not ends_like_sentence(line) \
        and not line.endswith(":") and QUOTE_MARKS.isdisjoint(line)


def _first_paragraph(reasons: list[str | None], key_words: list[int], start: int, end: int) -> int:
    """The first kept line (`reasons`: None) of more than PROMPT_WORDS words among start:end, -1
    if none: the kept lines are found by `list.index`, quicker than a loop over the chrome."""
    try:
        while True:
            start = reasons.index(None, start, end)
            if key_words[start] > PROMPT_WORDS:
                return start
            start += 1
    except ValueError:
        return -1


def _holds_address(line: str) -> bool:
    """`URL` found in the line, looked for only when a piece either of its forms needs is there
    (quicker: the regex ignores case)."""
    return ("://" in line or "w." in line or "W." in line) and bool(URL.search(line))


def _chrome_above(line: str, reason: str | None) -> bool:
    """Chrome, but not a link (to another article, or an address), a pull quote (a line the
    page repeats) nor a picture's caption (a line that ends with its credit): each may stand
    between two paragraphs of the body, so none tells that the article has ended."""
    if reason is None or reason in (RELATED_LINK, LINK, CAPTION, REPEATED):
        return False
    label = ":" in line and LABEL.match(line)   # (a label needs its colon: the quick test first)
    return not (label and len(line_words(label["value"])) >= LINK_WORDS)


def may_hold_prompts(batch: BatchLines, plain: np.ndarray) -> np.ndarray:
    """The plain lines `mark_prompts_below` and `mark_prompts_between` may claim: short ones
    with a line above them that is not plain, below the page's last long plain line (a line it
    keeps below them would be kept by the rules too) or with a line below them that is not
    plain either, shaped as short sentences without a number or a quotation (their pages must go
    through the rules)."""
    count = len(plain)
    pages = batch.line_pages
    short = plain & (batch.key_words <= PROMPT_WORDS)
    below = np.zeros(count, dtype=bool)
    below[1:] = ~plain[:-1] & (pages[1:] == pages[:-1])
    long_at = np.flatnonzero(plain & (batch.key_words > PROMPT_WORDS))
    last_long = np.full(len(batch.offsets) - 1, -1, dtype=np.int64)
    last_long[pages[long_at]] = long_at   # ascending: the last one of each page stays
    above = np.zeros(count, dtype=bool)
    above[:-1] = ~plain[1:] & (pages[:-1] == pages[1:])
    at = np.flatnonzero(short & below & ((np.arange(count) > last_long[pages]) | above))
    at = at[batch.few_capitals(at, PROMPT_WORDS)]   # no number
    found = np.zeros(count, dtype=bool)
    found[at] = [sentence_names(text) is not None for text in batch.texts_of(at.tolist())]
    return found


def may_hold_links(batch: BatchLines, plain: np.ndarray) -> np.ndarray:
    """The plain lines `mark_links_below` may claim: the last plain line of a page (every line
    below it is chrome), longer than a line of links (MAX_CHROME_WORDS words,
    `corpus.plain_pages.mark_lines`) and up to NOTE_WORDS, holding a web address (their pages
    go through the rules)."""
    found = np.zeros(len(plain), dtype=bool)
    at = np.flatnonzero(plain)
    last = np.full(len(batch.offsets) - 1, -1, dtype=np.int64)
    last[batch.line_pages[at]] = at   # ascending: the last one of each page stays
    last = last[last >= 0]
    last = last[(batch.key_words[last] > MAX_CHROME_WORDS) & (batch.key_words[last] <= NOTE_WORDS)]
    found[last] = [bool(URL.search(text)) for text in batch.texts_of(last.tolist())]
    return found
