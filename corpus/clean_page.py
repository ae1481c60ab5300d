"""The rules that judge one page's lines: why a line is chrome, which lines a page lists
as links to other articles, where its headline is, and what is trimmed off its content
paragraphs (see `corpus.clean` for the rules in words).

Only the lines `corpus.clean_lines.plain_content` could not settle come here one by one;
the page-wide rules (related links, titles above the body, the headline) see the others
as the content paragraphs they are.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Iterable

from corpus.clean_lines import PLAIN_ENDS, has_bracket_after_sentence, may_hold_mark
from corpus.line_keys import key_of
from corpus.related_links import (
    cut_glued_links,
    cut_related_link,
    is_common_words_headline,
    is_headline_after_label,
    is_linked_headline,
    label_line_labels,
    mark_related_links,
    opens_links,
)
from corpus.inline_credits import strip_inline_credits
from corpus.reader_prompts import mark_links_below, mark_prompts_below, mark_prompts_between
from corpus.line_shapes import (
    ALWAYS_CHROME,
    BOILERPLATE,
    CAPTION,
    CLOSERS,
    COPYRIGHT,
    COPYRIGHT_MARK,
    CREDIT,
    DATE,
    DATELINE,
    HEADLINE,
    LINK,
    LIST_ITEM,
    LONG_LINE_WORDS,
    MAX_CHROME_WORDS,
    MAX_HEADLINE_WORDS,
    MAX_LINK_LINE_WORDS,
    MIN_SENTENCE_WORDS,
    NOT_A_SENTENCE,
    RELATED_LINK,
    REPEATED,
    SENTENCE_BREAK,
    SHORT_SENTENCE_WORDS,
    TRUNCATED,
    URL,
    WORD,
    Removed,
    ends_after_sentence,
    ends_like_sentence,
    has_labels,
    is_credit,
    is_date_line,
    is_label_line,
    is_list_item,
    is_prose,
    is_punctuated,
    label_of,
    line_words,
    trailing_fragment,
    words_outside_addresses,
)
from corpus.bylines import TOP_LINES, is_byline, names_unused
from corpus.glued_tails import cut_tail
from corpus.paragraph_trims import ends_with_label_note, strip_dateline, strip_headline_echo, strip_trailing_credits
from corpus.captions import mark_captions, mark_credited_captions


BYLINE_LABEL_DOCUMENTS = 2   # a label opening chrome lines on this many pages opens no title
_ASCII_BYTES = bytes(range(0x80))
_ASCII_SEPARATORS = bytes(b for b in range(0x80) if not (chr(b).isalnum() or b == ord("_") or b == ord("\n")))


@dataclass
class Cleaned:
    """A document's content (paragraphs separated by blank lines) and what was removed, in order."""

    text: str
    removed: list[Removed] = field(default_factory=list)


@dataclass
class Page:
    """One document's non-empty lines with what its rules read."""

    lines: list[str]
    words: list[int]          # words per line (runs of \w)
    key_words: list[int]      # words per key (the same unless case folding splits a word)
    plain: list[bool]         # content paragraphs found without the rules
    unique: list[bool]        # lines whose words are certainly nowhere else on the page
    documents: list[int]      # how many documents carry each line (0 if not counted)
    labels: list[int]         # on how many documents the label of each line opens a chrome line
    tail_labels: list[int]    # the same for the label of a "Label: …" fragment after a line's last sentence (1 if it has one on no other page)
    prompts: list[bool]       # lines that pages end with after other lines each (furniture by repetition)
    closings: list[bool]      # short sentences that pages end with after other lines each (a prompt below chrome)

    @functools.cached_property
    def squashed(self) -> list[bytes]:
        """Each line's case-folded word characters without separators (UTF-8)."""
        return self.squashed_text.split(b"\n")

    @functools.cached_property
    def squashed_text(self) -> bytes:
        """The squashed lines joined by newlines: a line whose squashed form occurs once in it
        has its words nowhere else on the page. Made on bytes: one deletion of the ASCII
        separators, then one of each other separator the page holds."""
        text = "\n".join(self.lines)
        if text.isascii():
            return text.encode().lower().translate(None, _ASCII_SEPARATORS)
        data = text.casefold().encode("utf-8", "surrogatepass").translate(None, _ASCII_SEPARATORS)
        for char in set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")):
            if not (char.isalnum() or char == "_"):
                data = data.replace(char.encode("utf-8", "surrogatepass"), b"")
        return data


