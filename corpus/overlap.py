"""How the reports of one story overlap: pairwise shingle overlap, the sentences
they share, the sentences another report tells in other words, and the sentences
only one report carries.

Sentences are compared as their case-folded words (`\\w+`), with rapidfuzz's
`fuzz.ratio` (0-100, an edit-distance similarity), scored in bulk
(`process.cpdist`) for the pairs that share word bigrams. A sentence is *shared* when another document carries it
verbatim or lightly edited (ratio >= SHARED_THRESHOLD); sentences of fewer than
MIN_FUZZY_WORDS words are too generic to match loosely and are shared only
when identical. Matches are grouped greedily, best first, and two groups join
only when every pair of sentences across them is at least LINK_THRESHOLD
similar: translations of one quote gather, unrelated sentences never chain.

SHARED_THRESHOLD was chosen on the MSR paraphrase corpus (news sentence pairs
with human judgements, negatives pre-selected for high word overlap): at
ratio >= 80, 91% of the pairs it accepts are judged the same content.

A sentence that is not shared is *similar* to a sentence of another report (its
content told in other words: a paraphrase, a translation variant, or contained in a
longer sentence with additions) when the two share MIN_SIMILAR_BIGRAMS word bigrams
and their `fuzz.token_set_ratio` reaches SIMILAR_THRESHOLD once the story's common
words are set aside. token_set_ratio scores the words both carry against each
side's extra words, so inserted parentheticals and attributions cost little. The
story's common words (`story_common_words`: the protagonists' names, function
words) say nothing about which part of the story a sentence tells, so they are
left out of the comparison, and a sentence keeping fewer than MIN_CONTENT_WORDS
other words is never similar, unless the other report carries it all the same:
it matches a sentence there at SHARED_THRESHOLD but was kept out of that
sentence's group (the group's other members are too unlike it), or it is retold
there inside a longer sentence (all its words, in order but for one moved phrase,
within a stretch of it: `matching._retold`; such pairs need share only half its
word bigrams), or half of it is found there in one run of CARRIED_RUN_WORDS words
(a quote with another attribution, or inside a longer quote); such pairs are
compared on all their words. Only the sentences in no shared group and no similar pair are *unique*. Evidence for the thresholds:
`benchmarks/sentence_matching.py` (MSRP pairs that ratio misses, and chance
matches between sentences of different Multi-News stories). The matching itself
is `corpus.matching`.

Sentences are compared within one language: two reports in different known
languages are never paired sentence by sentence (a report of unknown language is
compared with all), so a sentence is unique among the reports of its own
language; `StoryOverlap.languages` says which reports were compared with which.
Such a pair shows in the pair table what it does share: names and numbers
(`corpus.names`), not a shingle Jaccard near zero.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from scipy import sparse

from corpus.matching import SHARED_THRESHOLD, Item, match_groups, sentence_key, similar_pairs, told_elsewhere
from corpus.names import names_and_numbers, shared_names
from corpus.neighbours import intersection_size

SPARSE_FROM = 16        # reports from which one sparse product counts common shingles faster than pair by pair


@dataclass
class OverlapDoc:
    """One report of a story, as overlap needs it."""

    id: str
    outlet: str | None
    sentences: list[str]
    shingles: np.ndarray       # sorted distinct shingle hashes
    signature: np.ndarray      # MinHash signature of the shingles
    date: str | None = None    # ISO 8601 publication date, None when unknown
    language: str | None = None  # language code; None when unknown: compared with every report


@dataclass
class PairOverlap:
    """Two reports: Jaccard of their shingles (exact and MinHash estimate), how much of
    each the other contains, and how many shared sentences they both carry. Two
    reports in different languages are not compared by sentence (`cross_language`);
    what they share is their names and numbers (`corpus.names`, as a spells them)."""

    a: str
    b: str
    jaccard: float
    jaccard_estimate: float
    containment_ab: float      # share of a's shingles found in b
    containment_ba: float
    shared_sentences: int
    cross_language: bool = False
    shared_names: list[str] | None = None   # only for cross-language pairs


@dataclass
class Occurrence:
    document: str
    text: str


@dataclass
class SharedSentence:
    """A sentence two or more reports carry; `similarity` is the lowest ratio (0-100)
    between occurrences in different reports; `first_seen` the earliest dated report
    that carries it (see `first_seen`)."""

    occurrences: list[Occurrence]
    similarity: float
    first_seen: str | None = None


@dataclass
class SimilarSentence:
    """A sentence in no shared group (first occurrence) and the sentence of another
    report that tells its content in other words; `similarity` is their
    token_set_ratio (0-100) over the story's content words; `first_seen` as for
    shared sentences."""

    occurrences: list[Occurrence]
    similarity: float
    first_seen: str | None = None


@dataclass
class UniqueSentence:
    document: str
    outlet: str | None
    text: str


@dataclass
class LanguageGroup:
    """The reports of a story in one language, whose sentences were compared with each
    other (and with those of unknown language); `language` None: the reports of unknown
    language, compared with every report."""

    language: str | None
    documents: list[str]


@dataclass
class StoryOverlap:
    pairs: list[PairOverlap]
    shared: list[SharedSentence]
    similar: list[SimilarSentence]  # in the order of their first sentence
    unique: list[UniqueSentence]   # by outlet (first seen first, unknown last), then report, then position
    languages: list[LanguageGroup] = field(default_factory=list)   # known languages by first report, unknown last


def story_overlap(docs: list[OverlapDoc], threshold: float = SHARED_THRESHOLD) -> StoryOverlap:
    """Pairwise overlap, shared and unique sentences of a story's reports, in input order."""
    key_of = functools.lru_cache(maxsize=None)(sentence_key)      # copies of a sentence recur in a story
    items = [
        Item(d, p, text, key_of(text))
        for d, doc in enumerate(docs)
        for p, text in enumerate(doc.sentences)
    ]
    languages = language_groups(docs)
    if len(docs) < 2:                      # nothing to compare with: every sentence is unique
        return StoryOverlap([], [], [], _unique(docs, items, set()), languages)
    apart = _apart(docs)
    scores, candidates = similar_pairs(items, apart)
    groups = match_groups(items, scores, threshold)
    shared_groups = [g for g in groups if len({items[i].doc for i in g}) > 1]
    shared_groups.sort(key=lambda g: g[0])

    shared = [
        SharedSentence(
            occurrences=[Occurrence(docs[items[i].doc].id, items[i].text) for i in g],
            similarity=float(min(scores[(x, y)] for x in g for y in g if x < y and items[x].doc != items[y].doc)),
            first_seen=first_seen(docs, [items[i].doc for i in g]),
        )
        for g in shared_groups
    ]
    in_shared = {i for g in shared_groups for i in g}
    matches = (pair for pair, score in scores.items() if score >= threshold)
    similar, told_other = told_elsewhere(items, candidates, in_shared, len(docs), matches)
    told = in_shared | told_other
    return StoryOverlap(
        pairs=_pairs(docs, [{items[i].doc for i in g} for g in shared_groups], apart),
        shared=shared,
        similar=[
            SimilarSentence([Occurrence(docs[items[i].doc].id, items[i].text),
                             Occurrence(docs[items[j].doc].id, items[j].text)], score,
                            first_seen(docs, [items[i].doc, items[j].doc]))
            for i, j, score in similar
        ],
        unique=_unique(docs, items, told),
        languages=languages,
    )


