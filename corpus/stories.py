"""Story clusters: reports of one real-world event, also when each outlet wrote
its own text.

1. Terms (`corpus.terms`, counted with array operations). Words are
   case-folded runs of word characters (a number keeps its inner
   separators: "6.1", "5/3/2024"). Each term is weighed by what the
   corpus itself says about it, the same way in every language:
   * rarity: inverse document frequency ln(1 + N/df). Terms in more than
     max(DF_CAP_MIN, DF_CAP_PER_ROOT * sqrt(N)) documents are what any article
     carries (function words, site chrome) and are left out altogether; this
     also keeps the comparison sub-quadratic (2). The cap is lowered further
     where the terms under it would cost the comparison more than
     WORK_PER_DOCUMENT pair updates per document (with dates, counting only
     the pairs within the window), so that its cost grows linearly with N
     (`corpus.weights.work_cap`; it binds only past the eval corpora and
     100,000 generated articles);
   * names: x (1 + CAPITAL_BOOST * the share of the term's occurrences inside
     a sentence that are capitalised) - learned from the corpus, so it is 0
     for words never written capitalised mid-sentence and for lower-cased text;
   * numbers: x (1 + NUMBER_BOOST) for terms with a digit (tolls, magnitudes, dates);
   * repetition in the document, saturating and length-normalised (BM25).
   A document is the unit vector of its terms' weights. Rarity and the cap
   take in a word-frequency prior of the documents' languages
   (`corpus.language`, `corpus.prior`), so weights do not collapse in a
   corpus of a handful of reports.
2. Candidates and scores (`corpus.similarity`). Cosines are accumulated
   through the inverted index of the kept terms (a sparse matrix product in
   blocks of documents), so only documents sharing a term of capped
   frequency are ever compared; with dates, only documents within the window.
   Not MinHash LSH: reports of one story share few salient terms (cosine
   0.1-0.2, Jaccard of their top-30 term sets ~0.05), so banding with two
   or more rows per band loses ~40% of the pairs above the threshold, and
   one-row bands (pairs sharing a sampled top term) cost more than this
   exact product (measured on ECB+, Multi-News and UCI headlines).
   Pairs of two short texts (headlines) are scored with their best
   neighbours' terms added (`corpus.short_texts`); pairs of documents in two
   languages on the terms both languages use, on the same scale
   (`corpus.crosslingual`), and local scaling (3) never lifts them.
3. Local scaling (`corpus.scaling`): a pair is judged against both documents'
   usual scores, so reports in dense neighbourhoods (recurring topics) do
   not merge with everything near them; a pair whose cosine rests on one
   shared term (one rare name) is not lifted (`corpus.story_links`).
4. Clusters. Average linkage: two clusters merge, best first, while the mean
   scaled score over all their cross pairs (pairs never scored count as 0) is at
   least the threshold. An article resembling two stories adds only its own
   pairs to that mean, so it cannot chain the two stories together
   (`corpus.linkage`: exactly that, per connected component of the pairs
   that reach the threshold, on arrays). Two groups each far tighter within
   itself than with the other stay two stories: such a merge is undone after
   linkage (`corpus.cohesion`; look-alike events). In stories of several
   languages, what each report's own language says decides where the
   coarser cross-language scores disagree with it (`corpus.linkage_languages`,
   `corpus.language_review`). With dates, two reports more than `window_days` apart count as unrelated
   (their pair scores 0); unknown dates never block. A lone report the window
   kept from an established story joins it when its mean cosine with all of
   the story's reports reaches the threshold (`corpus.followups`).
5. Near-duplicates (`copy_of`) are left out of the statistics and of the
   clustering and join the story of the document kept in their place.

Story ids ("s0001", ...) are numbered by first appearance in input order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from corpus.cohesion import split_loose
from corpus.crosslingual import Bridge, Spellings, cross_language_scores
from corpus.followups import follow_up_joins
from corpus.language import Languages, detect_languages
from corpus.language_review import reviewed
from corpus.linkage import Merge, average_linkage
from corpus.prior import word_prior
from corpus.short_texts import SHORT_TERMS, short_pair_scores
from corpus.mapped import ParkedPlace, let_go_matrix, parked, unparked
from corpus.scaling import LEVEL_MIN_SHARE, LOCAL_ALPHA, LOCAL_K, TopTerms, top_terms
from corpus.similarity import scored_pairs
from corpus.stage_log import stage_done
from corpus.story_links import FLOOR_SHARE, LinkedPairs, linked_pairs
from corpus.terms import TermCounts, term_counts
from corpus.weights import TermSpace, term_space
from corpus.workers import Workers

# The constants below were chosen once for every corpus, on ECB+ and Multi-News
# together (benchmarks/evaluate.py); none of them is per corpus or per language.
SCORE_FLOOR = 0.03            # pairs with a lower cosine are not kept: they barely move a mean, even scaled up


@dataclass(frozen=True)
class StorySettings:
    """The knobs of story clustering; defaults are the commands' defaults."""

    threshold: float = 0.17           # mean cosine two clusters need to merge
    window_days: int | None = 7       # reports further apart count as unrelated; None: no window


