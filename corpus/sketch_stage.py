"""The per-batch stages of dedup's pass 1: read (parse a unit of input),
sketch (shingle hashes, MinHash signatures) and band keys, as one pure
function of a unit (`sketch_unit`), and its spilling (`sketch_and_spill`):
what an executor (`corpus.workers`, `corpus.dask_workers`) runs on its
workers. Units are consecutive pieces of input (`units`), so a unit's
documents are a fixed range of the corpus's ordinals, whoever sketches it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Union

import numpy as np

from corpus import sketch
from corpus.dates import parse_date_field
from corpus.read import InputError, KnownFile, LineBatch, Record
from corpus.parquet_files import ParquetBatch
from corpus.record_files import parse_lines
from corpus.spill import Spill, SpillPart, spill_writer

# The input of both passes, in input order: records (alone or with their raw
# line, as `corpus.read.read_unparsed` gives them), unparsed JSON Lines,
# errors; in pass 2 also plain files passed over unread (`known_files`).
Piece = Union[Record, "tuple[Record, str | None]", LineBatch, ParquetBatch, InputError, KnownFile]


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
    numeric_ids: np.ndarray  # bool: the input gave the id as an integer
    spill: "Spill"
    plain_files: dict[str, tuple[str, int]]   # source read as a plain file -> (absolute path, size)


@dataclass
class SketchedUnit:
    """Pass 1's findings on a unit of input: its records' ids, places, raw
    lines (as in `Sketches`), text lengths, dates and id types; its errors, each with
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
    numeric_ids: np.ndarray
    errors: list[tuple[int, InputError]]
    offsets: np.ndarray
    spilled: SpillPart | None = None
    band_keys: np.ndarray | None = None


def units(pieces: Iterable[Piece], size: int) -> Iterator[list[Piece]]:
    """Consecutive pieces of input holding about `size` records (or lines) each."""
    unit: list[Piece] = []
    count = 0
    for piece in pieces:
        unit.append(piece)
        count += piece.count if isinstance(piece, (LineBatch, ParquetBatch)) else 1
        if count >= size:
            yield unit
            unit, count = [], 0
    if unit:
        yield unit


def sketch_unit(unit: list[Piece], sketcher: Callable[[list[str]], sketch.SketchBatch],
                wants_dates: bool) -> tuple[SketchedUnit, sketch.SketchBatch]:
    """Pass 1's work on a unit of input, in any process: parse its JSON Lines,
    sketch its records' texts, parse their dates if `wants_dates`."""
    ids, sources, lines, sizes, starts, texts, dates, numeric_ids = [], [], [], [], [], [], [], []
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
            numeric_ids.append(item.numeric_id)
    batch = sketcher(texts)
    done = SketchedUnit(ids, sources, lines, np.array(sizes, dtype=np.int64), np.array(starts, dtype=np.int64),
                        np.array([len(text) for text in texts], dtype=np.int64), np.array(dates, dtype=np.float64),
                        np.array(numeric_ids, dtype=bool), errors, batch.offsets)
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
    if isinstance(piece, ParquetBatch):
        yield from ((item if isinstance(item, InputError) else item[0], -1, -1) for item in piece.items(all_fields=False))
        return
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
        yield item[0], len(line), starts[index] if starts and (line.isascii() or is_utf8(line)) else -1


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def date_seconds(value: object) -> float:
    """POSIX seconds of a date field (`corpus.dates.parse_date_field`: ISO 8601,
    RFC 2822, epoch, words; UTC when no zone is named), NaN when it states none."""
    parsed = parse_date_field(value)
    return parsed.timestamp() if parsed is not None else np.nan
