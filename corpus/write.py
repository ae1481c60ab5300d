"""Dedup's write stage (pass 2): the kept records in input order, as their
original lines where it can (copied by byte offset, in the kernel, from a
plain file pass 1 placed every line of), and the removed ones' `duplicate_of` lines."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass
from typing import IO, Iterable

import numpy as np

from corpus.decide import Decision, Removal
from corpus.dedup_settings import Progress
from corpus.output import copy_spans
from corpus.parquet_files import ParquetBatch, json_value
from corpus.read import InputError, KnownFile, LineBatch, Record
from corpus.sketch_stage import Piece, Sketches, is_utf8
from corpus.urls import is_url

def output_object(record: Record) -> dict:
    """A kept record as written when it was not read as a UTF-8 JSON Lines
    line: a CSV or JSON Lines record's original fields; for a whole-file
    document (txt, md, html) its id and text, then its fields."""
    if record.line is not None:
        return record.fields
    return {"id": record.id, "text": record.text,
            **{k: v for k, v in record.fields.items() if k not in ("id", "text")}}


_json_string = json.JSONEncoder(ensure_ascii=False).encode


def duplicate_line(doc_id: str | int, kept_id: str | int, removal: Removal) -> str:
    """The JSON line of a removed record (as `json.dumps` of its fields would
    write it, put together from encoded parts: a quarter of the time); an
    integer id is written as one."""
    return '{"id": %s, "duplicate_of": %s, "jaccard": %r, "jaccard_estimate": %r}\n' % (
        _json_id(doc_id), _json_id(kept_id), round(removal.jaccard, 4), round(removal.jaccard_estimate, 4))


def _json_id(value: str | int) -> str:
    return str(value) if isinstance(value, int) else _json_string(value)


def write_duplicates(sketches: Sketches, decision: Decision, out: IO[str]) -> None:
    """One line per removed record, in input order, saying in favour of which
    it went; ids as the input gave them (an integer as one)."""
    ids, numeric, removals = sketches.ids, sketches.numeric_ids, decision.removals

    def given(doc: int) -> str | int:
        return int(ids[doc]) if numeric[doc] else ids[doc]

    out.writelines(duplicate_line(given(doc), given(removals[doc].kept), removals[doc]) for doc in sorted(removals))


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
    it was read), any other (Parquet rows included) as JSON of `output_object`."""
    raw = _RawLines(sketches.ids, sketches.sources, sketches.lines, sketches.sizes.tolist(), sketches.starts.tolist(),
                    decision.removals)
    removed = np.zeros(len(raw.ids), dtype=bool)
    removed[list(decision.removals)] = True
    count, at = len(raw.ids), 0       # at: the next of pass 1's records to meet
    source = "input"
    for piece in pieces:
        if isinstance(piece, LineBatch):
            source = piece.source
            at = _write_batch(piece, at, raw, kept_out)
        elif isinstance(piece, KnownFile):
            source = piece.source
            at = _copy_known(piece, sketches.plain_files[piece.source][1], at, sketches, removed, kept_out)
        elif isinstance(piece, ParquetBatch):
            source = piece.source
            for item in piece.items():
                if not isinstance(item, InputError):
                    at = _write_record(item[0], at, raw, kept_out)
        elif not isinstance(piece, InputError):
            record = piece[0] if isinstance(piece, tuple) else piece
            source = record.source
            at = _write_record(record, at, raw, kept_out)
        if progress:
            progress("writing", at, count)
    if at != count:
        raise InputError(source, f"input changed while it was being read "
                                 f"({at} of the first pass's {count} records found on the second pass)")


def _write_record(record: Record, at: int, raw: _RawLines, out: IO[bytes]) -> int:
    """Write a record met again, if it is pass 1's record `at` and kept, as
    JSON of `output_object`. Returns the next record."""
    if at < len(raw.ids) and (record.source, record.line) == (raw.sources[at], raw.lines[at]):
        if record.id != raw.ids[at] or raw.sizes[at] != -1:
            raise _changed(record.source, record.line, record.id)
        if at not in raw.removals:
            out.write(json.dumps(output_object(record), ensure_ascii=False, default=json_value).encode("utf-8") + b"\n")
        at += 1
    return at


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
    """The plain local files pass 2 need not read: every record of theirs can
    be copied as is (absolute paths; a URL is read again)."""
    not_copied = {source for source, start in zip(sketches.sources, sketches.starts.tolist()) if start < 0}
    return frozenset(path for source, (path, _) in sketches.plain_files.items()
                     if source not in not_copied and not is_url(path))


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
    return line if is_utf8(line) else line.decode("utf-8", "replace").encode("utf-8")
