"""The daily index's storage: one SQLite file (Python's sqlite3, WAL mode).

What is stored how (never pickle):

* `meta`: key/value text: the application tag, the schema version and every
  setting the stored data depends on (shingle size, permutations, seed, LSH
  bands and rows, duplicate threshold, story threshold, window, closing
  margin). Checked on every open: another setting is one error line.
* `articles`: one row per added article, `seq` in the order added: its id,
  its day (proleptic ordinal, NULL if unknown), the add run, its story, the
  `seq` of the article it copies (NULL if kept) with their verified Jaccard,
  its text and its other fields (JSON) compressed with zstandard.
* `band_keys`: (key, seq) of every kept article, one row per LSH band (the
  band number folded into the key), a WITHOUT ROWID table whose primary key
  is the candidate lookup. Copies have none: they are never kept in place of
  a later article.
* `stories`, `aliases`, `links`: stories with their first and last day, size
  and whether they are closed; a story merged into an older one is an alias;
  the sum of the (scaled) pair scores between the members of two open stories.
* `terms`, `active`: the term statistics of the story stage (document
  frequency, capitalisation counts, surface, by a small term id) and, for members of
  open stories only, their term counts as varint blobs (`corpus.index_terms`);
  they are dropped when a story closes.
* `settled`, `story_terms`: the term counts of the members of closed stories
  of several articles, and the terms two or more of them use: what a
  follow-up weeks later is scored against (`corpus.index_followups`).
* `runs`: one row per `add` with its counts.

Every `add` is one transaction begun with BEGIN IMMEDIATE, so a run killed at
any moment leaves the file as it was and a second concurrent run waits for
the first (busy timeout), then fails with `IndexBusy`. The file is made with
auto_vacuum=incremental: after each add, the pages its closing stories freed
are given back.
"""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
from dataclasses import asdict, dataclass, fields as dataclass_fields
from pathlib import Path

import numpy as np
import zstandard

from corpus.dedup_settings import DedupSettings
from corpus.records import Record
from corpus.stories import StorySettings

APPLICATION = "samestory-index"
SCHEMA_VERSION = 6
SQLITE_HEADER = b"SQLite format 3\x00"
ZSTD_LEVEL = 3
SQL_CHUNK = 900               # host parameters per IN (...) list
PAGE_SIZE = 16384          # rows of ~2 KB (compressed article) pack with little slack; 4 KB pages leave ~25% empty

