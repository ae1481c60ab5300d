"""`samestory index add|report|stories|info`: the daily index, one SQLite file
that remembers every article (`corpus.index_store`, `corpus.index`)."""

from __future__ import annotations

import json
import sys
import time

import click

from cli.options import InputFailure, InputSession, input_options, sketch_options
from cli.report import FORMATS as REPORT_FORMATS, TopCount
from cli.story_options import Days
from corpus.render import DEFAULT_TOP
from corpus.index_store import IndexError_, IndexSettings

DB = click.argument("db", type=click.Path(dir_okay=False))
SETTING_OPTIONS = {               # option name -> IndexSettings field
    "threshold": "threshold", "ngram": "ngram", "num_perm": "num_perm", "seed": "seed",
    "story_threshold": "story_threshold", "window": "window_days", "close_margin": "close_margin_days",
}
DEFAULTS = IndexSettings()


def _failure(error: IndexError_) -> InputFailure:
    return InputFailure(str(error))


@click.group()
def index() -> None:
    """The daily index: add each day's articles to one SQLite file that
    remembers every article, so copies of anything seen before and stories
    that are still running are found, with story ids that never change."""


@index.command()
@DB
@input_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write one JSON line per added article (id, story, copy_of, new_story) here, atomically.")
@click.option("--on-duplicate-id", type=click.Choice(["error", "skip", "replace"]), default="error", show_default=True,
              help="An id already in the index: stop with exit 2, skip the record, or replace the stored text "
                   "and fields (its copy and story assignments stay).")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=DEFAULTS.threshold,
              show_default=True, help="Verified Jaccard of word shingles at which an article is a copy.")
@sketch_options
@click.option("--story-threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=DEFAULTS.story_threshold,
              show_default=True, help="Mean story similarity an article needs to join a story.")
@click.option("--window", type=Days(), metavar="DAYS", default=str(DEFAULTS.window_days), show_default=True,
              help="Days: two dated reports further apart count as unrelated; 'none' for no limit.")
@click.option("--close-margin", type=click.IntRange(0), default=DEFAULTS.close_margin_days, show_default=True,
              help="A story closes when its newest article is older than the newest day minus window + margin.")
@click.option("--wait", type=click.FloatRange(0.0), default=30.0, show_default=True,
              help="Seconds to wait for another add on the same index to finish.")
@click.option("--quiet", is_flag=True, help="No summary on standard error.")
def add(db, inputs: InputSession, output, on_duplicate_id, wait, quiet, **options):
    """Add articles (PATHS, all inputs of `dedup`) to the index DB (created on
    first use with these settings; later runs must use the same).

    Each article is a copy of an indexed one (verified Jaccard, as `dedup
    --keep first`), or joins a running story, or opens a new one. All or
    nothing: an interrupted run leaves the index as it was.
    """
    from corpus.index import add_records
    from corpus.index_store import open_index
    from corpus.neighbours import lsh_parameters
    from corpus.output import atomic_writer

    started = time.perf_counter()
    context = click.get_current_context()
    given = frozenset(field for option, field in SETTING_OPTIONS.items()
                      if context.get_parameter_source(option) != click.core.ParameterSource.DEFAULT)
    values = {field: options[option] for option, field in SETTING_OPTIONS.items()}
    bands, rows = lsh_parameters(values["threshold"], values["num_perm"])
    settings = IndexSettings(bands=bands, rows=rows, **values)
    if not inputs.paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("no input: give PATHS or pipe JSON Lines into standard input")
        inputs.paths = ("-",)
    records = list(inputs.records())
    try:
        connection, stored = open_index(db, create=settings, busy_seconds=wait, given=given)
        try:
            with atomic_writer(output) as handle:
                summary = add_records(connection, stored, records, on_duplicate_id, inputs.text_field)
                if output is not None:
                    handle.writelines(json.dumps(line.__dict__, ensure_ascii=False) + "\n" for line in summary.lines)
        finally:
            connection.close()
    except IndexError_ as error:
        raise _failure(error) from None
    if not quiet:
        extra = "".join(f" · {n:,} {what}" for n, what in ((summary.skipped, "skipped (known id)"),
                                                             (summary.replaced, "replaced")) if n)
        click.echo(f"samestory index add: {summary.added:,} added · {summary.copies:,} copies · "
                   f"{summary.joined:,} joined running stories · {summary.new_stories:,} new stories{extra} · "
                   f"{time.perf_counter() - started:.1f} s", err=True)


@index.command()
@DB
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info(db, output_format):
    """Counts, settings, schema version and size of the index DB."""
    from corpus.index_report import index_info

    try:
        facts = index_info(db)
    except IndexError_ as error:
        raise _failure(error) from None
    if output_format == "json":
        click.echo(json.dumps(facts, indent=2))
        return
    for key, value in facts.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for name, inner in value.items():
                click.echo(f"  {name}: {inner}")
        else:
            click.echo(f"{key}: {value}")


@index.command("stories")
@DB
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write here (atomically) instead of standard output.")
def stories_command(db, output):
    """One JSON line per indexed article, in the order added: id, story, copy_of (the shape of `stories`)."""
    from corpus.index_report import story_lines
    from corpus.output import atomic_writer

    try:
        with atomic_writer(output) as handle:
            for line in story_lines(db):
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    except IndexError_ as error:
        raise _failure(error) from None


@index.command("report")
@DB
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Stories with an article dated on or after this day (YYYY-MM-DD)  [default: those the last add "
                   "touched]")
@click.option("--story", "story_labels", multiple=True, metavar="ID",
              help="Report this story (repeatable; a merged story's old id names the story it joined).")
@click.option("--format", "output_format", type=click.Choice(REPORT_FORMATS), default="terminal", show_default=True,
              help="As `samestory report`.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--top", type=TopCount(), metavar="N", default=str(DEFAULT_TOP), show_default=True,
              help="Terminal and Markdown: the N largest stories in full; 'all' for every story.")
@click.option("--show-removed", is_flag=True, help="Also list the lines removed as site chrome.")
def report_command(db, since, story_labels, output_format, output, top, show_removed):
    """The report of `samestory report` for stories of the index DB, built from
    the stored articles with the index's own copies and stories."""
    from cli.report import write_report
    from corpus.index_report import index_report

    try:
        result = index_report(db, story_labels, since.date() if since else None,
                              detail=0)       # each story's overlap computed as it is written
    except IndexError_ as error:
        raise _failure(error) from None
    write_report(result, output_format, output, show_removed, top)
