"""Outputs are written atomically: all or nothing, with the usual file mode."""

import os
import stat

import pytest

from corpus.output import atomic_writer


def test_writes_the_whole_file(tmp_path):
    target = tmp_path / "out" / "kept.jsonl"
    with atomic_writer(target) as handle:
        handle.write("one\n")
    assert target.read_text() == "one\n"
    assert list(target.parent.iterdir()) == [target]


def test_failure_leaves_no_file_and_keeps_the_old_one(tmp_path):
    target = tmp_path / "kept.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as handle:
            handle.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_file_mode_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_writer(tmp_path / "a.txt") as handle:
            handle.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
