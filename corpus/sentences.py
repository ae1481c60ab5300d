"""Split content into sentences, one paragraph at a time.

Paragraphs (lines) are split apart first, so a sentence never spans two of
them. Inside a paragraph `sentencex` finds the boundaries (it keeps quotes
such as “…,” said X together and knows common abbreviations). It sees every
double quote as a straight one: real text mixes “ with ", and a curly quote
left open would otherwise swallow the rest of the paragraph, and a hyphen
joining a word to a capitalised one as a space, so that it knows the abbreviation
after it (a wire headline's "UPDATE 1-Mt. Gox files ..."). Its rules are
those of `language`; boundaries it gets wrong in other languages are repaired
by two rules that hold in any cased script: a piece that starts in lower case
continues the sentence before it ("etc. and so on"), and a piece with fewer
than two words (a stray number or initial) joins its neighbour.
"""

from __future__ import annotations

import re

from sentencex import segment

from corpus.line_shapes import ends_like_sentence

MIN_WORDS = 2
ENOUGH_WORDS = re.compile(r"\w(?:\W+\w+){%d}" % (MIN_WORDS - 1))   # found in a piece of MIN_WORDS words or more
CURLY_QUOTES = re.compile("[“”„‟«»〝〞＂]")    # each made '"' (one character for one: positions hold)
FIRST_ALNUM = re.compile(r"[^\W_]")             # a character str.isalnum() accepts
HYPHEN_JOIN = re.compile(r"(?<=\w)[-‐‑–](?=[A-Z])")     # each made " " for sentencex (positions hold)
CUT_MARK = " …"     # after a sentence the page's text stops in


def split_sentences(text: str, language: str = "en") -> list[str]:
    """The sentences of a text, whitespace normalised, in order."""
    return [sentence for paragraph in split_paragraphs(text, language) for sentence in paragraph]


def split_paragraphs(text: str, language: str = "en") -> list[list[str]]:
    """The sentences of each paragraph (non-blank line) of a text, in order."""
    paragraphs = (" ".join(line.split()) for line in text.splitlines())
    return [_merge_fragments(_segment(paragraph, language)) for paragraph in paragraphs if paragraph]


def mark_cut_end(paragraphs: list[list[str]], text: str) -> list[list[str]]:
    """The paragraphs, their last sentence marked with CUT_MARK when the page's text (`text`,
    before cleaning) stops in it, without a sentence's end: an excerpt cut short ('… spent
    months criticizing Russian', '… dari manajemen ker'). A report shows it as the fragment it is."""
    last = paragraphs[-1][-1] if paragraphs and paragraphs[-1] else ""
    if not last or ends_like_sentence(last):
        return paragraphs
    end = text.rstrip()
    if not end.endswith(last) and not " ".join(end[-2 * len(last) - 200 :].split()).endswith(last):
        return paragraphs
    return paragraphs[:-1] + [paragraphs[-1][:-1] + [last + CUT_MARK]]


def _segment(paragraph: str, language: str) -> list[str]:
    """sentencex's pieces of a paragraph, cut from the original text (quotes as written)."""
    straight = HYPHEN_JOIN.sub(" ", paragraph if paragraph.isascii() else CURLY_QUOTES.sub('"', paragraph))
    pieces, start = [], 0
    for piece in segment(language, straight):
        piece = piece.strip()
        if piece:
            at = straight.find(piece, start)
            pieces.append(paragraph[at : at + len(piece)])
            start = at + len(piece)
    return pieces


def _merge_fragments(pieces: list[str]) -> list[str]:
    """Join pieces that cannot stand alone to the sentence before (or, first, after) them."""
    merged: list[str] = []
    for piece in pieces:
        if merged and (_starts_lowercase(piece) or _too_short(piece) or _too_short(merged[-1])):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def _starts_lowercase(piece: str) -> bool:
    """Whether the first letter or digit of a piece is lower case."""
    first = FIRST_ALNUM.search(piece)
    return first is not None and first.group().islower()


def _too_short(piece: str) -> bool:
    """Fewer than MIN_WORDS words (`\\w+`); a search that stops at the last of them."""
    return ENOUGH_WORDS.search(piece) is None
