"""Follow-ups in the daily index: an article that comes alone, weeks after
its story closed, joins that story as `samestory stories` would join it.

`samestory stories` lets a lone report join a story of MIN_REPORTS or more
reports weeks away when its mean cosine with all of them reaches the story
threshold (`corpus.followups`). In the index that story has closed long
before the follow-up comes, and a closed story takes no new members, so the
follow-up opened a story of its own. Here:

1. Settling: a story of MIN_REPORTS or more kept articles that closes keeps
   its members' term counts (`settled`), and in `story_terms` the terms that
   two or more of them use, by which a follow-up finds it. Smaller stories
   are let go as before: they cannot take a follow-up.
2. After a run's linkage, each new article alone in a story of its own is
   compared with the settled stories sharing one of its *telling* terms (a
   term of at most STORY_CAP_MIN settled stories, or STORY_CAP_SHARE of
   them), the CANDIDATES sharing the most, and among those with the ones with
   a dated article outside its window (all, for an undated article, which
   `stories` compares with everyone): its mean cosine with their members, on
   the run's weights. It joins the story where the mean is highest if the
   mean reaches the story threshold; the story stays closed and the article's
   term counts join its settled ones.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import scipy.sparse as sp

from corpus.followups import MIN_REPORTS, STORY_CAP_MIN, STORY_CAP_SHARE
from corpus.index_store import SETTLED_TABLES, IndexSettings, meta_number, set_meta_number
from corpus.index_terms import TermRows, count_matrix, unit_vectors
from corpus.prior import word_prior

CANDIDATES = 8                # settled stories scored per lone article: those sharing the most telling terms


def add_settled_tables(connection: sqlite3.Connection) -> None:
    """Migrate an index of schema 5 or older: the tables of settled stories (its closed stories have none)."""
    for statement in SETTLED_TABLES.split(";"):
        connection.execute(statement)


def settle(connection: sqlite3.Connection, stories: list[int]) -> None:
    """Keep the term counts of the closing stories of MIN_REPORTS or more kept
    articles, and the terms two or more of their articles use (module notes, 1)."""
    settled = 0
    for story in stories:
        rows = connection.execute("SELECT v.seq, v.terms, v.counts FROM active v JOIN articles a USING (seq) "
                                  "WHERE a.story = ? ORDER BY v.seq", (story,)).fetchall()
        if len(rows) < MIN_REPORTS:
            continue
        connection.executemany("INSERT INTO settled VALUES (?, ?, ?, ?)",
                               [(seq, story, terms, counts) for seq, terms, counts in rows])
        terms, users = np.unique(TermRows.from_blobs([r[1] for r in rows], [r[2] for r in rows]).ids,
                                 return_counts=True)
        connection.executemany("INSERT INTO story_terms VALUES (?, ?)",
                               [(term, story) for term in terms[users >= 2].tolist()])
        settled += 1
    if settled:
        set_meta_number(connection, "stats.settled_stories", meta_number(connection, "stats.settled_stories") + settled)


def follow_up_joins(connection: sqlite3.Connection, settings: IndexSettings, lone: list[int], rows: TermRows,
                    days: list[int | None], documents: int, mean_length: float,
                    codes: list[str | None]) -> dict[int, int]:
    """The settled story each lone article joins (module notes, 2), by its
    position in `rows` (the run's kept articles, with their `days`);
    `documents`, `mean_length` and `codes` (the run's languages) as the run's weights use them."""
    settled = meta_number(connection, "stats.settled_stories")
    if not lone or not settled:
        return {}
    cap = int(max(STORY_CAP_MIN, STORY_CAP_SHARE * settled))
    holders: dict[int, list[int]] = {}
    candidates: dict[int, list[int]] = {}
    for k in lone:
        shared: dict[int, int] = {}
        for term in rows.ids[rows.indptr[k] : rows.indptr[k + 1]].tolist():
            if term not in holders:
                holders[term] = [s for (s,) in connection.execute(
                    "SELECT story FROM story_terms WHERE term = ? LIMIT ?", (term, cap + 1))]
            if len(holders[term]) <= cap:
                for story in holders[term]:
                    shared[story] = shared.get(story, 0) + 1
        ranked = sorted(shared, key=lambda story: (-shared[story], story))[:CANDIDATES]
        candidates[k] = [story for story in ranked if _outside_window(connection, story, days[k],
                                                                      settings.window_days)]
    stories = sorted({story for found in candidates.values() for story in found})
    if not stories:
        return {}
    means = _mean_cosines(connection, lone, rows, stories, documents, mean_length, codes)
    column_of = {story: column for column, story in enumerate(stories)}
    joins = {}
    for position, k in enumerate(lone):
        column = [column_of[story] for story in candidates[k]]
        if column and means[position, column].max() >= settings.story_threshold:
            joins[k] = candidates[k][int(np.argmax(means[position, column]))]
    return joins


def _outside_window(connection: sqlite3.Connection, story: int, day: int | None, window_days: int | None) -> bool:
    """Whether the story has a dated article outside the window of `day` (any story, for an undated article)."""
    if day is None:
        return True
    first, last = connection.execute("SELECT first_day, last_day FROM stories WHERE story = ?", (story,)).fetchone()
    if first is None or window_days is None:
        return False
    return day - first > window_days or last - day > window_days


def _mean_cosines(connection: sqlite3.Connection, lone: list[int], rows: TermRows, stories: list[int],
                  documents: int, mean_length: float, codes: list[str | None]) -> np.ndarray:
    """(lone articles, stories): the mean cosine of each lone article with each story's settled members."""
    member_story, id_blobs, count_blobs = [], [], []
    for column, story in enumerate(stories):
        for terms, counts in connection.execute("SELECT terms, counts FROM settled WHERE story = ? ORDER BY seq",
                                                (story,)):
            member_story.append(column)
            id_blobs.append(terms)
            count_blobs.append(counts)
    lone_rows = TermRows.joined([_row(rows, k) for k in lone])
    counts, stats = count_matrix(connection, TermRows.joined([lone_rows, TermRows.from_blobs(id_blobs, count_blobs)]))
    prior = word_prior(stats.as_vocabulary(), codes, mean_length, documents, stats.df)
    vectors = unit_vectors(counts, stats, documents, mean_length, prior)
    member_story = np.array(member_story, dtype=np.int64)
    indicator = sp.csr_matrix((np.ones(len(member_story)), (member_story, np.arange(len(member_story)))),
                              shape=(len(stories), len(member_story)))
    sums = indicator @ vectors[len(lone):]
    sizes = np.bincount(member_story, minlength=len(stories))
    return (vectors[: len(lone)] @ sums.T).toarray() / sizes


def _row(rows: TermRows, k: int) -> TermRows:
    low, high = rows.indptr[k], rows.indptr[k + 1]
    return TermRows(np.array([0, high - low], dtype=np.int64), rows.ids[low:high], rows.counts[low:high])
