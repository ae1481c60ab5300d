"""`index add`: articles added to the daily index, each checked against all
of history: a copy of an indexed article, or a member of a running story, or
the first article of a new story.

Copies, as `samestory dedup --keep first` on history followed by the new
articles in input order: a new article is a copy of the earliest *kept*
article (indexed, or new and before it) whose verified Jaccard of word
shingles reaches the threshold. Candidates come from the LSH band keys
stored for every kept article (`corpus.index_store`) and of the new ones
(`corpus.neighbours`); verification recomputes the indexed article's
shingles from its stored text. Copies have no band keys: a copy is never kept
in place of a later article, so it is never a candidate.

Stories are the job of `corpus.index_stories`; a copy joins the story of the
article it copies.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from corpus import index_ledger, index_stories, neighbours, shingles
from corpus.index_store import (SQL_CHUNK, IndexError_, IndexSettings, pack_json, pack_text, release_free_pages,
                                to_sqlite_keys, transaction, unpack_text)
from corpus.index_terms import describe
from corpus.read import Record

ON_DUPLICATE_ID = ("error", "skip", "replace")


@dataclass
class Added:
    """One article of an `add` run, as `-o` writes it."""

    id: str
    story: str
    copy_of: str | None
    new_story: bool


@dataclass
class AddSummary:
    added: int = 0
    copies: int = 0
    joined: int = 0
    new_stories: int = 0
    skipped: int = 0
    replaced: int = 0
    lines: list[Added] = field(default_factory=list)


@dataclass
class NewArticles:
    """The articles of one run that are not yet in the index, in input order."""

    records: list[Record]
    texts: list[str]                      # what the story stage reads (`corpus.index_terms.describe`)
    days: list[int | None]                # proleptic ordinal of the article's date, None if unknown
    hashes: list[np.ndarray]              # sorted distinct shingle hashes of the text
    keys: np.ndarray                      # (N, bands) int64 band keys as stored (EMPTY_KEY: no shingles)
    first_seq: int                        # seq of the first of them


def story_label(number: int) -> str:
    return f"s{number:04d}"


def parse_story_label(label: str) -> int | None:
    """"s0012", "s12" or "12" -> 12; None if it is not a story label."""
    text = label.strip().lower().removeprefix("s")
    return int(text) if text.isdigit() else None


def stored_band_keys(hashes: np.ndarray, offsets: np.ndarray, settings: IndexSettings) -> np.ndarray:
    """Band keys as the index stores them: each band's key mixed with its band
    number, so one table serves every band; texts without shingles get EMPTY_KEY."""
    from corpus.sketch import signatures_flat

    sigs = signatures_flat(hashes, offsets, settings.num_perm, settings.seed)
    keys = neighbours.band_keys(sigs, settings.bands, settings.rows)
    keys ^= shingles.mix(np.arange(1, settings.bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    keys |= np.uint64(1)
    keys[offsets[1:] == offsets[:-1]] = neighbours.EMPTY_KEY
    return to_sqlite_keys(keys)


def prepare_new(records: Sequence[Record], settings: IndexSettings, first_seq: int) -> NewArticles:
    flat, offsets = shingles.batch_shingle_hashes([r.text for r in records], settings.ngram)
    hashes = [flat[a:b] for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]   # (views, no copies)
    keys = stored_band_keys(flat, offsets, settings)
    described = describe(records)
    return NewArticles(list(records), described.texts, described.days, hashes, keys, first_seq)


# ---- copies ----

def find_copies(connection: sqlite3.Connection, new: NewArticles, threshold: float,
                ngram: int) -> tuple[list[int | None], list[float | None]]:
    """For each new article: the seq of the article it copies (None if kept) and their Jaccard."""
    count = len(new.records)
    old = _old_candidates(connection, new.keys)
    within = neighbours.candidate_pairs(new.keys)           # pairs (i, j), i < j, of new articles
    earlier: list[list[int]] = [[] for _ in range(count)]
    for i, j in within.tolist():
        earlier[j].append(i)
    old_hashes = _stored_hashes(connection, sorted({seq for seqs in old.values() for seq in seqs}), ngram)
    copy_of: list[int | None] = [None] * count
    jaccard: list[float | None] = [None] * count
    for doc in range(count):
        mine = new.hashes[doc]
        if not len(mine):
            continue
        tried = [(seq, old_hashes[seq]) for seq in old.get(doc, [])]
        tried += [(new.first_seq + j, new.hashes[j]) for j in sorted(earlier[doc]) if copy_of[j] is None]
        for seq, theirs in tried:
            similarity = neighbours.exact_jaccard(mine, theirs)
            if similarity >= threshold:
                copy_of[doc], jaccard[doc] = seq, round(similarity, 6)
                break
    return copy_of, jaccard


def _old_candidates(connection: sqlite3.Connection, keys: np.ndarray) -> dict[int, list[int]]:
    """New article -> the indexed (kept) articles sharing a band key with it, by seq ascending."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS probe (key INTEGER NOT NULL, doc INTEGER NOT NULL)")
    connection.execute("DELETE FROM probe")
    docs, bands = np.nonzero(keys != 0)
    connection.executemany("INSERT INTO probe VALUES (?, ?)", zip(keys[docs, bands].tolist(), docs.tolist()))
    found: dict[int, list[int]] = {}
    for doc, seq in connection.execute(
            "SELECT DISTINCT p.doc, b.seq FROM probe p JOIN band_keys b ON b.key = p.key ORDER BY p.doc, b.seq"):
        found.setdefault(doc, []).append(seq)
    connection.execute("DELETE FROM probe")
    return found


