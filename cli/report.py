"""`samestory report`: stories of a corpus and how their reports overlap."""

from __future__ import annotations

import sys
from importlib.metadata import version

import click
from rich.console import Console

from cli.options import InputSession, input_options, sketch_options
from cli.progress import stage_status
from cli.story_options import duplicate_option, job_count, jobs_option, story_threshold_option, window_option
from corpus import render, render_html, render_markdown, render_text
from corpus.output import atomic_writer
from corpus.assemble import Report, build_report
from corpus.pipeline import ReportSettings
from corpus.read import bundled_sample
from corpus.stories import StorySettings
from corpus.workers import Workers, collect_garbage_seldom, keep_freed_memory

FORMATS = ("terminal", "json", "markdown", "html")
PLAIN_WIDTH = 100


class TopCount(click.ParamType):
    """A positive number of stories, or `all`."""

    name = "N|all"

    def convert(self, value, param, ctx):
        if value is None or (isinstance(value, str) and value.strip().lower() == "all"):
            return None
        try:
            count = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is neither a whole number of stories nor 'all'", param, ctx)
        if count < 1:
            self.fail(f"{count} is not a positive number of stories", param, ctx)
        return count


@click.command()
@input_options
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="terminal", show_default=True,
              help="terminal (rich), json (for scripts), markdown or html (for people; one offline file).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file (atomically) instead of standard output.")
@sketch_options
@duplicate_option
@story_threshold_option
@window_option
@click.option("--top", type=TopCount(), metavar="N", default=str(render.DEFAULT_TOP), show_default=True,
              help="Terminal and Markdown: show the N largest stories in full after the summary; 'all' for every "
                   "story. JSON always holds every story.")
@click.option("--show-removed", is_flag=True, help="Also list the lines removed as site chrome.")
@jobs_option
@click.option("--quiet", is_flag=True, help="No progress on standard error.")
def report(inputs: InputSession, output_format, output, ngram, num_perm, seed, duplicate_threshold, story_threshold, window,
           top, show_removed, jobs, quiet):
    """Group a corpus into stories and show how each story's reports overlap.

    PATHS are files or folders (.txt, .md, .html, .jsonl, .csv, optionally .gz
    or .zst) or - for standard input; none means the bundled sample corpus.
    """
    inputs.paths = inputs.paths or (str(bundled_sample()),)
    settings = ReportSettings(
        ngram=ngram, num_perm=num_perm, seed=seed, duplicate_threshold=duplicate_threshold,
        story=StorySettings(threshold=story_threshold, window_days=window),
    )
    keep_freed_memory()
    collect_garbage_seldom()
    progress = not quiet and sys.stderr.isatty()
    with Workers(job_count(jobs)) as workers:    # open until written: stories' overlap is computed as they are
        with stage_status("samestory report", progress):
            result = build_report(inputs.records(), settings, detail=0, workers=workers)   # read as prepare asks
        # writing a file: the status stays up while the stories' overlap is computed; not on the terminal it would print to
        with stage_status("samestory report", progress and output is not None, doing="writing"):
            write_report(result, output_format, output, show_removed, top)


def write_report(result: Report, output_format: str, output: str | None, show_removed: bool, top: int | None) -> None:
    """Render a report in a format to a file (atomically) or standard output."""
    with atomic_writer(output) as handle:
        if output_format == "json":
            handle.writelines(render.report_json_chunks(result, version("samestory")))
        elif output_format == "html":
            handle.write(render_html.html_report(result, version("samestory")))
        elif output_format == "markdown":
            handle.write(render_markdown.markdown(result, show_removed, top))
        elif output is None and handle.isatty():
            Console(file=handle, highlight=False, emoji=False).print(render_text.terminal(result, show_removed, top))
        else:
            handle.write(render_text.plain_text(render_text.terminal(result, show_removed, top), PLAIN_WIDTH))
