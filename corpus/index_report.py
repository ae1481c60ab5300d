"""What the daily index tells without adding: its facts (`index info`), a
story id for every article (`index stories`) and the report of chosen
stories (`index report`), built from the stored texts alone."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import asdict
from typing import Iterator, Sequence

from corpus.decide import Removal
from corpus.headings import central_documents
from corpus.index import parse_story_label, story_label
from corpus.index_store import SCHEMA_VERSION, SQL_CHUNK, IndexError_, counts, open_index, stored_record
from corpus.assemble import Report, assemble_report
from corpus.pipeline import ReportSettings, prepare
from corpus.sketch import estimate_jaccard
from corpus.stories import StorySettings, story_clusters


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


def chosen_stories(connection: sqlite3.Connection, labels: Sequence[str], since: dt.date | None) -> list[int]:
    """The stories a report covers: those named (aliases followed), else those
    with an article dated on or after `since`, else those the last add touched."""
    if labels:
        chosen = []
        for label in labels:
            number = resolve_label(connection, label)
            if number is None:
                raise IndexError_(f"no story {label!r} in the index")
            if number not in chosen:
                chosen.append(number)
        return chosen
    if since is not None:
        query, argument = "SELECT DISTINCT story FROM articles WHERE day >= ? ORDER BY story", since.toordinal()
    else:
        query = "SELECT DISTINCT story FROM articles WHERE run = ? ORDER BY story"
        argument = connection.execute("SELECT coalesce(max(run), 0) FROM runs").fetchone()[0]
    return [row[0] for row in connection.execute(query, (argument,))]


def index_report(path: str | os.PathLike, labels: Sequence[str] = (), since: dt.date | None = None,
                 detail: int | None = None) -> Report:
    """The `report` of chosen stories, from the stored texts and the index's own copies and stories."""
    connection, settings = open_index(path, readonly=True)
    try:
        chosen = chosen_stories(connection, labels, since)
        rows = []
        for start in range(0, len(chosen), SQL_CHUNK):
            chunk = chosen[start : start + SQL_CHUNK]
            rows += connection.execute(
                "SELECT seq, id, story, copy_of, jaccard, text, fields FROM articles "
                f"WHERE story IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    finally:
        connection.close()
    rows.sort()
    records = [stored_record(doc_id, text, fields) for _, doc_id, _, _, _, text, fields in rows]
    report_settings = ReportSettings(ngram=settings.ngram, num_perm=settings.num_perm, seed=settings.seed,
                                     duplicate_threshold=settings.threshold,
                                     story=StorySettings(settings.story_threshold, settings.window_days))
    prepared = prepare(records, report_settings, terms_of_copies=True)   # the index's copies, not prepare's
    position = {seq: k for k, (seq, *_) in enumerate(rows)}
    prepared.removals = {position[seq]: _removal(position[kept], jaccard, prepared.signatures, position[seq])
                         for seq, _, _, kept, jaccard, _, _ in rows if kept is not None and kept in position}
    members: dict[int, list[int]] = {}
    for k, (_, _, story, *_) in enumerate(rows):
        members.setdefault(story, []).append(k)
    clusters = [(story_label(story), indices) for story, indices in members.items()]
    return assemble_report(prepared, clusters, _central(prepared, clusters, report_settings), report_settings, detail)


def _removal(kept: int, jaccard: float, signatures, index: int) -> Removal:
    """An index copy as the report's near-duplicate (the MinHash estimate on the cleaned texts, as `report`'s)."""
    return Removal(kept, float(jaccard), estimate_jaccard(signatures[index], signatures[kept]))


def _central(prepared, clusters: list[tuple[str, list[int]]], settings: ReportSettings) -> list[int]:
    """Each story's most central report, as `report` finds it, in the term space of the reported articles."""
    result = story_clusters(prepared.terms, prepared.dates, settings.story, prepared.copy_of,
                            languages=prepared.languages)
    return central_documents(result, [indices for _, indices in clusters])
