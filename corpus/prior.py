"""A word-frequency prior for term rarity, so that term weights do not collapse
in a small corpus.

In a corpus of twenty reports of two look-alike events, a function word and
the topic both events share are in every document, and every other word is in
one or two: rarity (ln(1 + N/df)) spans ln 2 to ln 21, the document frequency
cap (`corpus.stories`) drops nothing, and reports of one event score far below
what they reach inside a large corpus. A language's general word frequencies
(the `wordfreq` package: 40-odd languages, shipped with its data) say what a
large corpus would: PRIOR_DOCUMENTS pseudo-documents of the corpus's languages
are added to its statistics. A word of token frequency f appears in such a
document of the corpus's mean length L with probability 1 - exp(-f L), so

    df' = df + PRIOR_DOCUMENTS * sum over languages (share of documents) * (1 - exp(-f_lang L)),
    N' = N + PRIOR_DOCUMENTS,

and rarity and the cap are taken on df' and N'. The prior fades as the corpus
grows (at 10,000 documents it is a tenth of the evidence) and is left out past
PRIOR_LIMIT documents. Terms with digits, and languages wordfreq does not know,
get no prior (df' = df).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import numpy as np

PRIOR_DOCUMENTS = 150         # pseudo-documents of general language, for a corpus of a handful (fading: `pseudo_documents`)
PRIOR_LIMIT = 100_000         # past this many documents the prior is under 1% of the evidence: left out
WORDLIST = "small"            # wordfreq's list of each language's ~30,000 most frequent words


@functools.cache
def _frequencies(language: str) -> dict[str, float] | None:
    """wordfreq's token frequencies of a language, None if it has none."""
    import wordfreq

    if language not in wordfreq.available_languages(wordlist=WORDLIST):
        return None
    return wordfreq.get_frequency_dict(language, wordlist=WORDLIST)


@dataclass
class Prior:
    """Pseudo-documents of general language added to a corpus's term statistics."""

    documents: float                  # how many
    df: np.ndarray                    # per term: how many of them hold it


def pseudo_documents(count: int) -> float:
    """PRIOR_DOCUMENTS * PRIOR_DOCUMENTS / (PRIOR_DOCUMENTS + count): nearly all
    of them for a handful of documents, a tenth at 9 x PRIOR_DOCUMENTS, fading out."""
    return PRIOR_DOCUMENTS * PRIOR_DOCUMENTS / (PRIOR_DOCUMENTS + count)


def word_prior(terms: Sequence[str], wordlike: np.ndarray, codes: Sequence[str | None], mean_length: float) -> Prior:
    """The prior of a corpus's terms (module notes); none (0 documents) when the
    corpus is too large or wordfreq knows none of its languages."""
    count = len(codes)
    documents = pseudo_documents(count)
    prior = np.zeros(len(terms))
    if not count or count > PRIOR_LIMIT:
        return Prior(0.0, prior)
    shares: dict[str, int] = {}
    for code in codes:
        if code is not None:
            shares[code] = shares.get(code, 0) + 1
    for language, members in sorted(shares.items()):
        frequencies = _frequencies(language)
        if frequencies is None:
            continue
        found = np.array([frequencies.get(t, 0.0) if w else 0.0 for t, w in zip(terms, wordlike.tolist())])
        prior += documents * members / count * -np.expm1(-found * mean_length)
    return Prior(documents if prior.any() else 0.0, prior)
