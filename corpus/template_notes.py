"""Notes below the article that a site fills in page by page: an author's note ('Jo Park has
covered Asia since 2015.'), a repost notice ('This article first appeared on Site Name.',
'… with the title "Headline".').

Their names, numbers and quotations change from page to page, so neither the line nor the
article tells them (a number or a quotation keeps a short sentence from the prompt rules of
`corpus.reader_prompts`); the words left when those are taken out do repeat: a short sentence
below a page's paragraphs whose other words three or more pages hold there, at least half
of them filled in otherwise than this one (copies of one report share the whole line and keep
it), is a note. Such lines go to `corpus.reader_prompts.mark_prompts_below` as the lines many
pages end with do: cut only with chrome right above them and nothing but chrome below.
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np

from corpus import line_keys
from corpus.clean_lines import BatchLines
from corpus.line_shapes import WORD
from corpus.reader_prompts import PROMPT_WORDS, line_names, names_foreign

TEMPLATE_SEED = 6
OPENING_SEED = 8
OPENING_WORDS = 4      # the frame's opening: its first words
NOTE_DOCUMENTS = 3
NOTE_WORDS = 25        # a note is a sentence of at most this many words, below the page's longer lines
MIN_FRAME_WORDS = 3    # the words left must still say something
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»")


def frame_of(line: str) -> str | None:
    """The line's words but its names (capitalised words), numbers and quotations, case-folded
    and joined by spaces; None when no name after the first word, number or quotation was taken
    out, or fewer than MIN_FRAME_WORDS words are left."""
    unquoted = QUOTED.sub(" ", line)
    words = WORD.findall(unquoted)
    kept = [word.casefold() for word in words if not (word[0].isupper() or any(map(str.isdigit, word)))]
    filled = unquoted != line or len(words) - len(kept) > (1 if words and words[0][0].isupper() else 0)
    return " ".join(kept) if filled and len(kept) >= MIN_FRAME_WORDS else None


def candidates(batch: BatchLines) -> np.ndarray:
    """The lines that may be notes: below their page's last line of more than NOTE_WORDS words,
    on a page with a line that ends in no sentence end there too (the chrome a note needs around
    it), of up to NOTE_WORDS words (a note filled in with a headline may end without a full
    stop) that may hold a name or a number (a line of ASCII with one capitalised word and no
    digit holds none)."""
    key_words, pages = batch.key_words, batch.line_pages
    count = len(key_words)
    last_long = np.full(len(batch.offsets) - 1, count, dtype=np.int64)
    long_at = np.flatnonzero(key_words > NOTE_WORDS)
    last_long[pages[long_at]] = long_at   # ascending: the last one of each page stays
    last_chrome = np.full(len(last_long), -1, dtype=np.int64)
    chrome_at = np.flatnonzero(~batch.plain_end)
    last_chrome[pages[chrome_at]] = chrome_at
    at = np.flatnonzero((np.arange(count) > last_long[pages]) & (last_chrome[pages] > last_long[pages])
                        & (key_words >= MIN_FRAME_WORDS) & (key_words <= NOTE_WORDS))
    return at[~batch.few_capitals(at, 1) | batch.layout.non_ascii[at]]


def opening_of(frame: str) -> str | None:
    """The frame's first OPENING_WORDS words, None for a frame no longer than that."""
    words = frame.split(" ")
    return " ".join(words[:OPENING_WORDS]) if len(words) > OPENING_WORDS else None


def _frames(batch: BatchLines) -> tuple[np.ndarray, list[str]]:
    at = candidates(batch)
    frames = [frame_of(text) for text in batch.texts_of(at.tolist())]
    found = [i for i, frame in enumerate(frames) if frame]
    return at[found], [frames[i] for i in found]


def frame_hashes(batch: BatchLines) -> np.ndarray:
    """One hash per page and frame of its candidate lines, and per page and opening of a frame
    (`LineCounts.of_hashes` counts them)."""
    at, frames = _frames(batch)
    if not frames:
        return np.zeros(0, dtype=np.uint64)
    pages = batch.line_pages[at].tolist()
    distinct = set(zip(pages, frames))
    openings = {(page, opening) for page, opening in zip(pages, map(opening_of, frames)) if opening}
    return np.concatenate([line_keys.hash_strings([frame for _, frame in distinct], TEMPLATE_SEED),
                           line_keys.hash_strings([opening for _, opening in openings], OPENING_SEED)])


def template_notes(batch: BatchLines, documents_of: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Whether each line is a note filled in page by page (`documents_of`: a count's): its frame
    or, with names mostly foreign to the article, its frame's opening held by other pages."""
    found = np.zeros(len(batch.key_words), dtype=bool)
    at, frames = _frames(batch)
    if not frames:
        return found
    framed = documents_of(line_keys.hash_strings(frames, TEMPLATE_SEED))
    openings = [opening_of(frame) or "" for frame in frames]
    opened = np.where([bool(o) for o in openings], documents_of(line_keys.hash_strings(openings, OPENING_SEED)), 0)
    asked = np.flatnonzero((framed >= NOTE_DOCUMENTS) | (opened >= NOTE_DOCUMENTS))   # only these: the line's count
    whole = np.maximum(documents_of(batch.keys_hashed(at[asked])), 1)
    framed, opened, at = framed[asked], opened[asked], at[asked]
    by_frame = (framed >= NOTE_DOCUMENTS) & (framed >= 2 * whole)
    found[at] = by_frame & batch.plain_end[at]
    # a line without a sentence end, or held by its opening alone: only with foreign names
    for i in np.flatnonzero(~found[at] & (by_frame | ((opened >= NOTE_DOCUMENTS) & (opened >= 2 * whole)))).tolist():
        found[at[i]] = _foreign(batch, int(at[i]))
    return found


def _foreign(batch: BatchLines, line: int) -> bool:
    """Whether the line has names and fewer than half of them are used inside a sentence of its
    page's other lines of more than PROMPT_WORDS words (the article's paragraphs)."""
    names = line_names(batch.texts_of([line])[0])
    if not names:
        return False
    page = int(batch.line_pages[line])
    a, b = int(batch.offsets[page]), int(batch.offsets[page + 1])
    others = [i for i in range(a, b) if i != line and batch.key_words[i] > PROMPT_WORDS]
    return names_foreign(names, lambda: "\n".join(batch.texts_of(others)))
