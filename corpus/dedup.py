"""Near-duplicate removal: which documents to drop, and in favour of which.

Two passes over the input, so memory grows with the number of documents, not
with their text:

1. `sketch_corpus` takes the input in units of about `batch_size` records.
   Worker processes parse each unit (JSON Lines arrive as raw lines, see
   `corpus.read.read_unparsed`) and sketch its texts (shingle hashes, MinHash
   signatures, LSH band keys): `sketch_unit`, a pure function of the unit.
   This process takes the results in input order: it checks ids for
   uniqueness, reports errors in input order, and keeps per document only its
   id, place, band keys, text length and date. Shingle hashes, signatures and
   band keys go to temporary spill files (`Spill`), written by the process
   that sketched them: what comes back through the pipe stays small, so a
   worker never waits for this process to read it.
2. `find_removals` takes the candidate pairs from the band keys (band by band
   in the worker processes), verifies each there by the exact Jaccard of the
   spilled shingle sets, and decides by the keep policy which document of
   each near-duplicate group stays.
3. `write_kept` writes the kept records (a JSON Lines record as its
   original line, without parsing it again: from a plain file, whose every
   line pass 1 could place, the kept lines are copied by byte offset in the
   kernel, the file unread; other input is read again), and
   `write_duplicates` the removed ones' `duplicate_of` lines, while the spill
   files are deleted in a thread.

The decision (`choose_kept`) is greedy in a total priority order (the keep
policy, ties by input order): the best document not yet removed is kept, and
every not-yet-decided document verified similar to it is removed in its
favour. So every removed document points at a kept one with a verified
Jaccard >= threshold against that very document (a document similar only to
removed ones stays), and the outcome depends on the pairs found, never on the
order they are found in.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import time
from dataclasses import dataclass
from functools import partial
from typing import IO, Callable, Iterable, Iterator, Sequence, Union

import numpy as np

from corpus import neighbours, sketch
from corpus.dates import parse_date_field
from corpus.dedup_settings import KEEP_POLICIES, DedupSettings
from corpus.output import atomic_writer, copy_spans
from corpus.read import InputError, KnownFile, LineBatch, Record, UniqueIds, parse_lines
from corpus.spill import Spill, SpillPart, SpillPlaces, spill_writer
from corpus.workers import Workers, workers_or_own

# The input of both passes, in input order: records (alone or with their raw
# line, as `corpus.read.read_unparsed` gives them), unparsed JSON Lines,
# errors; in pass 2 also plain files passed over unread (`known_files`).
Piece = Union[Record, "tuple[Record, str | None]", LineBatch, InputError, KnownFile]

UNITS_TO_START_WORKERS = 8   # about a quarter of a second of sketching: what starting a worker takes
VERIFY_CHUNK = 20_000        # candidate pairs verified per read of their shingle sets

Progress = Callable[[str, int, "int | None"], None]   # (stage, done, total or None)


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
    sources: list[str]
    lines: list[int | None]  # where the record starts; None for a whole-file document
    sizes: np.ndarray        # int64: bytes of its raw JSON Lines line, -1 if it was not read as one
    starts: np.ndarray       # int64: where that line starts in its stream, if it can be copied as is, else -1
    band_keys: np.ndarray    # uint64 (N, bands)
    lengths: np.ndarray      # int64: characters of text
    dates: np.ndarray        # float64: POSIX seconds, NaN if unknown (filled only for keep=earliest)
    spill: "Spill"
    plain_files: dict[str, tuple[str, int]]   # source read as a plain file -> (absolute path, size)


@dataclass
class SketchedUnit:
    """Pass 1's findings on a unit of input: its records' ids, places, raw
    lines (as in `Sketches`), text lengths and dates; its errors, each with
    the number of records before it; where their shingle hashes (`offsets`
    into the unit's), signatures and band keys were spilled; the band keys,
    once the taking process has read them back."""

    ids: list[str]
    sources: list[str]
    lines: list[int | None]
    sizes: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray
    dates: np.ndarray
    errors: list[tuple[int, InputError]]
    offsets: np.ndarray
    spilled: SpillPart | None = None
    band_keys: np.ndarray | None = None


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


# ---- pass 1: sketch every document ----

def sketch_corpus(
    pieces: Iterable[Piece],
    settings: DedupSettings,
    progress: Progress | None = None,
    on_error: Callable[[InputError], None] | None = None,
    workers: Workers | None = None,
) -> Sketches:
    """Pass 1: parse and sketch the input (in `workers`, by default
    `settings.jobs` processes of its own; the outcome never depends on
    `jobs`). Errors, duplicate ids included, go in input order to
    `on_error`; without it the first one is raised."""
    bands, rows = neighbours.lsh_parameters(settings.threshold, settings.num_perm)
    sketcher = partial(sketch.sketch_batch, ngram=settings.ngram, num_perm=settings.num_perm, seed=settings.seed,
                       bands=bands, rows=rows)
    spill = Spill(settings.num_perm)
    work = partial(sketch_and_spill, folder=spill.folder, sketcher=sketcher, wants_dates=settings.keep == "earliest")
    taken = UniqueIds()
    units: list[SketchedUnit] = []
    plain_files: dict[str, tuple[str, int]] = {}
    count = 0
    try:
        with workers_or_own(workers, settings.jobs) as workers:
            for unit, done in workers.map(work, _units(pieces, settings.batch_size), start_for=UNITS_TO_START_WORKERS):
                plain_files.update((piece.source, (piece.file, piece.offset + piece.size)) for piece in unit
                                   if isinstance(piece, LineBatch) and piece.file is not None)
                keep = np.ones(len(done.ids), dtype=bool)
                keep[_take(unit, done, taken, on_error)] = False
                spill.add(done.spilled, done.offsets, keep)
                done.band_keys = spill.band_keys(done.spilled, len(done.ids), bands)
                units.append(done if keep.all() else _kept(done, keep))
                count += len(units[-1].ids)
                if progress:
                    progress("sketching", count, None)
    except BaseException:
        spill.close()
        raise
    return _joined(units, spill, bands, plain_files)


def _joined(units: list[SketchedUnit], spill: Spill, bands: int, plain_files: dict[str, tuple[str, int]]) -> Sketches:
    """Pass 1's findings on every unit, as one."""
    def joined(name: str, empty: np.ndarray) -> np.ndarray:
        return np.concatenate([getattr(unit, name) for unit in units]) if units else empty

    def chained(name: str) -> list:
        return list(itertools.chain.from_iterable(getattr(unit, name) for unit in units))

    no_numbers = np.empty(0, dtype=np.int64)
    return Sketches(chained("ids"), chained("sources"), chained("lines"), joined("sizes", no_numbers),
                    joined("starts", no_numbers), joined("band_keys", np.empty((0, bands), dtype=np.uint64)),
                    joined("lengths", no_numbers), joined("dates", np.empty(0)), spill, plain_files)


def _units(pieces: Iterable[Piece], size: int) -> Iterator[list[Piece]]:
    """Consecutive pieces of input holding about `size` records (or lines) each."""
    unit: list[Piece] = []
    count = 0
    for piece in pieces:
        unit.append(piece)
        count += piece.count if isinstance(piece, LineBatch) else 1
        if count >= size:
            yield unit
            unit, count = [], 0
    if unit:
        yield unit


def sketch_unit(unit: list[Piece], sketcher: Callable[[list[str]], sketch.SketchBatch],
                wants_dates: bool) -> tuple[SketchedUnit, sketch.SketchBatch]:
    """Pass 1's work on a unit of input, in any process: parse its JSON Lines,
    sketch its records' texts, parse their dates if `wants_dates`."""
    ids, sources, lines, sizes, starts, texts, dates = [], [], [], [], [], [], []
    errors: list[tuple[int, InputError]] = []
    for piece in unit:
        for item, size, start in _parsed(piece):
            if isinstance(item, InputError):
                errors.append((len(ids), item))
                continue
            ids.append(item.id)
            sources.append(item.source)
            lines.append(item.line)
            sizes.append(size)
            starts.append(start)
            texts.append(item.text)
            dates.append(date_seconds(item.date) if wants_dates else np.nan)
    batch = sketcher(texts)
    done = SketchedUnit(ids, sources, lines, np.array(sizes, dtype=np.int64), np.array(starts, dtype=np.int64),
                        np.array([len(text) for text in texts], dtype=np.int64), np.array(dates, dtype=np.float64),
                        errors, batch.offsets)
    return done, batch


def sketch_and_spill(unit: list[Piece], folder: str, sketcher: Callable[[list[str]], sketch.SketchBatch],
                     wants_dates: bool) -> SketchedUnit:
    """`sketch_unit`, its shingle hashes, signatures and band keys spilled
    by this process, so that little goes back to the process that takes the
    results."""
    done, batch = sketch_unit(unit, sketcher, wants_dates)
    done.spilled = spill_writer(folder).write(batch)
    return done


def _parsed(piece: Piece) -> Iterator[tuple[Record | InputError, int, int]]:
    """The records and errors of a piece of input, each with the size of its
    raw JSON Lines line and where that starts in its stream if it can be
    copied as is: valid UTF-8 ended by a "\\n" (-1, -1 if not read as one)."""
    if not isinstance(piece, LineBatch):
        yield (piece[0] if isinstance(piece, tuple) else piece), -1, -1
        return
    starts = piece.starts()
    for item in parse_lines(piece):
        if isinstance(item, InputError):
            yield item, -1, -1
            continue
        index = item[0].line - piece.first
        line = piece.lines[index]
        yield item[0], len(line), starts[index] if starts and (line.isascii() or _is_utf8(line)) else -1


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _take(unit: list[Piece], done: SketchedUnit, taken: UniqueIds,
          on_error: Callable[[InputError], None] | None) -> list[int]:
    """Take a sketched unit's ids and report its errors in input order (raise
    the first if `on_error` is None); the positions of the records whose id
    was taken before."""
    seen = taken.add(done.ids, done.sources, done.lines)
    problems = [(position, 0, error) for position, error in done.errors]
    problems += [(position, 1, taken.duplicate(done.ids[position], done.sources[position], done.lines[position],
                                               _raw_line(unit, done.sources[position], done.lines[position])))
                 for position in seen]
    for _, _, error in sorted(problems, key=lambda problem: problem[:2]):
        if on_error is None:
            raise error
        on_error(error)
    return seen


def _raw_line(unit: list[Piece], source: str, line: int | None) -> str | None:
    """The raw line of the record of a unit at `source`:`line`, if it has one."""
    for piece in unit:
        if isinstance(piece, LineBatch) and piece.source == source and line is not None \
                and piece.first <= line < piece.first + piece.count:
            return piece.lines[line - piece.first].decode("utf-8", "replace")
        if isinstance(piece, tuple) and (piece[0].source, piece[0].line) == (source, line):
            return piece[1]
    return None


def _kept(done: SketchedUnit, keep: np.ndarray) -> SketchedUnit:
    """The records of a sketched unit that `keep` marks (what `Spill.add` took aside)."""
    def kept(values: list) -> list:
        return [value for value, k in zip(values, keep.tolist()) if k]

    return SketchedUnit(kept(done.ids), kept(done.sources), kept(done.lines), done.sizes[keep], done.starts[keep],
                        done.lengths[keep], done.dates[keep], done.errors, done.offsets, done.spilled,
                        done.band_keys[keep])


def date_seconds(value: object) -> float:
    """POSIX seconds of a date field (`corpus.dates.parse_date_field`: ISO 8601,
    RFC 2822, epoch, words; UTC when no zone is named), NaN when it states none."""
    parsed = parse_date_field(value)
    return parsed.timestamp() if parsed is not None else np.nan


# ---- the decision ----

def find_removals(sketches: Sketches, settings: DedupSettings, progress: Progress | None = None,
                  workers: Workers | None = None) -> Decision:
    """Verify the LSH candidates exactly (in `workers`, by default
    `settings.jobs` processes of its own) and decide, by the keep policy,
    which documents are removed in favour of which."""
    spill = sketches.spill
    with workers_or_own(workers, settings.jobs) as workers:
        candidates = neighbours.candidate_pairs(sketches.band_keys, map_bands=partial(workers.results, start_for=None))
        pairs, jaccards = _verified_spilled(candidates, spill, settings.threshold, workers, progress)
    order = priority_order(settings.keep, sketches.lengths, sketches.dates)
    kept_of, jaccard_of, groups = decide(len(sketches.ids), pairs, jaccards, order, spill.hashes, settings.threshold)
    removed = np.flatnonzero(kept_of >= 0)
    signatures = spill.signatures(np.concatenate([removed, kept_of[removed]]))   # one pass over the file
    estimates = sketch.estimate_jaccards(signatures[: len(removed)], signatures[len(removed) :])
    removals = {
        doc: Removal(kept, jaccard, estimate)
        for doc, kept, jaccard, estimate in zip(removed.tolist(), kept_of[removed].tolist(),
                                                jaccard_of[removed].tolist(), estimates.tolist())
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


def _verified_spilled(candidates: np.ndarray, spill: Spill, threshold: float, workers: Workers,
                      progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`verified_pairs` of spilled documents, chunk by chunk in the workers,
    each reading the shingle hashes it needs from the spill."""
    size = max(500, min(VERIFY_CHUNK, -(-len(candidates) // (16 * workers.jobs))))   # 16 chunks a process, or more
    chunks = np.split(candidates, range(size, len(candidates), size))
    items = ((chunk, spill.places(np.unique(chunk).tolist())) for chunk in chunks)
    found, done = [(np.empty((0, 2), dtype=np.int64), np.empty(0))], 0
    for (chunk, _), verified in workers.map(partial(_verify_chunk, threshold=threshold), items, start_for=None):
        found.append(verified)
        done += len(chunk)
        if progress:
            progress("verifying", done, len(candidates))
    return np.concatenate([pairs for pairs, _ in found]), np.concatenate([jaccards for _, jaccards in found])


def _verify_chunk(item: tuple[np.ndarray, SpillPlaces], threshold: float) -> tuple[np.ndarray, np.ndarray]:
    pairs, places = item
    return verified_pairs(pairs, places.read().__getitem__, threshold)


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
    low, high = np.minimum(best, by_group)[others], np.maximum(best, by_group)[others]
    count = len(labels)                  # a sorted pair (i, j) as the code i * count + j
    known = np.isin(low * count + high, pairs.min(axis=1) * count + pairs.max(axis=1))
    return list(zip(low[~known].tolist(), high[~known].tolist()))


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
    verified pairs; a document in no pair is its own group. In numpy, in
    rounds: the groups (trees whose root is their smallest member) a pair
    joins go under the smaller of their roots, and every document then
    points straight at its root. Each round joins every group that has a
    neighbouring group with a smaller root, so a few rounds do (15 ms for a
    chain of 100,000 documents in random order)."""
    labels = np.arange(count, dtype=np.int64)
    if not len(pairs):
        return labels
    first, second = pairs[:, 0], pairs[:, 1]
    while True:
        roots_first, roots_second = labels[first], labels[second]
        apart = roots_first != roots_second
        if not apart.any():
            return labels
        low = np.minimum(roots_first[apart], roots_second[apart])
        np.minimum.at(labels, roots_first[apart], low)
        np.minimum.at(labels, roots_second[apart], low)
        while not np.array_equal(jumped := labels[labels], labels):
            labels = jumped


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
    """A kept record as written when it was not read as a UTF-8 JSON Lines
    line: a CSV or JSON Lines record's original fields; for a whole-file
    document (txt, md, html) its id and text, then its fields."""
    if record.line is not None:
        return record.fields
    return {"id": record.id, "text": record.text,
            **{k: v for k, v in record.fields.items() if k not in ("id", "text")}}


_json_string = json.JSONEncoder(ensure_ascii=False).encode


def duplicate_line(doc_id: str, kept_id: str, removal: Removal) -> str:
    """The JSON line of a removed record (as `json.dumps` of its fields would
    write it, put together from encoded parts: a quarter of the time)."""
    return '{"id": %s, "duplicate_of": %s, "jaccard": %r, "jaccard_estimate": %r}\n' % (
        _json_string(doc_id), _json_string(kept_id), round(removal.jaccard, 4), round(removal.jaccard_estimate, 4))


def write_duplicates(sketches: Sketches, decision: Decision, out: IO[str]) -> None:
    """One line per removed record, in input order, saying in favour of which it went."""
    ids, removals = sketches.ids, decision.removals
    out.writelines(duplicate_line(ids[doc], ids[removals[doc].kept], removals[doc]) for doc in sorted(removals))


def write_kept(
    pieces: Iterable[Piece],
    sketches: Sketches,
    decision: Decision,
    kept_out: IO[bytes],
    progress: Progress | None = None,
) -> None:
    """Pass 2: the kept records as JSON Lines in input order.

    `pieces` is the input again: each of pass 1's records is met at its place
    (errors and duplicate ids of pass 1 are passed over). A UTF-8 JSON Lines
    record is written as its original line (invalid UTF-8 in it replaced, as
    it was read), any other as JSON of `output_object`."""
    ids, sources, lines, removals = sketches.ids, sketches.sources, sketches.lines, decision.removals
    raw = _RawLines(ids, sources, lines, sketches.sizes.tolist(), sketches.starts.tolist(), removals)
    removed = np.zeros(len(ids), dtype=bool)
    removed[list(removals)] = True
    count, at = len(ids), 0       # at: the next of pass 1's records to meet
    source = "input"
    for piece in pieces:
        if isinstance(piece, LineBatch):
            source = piece.source
            at = _write_batch(piece, at, raw, kept_out)
        elif isinstance(piece, KnownFile):
            source = piece.source
            at = _copy_known(piece, sketches.plain_files[piece.source][1], at, sketches, removed, kept_out)
        elif not isinstance(piece, InputError):
            record = piece[0] if isinstance(piece, tuple) else piece
            source = record.source
            if at < count and (record.source, record.line) == (sources[at], lines[at]):
                if record.id != ids[at] or raw.sizes[at] != -1:
                    raise _changed(record.source, record.line, record.id)
                if at not in removals:
                    kept_out.write(json.dumps(output_object(record), ensure_ascii=False).encode("utf-8") + b"\n")
                at += 1
        if progress:
            progress("writing", at, count)
    if at != count:
        raise InputError(source, f"input changed while it was being read "
                                 f"({at} of the first pass's {count} records found on the second pass)")


@dataclass
class _RawLines:
    """Pass 1's records as pass 2 looks them up (see `Sketches`), and the removals."""

    ids: list[str]
    sources: list[str]
    lines: list[int | None]
    sizes: list[int]
    starts: list[int]
    removals: dict[int, Removal]


def _write_batch(batch: LineBatch, at: int, raw: _RawLines, out: IO[bytes]) -> int:
    """Write the kept records among a batch of lines, pass 1's records from
    `at` on: a line that can be copied as is as a span of the batch's bytes
    (adjacent ones as one), others line by line. Returns the next record."""
    data, end = memoryview(batch.data), batch.first + batch.count
    parts: list[list[int] | bytes] = []      # spans [start, end) of data, and lines to write as they are
    while at < len(raw.ids) and raw.sources[at] == batch.source and raw.lines[at] is not None \
            and batch.first <= raw.lines[at] < end:
        size, start = raw.sizes[at], raw.starts[at] - batch.offset
        if raw.starts[at] >= 0:
            at_line_ends = data[start - 1 : start] in (b"", b"\n") and data[start + size : start + size + 1] == b"\n"
            if start < 0 or not at_line_ends:
                raise _changed(batch.source, raw.lines[at], raw.ids[at])
            if at not in raw.removals:
                _add_span(parts, start, start + size + 1)
        else:
            line = batch.lines[raw.lines[at] - batch.first]
            if len(line) != size:
                raise _changed(batch.source, raw.lines[at], raw.ids[at])
            if at not in raw.removals:
                parts.append(_valid_utf8(line) + b"\n")
        at += 1
    for part in parts:
        out.write(data[part[0] : part[1]] if isinstance(part, list) else part)
    return at


def _add_span(spans: list, start: int, end: int) -> None:
    """Add the span [start, end) to a list, joined to the last one if that ends at `start`."""
    if spans and isinstance(spans[-1], list) and spans[-1][1] == start:
        spans[-1][1] = end
    else:
        spans.append([start, end])


def known_files(sketches: Sketches) -> frozenset[str]:
    """The plain files pass 2 need not read: every record of theirs can be
    copied as is (absolute paths)."""
    not_copied = {source for source, start in zip(sketches.sources, sketches.starts.tolist()) if start < 0}
    return frozenset(path for source, (path, _) in sketches.plain_files.items() if source not in not_copied)


def _copy_known(file: KnownFile, size: int, at: int, sketches: Sketches, removed: np.ndarray,
                out: IO[bytes]) -> int:
    """Write the kept records of a file that pass 2 did not read, pass 1's
    records from `at` on, as spans of the file (adjacent lines as one),
    copied by the kernel (`copy_spans`). Returns the next record."""
    end = at + _run_length(sketches.sources, at, file.source)
    kept = ~removed[at:end]
    starts = sketches.starts[at:end][kept]
    spans = _joined_spans(starts, starts + sketches.sizes[at:end][kept] + 1)
    with open(file.path, "rb") as handle:
        descriptor = handle.fileno()
        if os.fstat(descriptor).st_size != size or any(os.pread(descriptor, 1, stop - 1) != b"\n" for _, stop in spans):
            raise _changed(file.source, None, None)
        try:
            copy_spans(descriptor, spans, out)
        except EOFError:
            raise _changed(file.source, None, None) from None
    return end


def _run_length(values: list, start: int, value: object) -> int:
    """How many items from `start` on equal `value` (iterated in C: a file's records are many)."""
    run = next(itertools.groupby(itertools.islice(values, start, None)), (None, ()))
    return len(list(run[1])) if run[0] == value else 0


def _joined_spans(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Byte spans [start, end), in order, with each one ending where the next starts joined into one."""
    if not len(starts):
        return []
    apart = starts[1:] != ends[:-1]
    return list(zip(starts[np.append(True, apart)].tolist(), ends[np.append(apart, True)].tolist()))


def _changed(source: str, line: int | None, record_id: str | None) -> InputError:
    return InputError(source, "input changed while it was being read (records differ on the second pass)",
                      line, record_id)


def _valid_utf8(line: bytes) -> bytes:
    """A raw line as it is, or with invalid UTF-8 replaced by U+FFFD (as it was read)."""
    return line if _is_utf8(line) else line.decode("utf-8", "replace").encode("utf-8")


def deduplicate(
    read: Callable[[frozenset[str]], Iterable[Piece]],
    settings: DedupSettings,
    output: str | None,
    duplicates: str | None,
    progress: Progress | None = None,
    on_error: Callable[[InputError], None] | None = None,
    workers: Workers | None = None,
) -> Summary:
    """Both passes: `read(known)` yields the input (called twice; in pass 2
    with the plain files it may pass over, see `corpus.read.read_unparsed`);
    errors go to `on_error` (or the first is raised) in pass 1. Outputs are
    opened only after pass 1 read everything, and written atomically;
    neither is written if pass 2 fails. Parallel work goes to `workers`
    (by default `settings.jobs` processes of its own), closed when no longer needed."""
    started = time.perf_counter()
    with contextlib.ExitStack() as cleanup:
        workers = cleanup.enter_context(workers_or_own(workers, settings.jobs))
        sketches = sketch_corpus(read(frozenset()), settings, progress, on_error, workers)
        cleanup.callback(sketches.spill.close)
        decision = find_removals(sketches, settings, progress, workers)
        workers.close()                               # neither is needed to write
        cleanup.enter_context(sketches.spill.closing_in_background())
        kept_out = cleanup.enter_context(atomic_writer(output, "wb"))
        write_kept(read(known_files(sketches)), sketches, decision, kept_out, progress)
        if duplicates is not None:
            write_duplicates(sketches, decision, cleanup.enter_context(atomic_writer(duplicates)))
    removed = len(decision.removals)
    return Summary(len(sketches.ids), len(sketches.ids) - removed, removed, decision.groups,
                   time.perf_counter() - started)
