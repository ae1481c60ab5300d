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
other words is never similar. Only the sentences in
no shared group and no similar pair are *unique*. Evidence for the thresholds:
`benchmarks/sentence_matching.py` (MSRP pairs that ratio misses, and chance
matches between sentences of different Multi-News stories).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz, process

from corpus.neighbours import intersection_size
from corpus.shingles import batch_shingle_hashes, tokens
from corpus.sketch import estimate_jaccard

SHARED_THRESHOLD = 80
LINK_THRESHOLD = 70
MIN_FUZZY_WORDS = 5
MIN_SHARED_BIGRAMS = 2       # long sentences compared only if they share this many word bigrams
SIMILAR_THRESHOLD = 70       # token_set_ratio over content words, for "told in other words"
MIN_SIMILAR_BIGRAMS = 4
MIN_CONTENT_WORDS = 3
THREADED_BATCH = 20_000      # sentence pairs from which rapidfuzz scores in several threads


@dataclass
class OverlapDoc:
    """One report of a story, as overlap needs it."""

    id: str
    outlet: str | None
    sentences: list[str]
    shingles: np.ndarray       # sorted distinct shingle hashes
    signature: np.ndarray      # MinHash signature of the shingles
    date: str | None = None    # ISO 8601 publication date, None when unknown


@dataclass
class PairOverlap:
    """Two reports: Jaccard of their shingles (exact and MinHash estimate), how much of
    each the other contains, and how many shared sentences they both carry."""

    a: str
    b: str
    jaccard: float
    jaccard_estimate: float
    containment_ab: float      # share of a's shingles found in b
    containment_ba: float
    shared_sentences: int


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
class StoryOverlap:
    pairs: list[PairOverlap]
    shared: list[SharedSentence]
    similar: list[SimilarSentence]  # in the order of their first sentence
    unique: list[UniqueSentence]   # by outlet (first seen first, unknown last), then report, then position


@dataclass(frozen=True)
class _Item:
    doc: int
    position: int
    text: str
    key: str


def story_overlap(docs: list[OverlapDoc], threshold: float = SHARED_THRESHOLD) -> StoryOverlap:
    """Pairwise overlap, shared and unique sentences of a story's reports, in input order."""
    items = [
        _Item(d, p, text, sentence_key(text))
        for d, doc in enumerate(docs)
        for p, text in enumerate(doc.sentences)
    ]
    if len(docs) < 2:                      # nothing to compare with: every sentence is unique
        return StoryOverlap([], [], [], _unique(docs, items, set()))
    scores, candidates = _similar_pairs(items)
    groups = _group(items, scores, threshold)
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
    similar, told_elsewhere = _told_elsewhere(items, candidates, in_shared, len(docs))
    told = in_shared | told_elsewhere
    return StoryOverlap(
        pairs=_pairs(docs, [{items[i].doc for i in g} for g in shared_groups]),
        shared=shared,
        similar=[
            SimilarSentence([Occurrence(docs[items[i].doc].id, items[i].text),
                             Occurrence(docs[items[j].doc].id, items[j].text)], score,
                            first_seen(docs, [items[i].doc, items[j].doc]))
            for i, j, score in similar
        ],
        unique=_unique(docs, items, told),
    )


def first_seen(docs: list[OverlapDoc], carriers: list[int]) -> str | None:
    """The id of the earliest dated report among `carriers` (indexes into `docs`, which
    are in input order; ties go to the earlier one), None when none has a date."""
    dated = [(docs[d].date, d) for d in set(carriers) if docs[d].date is not None]
    return docs[min(dated)[1]].id if dated else None


def sentence_key(text: str) -> str:
    """A sentence as compared: its case-folded words, single-spaced."""
    return " ".join(tokens(text))


