"""The code itself: pyflakes finds no unused import, undefined name or
redefinition anywhere in the project's Python."""

from pathlib import Path

import pytest

pyflakes_api = pytest.importorskip("pyflakes.api", reason="pyflakes is a test extra (pip install -e '.[test]')")
from pyflakes.reporter import Reporter  # noqa: E402 - after the skip

ROOT = Path(__file__).resolve().parents[1]


class _Collected(Reporter):
    """A reporter keeping every message instead of printing it."""

    def __init__(self):
        self.messages: list[str] = []

    def unexpectedError(self, filename, message):
        self.messages.append(f"{filename}: {message}")

    def syntaxError(self, filename, message, lineno, offset, text):
        self.messages.append(f"{filename}:{lineno}: {message}")

    def flake(self, message):
        self.messages.append(str(message))


def test_pyflakes_finds_nothing_in_the_project():
    reporter = _Collected()
    pyflakes_api.checkRecursive([str(ROOT / part) for part in ("corpus", "cli", "benchmarks", "tests")], reporter)
    assert reporter.messages == []


def test_the_check_reports_what_pyflakes_finds(tmp_path):
    (tmp_path / "sloppy.py").write_text("import os\n\nprint(undefined_name)\n")
    reporter = _Collected()
    pyflakes_api.checkRecursive([str(tmp_path)], reporter)
    assert len(reporter.messages) == 2
