"""Read documents: folders and files of text, or the bundled sample corpus.

Every reader yields `Record`s in input order. A record that cannot be read
raises `InputError` naming the file and line, or is passed to `on_error`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator


@dataclass
class Record:
    """One input document, with every original field carried through."""

    id: str
    text: str
    source: str                      # the file it came from, "-" for standard input
    line: int | None = None          # line or row number in a JSONL/CSV file
    fields: dict = field(default_factory=dict)


class InputError(Exception):
    """A record or file that cannot be read; str() is a one-line message."""

    def __init__(self, source: str, reason: str, line: int | None = None, record_id: str | None = None):
        super().__init__(reason)
        self.source, self.reason, self.line, self.record_id = source, reason, line, record_id

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.reason}"


TEXT_SUFFIXES = (".txt", ".md")


def bundled_sample() -> Path:
    """The folder of the sample corpus shipped inside the package."""
    return Path(str(resources.files("corpus") / "sample"))


def read_records(
    paths: Iterable[str | Path],
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[Record]:
    """Yield the records of every path, folders walked in sorted order."""
    for path in map(Path, paths):
        try:
            if path.is_dir():
                for child in sorted(p for p in path.rglob("*") if p.suffix in TEXT_SUFFIXES):
                    yield _read_text_file(child, child.relative_to(path).with_suffix("").as_posix())
            elif path.is_file():
                yield _read_text_file(path, path.stem)
            else:
                raise InputError(str(path), "no such file or folder")
        except InputError as error:
            if on_error is None:
                raise
            on_error(error)


def _read_text_file(path: Path, doc_id: str) -> Record:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read: {error}") from None
    return Record(id=doc_id, text=text, source=str(path))
