"""Spill files: each document's shingle hashes and signature, on disk.

Pass 1 of `samestory dedup` keeps in memory only what every later step needs
of every document (ids, band keys, lengths); the shingle hashes (needed only
to verify candidate pairs) and signatures (only for the estimate written
beside a removal) go to files in a private temporary folder. Whichever process
sketches a unit of input (any thread of it) writes it to its own files
(`spill_writer`), band keys too, so nothing large travels between processes: the process that takes
the unit reads its band keys back (`Spill.band_keys`), notes where each
document went, and reads a document's hashes back with one `pread` (the
signatures of many documents in blocks), or hands out their places
(`SpillPlaces`) for another process to read.
"""

from __future__ import annotations

import array
import contextlib
import os
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from corpus.sketch import SketchBatch

SIGNATURE_BLOCK_BYTES = 1 << 20     # signatures are read back this many bytes at a time
KINDS = ("hashes", "signatures", "keys")     # a writer's files: <writer>.<kind>
_HASHES, _SIGNATURES, _KEYS = range(len(KINDS))


@dataclass(frozen=True)
class SpillPart:
    """Where a unit's sketches were spilled: the writing process's files, and
    the hash, the signature row and the band key at which the unit starts in them."""

    writer: str
    hash_start: int
    row_start: int
    key_start: int


class SpillWriter:
    """One thread's files in a spill folder (`KINDS`), opened to append each
    unit and closed again: other processes can read a unit at once, and a
    long-lived worker (Dask's) holds no file open after the run."""

    def __init__(self, folder: str):
        self.folder = folder
        self.name = uuid.uuid4().hex     # unique among every process and thread, on any machine
        self._hash_count = self._row_count = self._key_count = 0

    def write(self, batch: SketchBatch) -> SpillPart:
        part = SpillPart(self.name, self._hash_count, self._row_count, self._key_count)
        for kind, values in zip(KINDS, (np.ascontiguousarray(batch.hashes, dtype=np.uint64),
                                        np.ascontiguousarray(batch.signatures, dtype=np.uint32),
                                        np.ascontiguousarray(batch.band_keys, dtype=np.uint64))):
            with open(os.path.join(self.folder, f"{self.name}.{kind}"), "ab") as file:
                file.write(values.data)
        self._hash_count += len(batch.hashes)
        self._row_count += len(batch.signatures)
        self._key_count += batch.band_keys.size
        return part


_WRITERS: dict[tuple[str, int], SpillWriter] = {}      # this process's spill writers, by folder and thread


def spill_writer(folder: str) -> SpillWriter:
    """This thread's writer into a spill folder, opened on first use (a
    Dask worker runs tasks in several threads of one process)."""
    key = (folder, threading.get_ident())
    if key not in _WRITERS:
        _WRITERS[key] = SpillWriter(folder)
    return _WRITERS[key]


@dataclass
class SpillPlaces:
    """Where some documents' shingle hashes are in a spill folder: doc ->
    (writer, first hash, end); small, so it can go to a worker process."""

    folder: str
    places: dict[int, tuple[str, int, int]]

    def read(self) -> dict[int, np.ndarray]:
        """The documents' sorted distinct shingle hashes."""
        files = {writer: os.open(os.path.join(self.folder, f"{writer}.hashes"), os.O_RDONLY)
                 for writer in {writer for writer, _, _ in self.places.values()}}
        try:
            return {doc: np.frombuffer(os.pread(files[writer], (end - start) * 8, start * 8), dtype=np.uint64)
                    for doc, (writer, start, end) in self.places.items()}
        finally:
            for descriptor in files.values():
                os.close(descriptor)


