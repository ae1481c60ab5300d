"""Stories in the daily index: each run's new articles join running stories
or open new ones, scored as `samestory stories` scores them.

1. Terms: the new articles' cleaned texts are counted as the story stage
   counts them; their document frequencies and capitalisation counts are
   added to the index's (`terms`), so weights (rarity over the whole index,
   names, numbers, BM25 saturation, the frequency cap) use all of history.
2. Scores: the new articles are compared with each other and with the members
   of open stories (their term counts are kept in `active` while their story
   is open) by the cosine of unit term vectors; pairs outside the window (both
   dates known, further apart than `window_days`) count 0.
3. Local scaling as in `corpus.stories`: every article keeps its best
   LOCAL_K pair scores ever seen (in `active`), its level is their sum /
   LOCAL_K, and a pair's cosine is scaled by the median level of the open
   articles against both of theirs.
4. Linkage: average linkage as in `corpus.stories`, over the open stories
   touched by a pair (each a cluster formed before, with its size) and the new
   articles: a new article joins the story whose mean link (over all its
   members) reaches the story threshold, several new articles may open a story
   together, and when new articles make the mean link of two open stories
   reach the threshold, the two merge under the older id; the younger id
   becomes an alias (`aliases`), and its articles move to the older story.
5. Closing: a story whose newest article is older than the newest day in the
   index minus (window + margin) is closed: it takes no new members, and its
   articles' term counts are dropped. An undated article counts, for closing,
   as dated on the newest day the index had seen when it was added.

Copies join the story of the article they copy.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np

from corpus import stories
from corpus.index_scores import Members, StoredTexts, open_members, pairs_with, score_run, with_new
from corpus.index_store import IndexSettings, meta_number, set_meta_number
from corpus.index_terms import TermRows, count_matrix, count_new, unit_vectors
from corpus.language import detect_languages
from corpus.prior import Prior, word_prior

# ---- one run ----

def assign_stories(connection: sqlite3.Connection, settings: IndexSettings, new, copy_of: list) -> Assignment:
    """Stories of a run's new articles (module notes)."""
    kept = [i for i, seq in enumerate(copy_of) if seq is None]
    if not kept:
        return _copies_only(connection, copy_of)
    texts = [new.texts[i] for i in kept]
    counted = count_new(connection, texts)
    documents = meta_number(connection, "stats.documents")
    occurrences = meta_number(connection, "stats.occurrences")
    members = open_members(connection, _reach([new.days[i] for i in kept], settings.window_days))
    open_count = members.count
    members = with_new(members, [new.first_seq + i for i in kept], [new.days[i] for i in kept], counted)
    counts, stats = count_matrix(connection, members.rows)
    languages = detect_languages(counts, ~stats.has_digit, StoredTexts(connection, members.seqs[:open_count], texts))
    mean_length = occurrences / max(documents, 1)
    prior = word_prior(stats.as_vocabulary(), languages.codes, mean_length, int(documents), stats.df)
    vectors = unit_vectors(counts, stats, int(documents), mean_length, prior)
    scored = score_run(vectors, members, open_count, languages, settings)
    _store_active(connection, members, scored.best, open_count, counted)
    assignment = _link(connection, scored.pairs, scored.scaled, members.story_of, len(kept), settings.story_threshold)
    links = _story_links(scored.pairs, scored.scaled, members.story_of, assignment)
    story_of_new = dict(zip(kept, assignment.stories))
    opened_of_new = dict(zip(kept, assignment.opened))
    result, opened = [], []
    for i, seq in enumerate(copy_of):
        if seq is None:
            result.append(story_of_new[i])
            opened.append(opened_of_new[i])
        elif seq >= new.first_seq:
            result.append(story_of_new[seq - new.first_seq])
            opened.append(opened_of_new[seq - new.first_seq])
        else:
            story = resolve(connection, connection.execute("SELECT story FROM articles WHERE seq = ?",
                                                           (seq,)).fetchone()[0])
            result.append(assignment.merged.get(story, story))
            opened.append(False)
    return Assignment(result, opened, assignment.joined, assignment.merged, links)


def _reach(days: list[int | None], window_days: int | None) -> tuple[int, int] | None:
    """The days an open article must be dated within to pair with one of these
    (None: every open article, as an undated one or no window pairs with all)."""
    if window_days is None or not days or any(day is None for day in days):
        return None
    return min(days) - window_days, max(days) + window_days


def _story_links(pairs: np.ndarray, scores: np.ndarray, story_of: np.ndarray,
                 assignment: "Assignment") -> dict[tuple[int, int], float]:
    """The run's scaled pair scores summed per pair of different stories (as numbered after the run)."""
    final = np.array([assignment.merged.get(int(s), int(s)) for s in story_of.tolist()] + assignment.stories,
                     dtype=np.int64)
    a, b = final[pairs[:, 0]], final[pairs[:, 1]]
    apart = a != b
    low, high, weights = np.minimum(a, b)[apart], np.maximum(a, b)[apart], scores[apart]
    found: dict[tuple[int, int], float] = {}
    for key, weight in zip(zip(low.tolist(), high.tolist()), weights.tolist()):
        found[key] = found.get(key, 0.0) + weight
    return found


