"""Outputs are written atomically: all or nothing, with the usual file mode; spans of a file are copied exactly."""

import errno
import io
import os
import stat

import pytest

from corpus import output
from corpus.output import atomic_writer, copy_spans


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


def _source(tmp_path, data: bytes) -> int:
    path = tmp_path / "source.bin"
    path.write_bytes(data)
    return os.open(path, os.O_RDONLY)


SPANS = [(0, 5), (7, 7), (10, 30000), (40000, 300000), (299990, 300000)]


def _expected(data: bytes) -> bytes:
    return b"".join(data[start:end] for start, end in SPANS)


def test_copy_spans_into_a_file_after_what_it_buffered(tmp_path):
    data = bytes(range(256)) * 1200
    source = _source(tmp_path, data)
    target = tmp_path / "out.bin"
    with open(target, "wb") as out:
        out.write(b"head")
        copy_spans(source, SPANS, out)
        out.write(b"tail")
    os.close(source)
    assert target.read_bytes() == b"head" + _expected(data) + b"tail"


def test_copy_spans_through_memory_when_there_is_no_descriptor_or_the_kernel_refuses(tmp_path, monkeypatch):
    data = bytes(range(256)) * 1200
    source = _source(tmp_path, data)
    in_memory = io.BytesIO()
    copy_spans(source, SPANS, in_memory)
    assert in_memory.getvalue() == _expected(data)

    def refused(*args):
        raise OSError(errno.EINVAL, "not here")

    monkeypatch.setattr(os, "sendfile", refused)
    target = tmp_path / "out.bin"
    with open(target, "wb") as out:
        copy_spans(source, SPANS, out)
    os.close(source)
    assert target.read_bytes() == _expected(data)


@pytest.mark.parametrize("in_memory", [False, True])
def test_copy_spans_past_the_end_of_the_file_is_an_eof_error(tmp_path, in_memory):
    source = _source(tmp_path, b"0123456789")
    out = io.BytesIO() if in_memory else open(tmp_path / "out.bin", "wb")
    with pytest.raises(EOFError):
        copy_spans(source, [(2, 4), (8, 20)], out)
    out.close()
    os.close(source)


def test_copy_spans_into_a_file_starts_its_disk_writes_as_it_goes(tmp_path, monkeypatch):
    data = bytes(range(256)) * 1200
    source = _source(tmp_path, data)
    started = []
    monkeypatch.setattr(output, "WRITEBACK_BYTES", 20_000)
    monkeypatch.setattr(output, "start_writeback", started.append)
    target = tmp_path / "out.bin"
    with open(target, "wb") as out:
        copy_spans(source, SPANS, out)
        assert started == [out.fileno(), out.fileno()]      # after 30,000 and after 290,000 bytes
    copy_spans(source, SPANS, io.BytesIO())
    os.close(source)
    assert len(started) == 2 and target.read_bytes() == _expected(data)


def test_start_writeback_leaves_a_file_as_it_is_and_passes_over_a_pipe(tmp_path):
    target = tmp_path / "out.bin"
    with open(target, "wb") as out:
        out.write(b"x" * 100_000)
        out.flush()
        output.start_writeback(out.fileno())
    reading, writing = os.pipe()
    output.start_writeback(writing)
    os.close(reading)
    os.close(writing)
    assert target.read_bytes() == b"x" * 100_000
