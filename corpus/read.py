"""Read documents from files, folders, globs and standard input.

Every input yields `Record`s, in a deterministic order, one at a time (memory
grows with the number of documents, never with their total size). A record that
cannot be read becomes an `InputError` naming file and line: raised, or passed
to `on_error` while reading goes on with the next record.

Formats, chosen by extension (case-insensitive, so `README.TXT` is a document):

- `.txt`, `.md`: one document per file. Front matter (`---` lines at the very
  top, `key: value` inside) is moved from the text into `fields`.
- `.html`, `.htm`: one document per file; trafilatura extracts the main text
  and its title, author, date, sitename, url, hostname, description, language.
- `.jsonl`, `.ndjson`, `.json-lines`: one JSON object per line.
- `.csv`, `.tsv`: one record per row; the first row names the fields.

Any of them may be compressed: `x.jsonl.gz`, `x.txt.zst`.

Whole-file documents (txt, md, html) may have a sidecar `<name>.meta.json`
beside them (`a.txt` -> `a.meta.json`, also for `a.txt.gz`): a JSON object whose
keys go into `fields`, overriding front matter or extracted ones. Their id is
their path relative to the folder or glob root given, without extensions.

`read_unparsed` reads the same input for a caller that parses in other
processes: UTF-8 JSON Lines come as `LineBatch`es of raw lines (`parse_lines`
turns one into records, in any process), errors come in order among them, and
ids are left for the caller to check (`UniqueIds`). A caller reading a second
time can have plain files it knows passed over (`KnownFile`).
"""

from __future__ import annotations

import codecs
import csv
import functools
import glob
import io
import itertools
import json
import os
import re
import sys
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import BinaryIO, Callable, Container, Iterable, Iterator, Union

from corpus.decode import (COMPRESSIONS, BinaryFile, corrupt_stream_errors, decompress, normalise_text, prepend,
                           sniff_compression, text_encoding)


@dataclass
class Record:
    """One input document, with every original field carried through."""

    id: str
    text: str                        # NFC, "\n" line ends; the original stays in `fields`
    source: str                      # the file it came from, "<stdin>" for standard input
    line: int | None = None          # line where the record starts in a JSONL/CSV file
    fields: dict = field(default_factory=dict)
    date: str | None = None          # the date field's value as given, unparsed


