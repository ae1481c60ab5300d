"""Near-duplicate removal: which documents to drop, and in favour of which.

Two passes over the input, so memory grows with the number of documents, not
with their text:

1. `sketch_corpus` reads records in batches and sketches them (shingle hashes,
   MinHash signatures, LSH band keys) in worker processes. It keeps per
   document only its id, band keys, text length and date; shingle hashes and
   signatures go to temporary spill files (`Spill`).
2. `find_removals` takes the candidate pairs from the band keys, verifies each
   by the exact Jaccard of the spilled shingle sets, and decides by the keep
   policy which document of each near-duplicate group stays.
3. `write_outputs` reads the input again and writes the kept records and the
   removed ones' `duplicate_of` lines.

The decision (`choose_kept`) is greedy in a total priority order (the keep
policy, ties by input order): the best document not yet removed is kept, and
every not-yet-decided document verified similar to it is removed in its
favour. So every removed document points at a kept one with a verified
Jaccard >= threshold against that very document (a document similar only to
removed ones stays), and the outcome depends on the pairs found, never on the
order they are found in.
"""

from __future__ import annotations

import array
import datetime
import email.utils
import itertools
import json
import multiprocessing
import os
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from functools import partial
from typing import IO, Callable, Iterable, Iterator, Sequence

import numpy as np

from corpus import neighbours, sketch
from corpus.output import atomic_writer
from corpus.read import InputError, Record

KEEP_POLICIES = ("first", "longest", "earliest")
BATCH_SIZE = 2_000
VERIFY_CHUNK = 20_000        # candidate pairs verified per read of their shingle sets

Progress = Callable[[str, int, "int | None"], None]   # (stage, done, total or None)


@dataclass(frozen=True)
class DedupSettings:
    """Every knob of a dedup run; defaults are the command's defaults."""

    threshold: float = 0.8
    ngram: int = 5
    num_perm: int = 128
    seed: int = 1
    keep: str = "first"
    jobs: int = 1
    batch_size: int = BATCH_SIZE


@dataclass(frozen=True)
class Removal:
    """A removed document: the index of the document kept in its place, their
    exact Jaccard and its MinHash estimate."""

    kept: int
    jaccard: float
    jaccard_estimate: float


@dataclass
class Sketches:
    """What pass 1 keeps of every document, in input order."""

    ids: list[str]
    band_keys: np.ndarray    # uint64 (N, bands)
    lengths: np.ndarray      # int64: characters of text
    dates: np.ndarray        # float64: POSIX seconds, NaN if unknown (filled only for keep=earliest)
    spill: "Spill"


@dataclass
class Decision:
    """The outcome: removals by document index, and the number of near-duplicate groups."""

    removals: dict[int, Removal]
    groups: int


@dataclass
class Summary:
    """Counts of a run, for the message at its end."""

    read: int
    kept: int
    removed: int
    groups: int
    seconds: float


# ---- spill files: shingle sets and signatures on disk ----

class Spill:
    """Each document's sorted distinct shingle hashes and its signature, in
    unnamed temporary files (gone when closed or when the process ends)."""

    def __init__(self, num_perm: int):
        self._hashes = tempfile.TemporaryFile(prefix="samestory-shingles-")
        self._signatures = tempfile.TemporaryFile(prefix="samestory-signatures-")
        self._ends = array.array("q")       # document i's hashes end at _ends[i] (counted in hashes)
        self._row_bytes = num_perm * np.dtype(np.uint32).itemsize

    def append(self, batch: sketch.SketchBatch) -> None:
        start = self._ends[-1] if self._ends else 0
        self._hashes.seek(0, os.SEEK_END)
        self._hashes.write(np.ascontiguousarray(batch.hashes, dtype=np.uint64).data)
        self._signatures.seek(0, os.SEEK_END)
        self._signatures.write(np.ascontiguousarray(batch.signatures, dtype=np.uint32).data)
        self._ends.extend((batch.offsets[1:] + start).tolist())

    def hashes(self, doc: int) -> np.ndarray:
        start = self._ends[doc - 1] if doc else 0
        return np.frombuffer(self._read(self._hashes, start * 8, (self._ends[doc] - start) * 8), dtype=np.uint64)

    def signature(self, doc: int) -> np.ndarray:
        return np.frombuffer(self._read(self._signatures, doc * self._row_bytes, self._row_bytes), dtype=np.uint32)

    @staticmethod
    def _read(file: IO[bytes], offset: int, size: int) -> bytes:
        file.seek(offset)
        return file.read(size)

    def close(self) -> None:
        self._hashes.close()
        self._signatures.close()


