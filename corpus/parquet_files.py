"""Parquet files: records from their row groups, and kept records written as Parquet.

A `.parquet` file is read a row group at a time: `parquet_batches` yields
`ParquetBatch`es that name the file and the group and carry no data, so the
process that sketches a batch reads its rows itself (only the id, text and
date columns: the other fields are needed only to write). The record rules
are those of JSON Lines (`corpus.record_files.records_of_rows`): ids from the
id field or numbered `<file id>:<row>` when the first row has none, an
integer id stays one. A row group is one piece of work, so files written
with row groups of a few thousand rows spread best.

pyarrow comes with the extra `samestory[dask]`; without it a Parquet file is
a one-line error saying so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, Iterator

from corpus.record_files import records_of_rows
from corpus.records import InputError, Item, ReadOptions
from corpus.urls import is_url, open_url

PYARROW_HINT = "Parquet needs pyarrow: pip install 'samestory[dask]' (or pyarrow)"


@dataclass(frozen=True)
class ParquetBatch:
    """One row group of a Parquet file, unread: rows `first` (1-based) to
    `first + count - 1` of the file."""

    source: str
    file_id: str
    path: str
    row_group: int
    first: int
    count: int
    numbered: bool
    options: ReadOptions

    def items(self, all_fields: bool = True) -> Iterator[Item]:
        """The group's records (with no raw line) or their errors; with
        `all_fields` False only the id, text and date fields are read (all,
        to name them in the error, if the text field is missing)."""
        pq = _parquet(self.source)
        try:
            file = pq.ParquetFile(_opened(self.path))
            names = file.schema_arrow.names
            wanted = None if all_fields or self.options.text_field not in names else \
                [name for name in _record_fields(self.options) if name in names]
            rows = file.read_row_group(self.row_group, columns=wanted).to_pylist()
        except (OSError, ValueError) as error:
            yield InputError(self.source, f"cannot read Parquet row group {self.row_group}: {error}")
            return
        date_field = self.options.date_field
        for row in rows:
            if isinstance(row.get(date_field), (datetime.date, datetime.datetime)):
                row[date_field] = row[date_field].isoformat()
        yield from records_of_rows(((self.first + i, None, row) for i, row in enumerate(rows)), self.source,
                                   self.file_id, self.options, self.numbered)


def parquet_batches(path: str, source: str, file_id: str, options: ReadOptions) -> Iterator[ParquetBatch | InputError]:
    """The row groups of a Parquet file as batches; whether its records are
    numbered is decided here, by its first row."""
    try:
        pq = _parquet(source)
        file = pq.ParquetFile(_opened(path))
        groups = [file.metadata.row_group(group).num_rows for group in range(file.metadata.num_row_groups)]
        numbered = True
        if options.id_field in file.schema_arrow.names and sum(groups):
            first_group = next(group for group, rows in enumerate(groups) if rows)
            first_id = file.read_row_group(first_group, columns=[options.id_field]).column(0)[0].as_py()
            numbered = first_id in (None, "")
    except InputError as error:
        yield error
        return
    except (OSError, ValueError) as error:
        yield InputError(source, f"cannot read Parquet: {error}")
        return
    first = 1
    for group, rows in enumerate(groups):
        if rows:
            yield ParquetBatch(source, file_id, path, group, first, rows, numbered, options)
        first += rows


def write_parquet(jsonl: IO[bytes], out: IO[bytes], name: str) -> None:
    """The records of a JSON Lines file (read from its start) as one Parquet
    table, column types inferred by pyarrow from the records (in memory: the
    kept records of a corpus whose JSON Lines fit in it). OSError naming the
    output `name` if pyarrow is missing or the records make no table."""
    try:
        import pyarrow.json
        import pyarrow.parquet
    except ImportError:
        raise OSError(f"{name}: {PYARROW_HINT}") from None
    try:
        table = pyarrow.json.read_json(jsonl)
    except pyarrow.ArrowInvalid as error:
        raise OSError(f"{name}: the kept records make no Parquet table ({error})") from None
    pyarrow.parquet.write_table(table, out)


def json_value(value: object) -> object:
    """A Parquet value json cannot write, as it can: dates in ISO 8601, bytes as text, others as str."""
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _opened(path: str):
    """A local path as it is (pyarrow opens it), a URL opened by fsspec."""
    return open_url(path) if is_url(path) else path


def _record_fields(options: ReadOptions) -> list[str]:
    return list(dict.fromkeys((options.id_field, options.text_field, options.date_field)))


def _parquet(source: str):
    """pyarrow.parquet, or an InputError saying how to install it."""
    try:
        import pyarrow.parquet
    except ImportError:
        raise InputError(source, PYARROW_HINT) from None
    return pyarrow.parquet