class InputError(Exception):
    """A record or file that cannot be read; str() is a one-line message.

    `raw` is the record's original line (JSONL/CSV) when there is one, so a
    skipped record can be written to a rejects file.
    """

    def __init__(self, source: str, reason: str, line: int | None = None,
                 record_id: str | None = None, raw: str | None = None):
        super().__init__(reason)
        self.source, self.reason, self.line, self.record_id, self.raw = source, reason, line, record_id, raw

    def __reduce__(self):           # pickled whole, to come back from a worker process
        return InputError, (self.source, self.reason, self.line, self.record_id, self.raw)

    @property
    def location(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


FORMATS = {
    ".txt": "txt", ".md": "txt", ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json-lines": "jsonl", ".csv": "csv", ".tsv": "tsv",
}
INPUT_FORMATS = ("auto", "txt", "jsonl", "csv", "tsv", "html")
WHOLE_FILE_FORMATS = ("txt", "html")
SUPPORTED = " ".join(FORMATS) + ", optionally " + "/".join(COMPRESSIONS)
STDIN = "<stdin>"
SAMPLE_BYTES = 1 << 16               # read ahead to sniff format, encoding and binary content
BLOCK_BYTES = 1 << 16                # JSON Lines are split into lines this many bytes at a time


@dataclass(frozen=True)
class ReadOptions:
    """How to read records: which fields hold id, text and date; the format of
    standard input and of files whose extension says nothing."""

    id_field: str = "id"
    text_field: str = "text"
    date_field: str = "date"
    input_format: str = "auto"


Item = Union["tuple[Record, str | None]", InputError]   # a record and its raw line, or an error


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
    file: str | None = None          # the plain file holding these bytes at `offset`

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
            with open(self.file, "rb") as handle:
                handle.seek(self.offset)
                return handle.read(self.size)
        except OSError as error:
            raise InputError(self.source, f"cannot read: {error.strerror}") from None

    def __getstate__(self) -> dict:
        """What goes to another process: no split lines, and for a batch of a
        plain file where its bytes are instead of them."""
        state = {name: value for name, value in self.__dict__.items() if name != "lines"}
        if self.file is not None:
            state["data"] = None
        return state


@dataclass(frozen=True)
class KnownFile:
    """A plain file `read_unparsed` was asked to pass over unread: its caller
    knows what it needs of it from an earlier read."""

    source: str
    path: str                        # absolute


def bundled_sample() -> Path:
    """The folder of the sample corpus shipped inside the package."""
    return Path(str(resources.files("corpus") / "sample"))


def read_records(
    paths: Iterable[str | Path],
    on_error: Callable[[InputError], None] | None = None,
    *,
    id_field: str = "id",
    text_field: str = "text",
    date_field: str = "date",
    input_format: str = "auto",
    stdin: BinaryIO | None = None,
) -> Iterator[Record]:
    """Yield the records of every path in order; `-` reads `stdin` (default: the
    process's standard input). Ids must be unique across all paths.

    With `on_error` None the first unreadable record raises `InputError`;
    otherwise `on_error` gets it and reading continues with the next record.
    """
    options = ReadOptions(id_field, text_field, date_field, input_format)
    taken = UniqueIds()
    for path in paths:
        for item in _read_path(str(path), options, stdin, unparsed=False):
            if not isinstance(item, InputError):
                record, raw = item
                seen = taken.add([record.id], [record.source], [record.line])
                item = taken.duplicate(record.id, record.source, record.line, raw) if seen else record
            if isinstance(item, InputError):
                if on_error is None:
                    raise item
                on_error(item)
            else:
                yield item


def read_unparsed(paths: Iterable[str | Path], options: ReadOptions = ReadOptions(), stdin: BinaryIO | None = None,
                  known: Container[str] = frozenset()) -> Iterator[Item | LineBatch | KnownFile]:
    """The input of `read_records`, for a caller that parses elsewhere: UTF-8
    JSON Lines as `LineBatch`es, other formats as (record, raw line) pairs,
    errors in their place among them; a file whose absolute path is `known`
    as a `KnownFile`, unread. Ids are not checked for uniqueness."""
    for path in paths:
        yield from _read_path(str(path), options, stdin, unparsed=True, known=known)


def parse_lines(batch: LineBatch) -> Iterator[Item]:
    """The records of a batch of JSON Lines (with their raw lines), or their
    errors; blank lines are passed over."""
    return _records(_line_rows(batch.lines, batch.first, batch.source), batch.source, batch.file_id,
                    batch.options, batch.numbered)


class UniqueIds:
    """The ids taken so far and where their records are: a record whose id
    was taken before is an error naming the first one's place."""

    def __init__(self) -> None:
        self._where: dict[str, tuple[str, int | None]] = {}

    def add(self, ids: list[str], sources: list[str], lines: list[int | None]) -> list[int]:
        """Take the ids of a run of records (in input order); the positions of
        those whose id was taken before (these are not taken again)."""
        if len(set(ids)) == len(ids) and self._where.keys().isdisjoint(ids):
            self._where.update(zip(ids, zip(sources, lines)))
            return []
        seen = []
        for position, (record_id, where) in enumerate(zip(ids, zip(sources, lines))):
            if record_id in self._where:
                seen.append(position)
            else:
                self._where[record_id] = where
        return seen

    def duplicate(self, record_id: str, source: str, line: int | None, raw: str | None) -> InputError:
        """The error for a record whose id was taken before."""
        first_source, first_line = self._where[record_id]
        first = first_source if first_line is None else f"{first_source}:{first_line}"
        return InputError(source, f"duplicate id '{record_id}' (first seen at {first})", line, record_id, raw)


# ---- paths: files, folders, globs, standard input ----

def _read_path(arg: str, options: ReadOptions, stdin: BinaryIO | None, unparsed: bool,
               known: Container[str] = frozenset()) -> Iterator[Item | LineBatch | KnownFile]:
    """The items of one argument; UTF-8 JSON Lines as `LineBatch`es if `unparsed`."""
    if arg == "-":
        yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, options, unparsed)
        return
    for entry in _expand(arg):
        if isinstance(entry, InputError):
            yield entry
        elif os.path.abspath(entry[0]) in known:
            yield KnownFile(str(entry[0]), os.path.abspath(entry[0]))
        else:
            yield from _read_file(*entry, options, unparsed)


