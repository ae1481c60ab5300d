"""Credits and link prompts glued inside a content paragraph, between its sentences.

Crawled text often loses the line break around a photo credit or a related-article
link, so the credit lands inside a paragraph: "… said. (Photo: Agency) Next …",
"… said. Foto: AGENCY/Name Name Next …", "… said. / Photo: Agency Next …", or,
after the last sentence, "… said. AGENCY PHOTO/SOURCE/ Name …"; a picture's caption may come
with its credit, glued before a sentence: "Firefighters on the hill (Photo: Agency) Next …". Found by shape
only (a label and proper names, an all-capitals agency with a slash), never by
a list of phrases, and cut out of the paragraph, which stays content.
"""
from __future__ import annotations

import re
from typing import Callable

from corpus.line_shapes import (
    CAPTION,
    CAPTION_WORDS,
    CLOSERS,
    CREDIT,
    INLINE_CREDIT,
    LAST_SENTENCE_END,
    LONG_LINE_WORDS,
    NOT_A_SENTENCE,
    SENTENCE_END,
    Removed,
    ends_like_sentence,
    is_capitalised,
    is_label_credit,
    is_prose,
    is_punctuated,
    is_title_cased,
    line_words,
    trailing_fragment,
)
from corpus.paragraph_trims import bracket_credit, bracketed

INNER_BRACKET = re.compile(r"\s*(?:\((?P<credit>[^()]{2,80})\)|\[(?P<square>[^\[\]]{2,80})\])")
# At the paragraph's start or after a sentence end: an optional "/" or "|", a label of up to three words and a colon.
LABEL_AFTER_SENTENCE = re.compile(
    rf"(?:^|(?<=[.!?…])[{re.escape(CLOSERS)}]*)(?P<gap>\s*(?:[/|]\s*)?)(?P<label>[^\W\d_][\w'’-]*(?: [\w'’-]+){{0,2}}) ?: ?(?=\S)")
# An agency in capitals with a slash: "AGENCY/Name", "AGENCY PHOTO/SOURCE/".
SLASH_CREDIT = re.compile(r"^[^\W\d_a-z]{2,}(?: [^\W\d_a-z]{2,})?/")
# A credit glued after a caption: '(Label: Names)' or ' / Label: ' before a name.
GLUED_CAPTION_CREDIT = re.compile(r"\s\((?P<bracket>[^()]{2,80})\)\s|\s[/|]\s*[^\W\d_]+(?: [^\W\d_]+){0,2} ?: ?(?=\S)")
TICKER = re.compile(r"^[^\W\d_a-z]+ ?: ?[^\W\d_a-z]{1,5}$")   # 'NYSE: AB' after a company's name: no credit
CAPTION_STARTS = (". ", "! ", "? ", "\u2026 ")   # a caption glued inside a paragraph starts after a sentence
MAX_CREDIT_NAMES = 3
CAPTION_CREDIT_NAMES = 2   # after a caption, a third capitalised word is more often the next sentence's
MAX_TAIL_WORDS = 12   # a capitalised tail after the last sentence is a credit or a prompt, not a paragraph


def strip_inline_credits(paragraph: str, seen_lowercase: Callable[[str], bool]) -> tuple[str, list[Removed]]:
    """The paragraph without credits between its sentences, and the credits cut out."""
    pieces: list[Removed] = []
    if ":" in paragraph:
        paragraph = _cut_glued_captions(paragraph, pieces, seen_lowercase)
    if "(" in paragraph or "[" in paragraph:
        paragraph = _cut_brackets(paragraph, pieces)
    if ":" in paragraph:
        paragraph = _cut_labels(paragraph, pieces, seen_lowercase)
    if "/" in paragraph:
        paragraph = _cut_trailing_slash_credit(paragraph, pieces)
    return (" ".join(paragraph.split()) if pieces else paragraph), pieces


def _cut_glued_captions(paragraph: str, pieces: list[Removed], seen_lowercase: Callable[[str], bool]) -> str:
    """A picture's caption with its credit, glued before a sentence at the paragraph's start or
    after a sentence end: 'Caption words (Label: Names) Next …', 'Caption words / Label: Names
    Next …'. The caption is a short run of words without a sentence end or a quotation that
    opens like a sentence; the credit is a label of words and names (the names the most that leave a
    capitalised sentence after them; a stock ticker after a company's name is none); the
    paragraph goes on with a sentence."""
    for credit in GLUED_CAPTION_CREDIT.finditer(paragraph):
        start = max(paragraph.rfind(end, 0, credit.start() + 1) for end in CAPTION_STARTS)
        start = 0 if start < 0 else start + 2
        caption = paragraph[start : credit.start()].strip()
        if not caption or not is_capitalised(caption) or not 2 <= len(line_words(caption)) <= CAPTION_WORDS or \
                any(mark in caption for mark in ":()[]/|\"“”") or ends_like_sentence(caption):   # no quotation, no sentence
            continue
        if credit["bracket"] is not None:
            end = credit.end()
            rest = paragraph[end:].lstrip()
            if not is_label_credit(credit["bracket"]) or TICKER.match(credit["bracket"]) or not rest or \
                    not is_capitalised(rest) or not is_prose(rest):
                continue
        else:
            end = _credit_names(paragraph, credit.end(), seen_lowercase, CAPTION_CREDIT_NAMES)
            if end is None:
                continue
        pieces.append(Removed(paragraph[start:end].strip(), CAPTION))
        return _cut_glued_captions(paragraph[:start] + paragraph[end:].lstrip(), pieces, seen_lowercase)
    return paragraph


