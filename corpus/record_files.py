"""Record files: JSON Lines and CSV/TSV, one shared record core (ids, text, date).

UTF-8 JSON Lines can come as `LineBatch`es of raw lines, parsed in any process
by `parse_lines`; the other encodings and CSV are parsed as they are read.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import json
import sys
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Iterator, Union

import orjson

from corpus.decode import plain_text, prepend, text_encoding
from corpus.records import InputError, InvalidRecord, Item, ReadOptions, checked_record, json_type
from corpus.urls import is_url, open_url

SAMPLE_BYTES = 1 << 16               # read ahead to sniff format, encoding and binary content
BLOCK_BYTES = 1 << 16                # JSON Lines are split into lines this many bytes at a time


@dataclass
class LineBatch:
    """Consecutive whole lines of a UTF-8 JSON Lines file, not parsed, with all
    it takes to parse them in any process (`parse_lines`): line number
    `first + i` is `lines[i]`, without its line end.

    A batch of a plain (uncompressed) file knows where its bytes are in it:
    sent to another process it carries only that, and they are read there."""

    source: str
    file_id: str
    first: int
    count: int                       # lines
    numbered: bool | None            # the file's records have no ids (None: no JSON object in it yet)
    options: ReadOptions
    data: bytes | None               # the lines with their line ends (the last one's may be missing)
    offset: int                      # where `data` starts in the (decompressed) stream
    size: int                        # len(data)
    file: str | None = None          # the plain file (path or URL) holding these bytes at `offset`

    @functools.cached_property
    def lines(self) -> list[bytes]:
        if self.data is None:
            self.data = self._read()
        lines = _lines(self.data)
        if len(lines) != self.count:
            raise InputError(self.source, "input changed while it was being read", self.first)
        return lines

    def starts(self) -> list[int] | None:
        """Where each line starts in the stream, if every line ends with a
        "\\n" alone: line i with its end is then the stream's bytes from
        starts[i] on, len(lines[i]) + 1 of them."""
        lines = self.lines
        if b"\r" in self.data or not self.data.endswith(b"\n"):
            return None
        return list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=self.offset))

    def _read(self) -> bytes:
        try:
            with open_url(self.file) if is_url(self.file) else open(self.file, "rb") as handle:
                handle.seek(self.offset)
                return handle.read(self.size)
        except OSError as error:
            raise InputError(self.source, f"cannot read: {error.strerror or error}") from None

    def __getstate__(self) -> dict:
        """What goes to another process: no split lines, and for a batch of a
        plain file where its bytes are instead of them."""
        state = {name: value for name, value in self.__dict__.items() if name != "lines"}
        if self.file is not None:
            state["data"] = None
        return state


def parse_lines(batch: LineBatch) -> Iterator[Item]:
    """The records of a batch of JSON Lines (with their raw lines), or their
    errors; blank lines are passed over."""
    return records_of_rows(_line_rows(batch.lines, batch.first, batch.source), batch.source, batch.file_id,
                    batch.options, batch.numbered)


Row = Union["tuple[int, str | bytes, dict]", InputError]   # line, raw text (UTF-8 bytes as read, or str), fields


def record_file(stream: BinaryIO, source: str, file_id: str, fmt: str, options: ReadOptions,
                 unparsed: bool, plain_file: str | None) -> Iterator[Item | LineBatch]:
    """The records of a JSONL/CSV stream, decoded as its first 64 KB suggest
    (bytes invalid in that encoding later on become U+FFFD). UTF-8 JSON Lines
    come in `LineBatch`es of raw lines: parsed here, or left `unparsed`
    (`plain_file`: the file whose bytes `stream` reads, if it is one)."""
    head = stream.read(SAMPLE_BYTES)
    codec = text_encoding(head, len(head) < SAMPLE_BYTES)
    if fmt == "jsonl" and codec in ("utf-8", "utf-8-sig"):
        body = head.removeprefix(codecs.BOM_UTF8)
        for batch in _line_batches(prepend(body, stream), source, file_id, options, plain_file, len(head) - len(body)):
            if unparsed:
                yield batch
            else:
                yield from parse_lines(batch)
        return
    newline = "" if fmt in ("csv", "tsv") else None
    text = io.TextIOWrapper(prepend(head, stream), codec, errors="replace", newline=newline)
    if fmt == "jsonl":
        rows = (_jsonl_row(line.rstrip("\n"), number, source) for number, line in enumerate(text, start=1))
        yield from records_of_rows((row for row in rows if row is not None), source, file_id, options)
    else:
        yield from records_of_rows(_csv_rows(text, source, "\t" if fmt == "tsv" else ","), source, file_id, options)


def _line_batches(stream: BinaryIO, source: str, file_id: str, options: ReadOptions, plain_file: str | None,
                  offset: int) -> Iterator[LineBatch]:
    """A UTF-8 JSON Lines stream, starting at `offset` (after a byte-order
    mark) in the decompressed input or in `plain_file`, as batches of whole
    raw lines. Whether its records are numbered is decided here, by its first
    JSON object."""
    first, numbered = 1, None
    for data in _line_blocks(stream):
        batch = LineBatch(source, file_id, first, _count_lines(data), numbered, options, data, offset, len(data),
                          plain_file)
        if numbered is None:
            objects = (row[2] for row in _line_rows(batch.lines, first, source) if not isinstance(row, InputError))
            numbered = batch.numbered = next((_numbered(fields, options) for fields in objects), None)
        yield batch
        first, offset = first + batch.count, offset + len(data)


# Lines end as Python's universal newlines say: at "\n", "\r\n" or a lone "\r".

def _line_blocks(stream: BinaryIO) -> Iterator[bytes]:
    """A byte stream in blocks of whole lines (the last block ends where the stream does)."""
    rest: list[bytes] = []            # the start of a line that goes on in the next block
    while block := stream.read1(BLOCK_BYTES):
        # after the last "\n", or after the last "\r" whose next byte is here and not "\n"
        cut = max(block.rfind(b"\n"), block.rfind(b"\r", 0, len(block) - 1)) + 1
        if not cut:
            rest.append(block)
            continue
        yield b"".join(rest + [memoryview(block)[:cut]]) if rest else block[:cut]
        rest = [block[cut:]] if cut < len(block) else []
    if rest:
        yield b"".join(rest)


def _lines(data: bytes) -> list[bytes]:
    """The lines of a block of whole lines, without their ends."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines = data.split(b"\n")
    if not lines[-1]:                 # after the last line end
        lines.pop()
    return lines


