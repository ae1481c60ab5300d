"""The daily index's story rows kept true once a run's articles are stored:
what `corpus.index_stories` decided for the run (`Assignment`) is written
to SQLite. Stories merged into an older one become its aliases, with their
sizes, days and link sums; young stories' members that moved go to their
new story (their copies with them); every kept new article counts in its
story; stale stories are closed and their articles' term counts dropped
(step 5 of `corpus.index_stories`), but those a follow-up may join.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from corpus.index_followups import settle
from corpus.index_store import IndexSettings, meta_number, set_meta_number


@dataclass
class Assignment:
    """Per new article its story number and whether the story is new in this run;
    how many kept articles joined a story of the index; stories merged (alias -> story);
    young stories' members that moved to another story (seq -> story); the young
    stories whose links are recounted; the run's link sums between stories."""

    stories: list[int]
    opened: list[bool]
    joined: int
    merged: dict[int, int]
    moved: dict[int, int] = field(default_factory=dict)
    recounted: list[int] = field(default_factory=list)
    links: dict[tuple[int, int], float] = field(default_factory=dict)   # (story, story) -> added link sum


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


def finish_run(connection: sqlite3.Connection, settings: IndexSettings, new, copy_of: list,
               assignment: Assignment, run: int) -> None:
    """Merge stories, move young stories' members, update the stories' sizes
    and days and their links, close the stale ones."""
    for story in assignment.recounted:                    # their links are counted again from this run's pairs
        connection.execute("DELETE FROM links WHERE a = ? OR b = ?", (story, story))
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
    stored = meta_number(connection, "stats.newest_day")
    known = [d for d in new.days if d is not None] + ([int(stored)] if stored else [])
    newest = max(known) if known else None
    if newest is not None:
        set_meta_number(connection, "stats.newest_day", newest)
    _move(connection, assignment.moved, newest, run)
    add_links(connection, assignment.links)
    for index, story in enumerate(assignment.stories):
        if copy_of[index] is None:
            _count_in(connection, story, new.days[index] if new.days[index] is not None else newest, run)
    close_stories(connection, settings)


def _count_in(connection: sqlite3.Connection, story: int, day: int | None, run: int) -> None:
    """One more kept member of a story (the story made if new), its days widened to the member's."""
    connection.execute("INSERT INTO stories (story, first_day, last_day, size, closed, run, touched) "
                       "VALUES (?, ?, ?, 1, 0, ?, ?) ON CONFLICT (story) DO UPDATE SET size = size + 1, "
                       "first_day = min(coalesce(first_day, excluded.first_day), "
                       "coalesce(excluded.first_day, first_day)), "
                       "last_day = max(coalesce(last_day, excluded.last_day), "
                       "coalesce(excluded.last_day, last_day)), touched = excluded.touched",
                       (story, day, day, run, run))


def _move(connection: sqlite3.Connection, moved: dict[int, int], newest: int | None, run: int) -> None:
    """Young stories' members (and their copies) moved to the story the run's linkage put them in;
    the stories they left keep the days of their dated members."""
    left = set()
    for seq, story in sorted(moved.items()):
        before, day = connection.execute("SELECT story, day FROM articles WHERE seq = ?", (seq,)).fetchone()
        connection.execute("UPDATE articles SET story = ? WHERE seq = ?", (story, seq))
        connection.execute("UPDATE articles SET story = ? WHERE story = ? AND copy_of = ?", (story, before, seq))
        connection.execute("UPDATE stories SET size = size - 1, touched = ? WHERE story = ?", (run, before))
        _count_in(connection, story, day if day is not None else newest, run)
        left.add(before)
    for story in sorted(left):
        connection.execute("UPDATE stories SET first_day = coalesce((SELECT min(day) FROM articles WHERE story = ?1 "
                           "AND copy_of IS NULL), first_day), last_day = coalesce((SELECT max(day) FROM articles "
                           "WHERE story = ?1 AND copy_of IS NULL), last_day) WHERE story = ?1", (story,))


def close_stories(connection: sqlite3.Connection, settings: IndexSettings) -> int:
    """Close the open stories whose newest article is older than the newest
    day minus (window + margin); drop their articles' term counts, but for
    those a follow-up may join (`corpus.index_followups.settle`)."""
    newest = meta_number(connection, "stats.newest_day")
    if settings.window_days is None or not newest:
        return 0
    limit = int(newest) - settings.window_days - settings.close_margin_days
    stale = [row[0] for row in connection.execute(
        "SELECT story FROM stories WHERE closed = 0 AND last_day < ?", (limit,))]
    settle(connection, stale)
    for story in stale:
        connection.execute("DELETE FROM active WHERE seq IN (SELECT seq FROM articles WHERE story = ?)", (story,))
        connection.execute("DELETE FROM links WHERE a = ? OR b = ?", (story, story))
    connection.executemany("UPDATE stories SET closed = 1 WHERE story = ?", [(s,) for s in stale])
    return len(stale)