def _cut_brackets(paragraph: str, pieces: list[Removed]) -> str:
    """'(Label: Names)' inside a paragraph, and after a sentence end also '(Site.com/Name)',
    '(Agency, 5 Dec 2021)', '(abc/de)' (one closing the paragraph is a trailing credit, found elsewhere)."""
    kept, last = [], 0
    for match in INNER_BRACKET.finditer(paragraph):
        if not paragraph[match.end() :].strip():
            continue
        after_sentence = match.start() > 0 and paragraph[match.start() - 1] in SENTENCE_END
        if match["credit"] is None and not after_sentence:
            continue   # square brackets open a headline's tag ('[Update: …] Headline'): only after a sentence
        reason = bracket_credit(bracketed(match), after_sentence)
        if reason:
            kept.append(paragraph[last : match.start()])
            pieces.append(Removed(match[0].strip(), reason))
            last = match.end()
    return "".join(kept) + paragraph[last:] if kept else paragraph


def _cut_labels(paragraph: str, pieces: list[Removed], seen_lowercase: Callable[[str], bool]) -> str:
    """'Label: AGENCY/Name' or '/ Label: Name' opening the paragraph or right after a sentence
    end, before the next sentence."""
    for match in LABEL_AFTER_SENTENCE.finditer(paragraph):
        if not all(is_capitalised(word) for word in match["label"].split()):
            continue
        names = _credit_names(paragraph, match.end(), seen_lowercase)
        slashed = "/" in match["gap"] or "|" in match["gap"]
        if names is None or not (slashed or SLASH_CREDIT.match(paragraph[match.end() :])):
            continue
        start = match.start("gap")
        pieces.append(Removed(paragraph[start:names].strip(" /|"), INLINE_CREDIT))
        return _cut_labels(paragraph[:start] + " " + paragraph[names:].lstrip(), pieces, seen_lowercase)
    return paragraph


def _credit_names(text: str, start: int, seen_lowercase: Callable[[str], bool], most: int = MAX_CREDIT_NAMES) -> int | None:
    """Where the names of a credit starting at `start` end: up to `most` capitalised tokens
    without digits (slashes join names), the most that leave a capitalised sentence
    after them."""
    ends, position = [], start
    for token in re.finditer(r"\S+", text[start:]):
        word = token[0]
        plain = word.strip("/")
        if len(ends) == most or not plain or not is_capitalised(plain) or any(ch.isdigit() for ch in plain) or (
                "/" not in word and not plain.isupper() and seen_lowercase(plain)):
            break
        position = start + token.end()
        ends.append(position)
    for end in reversed(ends):
        rest = text[end:].lstrip()
        if rest and is_capitalised(rest) and is_prose(rest):
            return end
    return None


def _cut_trailing_slash_credit(paragraph: str, pieces: list[Removed]) -> str:
    """An unpunctuated tail after the last sentence that opens with an agency credit
    ('AGENCY PHOTO/SOURCE/ …'): the whole tail, whatever follows the credit on the page."""
    last = LAST_SENTENCE_END.match(paragraph)
    if not last:
        return paragraph
    tail = paragraph[last.end() :].strip()
    if not SLASH_CREDIT.match(tail) or ends_like_sentence(tail) or not is_prose(paragraph[: last.end()]):
        return paragraph
    pieces.append(Removed(tail, CREDIT))
    return paragraph[: last.end()].rstrip()


def cut_capitalised_tail(paragraph: str) -> tuple[str, list[Removed]]:
    """A tail after the paragraph's last sentence written as names and titles are ('… said.
    Reporting by Name; Editing by Name', '… said. Watch The Video Below'), of at most
    MAX_TAIL_WORDS words: cut, when a paragraph-long sentence stands before it (a sentence
    the excerpt cut short is mostly in lower case; ask only of a paragraph the page goes on after)."""
    tail = trailing_fragment(paragraph)
    if not tail or len(line_words(tail)) > MAX_TAIL_WORDS or not is_title_cased(tail):
        return paragraph, []
    body = paragraph[: len(paragraph) - len(tail)].rstrip()
    if len(line_words(body)) < LONG_LINE_WORDS or not is_punctuated(body):
        return paragraph, []
    return body, [Removed(tail, NOT_A_SENTENCE)]