def _similar_pairs(items: list[_Item]) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    """Every pair (i < j) of sentences at least LINK_THRESHOLD similar, with its ratio,
    and the pairs below it that share MIN_SIMILAR_BIGRAMS bigrams (candidates for
    "told in other words").

    Identical sentences score 100. Distinct long ones are compared when they share
    MIN_SHARED_BIGRAMS word bigrams (on MSRP every pair at ratio >= 80 shares three
    or more), scored together with `process.cpdist`; short ones only match identically.
    """
    by_key: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        if item.key:
            by_key.setdefault(item.key, []).append(i)
    scores: dict[tuple[int, int], float] = {}
    for same in by_key.values():
        for x, y in combinations(same, 2):
            scores[(x, y)] = 100.0

    keys = list(by_key)
    first, second, shared_bigrams = candidate_pairs(keys)
    candidates: set[tuple[int, int]] = set()
    if len(first):
        ratios = process.cpdist(
            [keys[k] for k in first.tolist()], [keys[k] for k in second.tolist()],
            scorer=fuzz.ratio, dtype=np.float32, workers=_workers(len(first)),
        )
        for a, b, ratio, bigrams in zip(first.tolist(), second.tolist(), ratios.tolist(), shared_bigrams.tolist()):
            pairs = [(min(i, j), max(i, j)) for i in by_key[keys[a]] for j in by_key[keys[b]]]
            if ratio >= LINK_THRESHOLD:
                scores.update((pair, round(ratio, 1)) for pair in pairs)
            if bigrams >= MIN_SIMILAR_BIGRAMS:
                candidates.update(pairs)
    return scores, candidates


def _workers(pairs: int) -> int:
    """rapidfuzz threads for a batch: all cores for a large one; one for a small one,
    where starting threads costs more than the scoring (the scores are the same)."""
    return -1 if pairs >= THREADED_BATCH else 1


