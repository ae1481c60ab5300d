"""Why two documents are, or are not, in one story: what `samestory explain`
shows. It reads a finished `StoryResult` and recomputes nothing of the clustering."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from corpus.cohesion import lead_means
from corpus.crosslingual import bridge_cosines, crossing, grouped_shared
from corpus.scaling import scaling_factor
from corpus.stories import SCORE_FLOOR, Merge, StoryResult, kept_document
from corpus.story_links import lift_factors, outside_window

@dataclass(frozen=True)
class SharedTerm:
    term: str
    contribution: float               # weight in a x weight in b: the contributions sum to the cosine
    weight_a: float
    weight_b: float
    document_frequency: int
    capital_share: float


@dataclass
class PairExplanation:
    """Everything `samestory explain` shows about two documents (input indices)."""

    a: int
    b: int
    compared_a: int                   # the documents actually compared: a copy is represented by its kept document
    compared_b: int
    same_story: bool
    score: float                      # their pair score: the cosine, or across languages the bridge score
    cosine: float                     # the cosine of their term vectors (the shared terms' contributions summed)
    levels: tuple[float, float]       # their neighbourhood levels r (mean of their LOCAL_K best scores)
    typical_level: float              # the median level in the corpus
    scaled_score: float               # the score after local scaling, as the linkage compares it with the threshold
    one_term: bool                    # not lifted, as one shared term holds most of its cosine (`scaling.one_term_pairs`)
    threshold: float
    days_apart: float | None
    window_days: int | None
    blocked_by_window: bool
    shared_terms: list[SharedTerm]
    chain: list[Merge]                # merges that built the two clusters, up to the one that joined them
    link: float                       # mean cross-pair score between their final clusters (when apart)
    cluster_sizes: tuple[int, int]
    cohesions: tuple[float, float]    # mean score over each final cluster's own pairs (when apart; 0 for one document)
    lead_means: tuple[float, float, float] | None   # their clusters' leads: mean cosine across, within each (when apart)
    languages: tuple[str | None, str | None]
    cross_language: CrossLanguageEvidence | None    # for a pair in two languages: how its score came about


@dataclass(frozen=True)
class CrossLanguageEvidence:
    """How a pair of documents in two languages was scored (`corpus.crosslingual`)."""

    cosine: float                     # their ordinary cosine: the shared terms below are all bridge terms
    bridge_cosine: float              # cosine of their bridge parts (norms padded)
    scale: float                      # the corpus's fitted scale: score = scale x bridge cosine
    shared_bridge_terms: int          # bridge terms both documents hold
    shared_with_partners: int         # ... counting their own-language partners' (`crosslingual.grouped_shared`): fewer
                                      # than MIN_SHARED_TERMS weigh its score down (`crosslingual.shared_weight`)
    bridge_terms: int                 # terms found in two or more of the corpus's languages
    alone: bool                       # neither is partnered in its own language: few shared terms weigh it down more


def explain_pair(result: StoryResult, a: int, b: int, top_terms: int = 15) -> PairExplanation:
    """Why documents a and b (input indices) share a story or do not."""
    graph, settings = result.graph, result.settings
    compared_a, compared_b = kept_document(a, result.copy_of), kept_document(b, result.copy_of)
    position_a, position_b = np.searchsorted(graph.docs, [compared_a, compared_b]).tolist()
    vectors = graph.space.vectors
    row_a, row_b = vectors.getrow(position_a), vectors.getrow(position_b)
    _, at_a, at_b = np.intersect1d(row_a.indices, row_b.indices, return_indices=True)
    cosine = float((row_a.data[at_a] * row_b.data[at_b]).sum())
    levels, typical = result.linked.levels, result.linked.typical_level
    first, second = sorted((position_a, position_b))
    at = np.flatnonzero((graph.pairs[:, 0] == first) & (graph.pairs[:, 1] == second))
    across = bool(crossing(graph.languages.groups, np.array([[first, second]]))[0])
    alike = graph.bridge.alike if across and graph.bridge is not None else None
    shared = _shared_terms(graph.space, row_a, row_b, alike, top_terms)
    if len(at):
        score = float(graph.scores[at[0]])                              # as the graph scored it (bridge, short texts)
    else:                                                               # not scored: under the floor or outside the window
        score = cosine if cosine >= SCORE_FLOOR and not across else 0.0
    codes = graph.languages.codes
    evidence = None
    if graph.bridge is not None and across:
        bridge, shared_count = bridge_cosines(graph.bridge.columns(vectors), graph.bridge.terms,
                                              np.array([[first, second]]))
        partnered, partners = graph.bridge.partnered, graph.bridge.partners
        grouped = shared_count if partners is None else grouped_shared(
            graph.bridge.columns(vectors), graph.bridge.terms, np.array([[first, second]]), partners)
        evidence = CrossLanguageEvidence(cosine, float(bridge[0]), graph.bridge.scale, int(shared_count[0]),
                                         int(grouped[0]),
                                         int(graph.bridge.terms.sum()),
                                         partnered is None or not (partnered[first] or partnered[second]))
    full_lift = float(scaling_factor(levels, typical, first, second))
    factor = float(lift_factors(graph, levels, typical, np.array([[first, second]]), np.array([score]))[0])
    scaled = score * factor if score >= SCORE_FLOOR else 0.0           # no lift across languages, nor on one term
    day_a, day_b = result.days[compared_a], result.days[compared_b]
    days_apart = None if math.isnan(day_a) or math.isnan(day_b) else abs(day_a - day_b)
    cluster_a, cluster_b = int(result.clusters[compared_a]), int(result.clusters[compared_b])
    members_a = np.flatnonzero(result.clusters[graph.docs] == cluster_a)
    members_b = np.flatnonzero(result.clusters[graph.docs] == cluster_b)
    return PairExplanation(
        a=a, b=b, compared_a=compared_a, compared_b=compared_b,
        same_story=result.labels[a] == result.labels[b],
        score=score,
        cosine=cosine,
        levels=(float(levels[position_a]), float(levels[position_b])),
        typical_level=typical,
        scaled_score=scaled,
        one_term=evidence is None and full_lift > 1 and factor == 1,
        threshold=settings.threshold,
        days_apart=days_apart,
        window_days=settings.window_days,
        blocked_by_window=bool(outside_window(np.array(day_a), np.array(day_b), settings.window_days)),
        shared_terms=shared,
        chain=_merge_chain(result.merges, compared_a, compared_b),
        link=0.0 if cluster_a == cluster_b else _cluster_link(result, members_a, members_b),
        cluster_sizes=(len(members_a), len(members_b)),
        cohesions=(0.0, 0.0) if cluster_a == cluster_b else (_cohesion(result, members_a), _cohesion(result, members_b)),
        lead_means=(lead_means(graph.space.leads, members_a.tolist(), members_b.tolist(),
                               graph.languages.groups.tolist())
                    if cluster_a != cluster_b and graph.space.leads is not None and min(len(members_a), len(members_b)) > 1
                    else None),
        languages=(codes[position_a], codes[position_b]),
        cross_language=evidence,
    )


def _shared_terms(space, row_a, row_b, alike: np.ndarray | None, top_terms: int) -> list[SharedTerm]:
    """The terms two documents share, most telling first; with `alike` (a pair in two
    languages), terms spelled alike count as one, as the bridge counts them, shown as
    'rusia ~ russia' with their weights in each document added up."""
    ids_a, ids_b = (row_a.indices, row_b.indices) if alike is None else (alike[row_a.indices], alike[row_b.indices])
    merged_a, inverse_a = np.unique(ids_a, return_inverse=True)
    merged_b, inverse_b = np.unique(ids_b, return_inverse=True)
    weights_a, weights_b = np.bincount(inverse_a, weights=row_a.data), np.bincount(inverse_b, weights=row_b.data)
    common, at_a, at_b = np.intersect1d(merged_a, merged_b, return_indices=True)
    contributions = weights_a[at_a] * weights_b[at_b]
    shared = []
    for i in np.lexsort((common, -contributions))[:top_terms].tolist():
        t = int(common[i])
        spellings = dict.fromkeys(space.term(int(term)) for term in
                                  np.concatenate([row_a.indices[ids_a == t], row_b.indices[ids_b == t]]).tolist())
        shared.append(SharedTerm(" ~ ".join(spellings), float(contributions[i]), float(weights_a[at_a[i]]),
                                 float(weights_b[at_b[i]]), int(space.document_frequency[t]),
                                 float(space.capital_share[t])))
    return shared


def _merge_chain(merges: list[Merge], a: int, b: int) -> list[Merge]:
    """The merges that grew the clusters of a and b, until they were one."""
    cluster_a, cluster_b = a, b
    chain = []
    for merge in merges:
        if cluster_a == cluster_b:
            break
        if {merge.left, merge.right} & {cluster_a, cluster_b}:
            chain.append(merge)
            cluster_a = merge.left if cluster_a == merge.right else cluster_a
            cluster_b = merge.left if cluster_b == merge.right else cluster_b
    return chain


def _cohesion(result: StoryResult, members: np.ndarray) -> float:
    """Mean score over the pairs within a cluster (graph positions), as the linkage saw them; 0 for one document."""
    if len(members) < 2:
        return 0.0
    pairs, scores = result.linked.at(result.settings.threshold)
    inside = np.zeros(len(result.graph.docs), dtype=bool)
    inside[members] = True
    within = inside[pairs[:, 0]] & inside[pairs[:, 1]]
    return float(scores[within].sum() / (len(members) * (len(members) - 1) / 2))


def _cluster_link(result: StoryResult, members_a: np.ndarray, members_b: np.ndarray) -> float:
    """Mean score over all cross pairs of two clusters (graph positions), as the linkage saw it."""
    pairs, scores = result.linked.at(result.settings.threshold)
    in_a = np.zeros(len(result.graph.docs), dtype=bool)
    in_b = np.zeros_like(in_a)
    in_a[members_a], in_b[members_b] = True, True
    cross = (in_a[pairs[:, 0]] & in_b[pairs[:, 1]]) | (in_b[pairs[:, 0]] & in_a[pairs[:, 1]])
    return float(scores[cross].sum() / (len(members_a) * len(members_b)))