def _line_reason(line: str, page: Page, index: int, prose: list[bool], documents: int, label_documents: int,
                 seen_lowercase: Callable[[str], bool]) -> str | None:
    """Why a line is chrome, or None for a content paragraph (`documents`: how many documents carry
    its key; `label_documents`: on how many documents its label opens a chrome line;
    `seen_lowercase`: whether the corpus writes a word in lower case)."""
    n_words = page.key_words[index]
    line_words_known = page.words[index] if line is page.lines[index] else None   # not for a trimmed line
    if n_words <= MAX_CHROME_WORDS and may_hold_mark(line):
        if COPYRIGHT_MARK.search(line):
            return COPYRIGHT
        if URL.search(line):
            return LINK
    elif n_words <= MAX_LINK_LINE_WORDS and URL.search(line) \
            and (documents >= 2 or words_outside_addresses(line) <= MAX_CHROME_WORDS):
        return LINK   # short but for its addresses, or a note linking away that other pages carry too
    if is_date_line(line, line_words_known):
        return DATE
    if label_documents >= 2 and is_headline_after_label(line) and is_common_words_headline(line, seen_lowercase):
        return RELATED_LINK   # before the credit test, which takes a headline in title case for names
    if is_credit(line):
        return CREDIT
    if (label_documents >= 2 or (":" in line and is_linked_headline(line, True))) and is_headline_after_label(line):
        return RELATED_LINK
    if prose[index] and is_punctuated(line, line_words_known) and n_words > MIN_SENTENCE_WORDS and repeated_in_document(index, page, prose):
        return REPEATED
    if documents >= 2 and _is_boilerplate_shaped(line, prose[index], n_words, documents) or page.prompts[index]:
        return BOILERPLATE
    if prose[index] and line.endswith(("...", "…")) and n_words < 2 * LONG_LINE_WORDS and not SENTENCE_BREAK.search(line):
        return TRUNCATED
    if is_label_line(line):
        return NOT_A_SENTENCE
    if not prose[index] and not is_list_item(line):
        return NOT_A_SENTENCE
    return None


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


def repeated_in_document(index: int, page: Page, prose: list[bool]) -> bool:
    """The same words again later in the document, or inside a longer prose paragraph of it."""
    if page.unique[index] or len(page.lines) == 1 or page.squashed_text.count(page.squashed[index]) == 1:
        return False   # its word characters occur nowhere else on the page
    squashed = page.squashed[index]
    key = key_of(page.lines[index])
    for other, other_squashed in enumerate(page.squashed):
        if other == index or squashed not in other_squashed:   # then its key is not in the other's either
            continue
        other_key = key_of(page.lines[other])
        if other_key == key and other > index:
            return True
        if prose[other] and len(other_key) > len(key) and f" {key} " in f" {other_key} ":
            return True
    return False


def words_seen_lowercase(lines: Iterable[str]) -> Callable[[str], bool]:
    """Whether the corpus writes a word in lower case somewhere (a common word, not a name).

    The word list is built on the first question: most corpora never ask.
    """

    @functools.cache
    def lowercase_words() -> frozenset[str]:
        return frozenset(w.casefold() for line in lines for w in WORD.findall(line) if w[0].islower())

    return lambda word: word.casefold() in lowercase_words()