@dataclass
class StoryGraph:
    """Scored pairs between the clustered documents (those that are not copies):
    those that can count in the linkage, and each document's LOCAL_K best."""

    docs: np.ndarray                  # input index of each clustered document, ascending
    space: TermSpace
    pairs: np.ndarray                 # (P, 2) positions into `docs`, first < second, sorted
    scores: np.ndarray                # (P,) cosine >= SCORE_FLOOR, before local scaling (bridge scores across languages)
    languages: Languages              # of the clustered documents
    bridge: Bridge | None             # the terms and scale of cross-language scores (None: one language)
    short: np.ndarray                 # bool per clustered document: a short text (`corpus.short_texts`)
    top: TopTerms                     # per clustered document its largest term weights (`scaling.one_term_pairs`)
    window_days: int | None = None    # the pairs were scored within this window of the same days (None: all pairs)
    parked_at: ParkedPlace | None = None  # where other processes can map `space.vectors` (while the caller keeps it)


@dataclass
class StoryResult:
    """Story ids per input document, and how they came about."""

    labels: list[str]
    clusters: np.ndarray              # per input document: the input index of its cluster's first document
    copy_of: list[int | None]
    merges: list[Merge]
    graph: StoryGraph
    settings: StorySettings
    days: np.ndarray                  # per input document: day number, NaN if unknown
    linked: LinkedPairs

    @property
    def languages(self) -> list[str | None]:
        """Per input document its language code (a copy: that of the document kept in its place)."""
        codes = dict(zip(self.graph.docs.tolist(), self.graph.languages.codes))
        return [codes[kept_document(i, self.copy_of)] for i in range(len(self.labels))]

    def stories(self) -> list[tuple[str, list[int]]]:
        """(story id, member indices in input order), stories by first appearance."""
        members: dict[str, list[int]] = {}
        for index, label in enumerate(self.labels):
            members.setdefault(label, []).append(index)
        return list(members.items())


class HandedTerms:
    """Term counts handed over to `story_clusters`, which lets go of them once
    the vectors are weighed: a caller that keeps no other reference never holds
    a large corpus's counts and vectors together past that point."""

    def __init__(self, counts: TermCounts):
        self._counts = counts
        self.documents = counts.documents

    def take(self) -> TermCounts:
        counts, self._counts = self._counts, None
        if counts is None:
            raise ValueError("handed-over term counts can be taken once")
        return counts


# ---- 2. candidates and scores ----