def _count_lines(data: bytes) -> int:
    """len(_lines(data)), without splitting (numpy counts bytes four times
    faster than bytes.count; imported here, on first use, so that commands
    load this module without it and start their workers sooner)."""
    import numpy as np

    ends = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")))
    if b"\r" in data:
        ends += data.count(b"\r") - data.count(b"\r\n")
    return ends + (data[-1:] not in (b"\n", b"\r", b""))


def _line_rows(lines: list[bytes], first: int, source: str) -> Iterator[Row]:
    """The rows of raw UTF-8 JSON Lines numbered from `first`; blank lines are passed over.

    orjson parses a line of a JSON object (twice as fast as json, and from
    the bytes, without a str of the line); every other line goes to json,
    so that what is read and every message stay json's: bad JSON, invalid
    UTF-8 (read with U+FFFD), what only json reads (NaN, lone surrogates),
    integers past 64 bits (orjson would read floats) and deep nesting."""
    for number, line in enumerate(lines, start=first):
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            value = None
        if type(value) is dict and _as_json_reads(value):
            yield number, line, value
        else:
            row = _jsonl_row(line.decode("utf-8", "replace"), number, source)
            if row is not None:
                yield row


_INTEGRAL_FLOATS_FROM = 2.0 ** 63             # orjson reads integers from about here on as floats
_DEEPEST = 500                                # deeper values go to json: its depth limit is the recursion limit


def _as_json_reads(value: dict) -> bool:
    """Whether json reads a JSON object that orjson read as `value`: no
    number may have been an integer orjson made a float (an integral float
    from 2**63 on), and nothing is nested past _DEEPEST levels."""
    waiting = [(value.values(), 1)]
    while waiting:
        items, depth = waiting.pop()
        for item in items:
            kind = type(item)
            if kind is float:
                if abs(item) >= _INTEGRAL_FLOATS_FROM and item.is_integer():
                    return False
            elif kind is dict or kind is list:
                if depth >= _DEEPEST:
                    return False
                waiting.append((item.values() if kind is dict else item, depth + 1))
    return True


