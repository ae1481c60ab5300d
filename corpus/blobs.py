"""Blobs spilled to disk while a corpus is prepared, so that what a run holds
in memory does not grow with the texts.

Whichever process works on a unit of documents (any thread of it) appends
the unit's blobs (bytes: pickled records, cleaned texts, term entries) to its
own file of a kind in the spill folder (`blob_writer`) and hands back where
they went (`BlobPart`, small); the process running the pipeline notes it
(`Blobs.add`) and reads a blob back with one `pread`, or a run of them with
one (`Blobs.read_run`). Pickled objects are stored one per blob
(`StoredItems`: a read-only sequence view that loads them on demand).
"""

from __future__ import annotations

import array
import os
import pickle
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

READ_RUN_BYTES = 1 << 22      # a sequential read takes about this many bytes of blobs at a time


@dataclass(frozen=True)
class BlobPart:
    """Where a unit's blobs went: the writer's file, and each blob's start in it (and the end of the last)."""

    writer: str
    kind: str
    bounds: np.ndarray        # int64, blobs + 1


class BlobWriter:
    """One thread's file of one kind in a spill folder, opened to append each unit and closed again."""

    def __init__(self, folder: str, kind: str):
        self.path = os.path.join(folder, f"{uuid.uuid4().hex}.{kind}")
        self.kind = kind
        self._size = 0

    def write(self, blobs: list[bytes]) -> BlobPart:
        bounds = np.zeros(len(blobs) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in blobs], out=bounds[1:])
        with open(self.path, "ab") as file:
            file.write(b"".join(blobs))
        part = BlobPart(os.path.basename(self.path), self.kind, bounds + self._size)
        self._size += int(bounds[-1])
        return part


_WRITERS: dict[tuple[str, str, int], BlobWriter] = {}


def blob_writer(folder: str, kind: str) -> BlobWriter:
    """This thread's writer of `kind` into a spill folder, made on first use."""
    key = (folder, kind, threading.get_ident())
    if key not in _WRITERS:
        _WRITERS[key] = BlobWriter(folder, kind)
    return _WRITERS[key]


def forget_writers(folder: str) -> None:
    """Drop this process's writers into a folder (it is being deleted)."""
    for key in [key for key in _WRITERS if key[0] == folder]:
        del _WRITERS[key]


def read_part(folder: str, part: BlobPart) -> list[bytes]:
    """Every blob of a part, read in any process."""
    with open(os.path.join(folder, part.writer), "rb") as file:
        file.seek(int(part.bounds[0]))
        data = file.read(int(part.bounds[-1] - part.bounds[0]))
    cuts = (part.bounds - part.bounds[0]).tolist()
    return [data[a:b] for a, b in zip(cuts, cuts[1:])]


class Blobs:
    """The blobs of one kind, numbered in the order their parts were added."""

    def __init__(self, folder: str):
        self.folder = folder
        self._files: dict[str, int] = {}
        self._descriptors: list[int] = []
        self._file, self._starts, self._ends = array.array("i"), array.array("q"), array.array("q")

    def __len__(self) -> int:
        return len(self._file)

    def add(self, part: BlobPart) -> None:
        if part.writer not in self._files:
            self._files[part.writer] = len(self._descriptors)
            self._descriptors.append(os.open(os.path.join(self.folder, part.writer), os.O_RDONLY))
        count = len(part.bounds) - 1
        self._file.extend([self._files[part.writer]] * count)
        self._starts.extend(part.bounds[:-1].tolist())
        self._ends.extend(part.bounds[1:].tolist())

    def read(self, index: int) -> bytes:
        start, end = self._starts[index], self._ends[index]
        return os.pread(self._descriptors[self._file[index]], end - start, start)

    def read_run(self, first: int, stop: int) -> list[bytes]:
        """Blobs first..stop-1, with one read for each stretch of them lying back to back in one file."""
        blobs, index = [], first
        while index < stop:
            end = index + 1
            while (end < stop and self._file[end] == self._file[index] and self._starts[end] == self._ends[end - 1]
                   and self._ends[end] - self._starts[index] <= READ_RUN_BYTES):
                end += 1
            data = os.pread(self._descriptors[self._file[index]], self._ends[end - 1] - self._starts[index],
                            self._starts[index])
            base = self._starts[index]
            blobs += [data[self._starts[k] - base : self._ends[k] - base] for k in range(index, end)]
            index = end
        return blobs

    def close(self) -> None:
        for descriptor in self._descriptors:
            os.close(descriptor)
        self._descriptors, self._files = [], {}


class StoredItems(Sequence):
    """A read-only sequence of the items in `Blobs`, each made from its bytes
    by `load` (unpickled by default) when asked for."""

    def __init__(self, blobs: Blobs, load: Callable[[bytes], object] = pickle.loads):
        self._blobs, self._load = blobs, load

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._load(self._blobs.read(index))

    def __iter__(self) -> Iterator:
        step = 256
        for first in range(0, len(self), step):
            yield from map(self._load, self._blobs.read_run(first, min(first + step, len(self))))


def pickled(item) -> bytes:
    return pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
