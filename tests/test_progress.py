"""cli.progress: progress on a terminal only, transient, fed by the pipeline's stages."""

import io

from rich.console import Console

from cli import progress
from corpus import stage_log


def test_nothing_when_not_enabled(capsys):
    with progress.stage_status("samestory stories", False):
        stage_log.stage_done("prepare: read")
    with progress.progress_bar(False) as bar:
        assert bar is None
    assert capsys.readouterr().err == ""


def test_the_status_names_the_last_stage_that_ended(monkeypatch):
    shown = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **options: Console(file=shown, force_terminal=True, width=100))
    with progress.stage_status("samestory stories", True):
        stage_log.stage_done("prepare: read, spill")
        stage_log.stage_done("stories: linkage")
    text = shown.getvalue()
    assert "samestory stories: stories: linkage done" in text
    assert text.endswith("\x1b[2K")                 # transient: the line is cleared at the end
    assert not stage_log._listeners                  # let go of after the block
