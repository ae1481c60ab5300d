"""Scores of a run's new articles in the daily index, as `corpus.stories`
scores pairs, against each other and the members of open stories; and again
those of the young stories' members (`corpus.index_stories`, 4).

1. Cosines of the unit term vectors (`corpus.index_terms`): pairs with a
   new article or a revisited member, cosine >= SCORE_FLOOR, inside the window.
2. Languages (`corpus.language.detect_languages`) of the open members and
   the new articles together, found afresh every run from their terms and
   texts, so one language is one group across runs; pairs in two languages
   get their bridge scores (`corpus.crosslingual.cross_language_scores`;
   names and numbers spelled alike from the index's term statistics).
3. Local scaling: every open article keeps its LOCAL_K best pair scores
   ever seen (in `active`; a pair counts there once, when it is first
   scored); its level is their sum / LOCAL_K, and a pair's
   score is scaled by the median level of the members against both of
   theirs (`corpus.scaling.scaling_factor`), never lifted across languages
   nor when its cosine rests on one shared term (`corpus.scaling.held_on_one_term`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from corpus import scaling, short_texts, similarity, stories, story_links
from corpus.crosslingual import Spellings, cross_language_scores, crossing
from corpus.index_store import IndexSettings, stored_record
from corpus.index_terms import TermRows, describe
from corpus.language import Languages


@dataclass
class Members:
    """Articles a run scores: the open members first (seq ascending), then the new kept ones."""

    seqs: list[int]
    days: np.ndarray                    # float day numbers, NaN if unknown
    story_of: np.ndarray                # story of each open member
    rows: TermRows
    best: np.ndarray                    # (members, LOCAL_K) float32: best pair scores so far

    @property
    def count(self) -> int:
        return len(self.seqs)


def open_members(connection: sqlite3.Connection, days_between: tuple[int, int] | None = None) -> Members:
    """Members of open stories (those dated within `days_between`, and the undated, if given)."""
    where, arguments = "", ()
    if days_between is not None:
        where, arguments = "WHERE a.day IS NULL OR a.day BETWEEN ? AND ? ", days_between
    seqs, days, story_of, id_blobs, count_blobs, best = [], [], [], [], [], []
    for seq, day, story, ids, counts, scores in connection.execute(
            "SELECT v.seq, a.day, a.story, v.terms, v.counts, v.best FROM active v JOIN articles a USING (seq) "
            f"{where}ORDER BY v.seq", arguments):
        seqs.append(seq)
        days.append(np.nan if day is None else float(day))
        story_of.append(story)
        id_blobs.append(ids)
        count_blobs.append(counts)
        best.append(np.frombuffer(scores, dtype=np.float32))
    return Members(seqs, np.array(days, dtype=np.float64), np.array(story_of, dtype=np.int64),
                   TermRows.from_blobs(id_blobs, count_blobs),
                   np.vstack(best) if best else np.zeros((0, scaling.LOCAL_K), dtype=np.float32))


def with_new(members: Members, seqs: list[int], days: list[int | None], rows: TermRows) -> Members:
    """The open members followed by new articles (no best scores yet)."""
    return Members(members.seqs + seqs,
                   np.concatenate([members.days, np.array([np.nan if d is None else d for d in days], dtype=float)]),
                   members.story_of, TermRows.joined([members.rows, rows]),
                   np.vstack([members.best, np.zeros((len(seqs), scaling.LOCAL_K), dtype=np.float32)]))


def pairs_with(vectors: sp.csr_matrix, rows: np.ndarray, days: np.ndarray,
               window_days: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (first < second) with one of `rows` (ascending), cosine >=
    SCORE_FLOOR, inside the window, sorted. Each block of rows is multiplied
    with the other documents and with the rows from its own first on, so a
    pair of two rows is computed once."""
    among = np.zeros(vectors.shape[0], dtype=bool)
    among[rows] = True
    others = np.flatnonzero(~among)
    others_transposed = sp.csr_matrix(vectors[others].T)
    found_pairs, found_scores = [np.empty((0, 2), dtype=np.int64)], [np.empty(0)]
    for start in range(0, len(rows), similarity.BLOCK_ROWS):
        block = rows[start : start + similarity.BLOCK_ROWS]
        left = vectors[block]
        for columns, transposed in ((others, others_transposed), (rows[start:], sp.csr_matrix(vectors[rows[start:]].T))):
            product = left @ transposed
            hit = np.flatnonzero(product.data >= stories.SCORE_FLOOR)
            first = block[np.searchsorted(product.indptr, hit, side="right") - 1]
            second = columns[product.indices[hit]]
            keep = ~among[second] | (second > first)
            low, high = np.minimum(first, second)[keep], np.maximum(first, second)[keep]
            inside = ~story_links.outside_window(days[low], days[high], window_days)
            found_pairs.append(np.stack([low[inside], high[inside]], axis=1))
            found_scores.append(product.data[hit][keep][inside])
    pairs, scores = np.concatenate(found_pairs), np.concatenate(found_scores)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    return pairs[order], scores[order]


