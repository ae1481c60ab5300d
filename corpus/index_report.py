"""What the daily index tells without adding: its facts (`index info`), a
story id for every article (`index stories`) and the report of chosen
stories (`index report`), built from the stored texts alone."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict
from typing import Iterator

from corpus.index import parse_story_label, story_label
from corpus.index_store import SCHEMA_VERSION, counts, open_index


def index_info(path: str | os.PathLike) -> dict:
    """Counts, settings, schema version and size of an index."""
    connection, settings = open_index(path, readonly=True)
    try:
        facts = counts(connection)
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    finally:
        connection.close()
    size = sum(os.path.getsize(f"{path}{suffix}") for suffix in ("", "-wal") if os.path.exists(f"{path}{suffix}"))
    return {
        "schema_version": int(meta.get("schema_version", SCHEMA_VERSION)),
        **facts,
        "bytes": size,
        "bytes_per_article": round(size / facts["articles"]) if facts["articles"] else None,
        "newest_day": _day(meta.get("stats.newest_day")),
        "settings": asdict(settings),
    }


def _day(value: str | None) -> str | None:
    import datetime as dt

    return dt.date.fromordinal(int(float(value))).isoformat() if value and float(value) else None


def story_lines(path: str | os.PathLike) -> Iterator[dict]:
    """{"id", "story", "copy_of"} for every indexed article, in the order added."""
    connection, _ = open_index(path, readonly=True)
    try:
        for doc_id, story, copy_of in connection.execute(
                "SELECT a.id, a.story, c.id FROM articles a LEFT JOIN articles c ON c.seq = a.copy_of ORDER BY a.seq"):
            yield {"id": doc_id, "story": story_label(story), "copy_of": copy_of}
    finally:
        connection.close()


def resolve_label(connection: sqlite3.Connection, label: str) -> int | None:
    """The story a label names, following aliases; None if there is no such story."""
    number = parse_story_label(label)
    if number is None:
        return None
    row = connection.execute("SELECT story FROM aliases WHERE alias = ?", (number,)).fetchone()
    number = row[0] if row else number
    found = connection.execute("SELECT 1 FROM stories WHERE story = ?", (number,)).fetchone()
    return number if found else None