def first_seen(docs: list[OverlapDoc], carriers: list[int]) -> str | None:
    """The id of the earliest dated report among `carriers` (indexes into `docs`, which
    are in input order; ties go to the earlier one), None when none has a date."""
    dated = [(docs[d].date, d) for d in set(carriers) if docs[d].date is not None]
    return docs[min(dated)[1]].id if dated else None


def language_groups(docs: list[OverlapDoc]) -> list[LanguageGroup]:
    """The story's reports by language: known languages in order of their first
    report, the reports of unknown language last."""
    by_language: dict[str | None, list[str]] = {}
    for doc in sorted(docs, key=lambda d: d.language is None):
        by_language.setdefault(doc.language, []).append(doc.id)
    return [LanguageGroup(language, ids) for language, ids in by_language.items()]


def _apart(docs: list[OverlapDoc]) -> np.ndarray | None:
    """Which reports are in different known languages (a boolean matrix over the
    reports), None when no two are."""
    codes = [doc.language for doc in docs]
    if len({code for code in codes if code is not None}) < 2:
        return None
    known = np.array([code is not None for code in codes])
    same = np.array([[x == y for y in codes] for x in codes])
    return known[:, None] & known[None, :] & ~same


def _pairs(docs: list[OverlapDoc], shared_docs: list[set[int]], apart: np.ndarray | None) -> list[PairOverlap]:
    """Every pair of reports, in input order, with its shingle overlap and shared
    sentences, and for a pair in different languages the names and numbers both carry.
    The counts come in arrays over all pairs at once (a story of 200 reports has
    19,900); the ratios are rounded as Python rounds them."""
    first, second = np.triu_indices(len(docs), 1)            # the pairs in the order of combinations
    carries = np.zeros((len(shared_docs), len(docs)), dtype=np.int64)
    for row, group in enumerate(shared_docs):
        carries[row, list(group)] = 1
    shared = (carries.T @ carries)[first, second].tolist()
    both = _common_shingles(docs)[first, second]
    sizes = np.array([len(doc.shingles) for doc in docs], dtype=np.int64)
    width = max((len(doc.signature) for doc in docs), default=1)
    equal = np.concatenate(_equal_positions(docs)) if len(docs) > 1 else np.empty(0, np.int64)
    cross = apart[first, second].tolist() if apart is not None else [False] * len(first)
    names = {d: names_and_numbers(docs[d].sentences)
             for d in sorted({d for a, b, c in zip(first.tolist(), second.tolist(), cross) if c for d in (a, b)})}
    ids = [doc.id for doc in docs]
    return [
        PairOverlap(ids[a], ids[b], jaccard, estimate, ab, ba, count, c, shared_names(names[a], names[b]) if c else None)
        for a, b, jaccard, estimate, ab, ba, count, c in zip(
            first.tolist(), second.tolist(), _rounded(both, sizes[first] + sizes[second] - both),
            _rounded(equal, np.full(len(equal), width)), _rounded(both, sizes[first]), _rounded(both, sizes[second]),
            shared, cross)
    ]