def _expand(arg: str) -> Iterator[tuple[Path, Path] | InputError]:
    """(file, its path relative to the folder or glob root given) for one argument."""
    if not arg.strip():
        yield InputError(repr(arg), "empty path")
        return
    path = Path(arg)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as error:
        yield InputError(arg, f"cannot read: {error.strerror}")
        return
    if is_dir:
        found = _walk(path)
    elif exists:
        found = [(path, Path(path.name))]
    elif _GLOB_MAGIC.search(arg):
        found = _glob(arg)
    else:
        yield InputError(arg, "no such file or folder")
        return
    if not found:
        yield InputError(arg, f"no supported files (supported: {SUPPORTED})")
    yield from found


def _walk(folder: Path, root: Path | None = None) -> list[tuple[Path, Path]]:
    """Supported files under `folder`, sorted by relative path; hidden names
    (starting with '.') and files of other types are passed over."""
    root = folder if root is None else root
    found = []
    for parent, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and _split_name(name)[1] is not None:
                file = Path(parent, name)
                found.append((file, file.relative_to(root)))
    return sorted(found, key=lambda entry: entry[1].parts)


_GLOB_MAGIC = re.compile(r"[*?[]")


def _glob(pattern: str) -> list[tuple[Path, Path]]:
    """Supported files matching a shell pattern (`**` spans folders), relative
    to the pattern's leading folder without wildcards."""
    parts = Path(pattern).parts
    fixed = next(i for i, part in enumerate(parts) if _GLOB_MAGIC.search(part))
    root = Path(*parts[:fixed]) if fixed else Path(".")
    found: dict[Path, tuple[Path, Path]] = {}
    for match in map(Path, glob.glob(pattern, recursive=True)):
        if match.is_dir():
            found.update((entry[0], entry) for entry in _walk(match, root))
        elif _split_name(match.name)[1] is not None:
            found[match] = (match, match.relative_to(root))
    return sorted(found.values(), key=lambda entry: entry[1].parts)


def _split_name(name: str) -> tuple[str, str | None, str | None]:
    """('stem', format, compression) of a file name; format None if unknown."""
    stem, compression = name, None
    outer = os.path.splitext(stem)[1].lower()
    if outer in COMPRESSIONS:
        stem, compression = stem[: -len(outer)], COMPRESSIONS[outer]
    base, suffix = os.path.splitext(stem)
    return base, FORMATS.get(suffix.lower()), compression


def _read_file(path: Path, relative: Path, options: ReadOptions, unparsed: bool) -> Iterator[Item | LineBatch]:
    source = str(path)
    stem, fmt, compression = _split_name(path.name)
    if fmt is None:
        if options.input_format == "auto":
            suffix = path.name[len(stem):] or "(none)"
            yield InputError(source, f"unknown file type '{suffix}' (supported: {SUPPORTED}; or give --input-format)")
            return
        fmt = options.input_format
    doc_id = relative.with_name(stem).as_posix()
    try:
        handle = open(path, "rb")
    except OSError as error:
        yield InputError(source, f"cannot read: {error.strerror}")
        return
    with handle:
        sidecar = path.with_name(f"{stem}.meta.json")
        yield from _read_stream(handle, source, doc_id, fmt, compression, options, unparsed, sidecar)