# ---- pass 1: sketch every document ----

def sketch_corpus(
    records: Iterable[Record],
    settings: DedupSettings,
    progress: Progress | None = None,
) -> Sketches:
    """Pass 1: sketch every record (in `settings.jobs` processes, results in
    input order, so the outcome never depends on `jobs`)."""
    bands, rows = neighbours.lsh_parameters(settings.threshold, settings.num_perm)
    work = partial(sketch.sketch_batch, ngram=settings.ngram, num_perm=settings.num_perm, seed=settings.seed,
                   bands=bands, rows=rows)
    ids: list[str] = []
    lengths, dates = array.array("q"), array.array("d")
    keys: list[np.ndarray] = []
    spill = Spill(settings.num_perm)
    wants_dates = settings.keep == "earliest"

    def batches() -> Iterator[list[str]]:
        texts: list[str] = []
        for record in records:
            ids.append(record.id)
            lengths.append(len(record.text))
            dates.append(parse_date(record.date) if wants_dates else np.nan)
            texts.append(record.text)
            if len(texts) == settings.batch_size:
                yield texts
                texts = []
        if texts:
            yield texts

    try:
        for batch in _ordered_map(work, batches(), settings.jobs):
            spill.append(batch)
            keys.append(batch.band_keys)
            if progress:
                progress("sketching", len(ids), None)
    except BaseException:
        spill.close()
        raise
    band_keys = np.concatenate(keys) if keys else np.empty((0, bands), dtype=np.uint64)
    return Sketches(ids, band_keys, np.frombuffer(lengths, dtype=np.int64), np.frombuffer(dates), spill)


