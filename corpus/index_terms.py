"""The daily index's term stage: the story stage's terms of new articles,
their index-wide statistics and the stored term counts of open articles.

* `terms`: one row per term the index has seen: a small id (the row id, given
  in order of first sight; within one add in the order of the term's hash),
  the term stage's 64-bit hash, document frequency and capitalisation counts
  over all of history, and its case-folded UTF-8 (NULL in an index migrated
  from schema 3 or 4, whose terms' surfaces are not known).
* `active`: for each member of an open story, its term counts as two varint
  blobs (`corpus.index_store.pack_varints`): the ascending term ids as
  differences from the previous one, and the counts, compressed with
  zstandard (four in five are 1). Ids of a few hundred terms out of a
  vocabulary of ~10^5-10^6 differ by a few hundred to a few thousand, so an
  entry takes ~2.2 bytes instead of the 10 of a hash and a count.

Weights are those of the story stage (`corpus.stories`' notes, 1), with the
index's document frequencies and capitalisation counts in place of one corpus's;
the cap is the 4 sqrt(N) of all of history, not lowered by the similarity
product's work (`corpus.weights.work_cap`): an add compares only the articles
of open stories, and the index keeps no per-day counts to measure it with.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from corpus import clean, metadata, pipeline, terms
from corpus import weights as term_weights
from corpus.crosslingual import Spellings
from corpus.prior import Prior
from corpus.index_store import (SQL_CHUNK, TERMS_TABLE, compress, decompress, meta_number, pack_varints,
                                set_meta_number, stored_record, unpack_varints)
from corpus.records import Record


@dataclass
class TermRows:
    """Documents' term counts over term ids: document d's entries are
    indptr[d]:indptr[d + 1], ids ascending."""

    indptr: np.ndarray                  # int64, documents + 1
    ids: np.ndarray                     # int64 term id per entry
    counts: np.ndarray                  # int64 occurrences per entry

    @property
    def documents(self) -> int:
        return len(self.indptr) - 1

    def blobs(self) -> list[tuple[bytes, bytes]]:
        """Every document's entries as stored in `active`: id differences and compressed counts."""
        starts = self.indptr[:-1][np.diff(self.indptr) > 0]
        steps = self.ids.copy()
        steps[1:] -= self.ids[:-1]
        steps[starts] = self.ids[starts]
        ids = pack_varints(steps, self.indptr)
        counts = pack_varints(self.counts, self.indptr)
        return [(a, compress(b)) for a, b in zip(ids, counts)]

    @classmethod
    def from_blobs(cls, id_blobs: list[bytes], count_blobs: list[bytes]) -> "TermRows":
        """Rows stored in `active` (`blobs`), decoded at once."""
        sizes = np.array([terminators(blob) for blob in id_blobs], dtype=np.int64)
        indptr = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        steps = unpack_varints(b"".join(id_blobs)).astype(np.int64)
        running = np.cumsum(steps)
        before = np.concatenate([np.zeros(1, dtype=np.int64), running])[indptr[:-1]]
        ids = running - np.repeat(before, sizes)
        counts = unpack_varints(b"".join(decompress(blob) for blob in count_blobs)).astype(np.int64)
        return cls(indptr, ids, counts)

    @classmethod
    def joined(cls, parts: list["TermRows"]) -> "TermRows":
        indptr = np.zeros(sum(p.documents for p in parts) + 1, dtype=np.int64)
        np.cumsum(np.concatenate([np.diff(p.indptr) for p in parts] or [np.empty(0, np.int64)]), out=indptr[1:])
        return cls(indptr, np.concatenate([p.ids for p in parts] or [np.empty(0, np.int64)]),
                   np.concatenate([p.counts for p in parts] or [np.empty(0, np.int64)]))


def terminators(blob: bytes) -> int:
    """How many varints a blob holds (bytes without the continuation bit)."""
    return int(np.count_nonzero(np.frombuffer(blob, dtype=np.uint8) < 0x80))


