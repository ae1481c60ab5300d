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
- `.parquet`: one record per row (`corpus.parquet_files`; needs pyarrow).

Any of them but Parquet may be compressed: `x.jsonl.gz`, `x.txt.zst`.

Whole-file documents (txt, md, html) may have a sidecar `<name>.meta.json`
beside them (`a.txt` -> `a.meta.json`, also for `a.txt.gz`): a JSON object whose
keys go into `fields`, overriding front matter or extracted ones. Their id is
their path relative to the folder or glob root given, without extensions.

`read_unparsed` reads the same input for a caller that parses in other
processes: UTF-8 JSON Lines come as `LineBatch`es of raw lines (`parse_lines`
turns one into records, in any process), errors come in order among them, and
ids are left for the caller to check (`UniqueIds`). A caller reading a second
time can have plain files it knows passed over (`KnownFile`).

This module finds the files and streams of the paths given and hands each to
its format's reader: `corpus.whole_files` (txt, md, html) or
`corpus.record_files` (JSON Lines, CSV, TSV); what they yield is defined in
`corpus.records`.
"""

from __future__ import annotations

import codecs
import glob
import os
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Callable, Container, Iterable, Iterator

from corpus.parquet_files import ParquetBatch, parquet_batches
from corpus.decode import COMPRESSIONS, BinaryFile, corrupt_stream_errors, decompress, prepend, sniff_compression
from corpus.record_files import SAMPLE_BYTES, LineBatch, raw_text, record_file
from corpus.records import InputError, Item, ReadOptions, Record
from corpus.urls import expand_url, is_url, name_of, open_url
from corpus.whole_files import whole_file

FORMATS = {
    ".txt": "txt", ".md": "txt", ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json-lines": "jsonl", ".csv": "csv", ".tsv": "tsv",
    ".parquet": "parquet",
}
INPUT_FORMATS = ("auto", "txt", "jsonl", "csv", "tsv", "html")
WHOLE_FILE_FORMATS = ("txt", "html")
SUPPORTED = " ".join(FORMATS) + ", optionally " + "/".join(COMPRESSIONS)
STDIN = "<stdin>"


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
                seen = taken.take(record.id, record.source, record.line)
                item = taken.duplicate(record.id, record.source, record.line, raw_text(raw)) if seen else record
            if isinstance(item, InputError):
                if on_error is None:
                    raise item
                on_error(item)
            else:
                yield item


def read_unparsed(paths: Iterable[str | Path], options: ReadOptions = ReadOptions(), stdin: BinaryIO | None = None,
                  known: Container[str] = frozenset()) -> Iterator[Item | LineBatch | ParquetBatch | KnownFile]:
    """The input of `read_records`, for a caller that parses elsewhere: UTF-8
    JSON Lines as `LineBatch`es, Parquet row groups as `ParquetBatch`es, other
    formats as (record, raw line) pairs,
    errors in their place among them; a file whose absolute path is `known`
    as a `KnownFile`, unread. Ids are not checked for uniqueness."""
    for path in paths:
        yield from _read_path(str(path), options, stdin, unparsed=True, known=known)


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
        return [position for position, taken in enumerate(zip(ids, sources, lines)) if self.take(*taken)]

    def take(self, record_id: str, source: str, line: int | None) -> bool:
        """Take one record's id; whether it was taken before (then it is not taken again)."""
        if record_id in self._where:
            return True
        self._where[record_id] = (source, line)
        return False

    def duplicate(self, record_id: str, source: str, line: int | None, raw: str | None) -> InputError:
        """The error for a record whose id was taken before."""
        first_source, first_line = self._where[record_id]
        first = first_source if first_line is None else f"{first_source}:{first_line}"
        return InputError(source, f"duplicate id '{record_id}' (first seen at {first})", line, record_id, raw)


# ---- paths: files, folders, globs, standard input ----

def _read_path(arg: str, options: ReadOptions, stdin: BinaryIO | None, unparsed: bool,
               known: Container[str] = frozenset()) -> Iterator[Item | LineBatch | ParquetBatch | KnownFile]:
    """The items of one argument; UTF-8 JSON Lines as `LineBatch`es if `unparsed`."""
    if arg == "-":
        yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, options, unparsed)
        return
    for entry in _expand(arg):
        if isinstance(entry, InputError):
            yield entry
        elif not isinstance(entry[0], str) and os.path.abspath(entry[0]) in known:
            yield KnownFile(str(entry[0]), os.path.abspath(entry[0]))
        else:
            yield from _read_file(*entry, options, unparsed)


def _expand(arg: str) -> Iterator[tuple[Path, Path] | tuple[str, PurePosixPath] | InputError]:
    """(file, its path relative to the folder or glob root given) for one
    argument; a file named by URL as its URL (`corpus.urls`)."""
    if not arg.strip():
        yield InputError(repr(arg), "empty path")
        return
    if is_url(arg):
        try:
            found = expand_url(arg, lambda name: _split_name(name)[1] is not None)
        except InputError as error:
            yield error
            return
        if not found:
            yield InputError(arg, f"no supported files (supported: {SUPPORTED})")
        yield from found
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


def _read_file(path: Path | str, relative: Path | PurePosixPath, options: ReadOptions,
               unparsed: bool) -> Iterator[Item | LineBatch | ParquetBatch]:
    """The items of one file, given by path or (a str) by URL."""
    source = str(path)
    name = name_of(path) if isinstance(path, str) else path.name
    stem, fmt, compression = _split_name(name)
    if fmt is None:
        if options.input_format == "auto":
            suffix = name[len(stem):] or "(none)"
            yield InputError(source, f"unknown file type '{suffix}' (supported: {SUPPORTED}; or give --input-format)")
            return
        fmt = options.input_format
    doc_id = relative.with_name(stem).as_posix()
    if fmt == "parquet":
        for batch in parquet_batches(str(path), source, doc_id, options):
            if unparsed or isinstance(batch, InputError):
                yield batch
            else:
                yield from batch.items()
        return
    try:
        handle = open_url(path) if isinstance(path, str) else open(path, "rb")
    except InputError as error:
        yield error
        return
    except OSError as error:
        yield InputError(source, f"cannot read: {error.strerror or error}")
        return
    with handle:
        sidecar = None if isinstance(path, str) else path.with_name(f"{stem}.meta.json")
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
            yield from whole_file(stream, source, doc_id, fmt, options, sidecar)
        else:
            plain_file = None if compression or source == STDIN else source if is_url(source) else os.path.abspath(source)
            yield from record_file(stream, source, doc_id, fmt, options, unparsed, plain_file)
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