def story_graph(source: Sequence[str] | TermCounts | HandedTerms, copy_of: Sequence[int | None] | None = None,
                days: np.ndarray | None = None, window_days: int | None = None,
                workers: Workers | None = None, lowest_threshold: float = 0.0,
                languages: Languages | None = None, park_in: str | None = None) -> StoryGraph:
    """The term space and scored pairs (cosine >= SCORE_FLOOR) of the documents
    that are not copies. `source`: every document's text, or its term counts
    (`HandedTerms`: let go of once weighed).
    `languages`: every document's (`corpus.language`); found from the texts when
    not given, unknown for term counts without them. The term weights take in
    a word-frequency prior of those languages (`corpus.prior`), short
    documents' pairs are scored with their neighbours' terms
    (`corpus.short_texts`), and pairs across languages get bridge scores
    (`corpus.crosslingual`). With `days` (per document, NaN if unknown) pairs
    further apart than `window_days` are not scored (`corpus.similarity`). With
    `lowest_threshold`, a pair is kept only if it can count in the linkage at
    that threshold, even lifted by local scaling as far as it goes, or if it is
    among the LOCAL_K best of one of its documents (so the levels are those of
    every pair). The cross-language scale is fitted on the pairs kept (its
    least squares rest on the strong ones, which are never dropped), and a
    document with a pair of its language at that threshold is partnered
    (`corpus.crosslingual`; without a threshold none is).
    The vectors are parked (`corpus.mapped`) in `park_in`, if given (a
    folder the caller keeps while the graph is linked), so that workers can
    map them."""
    if isinstance(source, HandedTerms):
        source = source.take()
    count = source.documents if isinstance(source, TermCounts) else len(source)
    docs = np.array([i for i in range(count) if copy_of is None or copy_of[i] is None], dtype=np.int64)
    if isinstance(source, TermCounts):
        counts = source if len(docs) == count else source.rows(docs)
    else:
        counts = term_counts([source[i] for i in docs.tolist()])
    if languages is None and not isinstance(source, TermCounts):
        languages = detect_languages(counts.presence(), ~counts.has_digit, [source[i] for i in docs.tolist()])
    elif languages is None:
        languages = Languages(np.full(len(docs), -1, dtype=np.int64), [])
    else:
        languages = Languages(languages.groups[docs], languages.names)
    mean_length = float(counts.lengths.mean()) if len(docs) else 0.0
    doc_days = None if days is None else days[docs]
    space = term_space(counts, word_prior(counts, languages.codes, mean_length), doc_days, window_days)
    lengths = counts.lengths
    del source, counts                               # handed-over counts go now (`HandedTerms`)
    stage_done(f"stories: term weights (cap {space.df_cap:,})")
    most_lift = (1 / LEVEL_MIN_SHARE) ** LOCAL_ALPHA
    strong = lowest_threshold * FLOOR_SHARE / most_lift * (1 - 1e-9)
    options = dict(window_days=window_days, workers=workers, strong=strong, best=LOCAL_K)
    pairs, scores = scored_pairs(space.vectors, SCORE_FLOOR, doc_days, **options)
    top = top_terms(space.vectors)
    place = None if park_in is None else ParkedPlace.of(space.vectors, park_in)
    space = dataclasses.replace(space, vectors=parked(space.vectors, folder=park_in))   # read again at the follow-ups, not held through linkage
    stage_done(f"stories: similarity product ({len(pairs):,} pairs)")
    pairs, scores = short_pair_scores(space.vectors, lengths, pairs, scores, SCORE_FLOOR, doc_days, **options)
    bridge = None
    if languages.count > 1:
        scores, bridge = cross_language_scores(space.vectors, languages.groups, languages.count, pairs, scores,
                                               Spellings(space.capital_share, space.has_digit, space.term),
                                               threshold=lowest_threshold or None)
    let_go_matrix(space.vectors)                     # its pages leave again until the follow-ups
    stage_done("stories: short texts, languages")
    return StoryGraph(docs, space, pairs, scores, languages, bridge, lengths < SHORT_TERMS, top,
                      None if days is None else window_days, place)


# ---- 3. clusters ----

def day_numbers(dates: Sequence[dt.date | None] | None, count: int) -> np.ndarray:
    """Dates as day numbers, NaN where unknown."""
    if dates is None:
        return np.full(count, np.nan)
    return np.array([d.toordinal() if d is not None else np.nan for d in dates], dtype=np.float64)


def story_ids(clusters: Sequence[int]) -> list[str]:
    """Story ids numbered by first appearance: "s0001", "s0002", ..."""
    numbers: dict[int, int] = {}
    return [f"s{numbers.setdefault(c, len(numbers) + 1):04d}" for c in clusters]


