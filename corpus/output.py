"""Output files: written atomically (a temporary file beside the target,
then renamed), and byte spans of an input copied into them in the kernel,
their disk writes started as the copy goes (`start_writeback`)."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

COPY_BYTES = 1 << 20           # spans are copied through memory this many bytes at a time
WRITEBACK_BYTES = 8 << 20      # a copy into a file starts the disk writes of each this many bytes
_SYNC_FILE_RANGE_WRITE = 2     # <fcntl.h>: start writing the dirty pages, do not wait
# sendfile's answer when it cannot write to that output (then spans go through memory)
_NO_SENDFILE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EBADF}


def _umask() -> int:
    """The process umask (mkstemp creates files 0600; outputs get the usual mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike | None, mode: str = "w") -> Iterator[IO]:
    """Yield a file to write; it replaces `path` only if the block succeeds.

    `None` or "-" means standard output, written directly. An exception inside
    the block removes the temporary file and leaves any previous `path` as it was.
    """
    if path is None or str(path) == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": "\n"})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def copy_spans(source: int, spans: Iterable[tuple[int, int]], out: IO[bytes]) -> None:
    """Write the byte spans [start, end) of the file open as descriptor
    `source` to `out`, in order. Into a file or pipe they go by `os.sendfile`,
    never through this process's memory; into anything else (or where the
    kernel refuses) `COPY_BYTES` at a time. EOFError if the file ends early."""
    target = _descriptor(out)
    unwritten = 0                  # bytes copied since the last start_writeback
    for start, end in spans:
        while start < end:
            if target is not None:
                try:
                    count = os.sendfile(target, source, start, end - start)
                except OSError as error:
                    if error.errno not in _NO_SENDFILE:
                        raise
                    target = None
                    continue
            else:
                data = os.pread(source, min(COPY_BYTES, end - start), start)
                out.write(data)
                count = len(data)
            if not count:
                raise EOFError(f"the file ends before byte {end}")
            start += count
            unwritten += count
        if target is not None and unwritten >= WRITEBACK_BYTES:
            start_writeback(target)
            unwritten = 0


def start_writeback(descriptor: int) -> None:
    """Have the kernel start writing a file's dirty pages to disk, without
    waiting for them (Linux's sync_file_range), so that a large copy's disk
    writes overlap the copy and the fsync that ends it has little left.
    Does nothing where the C library has no such call or `descriptor` is no file."""
    call = _sync_file_range()
    if call is not None:
        call(descriptor, 0, 0, _SYNC_FILE_RANGE_WRITE)


@functools.cache
def _sync_file_range():
    """The C library's sync_file_range, or None."""
    try:
        call = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (AttributeError, OSError, TypeError):
        return None
    call.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)
    return call


def _descriptor(out: IO[bytes]) -> int | None:
    """The file descriptor under `out`, all it buffered written; None if it has none."""
    try:
        descriptor = out.fileno()
    except (AttributeError, io.UnsupportedOperation, OSError):
        return None
    out.flush()
    return descriptor
