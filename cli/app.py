"""The `samestory` command group. Commands are imported only when run, so
`samestory --help` starts without loading numpy or the pipeline."""

from __future__ import annotations

import importlib

import click

COMMANDS = {
    "report": ("cli.report", "report", "Group a corpus into stories and show how each story's reports overlap."),
    "dedup": ("cli.dedup", "dedup", "Remove near-duplicate articles, keeping one per group."),
    "stories": ("cli.stories", "stories", "Give every article a story id."),
    "explain": ("cli.stories", "explain", "Say why two articles were or were not put in one story."),
    "calibrate": ("cli.stories", "calibrate", "Sweep the story threshold on a labeled sample."),
    "index": ("cli.index", "index", "The daily index: add articles, report, stories, info."),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when it is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_text) for name, (_, _, help_text) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="samestory")
def app() -> None:
    """samestory: find near-duplicate news articles and group reports of one event into stories."""


def main() -> None:
    app()
