"""`samestory dedup`: remove near-duplicate articles, keeping one per group."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from typing import TYPE_CHECKING, Iterable, Iterator

import click

from cli.options import InputFailure, InputSession, input_options, sketch_options
from cli.progress import progress_bar
from corpus.dedup_settings import KEEP_POLICIES, DedupSettings
from corpus.read import InputError, ReadOptions, read_unparsed
from corpus.workers import Workers, collect_garbage_seldom, keep_freed_memory

if TYPE_CHECKING:
    from corpus.dask_workers import DaskWorkers
    from corpus.dedup import Piece, Summary

DEFAULTS = DedupSettings()
ENGINES = ("local", "dask")
PIPELINE = "corpus.dedup"        # loaded after the workers start, so they load it alongside
EARLY_START_BYTES = 16 << 20     # named input files this large keep every core busy from the start:
                                 # about a quarter of a second of sketching, what starting a worker takes


class OutputFailure(InputFailure):
    """An output or temporary file that cannot be written: exit code 1, one line on stderr."""

    exit_code = 1


@click.command()
@input_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the kept records here (atomically) instead of standard output: JSON Lines, "
                   "or Parquet if the name ends in .parquet (needs pyarrow).")
@click.option("--duplicates", type=click.Path(dir_okay=False), default=None,
              help="Write one JSON line per removed record: id, duplicate_of, jaccard, jaccard_estimate.")
@click.option("--keep", type=click.Choice(KEEP_POLICIES), default=DEFAULTS.keep, show_default=True,
              help="Which record of a group stays: first in input order, longest text, or earliest date "
                   "(--date-field; unknown dates last). Ties go to input order.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=DEFAULTS.threshold,
              show_default=True, help="Exact Jaccard of word shingles at which two articles are near-duplicates.")
@sketch_options
@click.option("--jobs", type=click.IntRange(1), default=None,
              help="Processes (this one included) parsing, sketching and verifying  [default: number of CPUs]")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Where the work runs: processes on this machine, or a Dask cluster (needs samestory[dask]). "
                   "The output is the same byte for byte.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --engine dask: the running cluster's scheduler (tcp://host:8786)  "
                   "[default: a local cluster of --jobs workers, started and closed by the command]")
@click.option("--scheduler-timeout", type=click.FloatRange(0, min_open=True), default=30.0, show_default=True,
              help="Seconds to wait for the scheduler and a worker before giving up (exit 2).")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary on standard error.")
def dedup(inputs: InputSession, output, duplicates, keep, threshold, ngram, num_perm, seed, jobs, engine, scheduler,
          scheduler_timeout, quiet):
    """Remove near-duplicate articles (syndicated copies, re-posts, lightly
    edited versions), keeping one per group.

    PATHS are files, folders or globs (.txt, .md, .html, .jsonl, .csv, .tsv,
    optionally .gz or .zst; .parquet) or - for standard input (also read when
    no PATHS are given and input is piped). Kept records go out as JSON Lines
    in input order, with their original fields: a JSON Lines record as its
    very line. Ids are written as the input gave them (an integer as one).
    """
    if not inputs.paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("no input: give PATHS or pipe JSON Lines into standard input")
        inputs.paths = ("-",)
    settings = DedupSettings(threshold=threshold, ngram=ngram, num_perm=num_perm, seed=seed, keep=keep,
                             jobs=jobs or os.cpu_count() or 1)
    keep_freed_memory()
    collect_garbage_seldom()
    try:
        with executor(engine, scheduler, scheduler_timeout, settings.jobs) as workers, \
                progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
            if named_file_bytes(inputs.paths) >= EARLY_START_BYTES:
                workers.start()
            from corpus.dedup import deduplicate

            summary = deduplicate(lambda known: unparsed_input(inputs, known), settings, output, duplicates, progress,
                                  inputs.skip_handler, workers)
    except InputError as error:
        raise InputFailure(str(error)) from None
    except OSError as error:
        raise OutputFailure(f"cannot write: {error}") from None
    if not quiet:
        click.echo(summary_line(summary, inputs.skipped), err=True)


def executor(engine: str, scheduler: str | None, timeout: float, jobs: int) -> Workers | DaskWorkers:
    """The executor of the run's stages: `jobs` local processes, or a Dask
    cluster (the one at `scheduler`, or a local one of `jobs` workers)."""
    if engine == "local":
        if scheduler is not None:
            raise click.UsageError("--scheduler goes with --engine dask")
        return Workers(jobs, preload=(PIPELINE,))
    from corpus.dask_workers import DaskUnavailable, connect

    try:
        return connect(scheduler, jobs, timeout)
    except DaskUnavailable as error:
        raise InputFailure(str(error)) from None


def unparsed_input(inputs: InputSession, known: frozenset[str]) -> Iterator[Piece]:
    """The input of the session for `deduplicate`, unparsed, `known` plain
    files passed over (`corpus.read.read_unparsed`); standard input is read
    from the session's spooled copy."""
    options = ReadOptions(inputs.id_field, inputs.text_field, inputs.date_field, inputs.input_format)
    stdin = inputs.open_stdin()
    try:
        yield from read_unparsed(inputs.paths, options, stdin, known)
    finally:
        if stdin is not None:
            stdin.close()


def named_file_bytes(paths: Iterable[str]) -> int:
    """The size of the input files named as such; folders, globs and standard
    input count nothing (unknown before they are read)."""
    total = 0
    for path in paths:
        with contextlib.suppress(OSError, ValueError):
            status = os.stat(path)
            if path != "-" and stat.S_ISREG(status.st_mode):
                total += status.st_size
    return total


def summary_line(summary: Summary, skipped: int) -> str:
    return (
        f"samestory dedup: {summary.read:,} read · {summary.kept:,} kept · {summary.removed:,} removed "
        f"in {summary.groups:,} group{'s' * (summary.groups != 1)} · {skipped:,} skipped · {summary.seconds:.1f} s"
    )


