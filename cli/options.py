"""Input plumbing shared by every command: the options that say what to read
and how, and an `InputSession` that reads records and deals with bad ones.

    @click.command()
    @input_options
    def dedup(inputs: InputSession, ...):
        inputs.paths = inputs.paths or ("-",)       # the command decides what no PATHS means
        for record in inputs.records(): ...         # first pass
        for record in inputs.records(): ...         # second pass: same records, errors not repeated

`--on-error stop` (default): the first unreadable record ends the command with
exit code 2 and `samestory: error: <file>:<line>: <reason>`; outputs are written
atomically, so none is left behind. `--on-error skip` (implied by `--rejects`):
each bad record is a one-line warning on stderr and a line in `--rejects`, and
reading goes on.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from typing import IO, Callable, Iterator

import click

from corpus.dedup_settings import DedupSettings
from corpus.output import atomic_writer
from corpus.read import INPUT_FORMATS, InputError, Record, read_records


class InputFailure(click.ClickException):
    """Unreadable input in `stop` mode: exit code 2, one line on stderr."""

    exit_code = 2

    def show(self, file: IO | None = None) -> None:
        click.echo(f"samestory: error: {self.format_message()}", err=True)


@dataclass
class InputSession:
    """The input options of one command run, and the state of reading them:
    the spooled copy of standard input, the errors already reported, the
    rejects written so far."""

    paths: tuple[str, ...]
    id_field: str = "id"
    text_field: str = "text"
    date_field: str = "date"
    input_format: str = "auto"
    on_error: str = "stop"
    rejects: str | None = None
    skipped: int = field(default=0, init=False)
    _reported: set = field(default_factory=set, init=False, repr=False)
    _spool: str | None = field(default=None, init=False, repr=False)
    _rejects: IO | None = field(default=None, init=False, repr=False)

    def records(self) -> Iterator[Record]:
        """Yield the records of `paths`; every call reads them again (standard
        input is copied to a temporary file on the first call). In `stop` mode
        an unreadable record raises `InputFailure`."""
        stdin = self.open_stdin()
        try:
            yield from read_records(
                self.paths, self.skip_handler,
                id_field=self.id_field, text_field=self.text_field, date_field=self.date_field,
                input_format=self.input_format, stdin=stdin)
        except InputError as error:
            raise InputFailure(str(error)) from None
        finally:
            if stdin is not None:
                stdin.close()

    def finish(self) -> None:
        """After a successful run: write the rejects file (empty if nothing was
        skipped) in one atomic step, and say how many records were skipped."""
        if self.rejects is not None:
            with atomic_writer(self.rejects) as out:
                if self._rejects is not None:
                    self._rejects.seek(0)
                    shutil.copyfileobj(self._rejects, out)
        if self.skipped:
            where = f"; see {self.rejects}" if self.rejects else ""
            click.echo(f"samestory: {self.skipped} unreadable record(s) skipped{where}", err=True)

    def close(self) -> None:
        """Remove the temporary files (spooled standard input, pending rejects)."""
        if self._rejects is not None:
            self._rejects.close()
            self._rejects = None
        if self._spool is not None:
            os.unlink(self._spool)
            self._spool = None

    @property
    def skip_handler(self) -> Callable[[InputError], None] | None:
        """What readers call with an unreadable record: `skip` in skip mode,
        None (the error is raised) in stop mode."""
        return self.skip if self.on_error == "skip" else None

    def skip(self, error: InputError) -> None:
        """Warn of an unreadable record (once, however often it is read) and
        keep it for the rejects file."""
        key = (error.source, error.line, error.reason)
        if key in self._reported:        # a second pass over the same input
            return
        self._reported.add(key)
        self.skipped += 1
        click.echo(f"samestory: skipped {error}", err=True)
        if self.rejects is not None:
            if self._rejects is None:
                self._rejects = tempfile.SpooledTemporaryFile(1 << 20, "w+", encoding="utf-8", newline="\n")
            reject = {"source": error.source, "line": error.line, "id": error.record_id,
                      "reason": error.reason, "raw": error.raw}
            self._rejects.write(json.dumps(reject, ensure_ascii=False) + "\n")

    def open_stdin(self) -> IO[bytes] | None:
        """Standard input, when it is among `paths`, as a fresh binary handle on
        its spooled copy (copied on the first call), so it can be read again."""
        if "-" not in self.paths:
            return None
        if self._spool is None:
            fd, self._spool = tempfile.mkstemp(prefix="samestory-stdin-")
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(sys.stdin.buffer, out)
        return open(self._spool, "rb")


_OPTIONS = (
    click.argument("paths", nargs=-1, metavar="[PATHS]..."),
    click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field holding the document id."),
    click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text."),
    click.option("--date-field", default="date", show_default=True, help="Field holding the publication date."),
    click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True,
                 help="Format of standard input and of files with an unknown extension."),
    click.option("--on-error", type=click.Choice(["stop", "skip"]), default="stop", show_default=True,
                 help="On an unreadable record: stop with exit code 2, or warn, skip it and go on."),
    click.option("--rejects", type=click.Path(dir_okay=False), default=None,
                 help="Write the skipped records here (JSON Lines: source, line, id, reason, raw); "
                      "implies --on-error skip."),
)
_NAMES = ("paths", "id_field", "text_field", "date_field", "input_format", "on_error", "rejects")


def sketch_options(command: Callable) -> Callable:
    """Add --ngram, --num-perm and --seed: how texts are shingled and sketched,
    the same options and defaults for `dedup`, `report` and `index add`."""
    options = [
        click.option("--ngram", type=click.IntRange(1, 20), default=DedupSettings.ngram, show_default=True,
                     help="Words per shingle."),
        click.option("--num-perm", type=click.IntRange(16, 1024), default=DedupSettings.num_perm, show_default=True,
                     help="MinHash permutations (more: fewer missed candidates, slower)."),
        click.option("--seed", type=int, default=DedupSettings.seed, show_default=True, help="MinHash seed."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def input_options(command: Callable) -> Callable:
    """Add PATHS (files, folders, globs, `-` for standard input; may be empty)
    and the input options to a click command, which receives them as one
    `inputs: InputSession` argument. The rejects file is written when the
    command returns; temporary files are removed however it ends."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        if kwargs["rejects"] is not None:
            if click.get_current_context().get_parameter_source("on_error") != click.core.ParameterSource.DEFAULT \
                    and kwargs["on_error"] == "stop":
                raise click.UsageError("--rejects collects skipped records; it cannot go with --on-error stop")
            kwargs["on_error"] = "skip"
        inputs = InputSession(**{name: kwargs.pop(name) for name in _NAMES})
        try:
            result = command(*args, inputs=inputs, **kwargs)
            inputs.finish()
            return result
        finally:
            inputs.close()

    for option in reversed(_OPTIONS):
        run = option(run)
    return run

