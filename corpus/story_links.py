"""The story graph's pairs as average linkage sees them (`corpus.stories`,
module notes 3 and 4): pairs of two dated reports further apart than the
window dropped, the rest locally scaled (`corpus.scaling`), held at their
cosine where the scaling must not lift them (across languages, on one
shared term), and those that cannot count at the threshold left out.
The graph's pairs are read from disk a part at a time, twice (the levels,
then the scaled scores), and the pairs that count written back to disk as
they are found, so none are held whole at a million articles."""

from __future__ import annotations

import functools
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corpus.crosslingual import crossing
from corpus.mapped import let_go, let_go_matrix, spooled
from corpus.scaling import (PAIRS_AT_ONCE, BestScores, held_on_one_term, lifted_to, one_term_checks,
                            parked_resting_on_one_term, resting_on_one_term, scaling_factor, typical_level)
from corpus.stage_log import stage_done
from corpus.workers import Workers

if TYPE_CHECKING:
    from corpus.stories import StoryGraph

FLOOR_SHARE = 0.5             # scaled pairs below FLOOR_SHARE * threshold are left out of the linkage likewise
CHECKED_PER_TASK = 1 << 15    # lifted pairs checked term by term per task of the workers (`_scaled_parts`)


@dataclass
class LinkedPairs:
    """The graph's pairs as linkage sees them at any threshold from the lowest
    they were linked for: pairs outside the window dropped, the rest locally
    scaled, those that count at none of those thresholds left out (positions
    into `StoryGraph.docs`; arrays mapped from a file, `corpus.mapped`)."""

    pairs: np.ndarray                 # (P, 2)
    scores: np.ndarray                # (P,) scaled scores
    levels: np.ndarray                # per clustered document: its neighbourhood level
    typical_level: float              # the median level
    lowest_threshold: float = 0.0     # the threshold they were linked for: all of them count at it

    def at(self, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """The pairs and scores that count at `threshold` (scaled score >= FLOOR_SHARE * threshold)."""
        if threshold <= self.lowest_threshold:         # all of them, as they are (not read here)
            return self.pairs, self.scores
        keep = self.scores >= threshold * FLOOR_SHARE
        return self.pairs[keep], self.scores[keep]


def outside_window(days_a: np.ndarray, days_b: np.ndarray, window_days: int | None) -> np.ndarray:
    """True where both dates are known and more than `window_days` apart."""
    if window_days is None:
        return np.zeros(np.broadcast(days_a, days_b).shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        return np.abs(np.asarray(days_a) - np.asarray(days_b)) > window_days


def linked_pairs(graph: StoryGraph, days: np.ndarray, window_days: int | None,
                 lowest_threshold: float = 0.0, workers: Workers | None = None) -> LinkedPairs:
    """The graph's pairs inside the window, locally scaled: what the linkage
    sees at every threshold from `lowest_threshold` up (`LinkedPairs.at` keeps
    those that count; the others are not kept). Levels are those of every pair.
    The graph's pairs are read twice, a part at a time (`corpus.mapped`:
    each part let go after), and the pairs that count are written to a file
    as they are found and mapped from there, so none are held whole. The
    one-term check of the lifted pairs is shared out among `workers` when
    the graph's vectors are parked where they can map them."""
    doc_days = days[graph.docs]
    best = BestScores(len(graph.docs))
    for pairs, raw in _graph_parts(graph, doc_days, window_days):
        best.add(pairs, raw)
    levels = best.levels()
    typical = typical_level(levels)
    stage_done("stories: window, levels")
    parts = _scaled_parts(graph, doc_days, window_days, levels, typical, lowest_threshold * FLOOR_SHARE, workers)
    pairs, scores = spooled(parts, [graph.pairs.dtype, np.float64], [2, None])
    linked = LinkedPairs(pairs, scores, levels, typical, lowest_threshold)
    stage_done(f"stories: local scaling ({len(linked.pairs):,} pairs linked)")
    return linked


def _scaled_parts(graph: StoryGraph, doc_days: np.ndarray, window_days: int | None, levels: np.ndarray,
                  typical: float, floor: float, workers: Workers | None):
    """(pairs, scaled scores) of the graph's pairs inside the window whose
    scaled score reaches `floor`, a part at a time. The lifted pairs that
    may rest on one term and that their rows' top terms leave open
    (`scaling.one_term_checks`) are checked
    CHECKED_PER_TASK at a time by `workers` when they can map the vectors
    (`StoryGraph.parked_at`), in one stream over all parts, so that the
    processes are kept busy however few a part has; here otherwise."""
    waiting: deque = deque()          # per task drawn: (its part, its candidates' places, whether the part's last)

    def tasks():
        for pairs, raw in _graph_parts(graph, doc_days, window_days):
            factor = _unheld_factors(graph, levels, typical, pairs)
            lifted = lifted_to(pairs, raw, raw * factor, floor, graph.short)
            sure, maybe = one_term_checks(graph.top, pairs, raw, lifted)
            factor[sure] = 1.0
            part = (pairs, raw, factor, maybe, np.zeros(len(maybe), dtype=bool))
            starts = range(0, max(len(maybe), 1), CHECKED_PER_TASK)
            for start in starts:
                some = slice(start, start + CHECKED_PER_TASK)
                waiting.append((part, some, start == starts[-1]))
                yield pairs[maybe[some], 0], pairs[maybe[some], 1], raw[maybe[some]]

    if workers is not None and workers.jobs > 1 and graph.parked_at is not None:
        checked = workers.results(functools.partial(parked_resting_on_one_term, place=graph.parked_at), tasks())
    else:
        checked = (resting_on_one_term(graph.space.vectors, *task) for task in tasks())
    for held in checked:
        (pairs, raw, factor, maybe, found), some, last = waiting.popleft()
        found[some] = held
        if last:
            factor[maybe[found]] = 1.0
            let_go_matrix(graph.space.vectors)       # the rows read: not held through linkage
            scores = raw * factor
            counts = scores >= floor
            yield pairs[counts], scores[counts]


def lift_factors(graph: StoryGraph, levels: np.ndarray, typical: float, pairs: np.ndarray, raw: np.ndarray,
                 floor: float = 0.0) -> np.ndarray:
    """Local scaling's factor for each pair (`corpus.scaling`), held at 1 where
    it would lift a pair across languages (their bridge scores are coarse: two
    loners in two languages stay apart) or a pair whose cosine rests on one
    shared term (`scaling.held_on_one_term`: one rare name is no story; pairs
    of two short texts, scored on their neighbours' terms, are exempt).
    Pairs whose scaled score stays under `floor` (they do not count) are not
    checked. `_scaled_parts` does the same, the one-term check shared out."""
    factor = _unheld_factors(graph, levels, typical, pairs)
    factor[held_on_one_term(graph.space.vectors, graph.top, pairs, raw, raw * factor, floor, graph.short)] = 1.0
    return factor


def _unheld_factors(graph: StoryGraph, levels: np.ndarray, typical: float, pairs: np.ndarray) -> np.ndarray:
    """Local scaling's factors, at most 1 across languages (before the one-term check)."""
    factor = scaling_factor(levels, typical, pairs[:, 0], pairs[:, 1])
    if graph.languages.count > 1:
        across = crossing(graph.languages.groups, pairs)
        factor[across] = np.minimum(factor[across], 1.0)
    return factor


def _graph_parts(graph: StoryGraph, doc_days: np.ndarray, window_days: int | None):
    """(pairs, scores) of the graph's pairs inside the window, PAIRS_AT_ONCE at a time.
    Pairs scored within the window (or a narrower one) are all inside it: not checked again."""
    checked = window_days is not None and (graph.window_days is None or graph.window_days > window_days)
    for start in range(0, len(graph.pairs), PAIRS_AT_ONCE):
        part = slice(start, start + PAIRS_AT_ONCE)
        pairs, raw = np.array(graph.pairs[part]), np.array(graph.scores[part])
        let_go(graph.pairs, part.start, part.stop)
        let_go(graph.scores, part.start, part.stop)
        if not checked:
            yield pairs, raw
            continue
        inside = ~outside_window(doc_days[pairs[:, 0]], doc_days[pairs[:, 1]], window_days)
        yield (pairs if inside.all() else pairs[inside]), (raw if inside.all() else raw[inside])
