"""Arrays too large to hold, read from the files they were written to.

The similarity product writes its pairs to disk task by task; a month of a
million articles gives hundreds of millions of them (16 bytes each), more
than story clustering can hold besides its vectors. `mapped` gives such a
file as an array mapped from the file (read-only; the file itself may be
deleted at once, the mapping keeps it), so every step that reads the pairs
part by part works on it unchanged; after each part `let_go` drops the
part's pages from the process (they stay in the page cache, and a later read
maps them again), so the process holds one part at a time, not the file.
`parked` does the same for a sparse matrix needed again only later (the
documents' vectors, from the end of the similarity product to the
follow-ups): its pages come back as they are read."""

from __future__ import annotations

import mmap
import os
import shutil
import tempfile

import numpy as np
import scipy.sparse as sp

PAGE = mmap.PAGESIZE


def mapped(path: str, dtype, columns: int | None = None) -> np.ndarray:
    """The file's items (rows of `columns` items if given) as a read-only
    array mapped from it (an empty file: an empty array)."""
    item = np.dtype(dtype).itemsize * (columns or 1)
    rows = os.path.getsize(path) // item
    shape = (rows,) if columns is None else (rows, columns)
    if not rows:
        return np.empty(shape, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r", shape=shape)


def let_go(array: np.ndarray, start: int, stop: int) -> None:
    """Drop the pages of rows [start, stop) of a `mapped` array from this
    process (nothing for an array in memory)."""
    handle = getattr(array, "_mmap", None)
    if handle is None or not hasattr(handle, "madvise") or not hasattr(mmap, "MADV_DONTNEED"):
        return
    row = array.strides[0]
    first = (array.offset + start * row) // PAGE * PAGE
    last = min(len(handle), -(-(array.offset + stop * row) // PAGE) * PAGE)
    if last > first:
        handle.madvise(mmap.MADV_DONTNEED, first, last - first)


def let_go_matrix(matrix: sp.csr_matrix) -> None:
    """Drop all pages of a `parked` matrix from this process (nothing for one in
    memory). scipy holds views of the mapped arrays: the mappings are their bases."""
    for array in (matrix.data, matrix.indices, matrix.indptr):
        while array is not None and getattr(array, "_mmap", None) is None:
            array = array.base if isinstance(array, np.ndarray) else None
        if array is not None:
            let_go(array, 0, len(array))


def parked(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """The same matrix with its arrays written to disk and mapped from there
    (their files deleted at once: the mappings keep them)."""
    folder = tempfile.mkdtemp(prefix="samestory-parked-")
    try:
        arrays = []
        for name, array in (("data", matrix.data), ("indices", matrix.indices), ("indptr", matrix.indptr)):
            path = os.path.join(folder, name)
            array.tofile(path)
            arrays.append(mapped(path, array.dtype))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return sp.csr_matrix(tuple(arrays), shape=matrix.shape, copy=False)