class Spill:
    """Each document's sorted distinct shingle hashes and its signature, on
    disk in a private temporary folder (removed by `close`): whichever
    process sketches a unit spills it (`spill_writer`), this one takes note
    of where (`add`) and reads documents back (a document's hashes with one
    `pread`, signatures in blocks), so memory stays flat however large the
    corpus."""

    def __init__(self, num_perm: int):
        self.folder = tempfile.mkdtemp(prefix="samestory-spill-")
        self._num_perm = num_perm
        self._row_bytes = num_perm * np.dtype(np.uint32).itemsize
        self._writers: dict[str, int] = {}
        self._files: list[tuple[int, ...]] = []      # per writer: descriptors of its files, as in KINDS
        # per document: its writer, the span of its hashes, its signature row
        self._writer, self._starts, self._ends, self._rows = (array.array("q") for _ in range(4))

    def append(self, batch: SketchBatch) -> None:
        """Spill a batch sketched in this process; its documents come next."""
        self.add(spill_writer(self.folder).write(batch), batch.offsets)

    def add(self, part: SpillPart, offsets: np.ndarray, keep: np.ndarray | None = None) -> None:
        """Take the documents of a spilled unit (those `keep` marks) as the next ones."""
        self._open(part.writer)
        rows = np.arange(len(offsets) - 1) if keep is None else np.flatnonzero(keep)
        self._writer.extend([self._writers[part.writer]] * len(rows))
        self._starts.extend((part.hash_start + offsets[rows]).tolist())
        self._ends.extend((part.hash_start + offsets[rows + 1]).tolist())
        self._rows.extend((part.row_start + rows).tolist())

    def _open(self, writer: str) -> None:
        """Open a writer's files for reading, on first sight."""
        if writer not in self._writers:
            self._writers[writer] = len(self._files)
            self._files.append(tuple(os.open(os.path.join(self.folder, f"{writer}.{kind}"), os.O_RDONLY)
                                     for kind in KINDS))

    def band_keys(self, part: SpillPart, rows: int, bands: int) -> np.ndarray:
        """The band keys of a spilled unit of `rows` documents, (rows, bands) uint64."""
        self._open(part.writer)
        data = os.pread(self._files[self._writers[part.writer]][_KEYS], rows * bands * 8, part.key_start * 8)
        return np.frombuffer(data, dtype=np.uint64).reshape(rows, bands)

    def hashes(self, doc: int) -> np.ndarray:
        start, end = self._starts[doc], self._ends[doc]
        data = os.pread(self._files[self._writer[doc]][_HASHES], (end - start) * 8, start * 8)
        return np.frombuffer(data, dtype=np.uint64)

    def places(self, docs: Iterable[int]) -> "SpillPlaces":
        """Where some documents' shingle hashes are, for another process to read."""
        names = list(self._writers)
        return SpillPlaces(self.folder, {doc: (names[self._writer[doc]], self._starts[doc], self._ends[doc])
                                         for doc in docs})

    def signature(self, doc: int) -> np.ndarray:
        """One document's signature row, read alone (`signatures` reads whole blocks)."""
        data = os.pread(self._files[self._writer[doc]][_SIGNATURES], self._row_bytes, self._rows[doc] * self._row_bytes)
        return np.frombuffer(data, dtype=np.uint32)

    def signatures(self, docs: np.ndarray) -> np.ndarray:
        """The documents' signature rows, (len(docs), num_perm) uint32, read
        in blocks of about `SIGNATURE_BLOCK_BYTES` of the files (only blocks
        holding some of them): far fewer system calls than one per document."""
        docs = np.asarray(docs, dtype=np.int64)
        writers = np.frombuffer(self._writer, dtype=np.int64)[docs]
        rows = np.frombuffer(self._rows, dtype=np.int64)[docs]
        out = np.empty((len(docs), self._num_perm), dtype=np.uint32)
        per_block = max(1, SIGNATURE_BLOCK_BYTES // self._row_bytes)
        order = np.lexsort((rows, writers))
        blocks = rows[order] // per_block
        starts = np.flatnonzero(np.diff(writers[order], prepend=-1) | np.diff(blocks, prepend=-1))
        for start, end in zip(starts.tolist(), np.append(starts[1:], len(order)).tolist()):
            at = order[start:end]
            first_row = int(blocks[start]) * per_block
            signatures = self._files[writers[at[0]]][_SIGNATURES]
            data = os.pread(signatures, per_block * self._row_bytes, first_row * self._row_bytes)
            out[at] = np.frombuffer(data, dtype=np.uint32).reshape(-1, self._num_perm)[rows[at] - first_row]
        return out

    @contextlib.contextmanager
    def closing_in_background(self) -> Iterator[None]:
        """Close the spill in another thread while the block runs, done by
        its end: deleting large files takes the kernel a while (freeing
        their cached pages), time the block's own work can overlap."""
        closing = threading.Thread(target=self.close, name="spill-close")
        closing.start()
        try:
            yield
        finally:
            closing.join()

    def close(self) -> None:
        """Delete the spill files (again: nothing to do)."""
        for descriptors in self._files:
            for descriptor in descriptors:
                os.close(descriptor)
        self._files = []
        for key in [key for key in _WRITERS if key[0] == self.folder]:
            del _WRITERS[key]
        shutil.rmtree(self.folder, ignore_errors=True)