def _cluster_linked(graph: StoryGraph, linked: LinkedPairs, days: np.ndarray, settings: StorySettings,
                    copy_of: Sequence[int | None] | None) -> StoryResult:
    """Stories of all input documents from their graph's pairs, linked (window and scaling applied)."""
    count = len(days)
    pairs, scores = linked.at(settings.threshold)
    several = graph.languages.groups if graph.languages.count > 1 else None
    local, merges = average_linkage(len(graph.docs), pairs, scores, settings.threshold, languages=several)
    stage_done(f"stories: linkage ({len(merges):,} merges)")
    local, merges = split_loose(len(graph.docs), merges, graph.short, graph.languages.groups,
                                graph.space.leads)
    if several is not None:
        local, merges = reviewed(local, merges, pairs, scores, several, settings.threshold)
    stage_done("stories: cohesion review")
    local, merges = _with_follow_ups(graph, local, merges, days, settings)
    stage_done("stories: follow-ups")
    clusters = np.full(count, -1, dtype=np.int64)
    clusters[graph.docs] = graph.docs[local]
    copies = list(copy_of) if copy_of is not None else [None] * count
    for index, kept in enumerate(copies):
        if kept is not None:
            clusters[index] = clusters[kept_document(index, copies)]
    to_input = graph.docs.tolist()
    return StoryResult(
        labels=story_ids(clusters.tolist()),
        clusters=clusters,
        copy_of=copies,
        merges=[Merge(to_input[m.left], to_input[m.right], m.score, m.size, m.follow_up) for m in merges],
        graph=graph,
        settings=settings,
        days=days,
        linked=linked,
    )


def _with_follow_ups(graph: StoryGraph, local: np.ndarray, merges: list[Merge], days: np.ndarray,
                     settings: StorySettings) -> tuple[np.ndarray, list[Merge]]:
    """Clusters (graph positions) with lone reports the window kept from their
    stories joined to them (`corpus.followups`), each join one more merge."""
    joins = follow_up_joins(unparked(graph.space.vectors), local, days[graph.docs], settings.window_days,
                            settings.threshold)
    if not joins:
        return local, merges
    leader = np.arange(len(local))                   # per cluster id: the id of the cluster it is now part of
    size = np.bincount(local, minlength=len(local))
    merges = list(merges)
    for document, cluster, mean in joins:
        current = leader[cluster]
        leader[cluster] = min(current, document)     # a cluster's id is its smallest document
        size[cluster] += 1
        merges.append(Merge(int(leader[cluster]), max(current, document), mean, int(size[cluster]), True))
    joined = leader[local]
    documents, clusters = (np.array(column) for column in zip(*((d, c) for d, c, _ in joins)))
    joined[documents] = leader[clusters]
    return joined, merges


def kept_document(index: int, copy_of: Sequence[int | None]) -> int:
    """Follow `copy_of` links from a document to one that is not a copy."""
    seen = {index}
    while copy_of[index] is not None:
        index = copy_of[index]
        if index in seen:
            raise ValueError(f"copy_of links form a cycle through document {index}")
        seen.add(index)
    return index


def story_clusters(
    source: Sequence[str] | TermCounts | HandedTerms,
    dates: Sequence[dt.date | None] | None = None,
    settings: StorySettings = StorySettings(),
    copy_of: Sequence[int | None] | None = None,
    workers: Workers | None = None,
    languages: Languages | None = None,
) -> StoryResult:
    """A story id for every document (module notes): its text, or the term
    counts of all documents. `dates` and `copy_of` are per document; a copy
    (`copy_of[i]` = index of the document kept in its place) joins that
    document's story. Parallel work goes to `workers`, if given."""
    count = source.documents if isinstance(source, (TermCounts, HandedTerms)) else len(source)
    days = day_numbers(dates, count)
    with tempfile.TemporaryDirectory(prefix="samestory-vectors-") as folder:   # the vectors, mapped by workers
        graph = story_graph(source, copy_of, days, settings.window_days, workers, settings.threshold, languages, folder)
        linked = linked_pairs(graph, days, settings.window_days, settings.threshold, workers)
    graph.parked_at = None                           # the folder is gone; the mapping stays
    return _cluster_linked(graph, linked, days, settings, copy_of)


def threshold_sweep(
    source: Sequence[str] | TermCounts,
    thresholds: Sequence[float],
    dates: Sequence[dt.date | None] | None = None,
    window_days: int | None = StorySettings.window_days,
    copy_of: Sequence[int | None] | None = None,
    languages: Languages | None = None,
) -> Iterator[tuple[float, StoryResult]]:
    """Stories at each threshold; the corpus is scored and scaled once."""
    days = day_numbers(dates, source.documents if isinstance(source, TermCounts) else len(source))
    graph = story_graph(source, copy_of, days, window_days, lowest_threshold=min(thresholds, default=0.0),
                        languages=languages)
    linked = linked_pairs(graph, days, window_days, min(thresholds, default=0.0))
    for threshold in thresholds:
        yield threshold, _cluster_linked(graph, linked, days, StorySettings(threshold, window_days), copy_of)
