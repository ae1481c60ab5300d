"""The options `report`, `stories`, `explain` and `calibrate` share: the story
threshold, the date window and the near-duplicate threshold (kept apart from
cli/options.py so that `dedup` does not import the story stage)."""

from __future__ import annotations

import os

import click

from corpus.pipeline import ReportSettings
from corpus.stories import StorySettings


class Days(click.ParamType):
    """A whole number of days, or `none` for no limit."""

    name = "DAYS|none"

    def convert(self, value, param, ctx):
        if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
            return None
        try:
            days = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is neither a whole number of days nor 'none'", param, ctx)
        if days < 0:
            self.fail(f"{days} is negative", param, ctx)
        return days


story_threshold_option = click.option(
    "--story-threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=StorySettings.threshold,
    show_default=True, help="Mean story similarity two clusters of articles need to become one story.")
window_option = click.option(
    "--window", type=Days(), metavar="DAYS", default=str(StorySettings.window_days), show_default=True,
    help="Days: two dated reports further apart count as unrelated (unknown dates never block); "
         "'none' for no limit.")
duplicate_option = click.option(
    "--threshold", "duplicate_threshold", type=click.FloatRange(0.0, 1.0, min_open=True),
    default=ReportSettings.duplicate_threshold, show_default=True,
    help="Verified Jaccard of word shingles at which an article is a near-duplicate of another.")
jobs_option = click.option(
    "--jobs", type=click.IntRange(1), default=None,
    help="Processes (this one included) preparing, scoring and comparing  [default: number of CPUs]")


def job_count(jobs: int | None) -> int:
    """The --jobs value, or the number of CPUs when it was not given."""
    return jobs or os.cpu_count() or 1