def _copies_only(connection: sqlite3.Connection, copy_of: list) -> "Assignment":
    """A run of copies of indexed articles only: each joins its original's story."""
    stories_of = [resolve(connection, connection.execute("SELECT story FROM articles WHERE seq = ?",
                                                         (seq,)).fetchone()[0]) for seq in copy_of]
    return Assignment(stories_of, [False] * len(copy_of), 0, {})


@dataclass
class Assignment:
    """Per new article its story number and whether the story is new in this run;
    how many kept articles joined a story of the index; stories merged (alias -> story)."""

    stories: list[int]
    opened: list[bool]
    joined: int
    merged: dict[int, int]
    links: dict[tuple[int, int], float] = field(default_factory=dict)   # (story, story) -> added link sum


def _store_active(connection: sqlite3.Connection, members: Members, best: np.ndarray, open_count: int,
                  new_rows: TermRows) -> None:
    """Term counts of the new kept articles; the best scores of every member whose best changed."""
    changed = np.flatnonzero(np.any(best[:open_count] != members.best[:open_count], axis=1)).tolist()
    connection.executemany("UPDATE active SET best = ? WHERE seq = ?",
                           [(best[k].tobytes(), members.seqs[k]) for k in changed])
    connection.executemany("INSERT INTO active VALUES (?, ?, ?, ?)",
                           [(members.seqs[open_count + k], *blobs, best[open_count + k].tobytes())
                            for k, blobs in enumerate(new_rows.blobs())])