def _jsonl_row(raw: str, number: int, source: str) -> Row | None:
    """One line of JSON Lines (without its line end): a row, an error, or None if blank."""
    if not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        return InputError(source, f"bad JSON: {error.msg} (column {error.colno})", number, raw=raw)
    except (ValueError, RecursionError) as error:
        return InputError(source, f"bad JSON: {error}", number, raw=raw)
    if isinstance(value, dict):
        return number, raw, value
    return InputError(source, f"a JSON {json_type(value)}, not an object", number, raw=raw)


class _LineTap:
    """Lines for csv.reader, remembering the raw text and first line number of
    the row being read."""

    def __init__(self, lines: Iterable[str]):
        self._lines, self.count, self._taken = iter(lines), 0, []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        self._taken.append(line)
        return line

    def take(self) -> tuple[int, str]:
        first, raw = self.count - len(self._taken) + 1, "".join(self._taken)
        self._taken = []
        return first, raw.rstrip("\r\n")


def _csv_rows(lines: Iterable[str], source: str, delimiter: str) -> Iterator[Row]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    tap = _LineTap(lines)
    # TSV is read as IANA defines it: no quoting (quotes in text stay as they are).
    reader = csv.reader(tap, delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL)
    header = next(reader, None)
    tap.take()
    if header is None:
        yield InputError(source, "empty file (no header row)", 1)
        return
    if len(set(header)) < len(header) or "" in header:
        yield InputError(source, f"header has empty or repeated column names: {', '.join(header)}", 1)
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line, raw = tap.take()
            yield InputError(source, f"bad CSV: {error}", line, raw=raw)
            continue
        line, raw = tap.take()
        if not row:
            continue
        if len(row) != len(header):
            yield InputError(source, f"{len(row)} fields, header has {len(header)}", line, raw=raw)
        else:
            yield line, raw, dict(zip(header, row))


def records_of_rows(rows: Iterable[Row], source: str, file_id: str, options: ReadOptions,
             numbered: bool | None = None) -> Iterator[Item]:
    """Records of a JSONL/CSV file. The first record decides the ids: if it has
    the id field every record needs one; if not, none may have one and ids are
    '<file id>:<line>' (`numbered`, if already known). A file with ids partly
    missing is an error rather than something to number silently."""
    for row in rows:
        if isinstance(row, InputError):
            yield row
            continue
        line, raw, fields = row
        numbered = _numbered(fields, options) if numbered is None else numbered
        doc_id = None
        try:
            doc_id = _record_id(fields, numbered, f"{file_id}:{line}", options)
            numeric_id = not numbered and isinstance(fields[options.id_field], int)
            yield checked_record(doc_id, _record_text(fields, options), source, line, fields, options, numeric_id), raw
        except InvalidRecord as problem:
            yield InputError(source, str(problem), line, doc_id, raw_text(raw))


def raw_text(raw: str | bytes | None) -> str | None:
    """A record's raw line as text (a JSON Lines line comes as its UTF-8 bytes)."""
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


def _numbered(first_fields: dict, options: ReadOptions) -> bool:
    """Whether a file whose first record has these fields numbers its records."""
    return _id_value(first_fields, options) is None


def _id_value(fields: dict, options: ReadOptions):
    """The id field's value; None if absent, null or empty."""
    value = fields.get(options.id_field)
    return None if value in (None, "") else value


def _record_id(fields: dict, numbered: bool, position: str, options: ReadOptions) -> str:
    value, name = _id_value(fields, options), options.id_field
    if numbered:
        if value is None:
            return position
        raise InvalidRecord(f"has an id field '{name}' but the file's first record has none; give all records an id or none")
    if value is None:
        raise InvalidRecord(f"no id field '{name}' (the file's first record has one)")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidRecord(f"id field '{name}' is a JSON {json_type(value)}, not a string or integer")
    return str(value)


def _record_text(fields: dict, options: ReadOptions) -> str:
    name = options.text_field
    if name not in fields:
        raise InvalidRecord(f"no field '{name}' (fields: {', '.join(map(str, fields)) or 'none'}); use --text-field")
    if not isinstance(fields[name], str):
        raise InvalidRecord(f"field '{name}' is a JSON {json_type(fields[name])}, not a string")
    return plain_text(fields[name])