def _ordered_map(work: Callable, items: Iterator, jobs: int) -> Iterator:
    """`map(work, items)` over `jobs` processes, results in input order, at most
    2 * jobs items ahead of the consumer (so memory stays bounded); items are
    drawn in the calling thread. A single item is worked on in this process."""
    head = list(itertools.islice(items, 2))
    if jobs <= 1 or len(head) < 2:
        yield from map(work, itertools.chain(head, items))
        return
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pending: deque = deque()
        for item in itertools.chain(head, items):
            pending.append(pool.apply_async(work, (item,)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def parse_date(value: str | None) -> float:
    """POSIX seconds of a date written as ISO 8601, RFC 2822 or in words
    ("14 March 2023"); NaN when absent or unreadable. A date without a zone is
    taken as UTC; relative dates ("yesterday") are unknown, so the result
    never depends on the day of the run."""
    if not value:
        return np.nan
    parsed = None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = _parse_words_date(value)
    if parsed is None:
        return np.nan
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.timestamp()


def _parse_words_date(value: str) -> datetime.datetime | None:
    import dateparser

    settings = {"PARSERS": ["timestamp", "custom-formats", "absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"]}
    try:
        return dateparser.parse(value, settings=settings)
    except (ValueError, OverflowError):
        return None


# ---- the decision ----

def find_removals(sketches: Sketches, settings: DedupSettings, progress: Progress | None = None) -> Decision:
    """Verify the LSH candidates exactly and decide, by the keep policy, which
    documents are removed in favour of which."""
    candidates = neighbours.candidate_pairs(sketches.band_keys)
    hashes_of = sketches.spill.hashes
    pairs, jaccards = verified_pairs(candidates, hashes_of, settings.threshold, progress)
    order = priority_order(settings.keep, sketches.lengths, sketches.dates)
    kept_of, jaccard_of, groups = decide(len(sketches.ids), pairs, jaccards, order, hashes_of, settings.threshold)
    removed = np.flatnonzero(kept_of >= 0)
    spill = sketches.spill
    removals = {
        doc: Removal(kept, jaccard, sketch.estimate_jaccard(spill.signature(doc), spill.signature(kept)))
        for doc, kept, jaccard in zip(removed.tolist(), kept_of[removed].tolist(), jaccard_of[removed].tolist())
    }
    return Decision(removals, groups)


def verified_pairs(
    candidates: np.ndarray,
    hashes_of: Callable[[int], np.ndarray],
    threshold: float,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs whose exact Jaccard is >= threshold, and those Jaccards."""
    kept_pairs, kept_jaccards = [np.empty((0, 2), dtype=np.int64)], [np.empty(0)]
    for start in range(0, len(candidates), VERIFY_CHUNK):
        chunk = candidates[start : start + VERIFY_CHUNK]
        loaded = {doc: hashes_of(doc) for doc in np.unique(chunk).tolist()}
        jaccards = neighbours.verify_pairs(chunk, loaded.__getitem__)
        similar = jaccards >= threshold
        kept_pairs.append(chunk[similar])
        kept_jaccards.append(jaccards[similar])
        if progress:
            progress("verifying", start + len(chunk), len(candidates))
    return np.concatenate(kept_pairs), np.concatenate(kept_jaccards)


def priority_order(keep: str, lengths: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """Document indices, the one to keep first: by input order, longest text
    first, or earliest date first (unknown dates last); ties by input order."""
    index = np.arange(len(lengths))
    if keep == "first":
        return index
    if keep == "longest":
        return np.lexsort((index, -np.asarray(lengths, dtype=np.int64)))
    if keep == "earliest":
        return np.lexsort((index, np.where(np.isnan(dates), np.inf, dates)))
    raise ValueError(f"unknown keep policy {keep!r} (one of {', '.join(KEEP_POLICIES)})")


def decide(
    count: int,
    pairs: np.ndarray,
    jaccards: np.ndarray,
    order: np.ndarray,
    hashes_of: Callable[[int], np.ndarray],
    threshold: float,
) -> tuple[np.ndarray, np.ndarray, int]:
    """`choose_kept`, then completed within each group: LSH may pair a large
    bucket of copies only as a star and a chain, so a copy of the group's best
    document need not have been compared with it. Every other kept member of
    a group is verified against the group's best document, and the choice is
    made again, until no new similar pair turns up.
    Returns (kept_of, jaccard_of, number of groups)."""
    labels = group_labels(count, pairs)
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    checked: set[tuple[int, int]] = set()
    while True:
        kept_of, jaccard_of = choose_kept(count, pairs, jaccards, order)
        extra = [pair for pair in _unpaired_with_best(labels, rank, kept_of, pairs) if pair not in checked]
        checked.update(extra)
        extra_pairs = np.array(extra, dtype=np.int64).reshape(-1, 2)
        new_pairs, new_jaccards = verified_pairs(extra_pairs, hashes_of, threshold)
        if not len(new_pairs):
            grouped = labels[np.unique(pairs)] if len(pairs) else labels[:0]
            return kept_of, jaccard_of, len(np.unique(grouped))
        pairs, jaccards = np.concatenate([pairs, new_pairs]), np.concatenate([jaccards, new_jaccards])


def _unpaired_with_best(
    labels: np.ndarray, rank: np.ndarray, kept_of: np.ndarray, pairs: np.ndarray
) -> list[tuple[int, int]]:
    """(best, other) for every kept document of a group besides the group's
    best one, as sorted pairs, unless they are a verified pair already."""
    if not len(pairs):
        return []
    members = np.unique(pairs)
    kept = members[kept_of[members] < 0]
    by_group = kept[np.lexsort((rank[kept], labels[kept]))]
    first = np.ones(len(by_group), dtype=bool)
    first[1:] = labels[by_group[1:]] != labels[by_group[:-1]]
    best = by_group[first][np.cumsum(first) - 1]
    others = ~first
    known = set(map(tuple, np.sort(pairs, axis=1).tolist()))
    found = zip(np.minimum(best, by_group)[others].tolist(), np.maximum(best, by_group)[others].tolist())
    return [pair for pair in found if pair not in known]


def choose_kept(
    count: int, pairs: np.ndarray, jaccards: np.ndarray, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each of `count` documents: the document it is removed in favour of
    (-1 if kept) and their Jaccard, given the verified similar `pairs` and the
    priority `order` (document indices, best first)."""
    kept_of = np.full(count, -1, dtype=np.int64)
    jaccard_of = np.zeros(count)
    if not len(pairs):
        return kept_of, jaccard_of
    source = np.concatenate([pairs[:, 0], pairs[:, 1]])
    target = np.concatenate([pairs[:, 1], pairs[:, 0]])
    weight = np.concatenate([jaccards, jaccards])
    by_source = np.argsort(source, kind="stable")
    target, weight = target[by_source].tolist(), weight[by_source].tolist()
    starts = np.searchsorted(source[by_source], np.arange(count + 1)).tolist()
    involved = np.zeros(count, dtype=bool)
    involved[source] = True
    decided = np.zeros(count, dtype=bool)
    for doc in order[involved[order]].tolist():
        if decided[doc]:
            continue
        decided[doc] = True          # kept
        for position in range(starts[doc], starts[doc + 1]):
            other = target[position]
            if not decided[other]:
                decided[other] = True
                kept_of[other], jaccard_of[other] = doc, weight[position]
    return kept_of, jaccard_of


def group_labels(count: int, pairs: np.ndarray) -> np.ndarray:
    """Each document's group: the smallest document index connected to it by
    verified pairs (union-find); a document in no pair is its own group."""
    parent = list(range(count))

    def root(doc: int) -> int:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    for a, b in pairs.tolist():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    labels = np.arange(count, dtype=np.int64)
    members = np.unique(pairs)
    labels[members] = [root(doc) for doc in members.tolist()]
    return labels


def find_duplicates(hash_sets: Sequence[np.ndarray], signatures: np.ndarray, threshold: float = 0.8,
                    keep: str = "first", lengths: Sequence[int] | None = None) -> dict[int, Removal]:
    """In memory, for a corpus already sketched: removals by document index
    (keep policy `first` or `longest`; `lengths` defaults to shingle counts)."""
    bands, rows = neighbours.lsh_parameters(threshold, signatures.shape[1])
    candidates = neighbours.candidate_pairs(neighbours.band_keys(signatures, bands, rows))
    pairs, jaccards = verified_pairs(candidates, hash_sets.__getitem__, threshold)
    sizes = np.array([len(h) for h in hash_sets] if lengths is None else lengths, dtype=np.int64)
    order = priority_order(keep, sizes, np.full(len(hash_sets), np.nan))
    kept_of, jaccard_of, _ = decide(len(hash_sets), pairs, jaccards, order, hash_sets.__getitem__, threshold)
    return {
        doc: Removal(int(kept_of[doc]), float(jaccard_of[doc]),
                     sketch.estimate_jaccard(signatures[doc], signatures[kept_of[doc]]))
        for doc in np.flatnonzero(kept_of >= 0).tolist()
    }


# ---- pass 2: write the outcome ----

def output_object(record: Record) -> dict:
    """A kept record as written: a JSONL/CSV record's original fields; for a
    whole-file document (txt, md, html) its id and text, then its fields."""
    if record.line is not None:
        return record.fields
    return {"id": record.id, "text": record.text,
            **{k: v for k, v in record.fields.items() if k not in ("id", "text")}}


def duplicate_line(doc_id: str, kept_id: str, removal: Removal) -> str:
    return json.dumps({"id": doc_id, "duplicate_of": kept_id, "jaccard": round(removal.jaccard, 4),
                       "jaccard_estimate": round(removal.jaccard_estimate, 4)}, ensure_ascii=False) + "\n"


def write_outputs(
    records: Iterable[Record],
    sketches: Sketches,
    decision: Decision,
    kept_out: IO[str],
    duplicates_out: IO[str] | None,
    progress: Progress | None = None,
) -> None:
    """Pass 2: the kept records as JSON Lines in input order, and one line per
    removed record (in input order) saying in favour of which it went."""
    ids, removals = sketches.ids, decision.removals
    count, source = 0, "input"
    for index, record in enumerate(records):
        if index >= len(ids) or record.id != ids[index]:
            raise InputError(record.source, "input changed while it was being read (records differ on the second pass)",
                             record.line, record.id)
        if index not in removals:
            kept_out.write(json.dumps(output_object(record), ensure_ascii=False) + "\n")
        count, source = index + 1, record.source
        if progress and count % 1000 == 0:
            progress("writing", count, len(ids))
    if count != len(ids):
        raise InputError(source, f"input changed while it was being read "
                                 f"({count} records on the second pass, {len(ids)} on the first)")
    if duplicates_out is not None:
        for doc in sorted(removals):
            duplicates_out.write(duplicate_line(ids[doc], ids[removals[doc].kept], removals[doc]))


def deduplicate(
    read: Callable[[], Iterable[Record]],
    settings: DedupSettings,
    output: str | None,
    duplicates: str | None,
    progress: Progress | None = None,
) -> Summary:
    """Both passes: `read()` yields the input records (called twice). Outputs
    are opened only after pass 1 read everything, and written atomically."""
    started = time.perf_counter()
    sketches = sketch_corpus(read(), settings, progress)
    try:
        decision = find_removals(sketches, settings, progress)
        with atomic_writer(output) as kept_out:
            if duplicates is None:
                write_outputs(read(), sketches, decision, kept_out, None, progress)
            else:
                with atomic_writer(duplicates) as duplicates_out:
                    write_outputs(read(), sketches, decision, kept_out, duplicates_out, progress)
    finally:
        sketches.spill.close()
    removed = len(decision.removals)
    return Summary(len(sketches.ids), len(sketches.ids) - removed, removed, decision.groups,
                   time.perf_counter() - started)
