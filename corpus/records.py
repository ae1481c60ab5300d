"""What every reader yields: records, their errors, and how to read them.

Shared by the readers of whole-file documents (`corpus.whole_files`), of
record files (`corpus.record_files`) and of paths (`corpus.read`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass
class Record:
    """One input document, with every original field carried through."""

    id: str
    text: str                        # NFC, "\n" line ends; the original stays in `fields`
    source: str                      # the file it came from, "<stdin>" for standard input
    line: int | None = None          # line where the record starts in a JSONL/CSV file
    fields: dict = field(default_factory=dict)
    date: str | None = None          # the date field's value as given, unparsed
    numeric_id: bool = False         # the input gave the id as an integer: written back as one
    decoded: tuple[str, ...] = ()    # fields whose character references a page's parser decoded (not decoded again)

    def __reduce__(self):            # pickled as its fields in order: a third faster than a dataclass's state dict
        return Record, (self.id, self.text, self.source, self.line, self.fields, self.date, self.numeric_id, self.decoded)


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


@dataclass(frozen=True)
class ReadOptions:
    """How to read records: which fields hold id, text and date; the format of
    standard input and of files whose extension says nothing."""

    id_field: str = "id"
    text_field: str = "text"
    date_field: str = "date"
    input_format: str = "auto"


Item = Union["tuple[Record, str | bytes | None]", InputError]   # a record and its raw line (a JSON Lines line as its UTF-8 bytes), or an error


class InvalidRecord(ValueError):
    """A record whose content breaks a rule; the caller adds where it is."""


def checked_record(doc_id: str, text: str, source: str, line: int | None, fields: dict, options: ReadOptions,
                   numeric_id: bool = False, decoded: tuple[str, ...] = ()) -> Record:
    """A checked record: text not blank; `date` from the date field if it has one."""
    if not text or text.isspace():           # what `not text.strip()` says, without a copy of the text
        raise InvalidRecord("empty text")
    date = fields.get(options.date_field)
    date = str(date).strip() if isinstance(date, (str, int, float)) and not isinstance(date, bool) else None
    return Record(doc_id, text, source, line, fields, date or None, numeric_id, decoded)


def json_type(value) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
