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
4. Linkage: average linkage as in `corpus.stories`, over the new articles,
   the members of *young* open stories one by one, and the other open
   stories touched by a pair (each a cluster formed before, with its size and
   its stored link sums); loose joins of two tight groups are undone as in
   `corpus.stories` (`corpus.cohesion`). A story is young while its first article lies
   within `window_days` of the newest day; its members' pairs are scored
   again every add (with today's weights, languages and levels) and its links
   recounted, so a decision made while a story's neighbourhood was still
   arriving is revisited: a lone first report that look-alike reports of
   another event joined, because its level was low with no neighbours yet,
   is set apart from them when its own sister reports come. A new article
   joins the story whose mean link (over all its members) reaches the story
   threshold, several new articles may open a story together; a cluster keeps
   the oldest id among the stories it holds whole or holds the first member
   of; when two stories end up in one, the younger id becomes an alias
   (`aliases`) and its articles move to the older story; members a young
   story lost to another cluster move to that cluster's story (a new one if
   it holds no story's first member). Older stories are settled: they only grow and merge.
   What a run decided is written to the index by `corpus.index_ledger`.
5. Closing (`corpus.index_ledger.close_stories`): a story whose newest article is older than the newest day in the
   index minus (window + margin) is closed: it takes no new members, and its
   articles' term counts are dropped. An undated article counts, for closing,
   as dated on the newest day the index had seen when it was added.

6. Follow-ups (`corpus.index_followups`): a new article alone in a story
   of its own after the linkage joins a closed story of several articles
   weeks away when its mean cosine with their members reaches the threshold,
   as `corpus.followups` joins it in `samestory stories`.

Copies join the story of the article they copy.
"""

from __future__ import annotations

import collections
import sqlite3

import numpy as np

from corpus import scaling, stories, story_links
from corpus.cohesion import split_loose
from corpus.index_followups import follow_up_joins
from corpus.index_scores import Members, StoredTexts, open_members, pairs_with, score_run, with_new
from corpus.index_ledger import Assignment, add_links, resolve
from corpus.index_store import LINKS_TABLE, IndexSettings, meta_number
from corpus.index_terms import TermRows, count_matrix, count_new, unit_vectors
from corpus.language import detect_languages
from corpus.prior import Prior, word_prior
from corpus.short_texts import SHORT_TERMS

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
    kept_days = [new.days[i] for i in kept]
    young = _young_limit(connection, kept_days, settings.window_days)
    members = open_members(connection, _reach(kept_days + ([young] if young is not None else []),
                                              settings.window_days))
    open_count = members.count
    revisited = _revisited(connection, members, young)
    members = with_new(members, [new.first_seq + i for i in kept], kept_days, counted)
    counts, stats = count_matrix(connection, members.rows)
    languages = detect_languages(counts, ~stats.has_digit, StoredTexts(connection, members.seqs[:open_count], texts))
    mean_length = occurrences / max(documents, 1)
    prior = word_prior(stats.as_vocabulary(), languages.codes, mean_length, int(documents), stats.df)
    vectors = unit_vectors(counts, stats, int(documents), mean_length, prior)
    scored = score_run(vectors, members, open_count, languages, settings, revisited, stats.spellings())
    _store_active(connection, members, scored.best, open_count, counted)
    short = np.asarray(counts.sum(axis=1)).ravel() < SHORT_TERMS
    assignment = _link(connection, scored.pairs, scored.scaled, members, open_count, revisited,
                       settings.story_threshold, short, languages.groups)
    joins = follow_up_joins(connection, settings, _lone(assignment), counted, kept_days, int(documents), mean_length,
                            languages.codes)
    _join_follow_ups(connection, assignment, joins, [members.seqs[open_count + k] for k in sorted(joins)])
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
        elif seq in assignment.moved:
            result.append(assignment.moved[seq])
            opened.append(False)
        else:
            story = resolve(connection, connection.execute("SELECT story FROM articles WHERE seq = ?",
                                                           (seq,)).fetchone()[0])
            result.append(assignment.merged.get(story, story))
            opened.append(False)
    assignment.stories, assignment.opened = result, opened
    return assignment


def _lone(assignment: Assignment) -> list[int]:
    """The kept new articles alone in a story the run opened."""
    sizes = collections.Counter(assignment.stories)
    moved_to = set(assignment.moved.values())
    return [k for k, (story, opened) in enumerate(zip(assignment.stories, assignment.opened))
            if opened and sizes[story] == 1 and story not in moved_to]


def _join_follow_ups(connection: sqlite3.Connection, assignment: Assignment, joins: dict[int, int],
                     seqs: list[int]) -> None:
    """Lone articles (kept position -> settled story; `seqs`: theirs, in position order) join
    their settled stories: not opened, no links, term counts settled with the story's."""
    for (k, story), seq in zip(sorted(joins.items()), seqs):
        opened_story = assignment.stories[k]
        assignment.stories[k], assignment.opened[k] = story, False
        assignment.joined += 1
        assignment.links = {pair: total for pair, total in assignment.links.items() if opened_story not in pair}
        connection.execute("INSERT INTO settled SELECT seq, ?, terms, counts FROM active WHERE seq = ?", (story, seq))
        connection.execute("DELETE FROM active WHERE seq = ?", (seq,))


def _young_limit(connection: sqlite3.Connection, days: list[int | None], window_days: int | None) -> int | None:
    """The first day of the stories that are still young after this run: those
    begun within the window of the newest day (None: no window, nothing is young)."""
    stored = meta_number(connection, "stats.newest_day")
    known = [d for d in days if d is not None] + ([int(stored)] if stored else [])
    if window_days is None or not known:
        return None
    return max(known) - window_days


def _revisited(connection: sqlite3.Connection, members: Members, young: int | None) -> np.ndarray:
    """Positions of the open members whose story is young, of more than one
    member (one cannot split), and whose members are all among them: their
    pairs are scored again and they are linked one by one."""
    if young is None or not members.count:
        return np.empty(0, dtype=np.int64)
    sizes = dict(connection.execute("SELECT story, size FROM stories WHERE closed = 0 AND first_day >= ?", (young,)))
    stories_of, loaded = np.unique(members.story_of, return_counts=True)
    whole = [story for story, count in zip(stories_of.tolist(), loaded.tolist())
             if count > 1 and sizes.get(story) == count]
    return np.flatnonzero(np.isin(members.story_of, whole))


def _reach(days: list[int | None], window_days: int | None) -> tuple[int, int] | None:
    """The days an open article must be dated within to pair with one of these
    (None: every open article, as an undated one or no window pairs with all)."""
    if window_days is None or not days or any(day is None for day in days):
        return None
    return min(days) - window_days, max(days) + window_days


def _story_links(pairs: np.ndarray, scores: np.ndarray, final: np.ndarray) -> dict[tuple[int, int], float]:
    """Scaled pair scores summed per pair of different stories (`final`: each position's story after the run)."""
    a, b = final[pairs[:, 0]], final[pairs[:, 1]]
    apart = a != b
    both, inverse = np.unique(np.stack([np.minimum(a, b)[apart], np.maximum(a, b)[apart]], axis=1), axis=0,
                              return_inverse=True)
    sums = np.bincount(inverse.ravel(), weights=scores[apart], minlength=len(both))
    return dict(zip(map(tuple, both.tolist()), sums.tolist()))


def _copies_only(connection: sqlite3.Connection, copy_of: list) -> Assignment:
    """A run of copies of indexed articles only: each joins its original's story."""
    stories_of = [resolve(connection, connection.execute("SELECT story FROM articles WHERE seq = ?",
                                                         (seq,)).fetchone()[0]) for seq in copy_of]
    return Assignment(stories_of, [False] * len(copy_of), 0, {})


def _store_active(connection: sqlite3.Connection, members: Members, best: np.ndarray, open_count: int,
                  new_rows: TermRows) -> None:
    """Term counts of the new kept articles; the best scores of every member whose best changed."""
    changed = np.flatnonzero(np.any(best[:open_count] != members.best[:open_count], axis=1)).tolist()
    connection.executemany("UPDATE active SET best = ? WHERE seq = ?",
                           [(best[k].tobytes(), members.seqs[k]) for k in changed])
    connection.executemany("INSERT INTO active VALUES (?, ?, ?, ?)",
                           [(members.seqs[open_count + k], *blobs, best[open_count + k].tobytes())
                            for k, blobs in enumerate(new_rows.blobs())])


def _link(connection: sqlite3.Connection, pairs: np.ndarray, scores: np.ndarray, members: Members,
          open_count: int, revisited: np.ndarray, threshold: float, short: np.ndarray,
          language_groups: np.ndarray) -> Assignment:
    """Average linkage of the new articles, the young stories' members one by
    one, and the other open stories they touch (clusters with their sizes and
    stored links), its loose joins of two tight groups undone as in
    `corpus.stories` (`corpus.cohesion`; a touched story counts there as one
    long text of unknown language); story ids of the result (module notes, 4).
    `short` and `language_groups`: per member."""
    story_of = members.story_of
    new_count = members.count - open_count
    one_by_one = np.zeros(open_count, dtype=bool)
    one_by_one[revisited] = True
    ends = pairs.ravel()
    ends = ends[ends < open_count]
    touched = np.unique(story_of[ends[~one_by_one[ends]]])
    item = np.empty(members.count, dtype=np.int64)
    item[:open_count] = np.searchsorted(touched, story_of)          # meaningful for touched stories only
    item[revisited] = len(touched) + np.arange(len(revisited))
    item[open_count:] = len(touched) + len(revisited) + np.arange(new_count)
    a, b = item[pairs[:, 0]], item[pairs[:, 1]]
    stored_a, stored_b, stored = _stored_links(connection, touched)
    a = np.concatenate([a, np.searchsorted(touched, stored_a)])
    b = np.concatenate([b, np.searchsorted(touched, stored_b)])
    count = len(touched) + len(revisited) + new_count
    codes, inverse = np.unique(np.minimum(a, b) * count + np.maximum(a, b), return_inverse=True)
    sums = np.bincount(inverse.ravel(), weights=np.concatenate([scores, stored]), minlength=len(codes))
    sizes = np.ones(count, dtype=np.int64)
    sizes[: len(touched)] = [connection.execute("SELECT size FROM stories WHERE story = ?", (int(s),)).fetchone()[0]
                             for s in touched.tolist()]
    _, merges = stories.average_linkage(count, np.stack([codes // count, codes % count], axis=1), sums, threshold,
                                        sizes)
    linked = np.concatenate([revisited, np.arange(open_count, members.count)])    # the members linked one by one
    item_short, item_groups = np.zeros(count, dtype=bool), np.full(count, -1, dtype=np.int64)
    item_short[item[linked]], item_groups[item[linked]] = short[linked], language_groups[linked]
    clusters, _ = split_loose(count, merges, item_short, item_groups)
    final = _story_numbers(connection, clusters, touched, story_of, revisited, members.seqs)
    merged = {int(s): int(final[k]) for k, s in enumerate(touched.tolist()) if final[k] != s}
    young = sorted(set(story_of[revisited].tolist()))
    first_member = {}
    for position in revisited.tolist():
        first_member.setdefault(int(story_of[position]), position)
    for story in young:
        target = int(final[item[first_member[story]]])
        if target != story:
            merged[story] = target
    moved = {}
    for position in revisited.tolist():
        story = int(story_of[position])
        target = int(final[item[position]])
        if target != merged.get(story, story):
            moved[members.seqs[position]] = target
    new_stories = final[len(touched) + len(revisited):].tolist()
    known = set(touched.tolist()) | set(young)
    opened = [story not in known for story in new_stories]
    joined = sum(not flag for flag in opened)
    final_of = np.empty(members.count, dtype=np.int64)
    final_of[:open_count] = [merged.get(int(s), int(s)) for s in story_of.tolist()]
    final_of[revisited] = final[item[revisited]]
    final_of[open_count:] = new_stories
    return Assignment(new_stories, opened, joined, merged, moved, young, _story_links(pairs, scores, final_of))


def _story_numbers(connection: sqlite3.Connection, clusters: np.ndarray, touched: np.ndarray, story_of: np.ndarray,
                   revisited: np.ndarray, seqs: list[int]) -> np.ndarray:
    """The story of every linked item: a cluster keeps the oldest (smallest)
    id among the touched stories in it and the young stories whose first
    member is in it; a cluster without one is a new story (numbered in item order)."""
    claims: dict[int, list[int]] = {}
    for position, story in enumerate(touched.tolist()):
        claims.setdefault(int(clusters[position]), []).append(story)
    seen: set[int] = set()
    for k, position in enumerate(revisited.tolist()):
        story = int(story_of[position])
        if story not in seen:                     # members in seq order: the story's first member
            seen.add(story)
            claims.setdefault(int(clusters[len(touched) + k]), []).append(story)
    number = connection.execute("SELECT max(coalesce((SELECT max(story) FROM stories), 0), "
                                "coalesce((SELECT max(alias) FROM aliases), 0))").fetchone()[0]
    story_of_cluster = {cluster: min(ids) for cluster, ids in claims.items()}
    final = np.empty(len(clusters), dtype=np.int64)
    for position, cluster in enumerate(clusters.tolist()):
        if cluster not in story_of_cluster:
            number += 1
            story_of_cluster[cluster] = number
        final[position] = story_of_cluster[cluster]
    return final


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


# ---- schemas 1 and 2 -> 4 ----

def link_open_stories(connection: sqlite3.Connection) -> None:
    """Migrate an index of schema 1 or 2 (after `corpus.index_terms.recount_terms`): the
    link sums between open stories, computed from their members' stored term counts and best scores."""
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
    scaled = scaling.scaled_by_best(members.best, pairs, scores)
    keep = scaled >= settings.story_threshold * story_links.FLOOR_SHARE
    add_links(connection, _story_links(pairs[keep], scaled[keep], members.story_of))
