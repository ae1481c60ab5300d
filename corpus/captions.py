"""Photo captions on a page: a short line above its picture's credit line, or ending with the
credit on its own line (`corpus.clean_page` asks, once the lines have their first reasons).

A caption describes a picture in a short line; the credit below it or at its end tells it from
the article's sentences. A headline after a label-only line is a link's (the line above it is
content), and a quotation with a credit glued to it is the article's.
"""
from __future__ import annotations

from corpus.line_shapes import (
    BOILERPLATE,
    CAPTION,
    CAPTION_WORDS,
    CREDIT,
    INLINE_CREDIT,
    LABEL,
    NOT_A_SENTENCE,
    SENTENCE_BREAK,
    Removed,
    ends_like_sentence,
    has_labels,
    is_name_list,
    line_words,
)
from corpus.template_notes import QUOTED

CREDIT_WORDS = 4     # a picture's credit named in words ("screen capture") is shorter than a headline
CREDIT_NAMES = 5     # ... and so is one of names ('ANTARA FOTO/Name Name Name'; 'Lima Fakta Soal Kereta Cepat' links)


def mark_captions(lines: list[str], reasons: list[str | None], key_words: list[int]) -> None:
    """A short line followed by a label-only credit line ("Photo:") and the credit's own line
    (names, or a few words: a headline after a label-only line is a link, and the line above
    it content), with content after them, is the caption of a picture; so is a short sentence
    followed by a credit line of one label and a few words ('Photo: Agency'), with content after."""
    for i in range(len(lines) - 2):
        if reasons[i] not in (None, BOILERPLATE) or key_words[i] > CAPTION_WORDS or reasons[i + 1] != CREDIT \
                or not (label := LABEL.match(lines[i + 1])) or not any(reason is None for reason in reasons[i + 2 :]):
            continue
        if not label["value"]:
            if i + 3 < len(lines) and reasons[i + 2] is not None \
                    and (key_words[i + 2] <= CREDIT_WORDS or (is_name_list(lines[i + 2]) and key_words[i + 2] <= CREDIT_NAMES)) \
                    and any(reason is None for reason in reasons[i + 3 :]):
                reasons[i] = CAPTION
        elif is_short_credit(lines[i + 1]) and ends_like_sentence(lines[i]) and not SENTENCE_BREAK.search(lines[i]):
            reasons[i] = CAPTION


def is_short_credit(text: str) -> bool:
    """'Label: a few words' with one label: a picture's credit ('Photo: Agency', 'Foto: dok. Name')."""
    label = LABEL.match(text)
    return bool(label) and not has_labels(text) and 0 < len(line_words(label["value"])) <= CREDIT_WORDS


def mark_credited_captions(lines: list[str], cores: list[str], reasons: list[str | None],
                           trimmed: dict[int, list[Removed]], key_words: list[int]) -> None:
    """A short line, one sentence or phrase, that ended with a picture's credit ('(Photo:
    Name)', '… / Photo: Name', 'AGENCY PHOTO/Name': a label credit, or an agency's with a
    slash) is the caption of that picture, on the same line as its credit: removed whole, when
    content follows it (a short last paragraph with a credit may be the article's own ending)
    and it quotes no one (a quotation is the article's).
    A line that is no sentence or that other pages repeat, with a picture's credit at its end, is
    a caption too (named for what it is: the line below it is no prompt below the article,
    `corpus.reader_prompts`, and no title)."""
    for i, pieces in trimmed.items():
        credit = pieces[-1]
        if reasons[i] not in (None, NOT_A_SENTENCE, BOILERPLATE) or not lines[i].endswith(credit.text) \
                or not (credit.reason == INLINE_CREDIT or (credit.reason == CREDIT and ("/" in credit.text or is_short_credit(credit.text)))) \
                or SENTENCE_BREAK.search(cores[i]):
            continue
        if reasons[i] in (NOT_A_SENTENCE, BOILERPLATE) or (key_words[i] <= CAPTION_WORDS and not QUOTED.search(cores[i])
                                                          and any(reason is None for reason in reasons[i + 1 :])):
            reasons[i] = CAPTION