@dataclass
class TermStats:
    """Index-wide statistics of the terms a run needs (by term id, ascending)."""

    ids: np.ndarray
    df: np.ndarray
    inside: np.ndarray
    capitalised: np.ndarray
    has_digit: np.ndarray
    surfaces: list[bytes]               # case-folded UTF-8 (b"" where not known)

    def spellings(self) -> Spellings:
        """What names and numbers spelled alike across languages are found from (`corpus.crosslingual`)."""
        return Spellings(term_weights.capital_shares(self.capitalised, self.inside), self.has_digit,
                         lambda term: self.surfaces[term].decode("utf-8", "surrogatepass"))

    def as_vocabulary(self) -> terms.TermCounts:
        """These terms as the vocabulary of term counts without documents (what `corpus.prior` reads)."""
        offsets = np.zeros(len(self.surfaces) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in self.surfaces], out=offsets[1:])
        empty = np.empty(0, dtype=np.int32)
        return terms.TermCounts(np.empty(0, dtype=np.int64), np.zeros(1, dtype=np.int64), empty, empty, empty, empty,
                                self.ids.astype(np.uint64), np.frombuffer(b"".join(self.surfaces), dtype=np.uint8),
                                offsets)


@dataclass
class Described:
    """What the story stage reads of records, as `samestory stories` reads them
    (`corpus.pipeline`): the cleaned text with its title, and the date."""

    texts: list[str]
    days: list[int | None]              # proleptic ordinal, None if unknown


def describe(records: Sequence[Record]) -> Described:
    """Site chrome removed (lines compared within these records), the title
    put before the text, the date from the date field or the text."""
    cleaned = clean.clean_corpus([r.text for r in records])
    metas = [metadata.document_metadata(r.text, r.fields, c, r.decoded) for r, c in zip(records, cleaned)]
    days = [pipeline.document_date(r, m) for r, m in zip(records, metas)]
    return Described([pipeline.story_text(c.text, m.title) for c, m in zip(cleaned, metas)],
                     [d.toordinal() if d else None for d in days])


def count_new(connection: sqlite3.Connection, texts: list[str]) -> TermRows:
    """The story stage's term counts of new articles' texts (`describe`),
    their statistics added to the index's (`terms`, and the documents and
    occurrences in `meta`)."""
    counted = terms.term_counts(texts)
    ids = _numbered_terms(connection, counted)
    entry_ids = ids[counted.term_ids]
    rows = np.repeat(np.arange(counted.documents), np.diff(counted.indptr))
    order = np.lexsort((entry_ids, rows))
    occurrences = float(counted.lengths.sum())
    set_meta_number(connection, "stats.documents", meta_number(connection, "stats.documents") + counted.documents)
    set_meta_number(connection, "stats.occurrences", meta_number(connection, "stats.occurrences") + occurrences)
    return TermRows(counted.indptr.copy(), entry_ids[order], counted.counts[order].astype(np.int64))


