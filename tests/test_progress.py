"""cli.progress: progress on a terminal only, transient, fed by the pipeline's stages."""

import io
import re

from rich.console import Console
from rich.status import Status

from cli import progress
from corpus import stage_log


def test_nothing_when_not_enabled(capsys):
    with progress.stage_status("samestory stories", False):
        stage_log.stage_done("prepare: read")
    with progress.progress_bar(False) as bar:
        assert bar is None
    assert capsys.readouterr().err == ""


def test_the_status_says_how_far_the_stage_in_hand_has_come_or_which_ended(monkeypatch):
    shown, updates = io.StringIO(), []
    monkeypatch.setattr("rich.console.Console", lambda **options: Console(file=shown, force_terminal=True, width=100))
    update = Status.update
    monkeypatch.setattr(Status, "update", lambda self, status=None, **rest: (updates.append(status),
                                                                           update(self, status, **rest)))
    with progress.stage_status("samestory stories", True):
        stage_log.stage_progress("prepare: terms", 1500, 2000)
        stage_log.stage_done("prepare: terms")
        stage_log.stage_progress("prepare: read", 500)
    assert [re.sub(r" · \d+ s$", "", text) for text in updates] == [
        "samestory stories: prepare: terms · 1,500 of 2,000", "samestory stories: prepare: terms done",
        "samestory stories: prepare: read · 500"]
    assert shown.getvalue().endswith("\x1b[2K")       # transient: the line is cleared at the end
    assert not stage_log._listeners                  # let go of after the block
