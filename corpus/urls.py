"""Inputs named by URL (`s3://bucket/crawl/`, `gs://…`, `file:///…`),
read through fsspec: a file, a folder (walked, sorted) or a glob, as local
paths are. Whoever reads a batch of such a file opens the URL itself, so a
Dask worker reads its byte range from the store, not from the command.

fsspec comes with the extra `samestory[dask]`; a store's own package (s3fs,
gcsfs, …) is needed for its scheme. Without them a URL is a one-line error.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import BinaryIO, Callable

from corpus.records import InputError

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")
_GLOB_MAGIC = re.compile(r"[*?[]")
FSSPEC_HINT = "reading URLs needs fsspec: pip install 'samestory[dask]' (and the store's package, e.g. s3fs)"


def is_url(name: str) -> bool:
    return bool(_URL.match(name))


def name_of(url: str) -> str:
    """The last part of a URL's path (the file name)."""
    return PurePosixPath(url.split("://", 1)[1]).name


def expand_url(arg: str, supported: Callable[[str], bool]) -> list[tuple[str, PurePosixPath]]:
    """(URL of a file, its path relative to the folder or glob root given)
    for the supported files a URL names, sorted as local folders are;
    InputError if none can be listed."""
    filesystem, root = _filesystem(arg)
    try:
        if filesystem.isdir(root):
            paths, base = filesystem.find(root), root
        elif filesystem.exists(root):
            paths, base = [root], root.rsplit("/", 1)[0] if "/" in root else ""
        elif _GLOB_MAGIC.search(root):
            paths = filesystem.glob(root)
            parts = root.split("/")
            base = "/".join(parts[:next(i for i, part in enumerate(parts) if _GLOB_MAGIC.search(part))])
        else:
            raise InputError(arg, "no such file or folder")
    except OSError as error:
        raise InputError(arg, f"cannot read: {error}") from None
    found = []
    for path in paths:
        relative = PurePosixPath(path[len(base):].lstrip("/") if base else path)
        if not any(part.startswith(".") for part in relative.parts) and supported(relative.name):
            found.append((filesystem.unstrip_protocol(path), relative))
    return sorted(found, key=lambda entry: entry[1].parts)


def open_url(url: str) -> BinaryIO:
    """A URL's file, open for reading bytes (seekable)."""
    try:
        import fsspec
    except ImportError:
        raise InputError(url, FSSPEC_HINT) from None
    return fsspec.open(url, "rb").open()


def _filesystem(url: str):
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise InputError(url, FSSPEC_HINT) from None
    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as error:
        raise InputError(url, f"cannot read: {error}") from None