TERMS_TABLE = """CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL UNIQUE,
    df INTEGER NOT NULL,
    inside INTEGER NOT NULL,
    capitalised INTEGER NOT NULL,
    has_digit INTEGER NOT NULL,
    surface BLOB
)"""
SETTLED_TABLES = """CREATE TABLE settled (seq INTEGER PRIMARY KEY, story INTEGER NOT NULL, terms BLOB NOT NULL,
                                          counts BLOB NOT NULL);
CREATE INDEX settled_story ON settled (story);
CREATE TABLE story_terms (term INTEGER NOT NULL, story INTEGER NOT NULL, PRIMARY KEY (term, story)) WITHOUT ROWID"""
LINKS_TABLE = "CREATE TABLE links (a INTEGER NOT NULL, b INTEGER NOT NULL, total REAL NOT NULL, " \
              "PRIMARY KEY (a, b)) WITHOUT ROWID"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    day INTEGER,
    run INTEGER NOT NULL,
    story INTEGER NOT NULL,
    copy_of INTEGER,
    jaccard REAL,
    text BLOB NOT NULL,
    fields BLOB NOT NULL
);
CREATE INDEX articles_story ON articles (story);
CREATE INDEX articles_run ON articles (run);
CREATE TABLE band_keys (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID;
CREATE TABLE stories (
    story INTEGER PRIMARY KEY,
    first_day INTEGER,
    last_day INTEGER,
    size INTEGER NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0,
    run INTEGER NOT NULL,
    touched INTEGER NOT NULL
);
CREATE INDEX stories_open ON stories (closed, last_day);
CREATE TABLE aliases (alias INTEGER PRIMARY KEY, story INTEGER NOT NULL);
%s;
CREATE INDEX links_b ON links (b);
%s;
CREATE TABLE active (seq INTEGER PRIMARY KEY, terms BLOB NOT NULL, counts BLOB NOT NULL, best BLOB NOT NULL);
%s;
CREATE TABLE runs (run INTEGER PRIMARY KEY, added INTEGER NOT NULL, copies INTEGER NOT NULL,
                   joined INTEGER NOT NULL, new_stories INTEGER NOT NULL);
""" % (LINKS_TABLE, TERMS_TABLE, SETTLED_TABLES)


class IndexError_(Exception):
    """The file is not a usable index (foreign, newer, other settings, busy): one line, exit 2."""


class IndexBusy(IndexError_):
    """Another `add` holds the index longer than the busy timeout."""


@dataclass(frozen=True)
class IndexSettings:
    """What the stored data depends on; fixed when the index is created."""

    ngram: int = DedupSettings.ngram                  # the defaults of `dedup` and `stories`
    num_perm: int = DedupSettings.num_perm
    seed: int = DedupSettings.seed
    bands: int = 16                                   # lsh_parameters(threshold, num_perm) at the defaults
    rows: int = 6
    threshold: float = DedupSettings.threshold
    story_threshold: float = StorySettings.threshold
    window_days: int | None = StorySettings.window_days
    close_margin_days: int = 7

    def as_meta(self) -> dict[str, str]:
        return {f"setting.{k}": json.dumps(v) for k, v in asdict(self).items()}

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> "IndexSettings":
        return cls(**{f.name: json.loads(meta[f"setting.{f.name}"]) for f in dataclass_fields(cls)})


def check_file(path: str | os.PathLike) -> bool:
    """Whether `path` exists; raises IndexError_ if it exists but is not an SQLite file."""
    path = Path(path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return False                                # (an empty file: a creation that was cut short)
    if path.is_dir():
        raise IndexError_(f"{path}: is a folder, not a samestory index")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise IndexError_(f"{path}: not a samestory index (not an SQLite file)")
    return True


def _read_meta(connection: sqlite3.Connection, path) -> dict[str, str]:
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            raise IndexError_(f"{path}: not a samestory index (an SQLite file of another program)")
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as error:
        raise IndexError_(f"{path}: not a samestory index ({error})") from None
    if meta.get("application") != APPLICATION:
        raise IndexError_(f"{path}: not a samestory index (an SQLite file of another program)")
    return meta


def open_index(path: str | os.PathLike, create: IndexSettings | None = None, busy_seconds: float = 30.0,
               readonly: bool = False, given: frozenset[str] = frozenset()) -> tuple[sqlite3.Connection, IndexSettings]:
    """Open (or, with `create` settings, create if missing) an index; check
    that it is one, of a schema this version reads, and migrate an older one.
    The settings named in `given` (set by the user) must be the stored ones.

    A foreign file is looked at read-only first, so it is never changed.
    """
    exists = check_file(path)
    if not exists and create is None:
        raise IndexError_(f"{path}: no such index")
    if exists:
        probe = sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True, timeout=busy_seconds)
        try:
            meta = _read_meta(probe, path)
        finally:
            probe.close()
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise IndexError_(f"{path}: index schema version {version} is newer than this samestory reads "
                              f"({SCHEMA_VERSION}); upgrade samestory")
    mode = "ro" if readonly else "rwc"
    try:
        connection = sqlite3.connect(f"file:{Path(path).absolute()}?mode={mode}", uri=True, timeout=busy_seconds,
                                     isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
    except sqlite3.OperationalError as error:
        raise IndexError_(f"{path}: cannot open the index ({error})") from None
    if not exists:
        _create(connection, create)
    elif not readonly:
        migrate(connection, path)
    meta = _read_meta(connection, path)
    settings = IndexSettings.from_meta(meta)
    if create is not None and exists:
        for name in sorted(given):
            if getattr(settings, name) != getattr(create, name):
                connection.close()
                raise IndexError_(f"{path}: index was made with {name} = {getattr(settings, name)!r}, not "
                                  f"{getattr(create, name)!r}; its settings cannot change")
    return connection, settings


def _create(connection: sqlite3.Connection, settings: IndexSettings) -> None:
    connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    connection.execute("PRAGMA auto_vacuum = INCREMENTAL")     # pages freed by closing stories can be given back
    connection.execute("PRAGMA journal_mode = WAL")
    with transaction(connection):
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
            return                                  # another run created it while this one waited
        for statement in SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        meta = {"application": APPLICATION, "schema_version": str(SCHEMA_VERSION), **settings.as_meta()}
        connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))


SETTLED = ("corpus.index_followups", "add_settled_tables")
# schema version -> the (module, function) steps that bring an index of it to SCHEMA_VERSION
MIGRATIONS: dict[int, list[tuple[str, str]]] = {
    # 1: terms keyed by their text; 2: by hash, no links between open stories; 3: term counts as hashes;
    # 4: terms without their surface (the word-frequency prior's key); 5: closed stories' term counts dropped
    1: [("corpus.index_terms", "recount_terms"), ("corpus.index_stories", "link_open_stories"), SETTLED],
    2: [("corpus.index_terms", "recount_terms"), ("corpus.index_stories", "link_open_stories"), SETTLED],
    3: [("corpus.index_terms", "number_terms"), SETTLED],
    4: [("corpus.index_terms", "add_surfaces"), SETTLED],
    5: [SETTLED],
}


def migrate(connection: sqlite3.Connection, path) -> None:
    """Bring an index of an older schema version up to SCHEMA_VERSION, in one transaction."""
    version = int(_read_meta(connection, path)["schema_version"])
    if version == SCHEMA_VERSION:
        return
    with transaction(connection):
        for module, function in MIGRATIONS[version]:
            getattr(importlib.import_module(module), function)(connection)
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))


class transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any exception); a lock another
    writer holds past the busy timeout raises IndexBusy."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self):
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise IndexBusy("the index is in use by another samestory index add (waited for it, in vain)") \
                    from None
            raise
        return self.connection

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.connection.execute("COMMIT")
        elif self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        return False


# ---- blobs ----

_COMPRESSOR = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
_DECOMPRESSOR = zstandard.ZstdDecompressor()


def compress(data: bytes) -> bytes:
    return _COMPRESSOR.compress(data)


def decompress(blob: bytes) -> bytes:
    return _DECOMPRESSOR.decompress(blob)


def pack_text(text: str) -> bytes:
    return compress(text.encode("utf-8", "surrogatepass"))


def unpack_text(blob: bytes) -> str:
    return decompress(blob).decode("utf-8", "surrogatepass")


def pack_json(value) -> bytes:
    return pack_text(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def unpack_json(blob: bytes):
    return json.loads(unpack_text(blob))


def pack_varints(values: np.ndarray, bounds: np.ndarray | None = None) -> bytes | list[bytes]:
    """Non-negative integers as LEB128 varints: 7 bits a byte, the high bit
    set on every byte but a value's last. With `bounds` (runs of values
    values[bounds[k]:bounds[k + 1]]), one bytes object per run."""
    values = np.asarray(values, dtype=np.uint64)
    sizes = np.ones(len(values), dtype=np.int64)
    for shift in range(7, 64, 7):
        sizes += values >= (np.uint64(1) << np.uint64(shift))
    ends = np.cumsum(sizes)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    starts = ends - sizes
    for position in range(int(sizes.max()) if len(sizes) else 0):
        has = sizes > position
        part = (values[has] >> np.uint64(7 * position)) & np.uint64(0x7F)
        more = (sizes[has] > position + 1).astype(np.uint64) << np.uint64(7)
        out[starts[has] + position] = (part | more).astype(np.uint8)
    data = out.tobytes()
    if bounds is None:
        return data
    offsets = np.concatenate([[0], ends])[bounds].tolist()
    return [data[a:b] for a, b in zip(offsets[:-1], offsets[1:])]


def unpack_varints(data: bytes) -> np.ndarray:
    """The uint64 values of concatenated varints (`pack_varints`): each value's
    first byte at once, then the second bytes of the values that have one, and so on."""
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw < 0x80)
    if not len(ends):
        return np.empty(0, dtype=np.uint64)
    starts = np.empty_like(ends)
    starts[0], starts[1:] = 0, ends[:-1] + 1
    lengths = ends - starts + 1
    values = (raw[starts] & 0x7F).astype(np.uint64)
    for position in range(1, int(lengths.max())):
        longer = np.flatnonzero(lengths > position)
        values[longer] |= (raw[starts[longer] + position] & 0x7F).astype(np.uint64) << np.uint64(7 * position)
    return values


def meta_number(connection: sqlite3.Connection, key: str) -> float:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return float(row[0]) if row else 0.0


def set_meta_number(connection: sqlite3.Connection, key: str, value: float) -> None:
    connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, repr(value)))


def stored_record(doc_id: str, text: bytes, fields: bytes) -> Record:
    """An indexed article as the record it was read as."""
    stored = unpack_json(fields)
    return Record(doc_id, unpack_text(text), stored["source"], stored["line"], stored["fields"], stored["date"],
                  decoded=tuple(stored.get("decoded", ())))


def to_sqlite_keys(keys: np.ndarray) -> np.ndarray:
    """uint64 keys as the signed 64-bit integers SQLite stores."""
    return np.ascontiguousarray(keys, dtype=np.uint64).view(np.int64)


def release_free_pages(connection: sqlite3.Connection) -> None:
    """Give the pages left free (the term counts of stories that closed) back
    to the file system, in a transaction of its own (an index made before
    auto_vacuum keeps them for later rows)."""
    connection.execute("PRAGMA incremental_vacuum")


def counts(connection: sqlite3.Connection) -> dict[str, int]:
    """How much the index holds."""
    one = lambda sql: connection.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "copies": one("SELECT count(*) FROM articles WHERE copy_of IS NOT NULL"),
        "stories": one("SELECT count(*) FROM stories"),
        "open_stories": one("SELECT count(*) FROM stories WHERE closed = 0"),
        "aliases": one("SELECT count(*) FROM aliases"),
        "runs": one("SELECT count(*) FROM runs"),
    }