def _rounded(top: np.ndarray, bottom: np.ndarray) -> list[float]:
    """round(top / bottom, 4) of each pair of counts as Python rounds it (numpy's
    quotient of two counts is Python's), 0.0 where bottom is 0."""
    quotients = np.divide(top, bottom, out=np.zeros(len(top)), where=bottom != 0)
    return [round(quotient, 4) for quotient in quotients.tolist()]


def _common_shingles(docs: list[OverlapDoc]) -> np.ndarray:
    """The number of shingles each two reports have in common (a square matrix): pair
    by pair for a few reports, else from one sparse product of their shingle sets."""
    if len(docs) < SPARSE_FROM:
        common = np.zeros((len(docs), len(docs)), dtype=np.int64)
        for a, b in combinations(range(len(docs)), 2):
            common[a, b] = common[b, a] = intersection_size(docs[a].shingles, docs[b].shingles)
        return common
    hashes = [doc.shingles for doc in docs]
    flat = np.concatenate(hashes) if hashes else np.empty(0, np.uint64)
    _, columns = np.unique(flat, return_inverse=True)
    rows = np.repeat(np.arange(len(docs)), [len(h) for h in hashes])
    carries = sparse.csr_matrix((np.ones(len(flat), np.int32), (rows, columns.ravel())),
                                shape=(len(docs), int(columns.max(initial=-1)) + 1))
    return (carries @ carries.T).toarray()


def _equal_positions(docs: list[OverlapDoc]) -> list[np.ndarray]:
    """For each report a, the number of equal MinHash signature positions with each
    later report b (at b - a - 1): the estimate's numerator."""
    signatures = np.stack([doc.signature for doc in docs]) if docs else np.empty((0, 0))
    return [np.count_nonzero(signatures[a + 1 :] == signatures[a], axis=1) for a in range(len(docs))]


def _unique(docs: list[OverlapDoc], items: list[Item], told: set[int]) -> list[UniqueSentence]:
    """Sentences no other report carries or tells, each once per report, grouped by outlet then report."""
    outlets = list(dict.fromkeys(doc.outlet for doc in docs if doc.outlet is not None))
    rank = {outlet: r for r, outlet in enumerate(outlets)}
    doc_rank = [rank.get(doc.outlet, len(rank)) for doc in docs]
    seen: set[tuple[int, str]] = set()
    unique = []
    for i, item in enumerate(items):
        if item.key and i not in told and (item.doc, item.key) not in seen:
            seen.add((item.doc, item.key))
            unique.append(item)
    unique.sort(key=lambda it: doc_rank[it.doc])     # stable: items come by report, then position
    return [UniqueSentence(docs[it.doc].id, docs[it.doc].outlet, it.text) for it in unique]