def _read_stdin(stream: BinaryIO, options: ReadOptions, unparsed: bool) -> Iterator[Item | LineBatch]:
    """Standard input: compression by magic bytes; JSON Lines if it starts with
    '{', else one plain-text document with id 'stdin' (unless `input_format`)."""
    head = stream.read(SAMPLE_BYTES)
    compression = sniff_compression(head)
    if compression:
        stream = decompress(prepend(head, stream), compression)
        try:
            head = stream.read(SAMPLE_BYTES)
        except corrupt_stream_errors() as error:
            yield _stream_error(error, STDIN, compression)
            return
    if not head.strip():
        yield InputError(STDIN, "standard input is empty (give PATHS or pipe articles in)")
        return
    fmt = options.input_format
    if fmt == "auto":
        fmt = "jsonl" if head.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"{" else "txt"
    yield from _read_stream(prepend(head, stream), STDIN, "stdin", fmt, None, options, unparsed, None, compression)


# ---- one file or stream ----

def _read_stream(stream: BinaryIO, source: str, doc_id: str, fmt: str, compression: str | None,
                 options: ReadOptions, unparsed: bool, sidecar: Path | None,
                 decompressed: str | None = None) -> Iterator[Item | LineBatch]:
    """The records of one file or stream (`decompressed`: the compression
    already undone); a corrupt or unreadable stream ends it with one error
    after the records read so far."""
    try:
        if compression:
            stream = decompress(stream, compression)
        if fmt in WHOLE_FILE_FORMATS:
            yield from _whole_file(stream, source, doc_id, fmt, options, sidecar)
        else:
            plain_file = None if compression or source == STDIN else os.path.abspath(source)
            yield from _record_file(stream, source, doc_id, fmt, options, unparsed, plain_file)
    except InputError as error:
        yield error
    except BinaryFile as error:
        yield InputError(source, str(error))
    except corrupt_stream_errors() as error:
        yield _stream_error(error, source, compression or decompressed)


def _stream_error(error: BaseException, source: str, compression: str | None) -> InputError:
    if isinstance(error, OSError) and error.errno is not None:      # the disk, not the data
        return InputError(source, f"cannot read: {error.strerror}")
    return InputError(source, f"corrupt {compression or 'compressed'} stream: {error}")


# ---- whole-file documents: txt/md with front matter, html ----

def _whole_file(stream: BinaryIO, source: str, doc_id: str, fmt: str, options: ReadOptions,
                sidecar: Path | None) -> Iterator[Item]:
    data = stream.read()
    try:
        text = normalise_text(data.decode(text_encoding(data, True), "replace"))
        text, fields = (_front_matter if fmt == "txt" else _html_main_text)(text, source)
        fields.update(_sidecar_fields(sidecar))
        yield _record(doc_id, text, source, None, fields, options), None
    except (_Invalid, BinaryFile) as problem:
        yield InputError(source, str(problem), None, doc_id)
    except InputError as error:
        error.record_id = doc_id
        yield error


_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)
_KEY_VALUE = re.compile(r"([\w][\w .-]*?)[ \t]*:(?:[ \t]+(.*?))?[ \t]*")
_LIST_ITEM = re.compile(r"[ \t]*-[ \t]+(.*?)[ \t]*")