def _link(connection: sqlite3.Connection, pairs: np.ndarray, scores: np.ndarray, story_of: np.ndarray,
          new_count: int, threshold: float) -> Assignment:
    """Average linkage of the touched open stories (clusters with their sizes) and the new articles."""
    open_count = len(story_of)
    touched = np.unique(story_of[pairs[pairs < open_count]]) if len(pairs) else np.empty(0, dtype=np.int64)
    item = np.empty(open_count + new_count, dtype=np.int64)
    item[:open_count] = np.searchsorted(touched, story_of)          # meaningful for touched stories only
    item[open_count:] = len(touched) + np.arange(new_count)
    a, b = item[pairs[:, 0]], item[pairs[:, 1]]
    stored_a, stored_b, stored = _stored_links(connection, touched)
    a = np.concatenate([a, np.searchsorted(touched, stored_a)])
    b = np.concatenate([b, np.searchsorted(touched, stored_b)])
    count = len(touched) + new_count
    codes, inverse = np.unique(np.minimum(a, b) * count + np.maximum(a, b), return_inverse=True)
    sums = np.bincount(inverse.ravel(), weights=np.concatenate([scores, stored]), minlength=len(codes))
    sizes = np.ones(count, dtype=np.int64)
    sizes[: len(touched)] = [connection.execute("SELECT size FROM stories WHERE story = ?", (int(s),)).fetchone()[0]
                             for s in touched.tolist()]
    clusters, _ = stories.average_linkage(count, np.stack([codes // count, codes % count], axis=1), sums, threshold,
                                          sizes)
    number = connection.execute("SELECT max(coalesce((SELECT max(story) FROM stories), 0), "
                                "coalesce((SELECT max(alias) FROM aliases), 0))").fetchone()[0]
    story_of_cluster: dict[int, int] = {}
    merged: dict[int, int] = {}
    for position, cluster in enumerate(clusters[: len(touched)].tolist()):
        if cluster != position:
            merged[int(touched[position])] = int(touched[cluster])
    result, opened, joined = [], [], 0
    for cluster in clusters[len(touched):].tolist():
        if cluster < len(touched):
            result.append(int(touched[cluster]))
            opened.append(False)
            joined += 1
            continue
        if cluster not in story_of_cluster:
            number += 1
            story_of_cluster[cluster] = number
        result.append(story_of_cluster[cluster])
        opened.append(True)
    return Assignment(result, opened, joined, merged)


def _stored_links(connection: sqlite3.Connection, touched: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored link sums between the touched stories: what their mean link
    holds from the articles added before this run."""
    listed, found = touched.tolist(), []
    wanted = set(listed)
    for start in range(0, len(listed), 900):
        chunk = listed[start : start + 900]
        found += [row for row in connection.execute(
            f"SELECT a, b, total FROM links WHERE a IN ({','.join('?' * len(chunk))})", chunk) if row[1] in wanted]
    table = np.array(found, dtype=np.float64).reshape(len(found), 3)
    return table[:, 0].astype(np.int64), table[:, 1].astype(np.int64), table[:, 2]


def add_links(connection: sqlite3.Connection, links: dict[tuple[int, int], float]) -> None:
    connection.executemany("INSERT INTO links VALUES (?, ?, ?) ON CONFLICT (a, b) DO UPDATE SET total = total + "
                           "excluded.total", [(a, b, total) for (a, b), total in sorted(links.items())])


def _merge_links(connection: sqlite3.Connection, alias: int, story: int) -> None:
    """The links of a story merged into another become that one's."""
    rows = connection.execute("SELECT a, b, total FROM links WHERE a = ? OR b = ?", (alias, alias)).fetchall()
    connection.execute("DELETE FROM links WHERE a = ? OR b = ?", (alias, alias))
    moved: dict[tuple[int, int], float] = {}
    for a, b, total in rows:
        other = b if a == alias else a
        if other != story:
            key = (min(other, story), max(other, story))
            moved[key] = moved.get(key, 0.0) + total
    add_links(connection, moved)


def resolve(connection: sqlite3.Connection, story: int) -> int:
    """A story number, or the story it was merged into."""
    row = connection.execute("SELECT story FROM aliases WHERE alias = ?", (story,)).fetchone()
    return row[0] if row else story


# ---- after the run's articles are stored ----

def finish_run(connection: sqlite3.Connection, settings: IndexSettings, new, copy_of: list,
               assignment: Assignment, run: int) -> None:
    """Merge stories, update the stories' sizes and days, close the stale ones."""
    for alias, story in sorted(assignment.merged.items()):
        size, first_day, last_day = connection.execute(
            "SELECT size, first_day, last_day FROM stories WHERE story = ?", (alias,)).fetchone()
        connection.execute("UPDATE stories SET size = size + ?, first_day = min(coalesce(first_day, ?), "
                           "coalesce(?, first_day)), last_day = max(coalesce(last_day, ?), coalesce(?, last_day)), "
                           "touched = ? WHERE story = ?", (size, first_day, first_day, last_day, last_day, run, story))
        connection.execute("DELETE FROM stories WHERE story = ?", (alias,))
        connection.execute("UPDATE articles SET story = ? WHERE story = ?", (story, alias))
        connection.execute("UPDATE aliases SET story = ? WHERE story = ?", (story, alias))
        connection.execute("INSERT INTO aliases VALUES (?, ?)", (alias, story))
        _merge_links(connection, alias, story)
    add_links(connection, assignment.links)
    stored = meta_number(connection, "stats.newest_day")
    known = [d for d in new.days if d is not None] + ([int(stored)] if stored else [])
    newest = max(known) if known else None
    if newest is not None:
        set_meta_number(connection, "stats.newest_day", newest)
    for index, story in enumerate(assignment.stories):
        if copy_of[index] is not None:
            continue
        day = new.days[index] if new.days[index] is not None else newest
        connection.execute("INSERT INTO stories (story, first_day, last_day, size, closed, run, touched) "
                           "VALUES (?, ?, ?, 1, 0, ?, ?) ON CONFLICT (story) DO UPDATE SET size = size + 1, "
                           "first_day = min(coalesce(first_day, excluded.first_day), "
                           "coalesce(excluded.first_day, first_day)), "
                           "last_day = max(coalesce(last_day, excluded.last_day), "
                           "coalesce(excluded.last_day, last_day)), touched = excluded.touched",
                           (story, day, day, run, run))
    close_stories(connection, settings)


def close_stories(connection: sqlite3.Connection, settings: IndexSettings) -> int:
    """Close the open stories whose newest article is older than the newest
    day minus (window + margin); drop their articles' term counts."""
    newest = meta_number(connection, "stats.newest_day")
    if settings.window_days is None or not newest:
        return 0
    limit = int(newest) - settings.window_days - settings.close_margin_days
    stale = [row[0] for row in connection.execute(
        "SELECT story FROM stories WHERE closed = 0 AND last_day < ?", (limit,))]
    for story in stale:
        connection.execute("DELETE FROM active WHERE seq IN (SELECT seq FROM articles WHERE story = ?)", (story,))
        connection.execute("DELETE FROM links WHERE a = ? OR b = ?", (story, story))
    connection.executemany("UPDATE stories SET closed = 1 WHERE story = ?", [(s,) for s in stale])
    return len(stale)


# ---- schemas 1 and 2 -> 4 ----

def link_open_stories(connection: sqlite3.Connection) -> None:
    """Migrate an index of schema 1 or 2 (after `corpus.index_terms.recount_terms`): the
    link sums between open stories, computed from their members' stored term counts and best scores."""
    from corpus.index_store import LINKS_TABLE, IndexSettings

    connection.execute(LINKS_TABLE)
    connection.execute("CREATE INDEX links_b ON links (b)")
    settings = IndexSettings.from_meta(dict(connection.execute("SELECT key, value FROM meta").fetchall()))
    members = open_members(connection)
    if not members.count:
        return
    documents = meta_number(connection, "stats.documents")
    vectors = unit_vectors(*count_matrix(connection, members.rows), int(documents),
                           meta_number(connection, "stats.occurrences") / max(documents, 1), Prior(0.0, 0.0))
    pairs, scores = pairs_with(vectors, np.arange(members.count), members.days, settings.window_days)
    levels = members.best.sum(axis=1) / stories.LOCAL_K
    scaled = scores * stories.scaling_factor(levels, stories.typical_level(levels), pairs[:, 0], pairs[:, 1])
    keep = scaled >= settings.story_threshold * stories.FLOOR_SHARE
    add_links(connection, _story_links(pairs[keep], scaled[keep], members.story_of, Assignment([], [], 0, {})))