def candidate_pairs(keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of distinct long sentences sharing at least MIN_SHARED_BIGRAMS word
    bigrams, and how many they share. Bigrams are hashed in one batch
    (`shingles.batch_shingle_hashes` with n = 2); each bigram's postings give their
    pairs, postings of one size at a time."""
    empty = np.empty(0, np.int64)
    long = np.flatnonzero(np.array([key.count(" ") + 1 if key else 0 for key in keys]) >= MIN_FUZZY_WORDS)
    if not len(long):
        return empty, empty, empty
    flat, offsets = batch_shingle_hashes([keys[i] for i in long.tolist()], 2)
    sentence_of = np.repeat(long, np.diff(offsets))
    order = np.lexsort((sentence_of, flat))
    grams, sentences = flat[order], sentence_of[order]
    starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]])
    sizes = np.diff(np.r_[starts, len(grams)])
    codes = []
    for size in np.unique(sizes[sizes > 1]).tolist():
        postings = sentences[starts[sizes == size][:, None] + np.arange(size)]
        rows, cols = _upper_triangle(size)
        codes.append((postings[:, rows] * len(keys) + postings[:, cols]).ravel())
    if not codes:
        return empty, empty, empty
    pairs, counts = np.unique(np.concatenate(codes), return_counts=True)
    keep = counts >= MIN_SHARED_BIGRAMS
    return pairs[keep] // len(keys), pairs[keep] % len(keys), counts[keep]


@functools.lru_cache(maxsize=256)
def _upper_triangle(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the pairs (i < j) of `size` items."""
    return np.triu_indices(size, 1)


def story_common_words(doc_keys: list[list[str]]) -> set[str]:
    """Words running through a story: carried by most of its reports (at least three),
    and by more of its distinct sentences than reports. Names and function words
    recur so; the words of one fact, told once in each of several reports, do not."""
    if len(doc_keys) < 3:
        return set()
    reports: Counter[str] = Counter()
    sentences: Counter[str] = Counter()
    for keys in doc_keys:
        distinct = [set(key.split()) for key in dict.fromkeys(keys)]
        sentences.update(word for words in distinct for word in words)
        reports.update(set().union(*distinct))
    return {
        word for word, count in reports.items()
        if count >= 3 and 2 * count > len(doc_keys) and sentences[word] > count
    }


def content_words(key: str, common: set[str]) -> str:
    """A sentence key without the story's common words."""
    return " ".join(word for word in key.split() if word not in common)


def _told_elsewhere(
    items: list[_Item], candidates: set[tuple[int, int]], in_shared: set[int], n_docs: int,
) -> tuple[list[tuple[int, int, float]], set[int]]:
    """The sentences in no shared group whose content another report tells in other
    words: (sentence, best counterpart (ties: first in order), score), one per two
    texts in the order of the sentence, and the set of all such sentences."""
    doc_keys: list[list[str]] = [[] for _ in range(n_docs)]
    for item in items:
        doc_keys[item.doc].append(item.key)
    common = story_common_words(doc_keys)
    across = [(i, j) for i, j in candidates
              if items[i].doc != items[j].doc and not (i in in_shared and j in in_shared)]
    content = {i: content_words(items[i].key, common) if common else items[i].key for pair in across for i in pair}
    pairs = sorted(
        (i, j) for i, j in across
        if min(content[i].count(" "), content[j].count(" ")) + 1 >= MIN_CONTENT_WORDS
    )
    if not pairs:
        return [], set()
    scores = process.cpdist(
        [content[i] for i, _ in pairs], [content[j] for _, j in pairs],
        scorer=fuzz.token_set_ratio, dtype=np.float32, workers=_workers(len(pairs)),
    )
    best: dict[int, tuple[float, int]] = {}
    for (i, j), score in zip(pairs, scores.tolist()):
        if score < SIMILAR_THRESHOLD:
            continue
        for x, y in ((i, j), (j, i)):
            if x not in in_shared and (x not in best or (-score, y) < (-best[x][0], best[x][1])):
                best[x] = (score, y)
    told, seen = [], set()
    for x in sorted(best):
        score, y = best[x]
        texts = frozenset({(items[x].doc, items[x].key), (items[y].doc, items[y].key)})
        if texts not in seen:
            seen.add(texts)
            told.append((x, y, round(score, 1)))
    return told, set(best)


def _group(items: list[_Item], scores: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Groups of matching sentences (sorted member lists), joined best match first.

    A match is a pair from different documents at `threshold` or above; two groups
    join only if all their cross pairs are at least LINK_THRESHOLD similar.
    """
    group_of = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    matches = sorted(
        ((s, i, j) for (i, j), s in scores.items() if s >= threshold and items[i].doc != items[j].doc),
        key=lambda m: (-m[0], m[1], m[2]),
    )
    for _, i, j in matches:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if all(scores.get((min(x, y), max(x, y)), 0.0) >= LINK_THRESHOLD for x in members[gi] for y in members[gj]):
            keep, gone = min(gi, gj), max(gi, gj)
            members[keep] = sorted(members[keep] + members.pop(gone))
            for x in members[keep]:
                group_of[x] = keep
    return list(members.values())


def _pairs(docs: list[OverlapDoc], shared_docs: list[set[int]]) -> list[PairOverlap]:
    """Every pair of reports, in input order, with its shingle overlap and shared sentences."""
    shared_count: Counter[tuple[int, int]] = Counter(
        pair for group in shared_docs for pair in combinations(sorted(group), 2)
    )
    pairs = []
    for a, b in combinations(range(len(docs)), 2):
        da, db = docs[a], docs[b]
        common = intersection_size(da.shingles, db.shingles)
        union = len(da.shingles) + len(db.shingles) - common
        pairs.append(
            PairOverlap(
                a=da.id,
                b=db.id,
                jaccard=round(common / union, 4) if union else 0.0,
                jaccard_estimate=round(estimate_jaccard(da.signature, db.signature), 4),
                containment_ab=round(common / len(da.shingles), 4) if len(da.shingles) else 0.0,
                containment_ba=round(common / len(db.shingles), 4) if len(db.shingles) else 0.0,
                shared_sentences=shared_count[(a, b)],
            )
        )
    return pairs


def _unique(docs: list[OverlapDoc], items: list[_Item], told: set[int]) -> list[UniqueSentence]:
    """Sentences no other report carries or tells, each once per report, grouped by outlet then report."""
    outlets = list(dict.fromkeys(doc.outlet for doc in docs if doc.outlet is not None))
    rank = {outlet: r for r, outlet in enumerate(outlets)}
    seen: set[tuple[int, str]] = set()
    unique = []
    for i, item in enumerate(items):
        if i in told or not item.key or (item.doc, item.key) in seen:
            continue
        seen.add((item.doc, item.key))
        unique.append(item)
    unique.sort(key=lambda it: (rank.get(docs[it.doc].outlet, len(rank)), it.doc, it.position))
    return [UniqueSentence(docs[it.doc].id, docs[it.doc].outlet, it.text) for it in unique]