def _numbered_terms(connection: sqlite3.Connection, counted: terms.TermCounts) -> np.ndarray:
    """Add the terms' document frequencies and capitalisation counts to the
    index's (new terms get the next ids, in hash order); the id of each vocabulary term."""
    keys = _as_keys(counted.vocabulary)
    data, bounds = counted.surfaces.tobytes(), counted.surface_offsets.tolist()
    connection.executemany(
        "INSERT INTO terms (hash, df, inside, capitalised, has_digit, surface) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (hash) DO UPDATE SET df = df + excluded.df, inside = inside + excluded.inside, "
        "capitalised = capitalised + excluded.capitalised",
        zip(keys, counted.document_frequency.tolist(), counted.inside.tolist(), counted.capitalised.tolist(),
            counted.has_digit.astype(int).tolist(), (data[a:b] for a, b in zip(bounds[:-1], bounds[1:]))))
    found: dict[int, int] = {}
    for start in range(0, len(keys), SQL_CHUNK):
        chunk = keys[start : start + SQL_CHUNK]
        found.update(connection.execute(f"SELECT hash, id FROM terms WHERE hash IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall())
    return np.array([found[k] for k in keys], dtype=np.int64)


def _as_keys(hashes: np.ndarray) -> list[int]:
    return np.ascontiguousarray(hashes, dtype=np.uint64).view(np.int64).tolist()


def term_stats(connection: sqlite3.Connection, ids: np.ndarray) -> TermStats:
    """The index-wide statistics of these term ids (ascending)."""
    rows, surfaces = {}, {}
    listed = ids.tolist()
    for start in range(0, len(listed), SQL_CHUNK):
        chunk = listed[start : start + SQL_CHUNK]
        for row in connection.execute("SELECT id, df, inside, capitalised, has_digit, surface FROM terms "
                                      f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            rows[row[0]] = row[1:5]
            surfaces[row[0]] = row[5] or b""
    table = np.array([rows[k] for k in listed], dtype=np.float64).reshape(len(listed), 4)
    return TermStats(ids, table[:, 0], table[:, 1], table[:, 2], table[:, 3] > 0, [surfaces[k] for k in listed])


def count_matrix(connection: sqlite3.Connection, rows: TermRows) -> tuple[sp.csr_matrix, TermStats]:
    """The rows as a matrix over the terms they use (ids ascending), and those terms' statistics."""
    present = np.zeros(int(rows.ids.max()) + 1 if len(rows.ids) else 0, dtype=bool)
    present[rows.ids] = True
    used = np.flatnonzero(present)
    column = np.cumsum(present) - 1
    matrix = sp.csr_matrix((rows.counts.astype(np.float64), column[rows.ids], rows.indptr),
                           shape=(rows.documents, len(used)))
    return matrix, term_stats(connection, used)


def unit_vectors(counts: sp.csr_matrix, stats: TermStats, documents: int, mean_length: float,
                 prior: Prior) -> sp.csr_matrix:
    """Rows of term counts as the story stage's unit vectors (`corpus.weights`), with the index's
    document frequencies, capitalisation counts, documents and mean length instead of one corpus's."""
    weights = term_weights.term_weights(stats.df, stats.capitalised, stats.inside, stats.has_digit, documents, prior)
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    return term_weights.unit_vectors(counts.indptr, counts.indices, counts.data, lengths, mean_length, weights.weight)


# ---- migrations ----

def recount_terms(connection: sqlite3.Connection) -> None:
    """Migrate an index of schema 1 (terms keyed by their text) or 2 (by hash,
    without ids): the term statistics and the open articles' term counts
    recounted from the stored texts, run by run, as the adds of today count them."""
    connection.execute("DROP TABLE terms")
    connection.execute(TERMS_TABLE)
    active = {seq for (seq,) in connection.execute("SELECT seq FROM active")}
    set_meta_number(connection, "stats.documents", 0.0)
    set_meta_number(connection, "stats.occurrences", 0.0)
    for (run,) in connection.execute("SELECT run FROM runs ORDER BY run").fetchall():
        rows = connection.execute("SELECT seq, id, text, fields FROM articles WHERE run = ? AND copy_of IS NULL "
                                  "ORDER BY seq", (run,)).fetchall()
        if not rows:
            continue
        counted = count_new(connection, describe([stored_record(*row[1:]) for row in rows]).texts)
        connection.executemany("UPDATE active SET terms = ?, counts = ? WHERE seq = ?",
                               [(*blobs, row[0]) for blobs, row in zip(counted.blobs(), rows) if row[0] in active])


def add_surfaces(connection: sqlite3.Connection) -> None:
    """Migrate an index of schema 4: terms get a surface column (unknown for the terms it has)."""
    connection.execute("ALTER TABLE terms ADD COLUMN surface BLOB")


def number_terms(connection: sqlite3.Connection) -> None:
    """Migrate an index of schema 3 (terms keyed by hash, open articles' term
    counts as 8-byte hashes and 2-byte counts): terms numbered in hash order,
    term counts stored as id differences and counts."""
    connection.execute("ALTER TABLE terms RENAME TO terms_by_hash")
    connection.execute(TERMS_TABLE)
    connection.execute("INSERT INTO terms (hash, df, inside, capitalised, has_digit) "
                       "SELECT term, df, inside, capitalised, has_digit FROM terms_by_hash ORDER BY term")
    connection.execute("DROP TABLE terms_by_hash")
    stored = connection.execute("SELECT seq, terms, counts FROM active ORDER BY seq").fetchall()
    for start in range(0, len(stored), 10_000):
        part = stored[start : start + 10_000]
        hashes = [np.frombuffer(blob, dtype=np.int64) for _, blob, _ in part]
        wanted = np.unique(np.concatenate(hashes)) if hashes else np.empty(0, np.int64)
        id_of: dict[int, int] = {}
        listed = wanted.tolist()
        for first in range(0, len(listed), SQL_CHUNK):
            chunk = listed[first : first + SQL_CHUNK]
            id_of.update(connection.execute(
                f"SELECT hash, id FROM terms WHERE hash IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        ids = np.array([id_of[k] for k in np.concatenate(hashes).tolist()], dtype=np.int64)
        counts = np.concatenate([np.frombuffer(blob, dtype=np.uint16) for _, _, blob in part]).astype(np.int64)
        indptr = np.concatenate([[0], np.cumsum([len(h) for h in hashes])])
        order = np.lexsort((ids, np.repeat(np.arange(len(part)), np.diff(indptr))))
        rows = TermRows(indptr, ids[order], counts[order])
        connection.executemany("UPDATE active SET terms = ?, counts = ? WHERE seq = ?",
                               [(*blobs, seq) for blobs, (seq, _, _) in zip(rows.blobs(), part)])
