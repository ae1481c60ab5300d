"""Bylines without a label at the top of a page: 'By Name', 'Written by Name', 'Von Name und
Name', 'Por Name'. They are shaped as a title in title case is, so neither the line nor the
page tells them from one; the corpus does: the words opening them (before the names) open such
lines at the top of other pages too, and the words after them are names (capitalised words the
corpus never writes in lower case), where a headline's are common words.

`opener_hashes` counts the openers in the first pass over the corpus (`corpus.clean`);
`corpus.clean_page` asks `is_byline` before it takes a line at the top for the title.

On a page alone, the article tells a credit from a title ('Reporter: Jo Park', 'Von Jo Park
und Ann Lee', 'Laporan Wartawan Site, Jo Park'): a title names what the article speaks of, a
credit names its writers, whom the article never names (`names_unused`).
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np

from corpus import line_keys
from corpus.line_shapes import LABEL, WORD, ends_like_sentence, is_name_list, line_words

OPENER_SEED = 7
TOP_LINES = 3          # a byline stands among a page's first lines
MAX_BYLINE_WORDS = 8
MAX_OPENER_WORDS = 2   # 'By', 'Written by'
CONNECTOR_CHARS = 3    # a word in lower case between two names joins them: 'und', 'and', 'y'
OPENER_DOCUMENTS = 2
DIGIT = re.compile(r"\d")


def opener_and_names(line: str) -> tuple[str, list[str]] | None:
    """The case-folded opening words and the names of a line shaped as a byline: a capitalised
    word and maybe a short one in lower case ('Written by'), then capitalised words (a short word
    in lower case may join two), no digit, label or sentence end; None for another line."""
    words = WORD.findall(line)
    if not 2 <= len(words) <= MAX_BYLINE_WORDS or not words[0][0].isupper() or ends_like_sentence(line) \
            or ":" in line:   # a label: the label rules tell ('Profile: Name' may be a title)
        return None
    start = 1
    while start < len(words) and start < MAX_OPENER_WORDS and words[start][0].islower() \
            and len(words[start]) <= CONNECTOR_CHARS:
        start += 1
    names = words[start:]
    if not names or not names[0][0].isupper() or not names[-1][0].isupper():
        return None
    for word in names:
        if not word.isalpha() or (word[0].islower() and len(word) > CONNECTOR_CHARS):
            return None
    return " ".join(word.casefold() for word in words[:start]), [word for word in names if word[0].isupper()]


def opener_hashes(batch) -> np.ndarray:
    """One hash per page and opener of a byline-shaped line among its first TOP_LINES lines
    (short lines without a sentence end only are read)."""
    offsets = batch.offsets
    pages = batch.line_pages
    at = np.flatnonzero((np.arange(len(pages)) - offsets[:-1][pages] < TOP_LINES) & ~batch.plain_end
                        & (batch.key_words >= 2) & (batch.key_words <= MAX_BYLINE_WORDS))
    found = {(page, shaped[0]) for page, shaped in zip(pages[at].tolist(), map(opener_and_names, batch.texts_of(at.tolist())))
             if shaped}
    return line_keys.hash_strings([opener for _, opener in found], OPENER_SEED) if found else np.zeros(0, dtype=np.uint64)


def opener_counter(documents_of: Callable[[np.ndarray], np.ndarray]) -> Callable[[str, str], tuple[int, int]]:
    """On how many pages an opener opens a byline-shaped line at the top, and how many carry the
    line itself, from a count's `documents_of`."""
    def documents(opener: str, line: str) -> tuple[int, int]:
        found = documents_of(np.concatenate([line_keys.hash_strings([opener], OPENER_SEED),
                                             line_keys.hash_strings([line_keys.key_of(line)], line_keys.KEY_SEED)]))
        return int(found[0]), int(found[1])
    return documents


def is_byline(line: str, opener_documents: Callable[[str, str], tuple[int, int]],
              seen_lowercase: Callable[[str], bool]) -> bool:
    """Whether a line at the top of a page is a byline: shaped as one, its opener opening such
    lines on OPENER_DOCUMENTS pages or more, at least half of them with other names (copies of
    one report share their headline), its first word a common one (written in lower case in the
    corpus: 'By', not a name) and its capitalised words names."""
    shaped = opener_and_names(line)
    if not shaped:
        return False
    openers, lines = opener_documents(shaped[0], line)
    return openers >= max(OPENER_DOCUMENTS, 2 * lines) and seen_lowercase(shaped[0].split()[0]) \
        and not any(seen_lowercase(name) for name in shaped[1])


def names_unused(line: str, seen_lowercase: Callable[[str], bool], article: Callable[[], str]) -> bool:
    """Whether the line is shaped as a credit ('Label: Names', or `opener_and_names` whose words
    the corpus writes in lower case all come before its names: 'Laporan Wartawan Site, Name';
    a title in title case has them after a name too) and fewer than half of its names
    (capitalised words the corpus never writes in lower case) open a word of the article's
    text as a word, in any case (`article()`, made when asked; `_inflected`): a credit names
    the writers, a title of names alone ('City v United') what the article speaks of."""
    label = LABEL.match(line) if ":" in line else None
    if label:
        value = label["value"]
        names = line_words(value) if value.strip() and is_name_list(value) and not DIGIT.search(value) else []
    else:
        shaped = opener_and_names(line)
        names = shaped[1] if shaped else []
        common = [seen_lowercase(word) for word in names]
        if False in common and True in common[common.index(False):]:
            return False
    names = {name for name in names if not seen_lowercase(name)}
    if not names:
        return False
    text = article()
    used = sum(bool(re.search(rf"(?<!\w){_inflected(name)}(?!\w)", text, re.IGNORECASE)) for name in names)
    return 2 * used < len(names)


def _inflected(name: str) -> str:
    """A pattern for the name as a word and, when long, with another ending of up to three
    letters ('Radcliffe', 'Europe' and 'European'); a short one only as it is ('Siti' is no
    'situation')."""
    return re.escape(name) if len(name) <= 5 else re.escape(name[:-1]) + r"\w{0,3}"
