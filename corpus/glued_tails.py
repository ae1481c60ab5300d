"""Furniture glued after a paragraph's last sentence in lower case: '… he said. read more',
'… kata petugas. advertisement', '… said. click here to read more'.

No sentence opens in lower case, but a sentence broken across lines may leave its start
there ('… the mayor said. and by Tuesday the residents'), so a lower-case tail is furniture only
when two or more pages of the corpus end a paragraph with the same words: a page's furniture
repeats across its site's pages, a broken sentence does not. `tail_hashes` counts them in the
first pass over the corpus (`corpus.clean`), `cut_lower_tail` cuts them from a paragraph the
page goes on after (`cut_tail`, asked by `corpus.clean_page`).
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np

from corpus import line_keys
from corpus.inline_credits import cut_capitalised_tail
from corpus.line_shapes import (MIN_SENTENCE_WORDS, NOT_A_SENTENCE, Removed, ends_like_sentence, is_punctuated, line_words,
                                trailing_fragment)

TAIL_SEED = 5
LEADING_NOTES = re.compile(r"^(?:[(\[][^()\[\]]*[)\]]\s*)+")   # a credit in brackets before the tail: its own rules
MAX_TAIL_WORDS = 12   # a longer fragment after the last sentence is more likely a sentence cut short
TAIL_DOCUMENTS = 2


def lower_tail(paragraph: str) -> str | None:
    """The fragment after the paragraph's last sentence (past credits in brackets) when it opens
    in lower case, has at most MAX_TAIL_WORDS words and no sentence end, and a sentence stands
    before it."""
    fragment = trailing_fragment(paragraph)
    tail = LEADING_NOTES.sub("", fragment)
    if not tail or not tail[0].islower() or len(line_words(tail)) > MAX_TAIL_WORDS or ends_like_sentence(tail):
        return None
    body = paragraph[: len(paragraph) - len(fragment)].rstrip()
    return tail if len(line_words(body)) >= MIN_SENTENCE_WORDS and is_punctuated(body) else None


def tail_hashes(texts_of: Callable[[list[int]], list[str]], words: np.ndarray, last_bytes: np.ndarray,
                pages: np.ndarray) -> np.ndarray:
    """One hash per page and lower-case tail its paragraphs end with (`lower_tail`), asked only
    of lines of a sentence and more that end in a letter (last byte a lower-case ASCII letter or not ASCII)."""
    ends = ((last_bytes >= ord("a")) & (last_bytes <= ord("z"))) | (last_bytes >= 0x80)
    at = np.flatnonzero(ends & (words > MIN_SENTENCE_WORDS))
    if not len(at):
        return np.zeros(0, dtype=np.uint64)
    tails = [lower_tail(text) for text in texts_of(at.tolist())]
    found = [i for i, tail in enumerate(tails) if tail]
    if not found:
        return np.zeros(0, dtype=np.uint64)
    keys = {(int(pages[at[i]]), line_keys.key_of(tails[i])) for i in found}
    return line_keys.hash_strings([key for _, key in keys], TAIL_SEED)


def cut_lower_tail(paragraph: str, tail_documents: Callable[[str], int]) -> tuple[str, list[Removed]]:
    """The paragraph without a lower-case tail that `tail_documents` (how many pages end a
    paragraph with the same words or hold them as a line) finds on two pages or more, and the tail cut."""
    tail = lower_tail(paragraph)
    if tail is None or tail_documents(line_keys.key_of(tail)) < TAIL_DOCUMENTS:
        return paragraph, []
    return paragraph[: len(paragraph) - len(tail)].rstrip(), [Removed(tail, NOT_A_SENTENCE)]


def documents_counter(documents_of: Callable[[np.ndarray], np.ndarray]) -> Callable[[str], int]:
    """`tail_documents` for `cut_lower_tail` from a count's `documents_of` (pages with the tail,
    and pages with it as a line, counted when short: 'advertisement')."""
    return lambda key: int(documents_of(np.concatenate([line_keys.hash_strings([key], TAIL_SEED),
                                                        line_keys.hash_strings([key], line_keys.KEY_SEED)])).sum())


def cut_tail(paragraph: str, tail_documents: Callable[[str], int]) -> tuple[str, list[Removed]]:
    """A paragraph the page goes on after without the tail after its last sentence: one in title
    case (`cut_capitalised_tail`) or a lower-case one other pages end a paragraph with too."""
    core, pieces = cut_capitalised_tail(paragraph)
    return (core, pieces) if pieces else cut_lower_tail(paragraph, tail_documents)