def clean_page(page: Page, seen_lowercase: Callable[[str], bool], label_documents: Callable[[str], int],
               tail_documents: Callable[[str], int],
               opener_documents: Callable[[str, str], tuple[int, int]]) -> Cleaned:
    """Clean one page: the lines not already found plain go through every rule (`seen_lowercase`:
    whether the corpus writes a word in lower case; `label_documents`: on how many documents a
    case-folded label opens a chrome line; `tail_documents`: how many end a paragraph with a
    lower-case tail, `corpus.glued_tails`; `opener_documents`: how many open a byline-shaped line
    at the top with the same words and how many carry the line, `corpus.bylines`)."""
    lines, words, documents, labels = page.lines, page.words, page.documents, page.labels
    cores = list(lines)                  # a credit after the last sentence does not make a line chrome
    trimmed: dict[int, list[Removed]] = {}
    punctuated = [True] * len(lines)
    prose = [True] * len(lines)
    undecided = [i for i, plain in enumerate(page.plain) if not plain]   # lines that go through every rule
    body_start = page_labels = None
    for i in undecided:
        line = lines[i]
        if line[-1] in ")]" or ":" in line or "/" in line or "|" in line or has_bracket_after_sentence(line):
            if page.tail_labels[i] and page_labels is None:
                page_labels = label_line_labels(lines)
            # a label that opens chrome on other pages or a label line of this page: a credit's before names
            chrome_label = page.tail_labels[i] >= 2 or (page.tail_labels[i] == 1 and label_of(trailing_fragment(line)) in page_labels)
            cores[i], pieces = strip_trailing_credits(line, i < len(lines) - 1, chrome_label)
            if ":" in cores[i] or "(" in cores[i] or "/" in cores[i] or "[" in cores[i]:
                cores[i], inside = strip_inline_credits(cores[i], seen_lowercase)
                pieces = inside + pieces
            if ":" in cores[i] or "|" in cores[i]:
                if body_start is None:   # the first paragraph-long sentence line: links may open the lines below it
                    body_start = next((j for j, line in enumerate(lines)
                                       if words[j] >= LONG_LINE_WORDS and ends_like_sentence(line)), len(lines))
                cores[i], glued = cut_glued_links(cores[i], seen_lowercase, label_documents, i > body_start)
                pieces = glued + pieces
            if page.tail_labels[i]:
                cores[i], link = cut_related_link(cores[i], page.tail_labels[i] >= 2, page_labels)
                pieces = link + pieces
            if i < len(lines) - 1 and words[i] > MIN_SENTENCE_WORDS and not ends_like_sentence(cores[i]):
                cores[i], tail = cut_tail(cores[i], tail_documents)   # the page goes on: no truncated sentence
                pieces += tail
            if pieces:
                trimmed[i] = pieces
            punctuated[i] = is_punctuated(cores[i]) or ends_after_sentence(cores[i])
        elif not (line[-1] in PLAIN_ENDS and page.key_words[i] > MAX_CHROME_WORDS and words[i] >= LONG_LINE_WORDS):
            if i < len(lines) - 1 and words[i] > MIN_SENTENCE_WORDS and not ends_like_sentence(line):
                cores[i], pieces = cut_tail(line, tail_documents)   # the page goes on: no truncated sentence
                if pieces:
                    trimmed[i] = pieces
            punctuated[i] = is_punctuated(cores[i]) or ends_after_sentence(cores[i]) if i in trimmed or not \
                ends_like_sentence(line) else is_punctuated(line, words[i])
        prose[i] = punctuated[i] or is_prose(cores[i], None if i in trimmed else words[i])
    if not undecided and not (lines and ends_questioning(lines[0])):
        return plain_page(lines, {}, True)
    reasons: list[str | None] = [None] * len(lines)
    for i in undecided:
        reasons[i] = _line_reason(cores[i], page, i, prose, documents[i], labels[i], seen_lowercase)
    if undecided:
        if len(lines) > 1:
            mark_related_links(lines, reasons, page.key_words, labels, undecided)
            if CREDIT in reasons:
                mark_captions(lines, reasons, page.key_words)
        if any(reasons[i] is None for i in undecided):   # else every line left is a plain, punctuated one
            _demote_outside_punctuated(cores, reasons, punctuated)
        mark_credited_captions(lines, cores, reasons, trimmed, page.key_words)
        mark_prompts_between(cores, reasons, page.key_words, documents)
        mark_prompts_below(cores, reasons, page.key_words, page.closings, page.prompts)
        mark_links_below(cores, reasons, page.key_words)
    article = functools.cache(lambda: "\n".join(core for core, reason in zip(cores, reasons) if reason is None))
    headline = _mark_headline(cores, reasons, bool(lines) and has_labels(lines[0]), labels,
                              lambda line: is_byline(line, opener_documents, seen_lowercase)
                              or names_unused(line, seen_lowercase, article))
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