def stored_texts(connection: sqlite3.Connection, seqs: Sequence[int]) -> dict[int, str]:
    """The stored texts of these articles, by seq."""
    texts = {}
    for start in range(0, len(seqs), SQL_CHUNK):
        chunk = list(seqs[start : start + SQL_CHUNK])
        marks = ",".join("?" * len(chunk))
        for seq, blob in connection.execute(f"SELECT seq, text FROM articles WHERE seq IN ({marks})", chunk):
            texts[seq] = unpack_text(blob)
    return texts


def _stored_hashes(connection: sqlite3.Connection, seqs: list[int], ngram: int) -> dict[int, np.ndarray]:
    """Shingle hashes of indexed articles, recomputed from their stored texts."""
    texts = stored_texts(connection, seqs)
    flat, offsets = shingles.batch_shingle_hashes([texts[seq] for seq in seqs], ngram)
    return {seq: flat[offsets[k] : offsets[k + 1]] for k, seq in enumerate(seqs)}


# ---- the run ----

def add_records(connection: sqlite3.Connection, settings: IndexSettings, records: Sequence[Record],
                on_duplicate_id: str = "error", text_field: str = "text") -> AddSummary:
    """Add records to the index in one transaction (all or nothing)."""
    summary = AddSummary()
    with transaction(connection):
        run = connection.execute("SELECT coalesce(max(run), 0) + 1 FROM runs").fetchone()[0]
        records = _without_known_ids(connection, records, on_duplicate_id, settings, text_field, summary)
        first_seq = connection.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()[0]
        new = prepare_new(records, settings, first_seq)
        copy_of, jaccard = find_copies(connection, new, settings.threshold, settings.ngram)
        assignment = index_stories.assign_stories(connection, settings, new, copy_of)
        stories, opened = assignment.stories, assignment.opened
        _insert(connection, new, copy_of, jaccard, stories, run, text_field)
        index_ledger.finish_run(connection, settings, new, copy_of, assignment, run)
        ids = _ids_of(connection, [seq for seq in copy_of if seq is not None])
        for index, record in enumerate(new.records):
            summary.lines.append(Added(record.id, story_label(stories[index]),
                                       None if copy_of[index] is None else ids[copy_of[index]], opened[index]))
        summary.added = len(new.records)
        summary.copies = sum(seq is not None for seq in copy_of)
        summary.new_stories = len({story for story, new_one in zip(stories, opened) if new_one})
        summary.joined = assignment.joined
        connection.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?)",
                           (run, summary.added, summary.copies, summary.joined, summary.new_stories))
    release_free_pages(connection)
    return summary


