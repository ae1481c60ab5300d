"""A heading for every story: the title of its most central report, or, when that
report has no title, the opening words of its lead sentence.

A heading has to say something: a title of fewer than MIN_TITLE_WORDS words (a
counter `1 of 7`, a bare `|`) or a lead sentence of fewer than MIN_WORDS (also
`Lung cancer.`) gives way to the next sentence of the lead; a note in square
brackets opening the lead (`[ there was a video here ]`) is left out; of a title
or sentence cut by pipes (`Headline | Site`, `Updated | Lead …`) the longest part
heads. A heading two stories would share tells neither apart (`Skip ad ad
loading...` opening unrelated pages): `story_headings` takes the next one for them.

The most central report is the one with the highest summed similarity to the
story's other reports, measured on what clustering already has: the unit term
vectors of the story stage, so report i scores v_i . (sum of the story's v_j) - v_i . v_i
(its summed cosine to every other member), for all stories at once in one pass over
the vectors' non-zeros. Near-duplicates are not in the term space and never win
(the document kept in their place stands for them). Ties go to the report first in
input order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import dropwhile
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from corpus.sentences import split_sentences
from corpus.stories import StoryResult

LEAD_WORDS = 12
LEAD_CHARS = 400        # of each lead line, enough for LEAD_WORDS words and the end of a short sentence
LEAD_SENTENCES = 5      # of the lead looked at for a heading that says something
MIN_WORDS = 3           # of a heading from the lead (`_word_count`)
MIN_TITLE_WORDS = 2     # of a title (`Newcastle 2-1 Bolton`; not `1 of 7`)
SHARING_ROUNDS = 3      # of passing over the headings stories share
SCORE_DECIMALS = 9      # centrality rounded so that float noise never decides a tie


def central_documents(result: StoryResult, stories: Sequence[Sequence[int]]) -> list[int]:
    """For each story (its members' input indices, in input order) the input index of
    its most central member."""
    graph = result.graph
    vectors = graph.space.vectors.tocsr()
    story_of = np.full(len(result.labels), -1, dtype=np.int64)
    for number, members in enumerate(stories):
        story_of[np.asarray(members, dtype=np.int64)] = number
    rows = np.repeat(np.arange(vectors.shape[0]), np.diff(vectors.indptr))
    keys = story_of[graph.docs][rows] * np.int64(vectors.shape[1]) + vectors.indices
    distinct, inverse = np.unique(keys, return_inverse=True)
    story_sums = np.bincount(inverse, weights=vectors.data, minlength=len(distinct))
    others = vectors.data * (story_sums[inverse] - vectors.data)
    centrality = np.full(len(result.labels), -np.inf)
    centrality[graph.docs] = np.round(np.bincount(rows, weights=others, minlength=vectors.shape[0]), SCORE_DECIMALS)
    return [members[int(np.argmax(centrality[np.asarray(members)]))] for members in stories]


def story_headings(offers: Callable[[int], Iterable[tuple[str, str]]], fallback: Callable[[int], str],
                   count: int) -> list[str]:
    """The headings of `count` stories: each story's first offer (`offers(i)`, its
    reports' `heading_candidates` best first) that no two stories share, letter case
    aside, else `fallback(i)`. Of a shared offer, one cut short is shown at its
    longer cut (a wire lead's opening); a whole one is passed over (chrome).
    SHARING_ROUNDS rounds of it."""
    passed: set[str] = set()
    longer: set[str] = set()

    def first(story: int) -> tuple[str, str]:
        for short, long in offers(story):
            if short.casefold() not in passed:
                return short.casefold(), (long if short.casefold() in longer else short)
        found = fallback(story)
        return found.casefold(), found

    found = [first(story) for story in range(count)]
    for _ in range(SHARING_ROUNDS):
        shared = {key for key, n in Counter(key for key, _ in found).items() if n > 1} - passed - longer
        if not shared:
            break
        for key in shared:
            (longer if key.endswith(" …") else passed).add(key)
        found = [first(story) if key in shared else (key, shown) for story, (key, shown) in enumerate(found)]
    return [shown for _, shown in found]


def heading(title: str | None, text: str) -> str:
    """A story's heading from its central report: the first of `heading_candidates`,
    else the opening words of the lead sentence whatever they say; empty for a text
    without words."""
    found = next(heading_candidates(title, text), None)
    return found[0] if found is not None else _lead_heading(_lead_sentences(text)[:1], LEAD_WORDS)


def heading_candidates(title: str | None, text: str) -> Iterator[tuple[str, str]]:
    """The headings a report offers, best first, each saying something (a title
    MIN_TITLE_WORDS words, a sentence MIN_WORDS), as (short, longer) cuts: its title
    (whole, twice), then the opening
    LEAD_WORDS and twice as many words of each of the first LEAD_SENTENCES sentences
    of its lead (with an ellipsis when cut), leaving out the marks that open them
    without a letter or digit (bullets, dashes, "×", ">>>"; not quotes or brackets)."""
    if title and title.strip():
        part = _longest_part(" ".join(title.split()))
        if _word_count(part) >= MIN_TITLE_WORDS:
            yield part, part
    for sentence in _lead_sentences(text):
        part = _longest_part(_BRACKET_NOTE.sub("", sentence))
        if _word_count(part) >= MIN_WORDS:
            yield _lead_heading([part], LEAD_WORDS), _lead_heading([part], 2 * LEAD_WORDS)


def _lead_sentences(text: str) -> list[str]:
    """The first LEAD_SENTENCES sentences of a text's first lines, LEAD_CHARS of each."""
    found: list[str] = []
    for line in text.splitlines():
        if line.strip():                     # a note in brackets may hold sentence ends
            found += split_sentences(_BRACKET_NOTE.sub("", line[:LEAD_CHARS]))
            if len(found) >= LEAD_SENTENCES:
                break
    return found[:LEAD_SENTENCES]


def _lead_heading(sentences: list[str], words: int) -> str:
    sentence = list(dropwhile(_no_word, (sentences or [""])[0].split()))
    return " ".join(sentence[:words]) + (" …" if len(sentence) > words else "")


_BRACKET_NOTE = re.compile(r"^\W*\[[^\[\]]{0,300}\]\s*")      # `[ updated below ]`, `[VIDEO]` before the lead
_PIPE = re.compile(r"\s[|¦]\s")                                # a pipe between spaces: a title's parts
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f][\s\"'\u201d\u2019)]*$")


def _longest_part(text: str) -> str:
    """Of a text cut by pipes between spaces, the first part if it ends a sentence
    (`Lead sentence. | caption …`), else the part with the most words (the first of
    equals: `Headline | Site`, `Updated | Lead …`)."""
    parts = _PIPE.split(text)
    if len(parts) == 1:
        return text
    return parts[0] if _SENTENCE_END.search(parts[0]) else max(parts, key=_word_count).strip()


def _word_count(text: str) -> float:
    """Words of two letters or more (letters with their combining marks, so any script
    counts alike; digits and punctuation separate), a word in a script written without
    spaces (CJK: wide letters) counting one per two letters."""
    count, letters, wide = 0.0, 0, 0
    for ch in text + " ":
        if ch.isalpha() or (letters and unicodedata.category(ch)[0] == "M"):
            letters += 1
            wide += unicodedata.east_asian_width(ch) in "WF"
        else:
            if letters >= 2:
                count += max(1, wide / 2) if wide else 1
            letters = wide = 0
    return count


def _no_word(token: str) -> bool:
    """Whether a token has neither a letter nor a digit, nor opens a quote or bracket
    (whose words follow, as in tokenised text's `( AP )`)."""
    return not any(ch.isalnum() or ch in "\"'" or unicodedata.category(ch) in ("Ps", "Pi") for ch in token)