def _with_short_texts(vectors: sp.csr_matrix, members: Members, lengths: np.ndarray, rows: np.ndarray,
                      pairs: np.ndarray, scores: np.ndarray, window_days: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The run's pairs with those of two short texts scored on their vectors
    expanded with their neighbours' terms (`corpus.short_texts`): the short
    members' neighbours are found among all members, then only pairs with one
    of `rows` are kept. `lengths`: each member's term occurrences (`_lengths`)."""
    short = np.flatnonzero(lengths < short_texts.SHORT_TERMS)
    if not len(short):
        return pairs, scores
    among = np.zeros(members.count, dtype=bool)
    among[rows] = True
    around_pairs, around_scores = pairs_with(vectors, short[~among[short]], members.days, window_days)
    known = np.concatenate([pairs, around_pairs])
    _, first = np.unique(known[:, 0] * members.count + known[:, 1], return_index=True)
    pairs, scores = short_texts.short_pair_scores(
        vectors, lengths, known[first], np.concatenate([scores, around_scores])[first], stories.SCORE_FLOOR,
        members.days, window_days=window_days)
    kept = among[pairs[:, 0]] | among[pairs[:, 1]]
    return pairs[kept], scores[kept]


def _lengths(members: Members) -> np.ndarray:
    """Each member's number of term occurrences."""
    counts = members.rows
    return np.bincount(np.repeat(np.arange(counts.documents), np.diff(counts.indptr)), weights=counts.counts,
                       minlength=counts.documents)


class StoredTexts(Sequence[str]):
    """The texts of the open members (read from the index, cleaned, when asked
    for) followed by the new articles' cleaned texts: what language detection reads."""

    def __init__(self, connection: sqlite3.Connection, seqs: list[int], new_texts: list[str]):
        self.connection, self.seqs, self.new_texts = connection, seqs, new_texts
        self.loaded: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.seqs) + len(self.new_texts)

    def __getitem__(self, index):
        if index >= len(self.seqs):
            return self.new_texts[index - len(self.seqs)]
        if index not in self.loaded:
            row = self.connection.execute("SELECT id, text, fields FROM articles WHERE seq = ?",
                                          (self.seqs[index],)).fetchone()
            self.loaded[index] = describe([stored_record(*row)]).texts[0]
        return self.loaded[index]


def best_scores(best: np.ndarray, pairs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Each member's LOCAL_K best pair scores (descending), the new pairs taken in;
    a new score not above a member's lowest best so far cannot enter and is not sorted."""
    count, k = best.shape
    items = np.concatenate([np.repeat(np.arange(count), k), pairs[:, 0], pairs[:, 1]])
    values = np.concatenate([best.ravel().astype(np.float64), scores, scores])
    entering = values > best[:, -1].astype(np.float64)[items]
    entering[: count * k] = True
    items, values = items[entering], values[entering]
    order = np.lexsort((-values, items))
    items, values = items[order], values[order]
    rank = np.arange(len(items)) - np.searchsorted(items, items)
    out = np.zeros((count, k), dtype=np.float32)
    top = rank < k
    out[items[top], rank[top]] = values[top]
    return out


@dataclass
class RunScores:
    """The run's pairs (positions into `Members`) that can count in the linkage, scaled."""

    pairs: np.ndarray
    scaled: np.ndarray
    best: np.ndarray                    # every member's best pair scores after the run


def score_run(vectors: sp.csr_matrix, members: Members, open_count: int, languages: Languages,
              settings: IndexSettings, revisited: np.ndarray | None = None,
              spellings: Spellings | None = None) -> RunScores:
    """Pairs with a new article or one of the `revisited` open members (positions):
    cosines, bridge scores across languages, local scaling; those that can count
    at the story threshold (module notes). Only the pairs with a new article
    are new to the best scores: the others were taken in when first scored.
    `spellings`: the vectors' terms' (`corpus.index_terms.TermStats.spellings`)."""
    rows = np.arange(open_count, members.count)
    if revisited is not None and len(revisited):
        rows = np.concatenate([revisited, rows])
    pairs, scores = pairs_with(vectors, np.sort(rows), members.days, settings.window_days)
    lengths = _lengths(members)
    short = lengths < short_texts.SHORT_TERMS
    pairs, scores = _with_short_texts(vectors, members, lengths, rows, pairs, scores, settings.window_days)
    if languages.count > 1:
        scores, _ = cross_language_scores(vectors, languages.groups, languages.count, pairs, scores, spellings,
                                          threshold=settings.story_threshold)
    fresh = pairs[:, 1] >= open_count
    best = best_scores(members.best, pairs[fresh], scores[fresh])
    scaled = scaling.scaled_by_best(best, pairs, scores)
    across = crossing(languages.groups, pairs)
    scaled[across] = np.minimum(scaled[across], scores[across])     # no lift across languages
    floor = settings.story_threshold * story_links.FLOOR_SHARE
    one_term = scaling.held_on_one_term(vectors, scaling.top_terms(vectors), pairs, scores, scaled, floor, short)
    scaled[one_term] = scores[one_term]                             # nor on one shared term
    keep = scaled >= floor
    return RunScores(pairs[keep], scaled[keep], best)
