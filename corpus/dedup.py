"""Near-duplicate removal: which documents to drop, and in favour of which.

This module only orders the stages; each stage is plain functions over
batches in a module of its own, and an executor only schedules them:
`corpus.workers` (this process and local worker processes) or
`corpus.dask_workers` (a Dask cluster), the same stages on either.

| stage                        | module                  | runs                          |
|------------------------------|-------------------------|-------------------------------|
| read (find files, cut units) | `corpus.read`, `.urls`  | here (bytes: where parsed)    |
| parse, sketch, band keys     | `corpus.sketch_stage`   | workers, a unit at a time     |
| take (ids, errors, ordinals) | here (`sketch_corpus`)  | here, units in input order    |
| candidates                   | `corpus.neighbours`     | workers, a band at a time     |
| verify                       | `corpus.verify`         | workers, a chunk of pairs     |
| decide                       | `corpus.decide`         | here                          |
| write                        | `corpus.write`          | here                          |

Two passes over the input, so memory grows with the number of documents, not
with their text:

1. `sketch_corpus` takes the input in units of about `batch_size` records
   (`corpus.sketch_stage.units`: consecutive, so each unit is a fixed range
   of document ordinals). Workers parse each unit (JSON Lines arrive as raw
   lines, see `corpus.read.read_unparsed`) and sketch its texts (shingle
   hashes, MinHash signatures, LSH band keys from the seeded hash):
   `sketch_unit`, a pure function of the unit. This process takes the
   results in input order: it checks ids for uniqueness, reports errors in
   input order, and keeps per document only its id, place, band keys, text
   length and date. Shingle hashes, signatures and band keys go to temporary
   spill files (`Spill`), written by the process that sketched them: what
   comes back stays small, so a worker never waits for this process to read it.
2. `find_removals` takes the candidate pairs from the band keys (band by band
   in the workers), verifies each there by the exact Jaccard of the spilled
   shingle sets, and decides by the keep policy and ordinal which document
   of each near-duplicate group stays (`corpus.decide`).
3. `write_kept` writes the kept records (a JSON Lines record as its
   original line, without parsing it again: from a plain file, whose every
   line pass 1 could place, the kept lines are copied by byte offset in the
   kernel, the file unread; other input is read again), and
   `write_duplicates` the removed ones' `duplicate_of` lines, while the spill
   files are deleted in a thread.
"""

from __future__ import annotations

import contextlib
import itertools
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterable, Sequence

import numpy as np

from corpus import neighbours, sketch
from corpus.decide import Decision, Removal, decide, priority_order
from corpus.dedup_settings import DedupSettings, Progress
from corpus.output import atomic_writer
from corpus.parquet_files import write_parquet
from corpus.read import InputError, LineBatch, UniqueIds
from corpus.sketch_stage import Piece, SketchedUnit, Sketches, sketch_and_spill, units
from corpus.spill import Spill
from corpus.verify import verified_pairs, verified_spilled
from corpus.workers import Workers, workers_or_own
from corpus.write import known_files, write_duplicates, write_kept

UNITS_TO_START_WORKERS = 8   # about a quarter of a second of sketching: what starting a worker takes


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
    sketched: list[SketchedUnit] = []
    plain_files: dict[str, tuple[str, int]] = {}
    count = 0
    try:
        with workers_or_own(workers, settings.jobs) as workers:
            for unit, done in workers.map(work, units(pieces, settings.batch_size), start_for=UNITS_TO_START_WORKERS):
                plain_files.update((piece.source, (piece.file, piece.offset + piece.size)) for piece in unit
                                   if isinstance(piece, LineBatch) and piece.file is not None)
                keep = np.ones(len(done.ids), dtype=bool)
                keep[_take(unit, done, taken, on_error)] = False
                spill.add(done.spilled, done.offsets, keep)
                done.band_keys = spill.band_keys(done.spilled, len(done.ids), bands)
                sketched.append(done if keep.all() else _kept(done, keep))
                count += len(sketched[-1].ids)
                if progress:
                    progress("sketching", count, None)
    except BaseException:
        spill.close()
        raise
    return _joined(sketched, spill, bands, plain_files)


def _joined(units: list[SketchedUnit], spill: Spill, bands: int, plain_files: dict[str, tuple[str, int]]) -> Sketches:
    """Pass 1's findings on every unit, as one."""
    def joined(name: str, empty: np.ndarray) -> np.ndarray:
        return np.concatenate([getattr(unit, name) for unit in units]) if units else empty

    def chained(name: str) -> list:
        return list(itertools.chain.from_iterable(getattr(unit, name) for unit in units))

    no_numbers = np.empty(0, dtype=np.int64)
    return Sketches(chained("ids"), chained("sources"), chained("lines"), joined("sizes", no_numbers),
                    joined("starts", no_numbers), joined("band_keys", np.empty((0, bands), dtype=np.uint64)),
                    joined("lengths", no_numbers), joined("dates", np.empty(0)),
                    joined("numeric_ids", np.empty(0, dtype=bool)), spill, plain_files)


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
                        done.lengths[keep], done.dates[keep], done.numeric_ids[keep], done.errors, done.offsets,
                        done.spilled,
                        done.band_keys[keep])


# ---- the decision ----

def find_removals(sketches: Sketches, settings: DedupSettings, progress: Progress | None = None,
                  workers: Workers | None = None) -> Decision:
    """Verify the LSH candidates exactly (in `workers`, by default
    `settings.jobs` processes of its own) and decide, by the keep policy,
    which documents are removed in favour of which."""
    spill = sketches.spill
    with workers_or_own(workers, settings.jobs) as workers:
        candidates = neighbours.candidate_pairs(sketches.band_keys, map_bands=partial(workers.results, start_for=None))
        pairs, jaccards = verified_spilled(candidates, spill, settings.threshold, workers, progress)
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
    errors go to `on_error` (or the first is raised) in pass 1. The kept
    records go out as JSON Lines, or as Parquet if `output` ends in .parquet
    (`corpus.parquet_files.write_parquet`). Outputs are
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
        parquet = output is not None and output.lower().endswith(".parquet")
        kept_out = cleanup.enter_context(tempfile.TemporaryFile() if parquet else atomic_writer(output, "wb"))
        write_kept(read(known_files(sketches)), sketches, decision, kept_out, progress)
        if parquet:
            kept_out.seek(0)
            write_parquet(kept_out, cleanup.enter_context(atomic_writer(output, "wb")), output)
        if duplicates is not None:
            write_duplicates(sketches, decision, cleanup.enter_context(atomic_writer(duplicates)))
    removed = len(decision.removals)
    return Summary(len(sketches.ids), len(sketches.ids) - removed, removed, decision.groups,
                   time.perf_counter() - started)