def plain_page(lines: list[str], marks: dict[int, str], dashed: bool) -> Cleaned:
    """A page whose every line is content but for `marks` (line: its copyright or link reason):
    only a dateline may be trimmed (`dashed`: one of the first three kept lines has a dash
    where a dateline ends)."""
    kept = [line for i, line in enumerate(lines) if i not in marks] if marks else lines
    removed = [(i, Removed(lines[i], reason)) for i, reason in marks.items()]
    if dashed:
        at = [i for i in range(len(lines)) if i not in marks][:3]
        for k, line in enumerate(kept[:3]):
            rest = strip_dateline(line)
            if rest is not None:
                removed = sorted([*removed, (at[k], Removed(line[: len(line) - len(rest)].strip(), DATELINE))],
                                 key=lambda item: item[0])
                kept = [*kept[:k], rest, *kept[k + 1 :]]
                break
    return Cleaned("\n\n".join(kept), [piece for _, piece in removed])


def ends_questioning(line: str) -> bool:
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


def _mark_headline(lines: list[str], reasons: list[str | None], byline: bool, labels: list[int],
                   is_byline_line: Callable[[str], bool]) -> str | None:
    """Mark the headline: the first title-shaped line above the content (not a date, link or
    copyright; a credit-shaped line only as the very first line, and not when it held two
    labels before its credits were trimmed, `byline`; no line whose label opens chrome lines on
    other pages, `labels`: 'Reporter: Name', 'Read also: Headline', or other lines of the page,
    `opens_links`; no byline without a label,
    `is_byline_line`: 'By Name', a credit), or a first line that ends in a
    question, an exclamation or an ellipsis.

    Only a document with line structure has one: the headline must be followed by content.
    """
    if None not in reasons:
        return None
    first_content, last_content = reasons.index(None), len(reasons) - 1 - reasons[::-1].index(None)
    for i in range(first_content):
        n_words = len(line_words(lines[i]))
        shaped = (
            reasons[i] in (NOT_A_SENTENCE, RELATED_LINK)
            or (reasons[i] == BOILERPLATE and n_words > MIN_SENTENCE_WORDS)
            # "Profile: Name" opening the page is a title, "Reporter: Name | Editor: Name" a byline
            or (reasons[i] == CREDIT and i == 0 and not byline)
        )
        if shaped and MIN_SENTENCE_WORDS <= n_words <= MAX_HEADLINE_WORDS and not lines[i].endswith(":") \
                and labels[i] < BYLINE_LABEL_DOCUMENTS and not opens_links(lines, i):
            if i < TOP_LINES and is_byline_line(lines[i]):
                reasons[i] = CREDIT
                continue
            if ends_with_label_note(lines[i]):
                reasons[i] = CAPTION
                continue
            reasons[i] = HEADLINE
            return lines[i]
    first = next(i for i, r in enumerate(reasons) if r not in (DATE, CREDIT, COPYRIGHT, LINK))
    if reasons[first] in (None, TRUNCATED) and ends_questioning(lines[first]) and last_content > first:
        if len(line_words(lines[first])) <= MAX_HEADLINE_WORDS:
            reasons[first] = HEADLINE
            return lines[first]
    return None
