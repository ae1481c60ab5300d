"""A heading for every story: the title of its most central report, or, when that
report has no title, the opening words of its lead sentence.

The most central report is the one with the highest summed similarity to the
story's other reports, measured on what clustering already has: the unit term
vectors of the story stage, so report i scores v_i . (sum of the story's v_j) - v_i . v_i
(its summed cosine to every other member), for all stories at once in one pass over
the vectors' non-zeros. Near-duplicates are not in the term space and never win
(the document kept in their place stands for them). Ties go to the report first in
input order.
"""

from __future__ import annotations

import unicodedata
from itertools import dropwhile
from typing import Sequence

import numpy as np

from corpus.sentences import split_sentences
from corpus.stories import StoryResult

LEAD_WORDS = 12
LEAD_CHARS = 400        # of the lead paragraph, enough for LEAD_WORDS words and the end of a short sentence
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


def heading(title: str | None, text: str, words: int = LEAD_WORDS) -> str:
    """A story's heading from its central report: the title, else the opening words of
    the lead sentence (with an ellipsis when cut), leaving out the marks that open it
    without a letter or digit (bullets, dashes, "×", ">>>"; not quotes or brackets);
    empty for a text without words."""
    if title and title.strip():
        return " ".join(title.split())
    lead = next((line for line in text.splitlines() if line.strip()), "")[:LEAD_CHARS]
    sentence = list(dropwhile(_no_word, (split_sentences(lead) or [""])[0].split()))
    return " ".join(sentence[:words]) + (" …" if len(sentence) > words else "")


def _no_word(token: str) -> bool:
    """Whether a token has neither a letter nor a digit, nor opens a quote or bracket
    (whose words follow, as in tokenised text's `( AP )`)."""
    return not any(ch.isalnum() or ch in "\"'" or unicodedata.category(ch) in ("Ps", "Pi") for ch in token)