def _front_matter(text: str, source: str) -> tuple[str, dict]:
    """Split YAML-style front matter off the top of a text.

    A safe subset of YAML, no dependency: `key: value` lines (values stay
    strings, quotes removed), `[a, b]` flow lists, `- item` lists under an
    empty `key:`, blank and `#` comment lines. Anything else is an error
    naming the line, rather than a guess.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    fields: dict = {}
    key = None
    for number, line in enumerate(match.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item, pair = _LIST_ITEM.fullmatch(line), _KEY_VALUE.fullmatch(line)
        if item and key is not None and isinstance(fields[key], list):
            fields[key].append(_scalar(item.group(1)))
        elif pair and not line[0].isspace():
            key, value = pair.group(1), pair.group(2)
            fields[key] = [] if value is None else _flow_value(value)
        else:
            raise InputError(source, f"front matter: cannot read '{line.strip()}' (only key: value lines)", number)
    return text[match.end():], {k: (None if v == [] else v) for k, v in fields.items()}


def _flow_value(value: str) -> str | list[str]:
    if value.startswith("[") and value.endswith("]"):
        return [_scalar(part) for part in next(csv.reader([value[1:-1]], skipinitialspace=True), [])]
    return _scalar(value)


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)
        except ValueError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return re.sub(r"\s+#.*\Z", "", value)


HTML_FIELDS = ("title", "author", "date", "sitename", "url", "hostname", "description", "language")


def _html_main_text(html: str, source: str) -> tuple[str, dict]:
    """Main text and metadata of a page. When trafilatura finds no main text
    (tiny or unusual pages) fall back to its baseline extractor, then to all
    visible text. The file date trafilatura adds (today) is not kept."""
    import trafilatura
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        text = (document.text if document else None) or ""
        if not text.strip():
            text = trafilatura.baseline(html)[1] or trafilatura.html2txt(html)
        if document is None and html.strip():
            document = trafilatura.extract_metadata(html)
    fields = {name: getattr(document, name) for name in HTML_FIELDS if document and getattr(document, name)}
    return normalise_text(text), fields


def _sidecar_fields(path: Path | None) -> dict:
    if path is None or not path.is_file():
        return {}
    try:
        value = json.loads(path.read_bytes())
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror}") from None
    except ValueError as error:
        raise InputError(str(path), f"bad JSON: {error}") from None
    if not isinstance(value, dict):
        raise InputError(str(path), f"metadata is a JSON {_json_type(value)}, not an object")
    return value


# ---- record files: JSON Lines and CSV, one shared record core ----

Row = Union["tuple[int, str, dict]", InputError]   # line, raw text, fields


def _record_file(stream: BinaryIO, source: str, file_id: str, fmt: str, options: ReadOptions,
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
        yield from _records((row for row in rows if row is not None), source, file_id, options)
    else:
        yield from _records(_csv_rows(text, source, "\t" if fmt == "tsv" else ","), source, file_id, options)


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
    """The rows of raw UTF-8 JSON Lines numbered from `first`; blank lines are passed over."""
    for number, line in enumerate(lines, start=first):
        row = _jsonl_row(line.decode("utf-8", "replace"), number, source)
        if row is not None:
            yield row


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
    return InputError(source, f"a JSON {_json_type(value)}, not an object", number, raw=raw)


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


class _Invalid(ValueError):
    """A record whose content breaks a rule; the caller adds where it is."""


def _records(rows: Iterable[Row], source: str, file_id: str, options: ReadOptions,
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
            yield _record(doc_id, _record_text(fields, options), source, line, fields, options), raw
        except _Invalid as problem:
            yield InputError(source, str(problem), line, doc_id, raw)


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
        raise _Invalid(f"has an id field '{name}' but the file's first record has none; give all records an id or none")
    if value is None:
        raise _Invalid(f"no id field '{name}' (the file's first record has one)")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _Invalid(f"id field '{name}' is a JSON {_json_type(value)}, not a string or integer")
    return str(value)


def _record_text(fields: dict, options: ReadOptions) -> str:
    name = options.text_field
    if name not in fields:
        raise _Invalid(f"no field '{name}' (fields: {', '.join(map(str, fields)) or 'none'}); use --text-field")
    if not isinstance(fields[name], str):
        raise _Invalid(f"field '{name}' is a JSON {_json_type(fields[name])}, not a string")
    return normalise_text(fields[name])


def _record(doc_id: str, text: str, source: str, line: int | None, fields: dict, options: ReadOptions) -> Record:
    """A checked record: text not blank; `date` from the date field if it has one."""
    if not text.strip():
        raise _Invalid("empty text")
    date = fields.get(options.date_field)
    date = str(date).strip() if isinstance(date, (str, int, float)) and not isinstance(date, bool) else None
    return Record(doc_id, text, source, line, fields, date or None)


def _json_type(value) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