def _ids_of(connection: sqlite3.Connection, seqs: list[int]) -> dict[int, str]:
    found = {}
    unique = sorted(set(seqs))
    for start in range(0, len(unique), SQL_CHUNK):
        chunk = unique[start : start + SQL_CHUNK]
        found.update(connection.execute(f"SELECT seq, id FROM articles WHERE seq IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall())
    return found


def _stored_fields(record: Record, text_field: str) -> bytes:
    """What the report needs besides the text: source, line, date and the other fields."""
    others = {k: v for k, v in record.fields.items() if k != text_field}
    stored = {"source": record.source, "line": record.line, "date": record.date, "fields": others}
    return pack_json(stored | {"decoded": record.decoded} if record.decoded else stored)


def _insert(connection: sqlite3.Connection, new: NewArticles, copy_of: list, jaccard: list, stories: list[int],
            run: int, text_field: str) -> None:
    rows = [(new.first_seq + i, r.id, new.days[i], run, stories[i], copy_of[i], jaccard[i], pack_text(r.text),
             _stored_fields(r, text_field)) for i, r in enumerate(new.records)]
    connection.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    kept = [i for i in range(len(rows)) if copy_of[i] is None]
    keys = new.keys[kept]
    docs, bands = np.nonzero(keys != 0)
    seqs = np.asarray(kept, dtype=np.int64)[docs] + new.first_seq
    values = keys[docs, bands]
    order = np.lexsort((seqs, values))                  # in key order: B-tree pages are written one after another
    connection.executemany("INSERT OR IGNORE INTO band_keys VALUES (?, ?)",
                           zip(values[order].tolist(), seqs[order].tolist()))


def _without_known_ids(connection: sqlite3.Connection, records: Sequence[Record], on_duplicate_id: str,
                       settings: IndexSettings, text_field: str, summary: AddSummary) -> list[Record]:
    """The records whose id is not in the index yet. A known id is an error,
    or skipped, or replaces the stored text and fields (its copy and story
    assignments stay as they were)."""
    ids = [r.id for r in records]
    known: dict[str, int] = {}
    for start in range(0, len(ids), SQL_CHUNK):
        chunk = ids[start : start + SQL_CHUNK]
        known.update(connection.execute(f"SELECT id, run FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall())
    if not known:
        return list(records)
    if on_duplicate_id == "error":
        first = next(r for r in records if r.id in known)
        where = first.source if first.line is None else f"{first.source}:{first.line}"
        raise IndexError_(f"{where}: id {first.id!r} is already in the index (added in run {known[first.id]}); "
                          "use --on-duplicate-id skip or replace")
    again = [r for r in records if r.id in known]
    if on_duplicate_id == "replace":
        _replace(connection, again, settings, text_field)
        summary.replaced = len(again)
    else:
        summary.skipped = len(again)
    return [r for r in records if r.id not in known]


def _replace(connection: sqlite3.Connection, records: list[Record], settings: IndexSettings, text_field: str) -> None:
    """Store new versions of indexed articles: text, fields, day and (if kept) band keys."""
    stored = [connection.execute("SELECT seq, copy_of, text FROM articles WHERE id = ?", (r.id,)).fetchone()
              for r in records]
    old_keys = _band_keys_of([unpack_text(row[2]) for row in stored], settings)
    new_keys = _band_keys_of([r.text for r in records], settings)
    for record, (seq, copy, _), old, keys in zip(records, stored, old_keys.tolist(), new_keys.tolist()):
        connection.execute("UPDATE articles SET text = ?, fields = ?, day = ? WHERE seq = ?",
                           (pack_text(record.text), _stored_fields(record, text_field), describe([record]).days[0], seq))
        if copy is None:
            connection.executemany("DELETE FROM band_keys WHERE key = ? AND seq = ?", [(k, seq) for k in old if k])
            connection.executemany("INSERT OR IGNORE INTO band_keys VALUES (?, ?)", [(k, seq) for k in keys if k])


def _band_keys_of(texts: list[str], settings: IndexSettings) -> np.ndarray:
    flat, offsets = shingles.batch_shingle_hashes(texts, settings.ngram)
    return stored_band_keys(flat, offsets, settings)
