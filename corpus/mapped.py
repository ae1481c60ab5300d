"""Arrays too large to hold, read from the files they were written to.

The similarity product writes its pairs to disk task by task; a month of a
million articles gives hundreds of millions of them (16 bytes each), more
than story clustering can hold besides its vectors. `mapped` gives such a
file as an array mapped from the file (read-only; the file itself may be
deleted at once, the mapping keeps it), so every step that reads the pairs
part by part works on it unchanged; after each part `let_go` drops the
part's pages from the process (they stay in the page cache, and a later read
maps them again), so the process holds one part at a time, not the file.
`parked` does the same for the large arrays of a sparse matrix needed again
only later (the documents' vectors, from the end of the similarity product
to the follow-ups): its pages come back as they are read, and leave again
with `let_go_matrix`; parked in a folder the caller keeps, it can be mapped
by other processes too (`ParkedPlace`, for work shared among workers); `unparked` reads it back into memory a part at a time
(memory malloc kept from what was freed meanwhile, not new pages). Arrays under OWN_PAGES_FROM_BYTES stay in memory:
malloc keeps their pages once they are freed (`corpus.workers`), so parking
them would lower nothing and only add their mapped pages when read again.
`spooled` writes arrays that come in parts (the linked pairs, gathered a
part at a time) to files as they come and maps them, so they are never held
whole."""

from __future__ import annotations

import mmap
import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import scipy.sparse as sp

from corpus.workers import OWN_PAGES_FROM_BYTES

PAGE = mmap.PAGESIZE
_PARTS = ("data", "indices", "indptr")


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
    """Drop the pages of rows [start, stop) of a `mapped` array, or of a view
    of one, from this process (nothing for an array in memory)."""
    found = _mapping(array)
    if found is None:
        return
    handle, at = found
    row = array.strides[0] if array.ndim else array.itemsize
    first = (at + start * row) // PAGE * PAGE
    last = min(len(handle), -(-(at + stop * row) // PAGE) * PAGE)
    if last > first:
        handle.madvise(mmap.MADV_DONTNEED, first, last - first)


def parked(matrix: sp.csr_matrix, least_bytes: int = OWN_PAGES_FROM_BYTES, folder: str | None = None) -> sp.csr_matrix:
    """The same matrix with its arrays of `least_bytes` or more written to
    disk and mapped from there; the others are kept as they are. The files
    are deleted at once (the mappings keep them), unless written to a
    `folder` the caller keeps: then every array is written there, so that
    other processes can map the matrix (`ParkedPlace`)."""
    kept = folder is not None
    folder = folder if kept else tempfile.mkdtemp(prefix="samestory-parked-")
    try:
        arrays = []
        for name, array in zip(_PARTS, (matrix.data, matrix.indices, matrix.indptr)):
            if array.nbytes < least_bytes and not kept:
                arrays.append(array)
                continue
            path = os.path.join(folder, name)
            array.tofile(path)
            arrays.append(mapped(path, array.dtype) if array.nbytes >= least_bytes else array)
    finally:
        if not kept:
            shutil.rmtree(folder, ignore_errors=True)
    return sp.csr_matrix(tuple(arrays), shape=matrix.shape, copy=False)


@dataclass(frozen=True)
class ParkedPlace:
    """Where a matrix was `parked` in a kept folder: what another process
    needs to map it (every array mapped; `let_go_matrix` after use)."""

    folder: str
    shape: tuple[int, int]
    dtypes: tuple[str, str, str]      # of its data, indices and indptr

    @classmethod
    def of(cls, matrix: sp.csr_matrix, folder: str) -> "ParkedPlace":
        return cls(folder, matrix.shape, tuple(a.dtype.str for a in (matrix.data, matrix.indices, matrix.indptr)))

    def matrix(self) -> sp.csr_matrix:
        arrays = tuple(mapped(os.path.join(self.folder, name), dtype) for name, dtype in zip(_PARTS, self.dtypes))
        return sp.csr_matrix(arrays, shape=self.shape, copy=False)


def spooled(parts: Iterable[tuple[np.ndarray, ...]], dtypes: list,
            columns: list[int | None] | None = None) -> list[np.ndarray]:
    """Arrays made of parts, one array per place in each part's tuple (of
    `dtypes`, rows of `columns` items where given), each part written to disk
    as it comes; returned mapped from there (the files deleted at once: the
    mappings keep them)."""
    folder = tempfile.mkdtemp(prefix="samestory-spooled-")
    try:
        paths = [os.path.join(folder, str(k)) for k in range(len(dtypes))]
        handles = [open(path, "wb") for path in paths]
        try:
            for part in parts:
                for handle, array, dtype in zip(handles, part, dtypes):
                    np.asarray(array, dtype=dtype).tofile(handle)
        finally:
            for handle in handles:
                handle.close()
        return [mapped(path, dtype, column) for path, dtype, column in zip(paths, dtypes, columns or [None] * len(dtypes))]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def let_go_matrix(matrix: sp.csr_matrix) -> None:
    """Drop the pages of a `parked` matrix's mapped arrays from this process."""
    for array in (matrix.data, matrix.indices, matrix.indptr):
        let_go(array, 0, len(array))


def unparked(matrix: sp.csr_matrix, part_bytes: int = 1 << 24) -> sp.csr_matrix:
    """A `parked` matrix read back into memory, `part_bytes` at a time, each
    part's mapped pages let go after (so the mapping and the copy are never
    both held whole)."""
    arrays = []
    for array in (matrix.data, matrix.indices, matrix.indptr):
        if _mapping(array) is None:
            arrays.append(array)
            continue
        copy = np.empty_like(array)
        step = max(1, part_bytes // array.itemsize)
        for start in range(0, len(array), step):
            copy[start : start + step] = array[start : start + step]
            let_go(array, start, start + step)
        arrays.append(copy)
    return sp.csr_matrix(tuple(arrays), shape=matrix.shape, copy=False)


def _mapping(array: np.ndarray) -> tuple[mmap.mmap, int] | None:
    """The mapping a `mapped` array (or a view of it: scipy keeps plain views)
    reads from, where its pages can be let go, and the byte in it where the
    array starts; None for an array in memory."""
    handle = array
    while handle is not None and not isinstance(handle, mmap.mmap):
        handle = getattr(handle, "base", None)
    if handle is None or not len(handle) or not hasattr(mmap, "MADV_DONTNEED"):
        return None
    return handle, array.ctypes.data - np.frombuffer(handle, np.uint8).ctypes.data
