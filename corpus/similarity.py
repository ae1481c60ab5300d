"""Candidates and scores of story clustering: the cosines of documents' unit
term vectors, accumulated through the inverted index of the kept terms (a
sparse matrix product in blocks of rows), so only documents sharing a term of
capped frequency are ever compared.

Dated documents are compared only within the window: they are put in order of
their day, and a block of one day's documents is multiplied only with the
documents of that day and of the next `window_days` days, and with every
undated document (an unknown date never blocks). So with dates the work grows
with the days a corpus spans, not with their square: a month costs about 30
days' worth. Without dates, or without a window, every block meets every later
document, as one inverted index over the whole corpus. A pair's cosine is the
same sum in the same order whichever block finds it, so the scores do not
depend on the blocks; only pairs outside the window (which clustering counts
as unrelated) are never computed.

The blocks are independent: `scored_pairs` shares them out among `Workers`
and puts the results together in block order, so the outcome does not
depend on `--jobs`. The vectors in day order and their inverted index are
written once to a temporary folder (`ColumnIndex`), the index in pieces of
at least INDEX_ROWS documents, and a task reads only its rows and the pieces
of its window: so a task's memory is bounded by its window, not the corpus,
and no process transposes a window of its own. Terms of one document only
are left out of the index (they never make a pair). The process that wrote
the index keeps the pieces of its last task for the next one (consecutive
days share all but one): with one job each piece is read once.
The pairs found are written to disk task by task and handed on mapped from
there (`corpus.mapped`), so that those who read them part by part never hold
them all.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
try:    # the product scipy's `@` runs, here on arrays sized in advance (private; `@` itself costs ~1.5x: its counting pass)
    from scipy.sparse._sparsetools import csr_matmat
except ImportError:      # a scipy without it: `@` on the same pieces, the same bound on memory
    csr_matmat = None

from corpus.mapped import let_go, mapped
from corpus.ranking import ranked_first, sorted_pairs
from corpus.stage_log import stage_progress
from corpus.workers import Workers, workers_or_own

BLOCK_ROWS = 1024             # documents per block of the similarity product
ROWS_PER_TASK = 16 * BLOCK_ROWS  # documents whose pairs one worker task computes
INDEX_ROWS = 256              # documents per piece of the inverted index, at least (whole tasks: days, with dates)
TASKS_TO_START_WORKERS = 4
PRODUCT_CELLS = 1 << 22      # entries of one piece of the similarity product (at 12 bytes each)
PAIRS_AT_ONCE = 1 << 20       # found pairs checked at a time (memory, not results)
PROGRESS_STAGE = "similarity product: documents compared"


@dataclass(frozen=True)
class Task:
    """Rows [start, end) of the day-ordered vectors, to be scored against the
    later rows in `columns` (ranges [a, b) of the same order)."""

    start: int
    end: int
    columns: tuple[tuple[int, int], ...]


def comparison_order(count: int, days: np.ndarray | None, window_days: int | None) -> tuple[np.ndarray, list[Task]]:
    """The rows in the order of the blocks (dated by day, then undated, each in
    input order) and the tasks that compare every pair inside the window once."""
    if days is None or window_days is None or np.isnan(days).all():
        return np.arange(count), [Task(piece, min(piece + ROWS_PER_TASK, count), ((piece, count),))
                                  for piece in range(0, count, ROWS_PER_TASK)]
    dated = ~np.isnan(days)
    undated_from = int(dated.sum())
    order = np.concatenate([np.flatnonzero(dated)[np.argsort(days[dated], kind="stable")], np.flatnonzero(~dated)])
    ordered_days = days[order[:undated_from]]
    day_starts = np.flatnonzero(np.diff(ordered_days, prepend=np.nan) != 0)
    day_ends = np.append(day_starts[1:], undated_from)
    last = np.searchsorted(ordered_days, ordered_days[day_starts] + window_days, side="right")
    tasks = [Task(piece, min(piece + ROWS_PER_TASK, end), ((piece, within), (undated_from, count)))
             for start, end, within in zip(day_starts.tolist(), day_ends.tolist(), last.tolist())
             for piece in range(start, end, ROWS_PER_TASK)]
    tasks += [Task(piece, min(piece + ROWS_PER_TASK, count), ((piece, count),))
              for piece in range(undated_from, count, ROWS_PER_TASK)]
    return order, tasks


def scored_pairs(vectors: sp.csr_matrix, floor: float, days: np.ndarray | None = None,
                 window_days: int | None = None, workers: Workers | None = None, jobs: int = 1,
                 strong: float = 0.0, best: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of rows whose cosine is >= floor (and > 0), with the
    cosines, in (i, j) order. With `days` (NaN: unknown) and `window_days`,
    pairs of dated rows further apart than the window are left out. With
    `strong` > floor, a pair below `strong` is kept only if it is among the
    `best` pairs of one of its rows in the block that found it (so still
    among them if it is among a row's `best` pairs of all)."""
    order, tasks = comparison_order(vectors.shape[0], days, window_days)
    work = functools.partial(_task_pairs, floor=floor, strong=strong, best=best)
    index_type = np.int32 if vectors.shape[0] < 2**31 else np.int64
    with workers_or_own(workers, jobs) as workers, ColumnIndex(vectors, order, tasks) as index:
        start_for = TASKS_TO_START_WORKERS if workers.jobs > 1 else None
        found = workers.results(functools.partial(work, index=index.place), tasks, start_for=start_for)
        pairs, scores = _gathered(found, index.folder, index_type, [task.end - task.start for task in tasks])
    if np.array_equal(order, np.arange(len(order))) and _in_pair_order(pairs):
        return pairs, scores                         # dated in input order: the tasks found them in pair order
    pairs = order.astype(index_type)[pairs]
    pairs.sort(axis=1)
    by_pair = sorted_pairs(pairs, vectors.shape[0])
    return pairs[by_pair], scores[by_pair]


def _gathered(found, folder: str, index_type, task_rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The tasks' pairs and scores, in task order, each written to `folder` as it
    comes and read back once into arrays of the total size (never two copies).
    The documents compared so far are told as progress (`corpus.stage_log`)."""
    names = [os.path.join(folder, name) for name in ("found_pairs", "found_scores")]
    with open(names[0], "wb") as pairs, open(names[1], "wb") as scores:
        for (task_pairs, task_scores), done in zip(found, itertools.accumulate(task_rows)):
            task_pairs.astype(index_type, copy=False).tofile(pairs)
            task_scores.tofile(scores)
            stage_progress(PROGRESS_STAGE, done, sum(task_rows))
    return mapped(names[0], index_type, 2), mapped(names[1], np.float64)   # read part by part (`corpus.mapped`)


def _in_pair_order(pairs: np.ndarray) -> bool:
    """Whether pairs (first < second) are sorted by first, then second, and
    distinct (read PAIRS_AT_ONCE at a time, each part let go after)."""
    for start in range(0, len(pairs) - 1, PAIRS_AT_ONCE):
        first, second = pairs[start : start + PAIRS_AT_ONCE + 1, 0], pairs[start : start + PAIRS_AT_ONCE + 1, 1]
        ordered = np.all((first[1:] > first[:-1]) | ((first[1:] == first[:-1]) & (second[1:] > second[:-1])))
        let_go(pairs, start, start + PAIRS_AT_ONCE + 1)
        if not ordered:
            return False
    return True


def _task_pairs(task: Task, index: "IndexPlace", floor: float, strong: float = 0.0,
                best: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The pairs a task finds: positions in the ordered rows (row first), and their cosines."""
    columns = [(a, b) for a, b in task.columns if b > a]
    if not columns:
        return np.empty((0, 2), dtype=np.int32), np.empty(0)
    rows = index.rows(task.start, task.end)
    pieces = list(index.pieces(columns))
    lowest = max(floor, np.nextafter(0.0, 1.0))          # a cosine counts from the floor, and only above 0
    found_pairs, found_scores = [], []
    for start in range(task.start, task.end, BLOCK_ROWS):
        left = rows[start - task.start : min(start + BLOCK_ROWS, task.end) - task.start]
        later = _columns_from(pieces, start)
        found = [product_at_floor(left, right, lowest) for _, right in later]
        rows_found = np.concatenate([r for r, _, _ in found]) + start
        cols = np.concatenate([c + first for (r, c, _), (first, _) in zip(found, later)])
        scores = np.concatenate([v for _, _, v in found])
        keep = (cols > rows_found) & _inside(cols, columns)
        rows_found, cols, scores = rows_found[keep], cols[keep], scores[keep]
        if strong > floor:
            keep = (scores >= strong) | _among_best(rows_found, scores, strong, best) | _among_best(cols, scores, strong, best)
            rows_found, cols, scores = rows_found[keep], cols[keep], scores[keep]
        by_pair = np.argsort((rows_found - start) * index.count + cols)   # in pair order, whichever piece found them
        found_pairs.append(np.stack([rows_found[by_pair], cols[by_pair]], axis=1)
                           .astype(np.int32 if index.count < 2**31 else np.int64))
        found_scores.append(scores[by_pair])
    return np.concatenate(found_pairs), np.concatenate(found_scores)


def _columns_from(pieces: list[tuple[int, sp.csr_matrix]], start: int) -> list[tuple[int, sp.csr_matrix]]:
    """The pieces' columns from `start` on (a block's rows pair only with later
    columns): pieces wholly before it left out, one across it cut there.
    A pair's cosine is the same sum whichever columns are multiplied with it."""
    return [(first, right) if first >= start else (start, right[:, start - first :])
            for first, right in pieces if first + right.shape[1] > start]


def _inside(columns: np.ndarray, ranges: list[tuple[int, int]]) -> np.ndarray:
    """Whether each column lies in one of the ranges [a, b)."""
    inside = np.zeros(len(columns), dtype=bool)
    for a, b in ranges:
        inside |= (columns >= a) & (columns < b)
    return inside


def product_at_floor(left: sp.csr_matrix, right: sp.csr_matrix,
                      lowest: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries of left @ right that are >= lowest: rows, columns, values, in
    row order. scipy's own sparse product, run on runs of rows whose product
    holds at most PRODUCT_CELLS entries (each row at most the smaller of its
    multiplications and the columns), into arrays of that bound: so memory is
    bounded, and without the counting pass scipy makes before a product.
    When every row's whole width fits (a block and a day), the
    multiplications are not counted."""
    columns = right.shape[1]
    if left.shape[0] * columns <= PRODUCT_CELLS:
        reach = np.arange(left.shape[0] + 1, dtype=np.int64) * columns
    else:
        steps = np.zeros(left.nnz + 1, dtype=np.int64)     # multiplications up to each entry of `left`
        np.cumsum(right.indptr[left.indices + 1] - right.indptr[left.indices], out=steps[1:])
        reach = np.concatenate([[0], np.cumsum(np.minimum(steps[left.indptr[1:]] - steps[left.indptr[:-1]], columns))])
    index = np.int32 if max(PRODUCT_CELLS, columns, left.nnz, right.nnz) < 2**31 else np.int64  # a piece < both
    left_pointers, left_indices = left.indptr.astype(index, copy=False), left.indices.astype(index, copy=False)
    right_pointers, right_indices = right.indptr.astype(index, copy=False), right.indices.astype(index, copy=False)
    found_rows, found_columns, found_values = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)], [np.empty(0)]
    first = 0
    while first < left.shape[0]:
        last = max(first + 1, int(np.searchsorted(reach, reach[first] + PRODUCT_CELLS, side="right")) - 1)
        if csr_matmat is None:
            piece = sp.csr_matrix(left[first:last] @ right)
            pointers, indices, values = piece.indptr, piece.indices, piece.data
        else:
            cells = int(reach[last] - reach[first])
            pointers = np.empty(last - first + 1, dtype=index)
            indices, values = np.empty(cells, dtype=index), np.empty(cells)
            at = slice(left.indptr[first], left.indptr[last])
            csr_matmat(last - first, columns, left_pointers[first : last + 1] - left_pointers[first],
                       left_indices[at], left.data[at], right_pointers, right_indices, right.data, pointers, indices,
                       values)
        found = np.flatnonzero(values[: pointers[-1]] >= lowest)   # entries in row order, as CSR holds them
        found_rows.append(np.searchsorted(pointers, found, side="right") - 1 + first)
        found_columns.append(indices[found].astype(np.int64))
        found_values.append(values[found])
        first = last
    return np.concatenate(found_rows), np.concatenate(found_columns), np.concatenate(found_values)


def _among_best(items: np.ndarray, scores: np.ndarray, strong: float, best: int) -> np.ndarray:
    """Whether each pair scoring below `strong` is among the `best` highest-scoring
    pairs of its item (ties: the earlier pair first); False for the others (the
    caller keeps them anyway). An item's stronger pairs all rank first, so only
    the weak pairs of items with fewer than `best` strong ones are ranked."""
    among = np.zeros(len(items), dtype=bool)
    if not len(items):
        return among
    low = int(items.min())
    count = int(items.max()) - low + 1
    is_strong = scores >= strong
    ahead = np.bincount(items[is_strong] - low, minlength=count)
    weak = np.flatnonzero(~is_strong & (ahead[items - low] < best))
    among[weak] = ranked_first(items[weak] - low, scores[weak], count, best - ahead)
    return among


@dataclass(frozen=True)
class IndexPlace:
    """Where a `ColumnIndex` is: what a task (in any process) needs to read it."""

    folder: str
    count: int                        # documents
    terms: int                        # terms of two or more documents
    bounds: tuple[int, ...]           # first row of each piece of the index, then the count

    def rows(self, start: int, end: int) -> sp.csr_matrix:
        """Rows [start, end) of the ordered vectors (terms of two or more documents only)."""
        pointers = _read(self.folder, "row_indptr", np.int64, start, end + 1)
        indices = _read(self.folder, "row_indices", np.int32, int(pointers[0]), int(pointers[-1]))
        data = _read(self.folder, "row_data", np.float64, int(pointers[0]), int(pointers[-1]))
        return sp.csr_matrix((data, indices, pointers - pointers[0]), shape=(end - start, self.terms))

    def pieces(self, columns: list[tuple[int, int]]) -> list[tuple[int, sp.csr_matrix]]:
        """(first row, terms x its documents) of each piece of the index holding
        some of the columns. In the process that wrote the index, the pieces
        are kept until a call needs them no more (`_KEPT_PIECES`)."""
        kept = _KEPT_PIECES.get(self.folder)
        needed = [number for number, (first, last) in enumerate(zip(self.bounds, self.bounds[1:]))
                  if any(a < last and b > first for a, b in columns)]
        pieces = {number: kept[number] if kept is not None and number in kept else self._piece(number)
                  for number in needed}
        if kept is not None:
            kept.clear()
            kept.update(pieces)
        return [(self.bounds[number], pieces[number]) for number in needed]

    def _piece(self, number: int) -> sp.csr_matrix:
        path = os.path.join(self.folder, f"piece{number}")
        indices = np.fromfile(f"{path}.indices", dtype=np.int32)
        pointers = np.fromfile(f"{path}.indptr", dtype=np.int32 if len(indices) < 2**31 else np.int64)
        return sp.csr_matrix((np.fromfile(f"{path}.data", dtype=np.float64), indices, pointers),
                             shape=(self.terms, self.bounds[number + 1] - self.bounds[number]))


def _read(folder: str, name: str, dtype, start: int, end: int) -> np.ndarray:
    """Items [start, end) of a flat array written to `folder`."""
    size = np.dtype(dtype).itemsize
    return np.fromfile(os.path.join(folder, name), dtype=dtype, count=end - start, offset=start * size)


class ColumnIndex:
    """The vectors in comparison order and their inverted index in pieces of
    whole tasks (at least INDEX_ROWS rows each), written to a temporary
    folder a piece at a time, over the terms of two or more documents."""

    def __init__(self, vectors: sp.csr_matrix, order: np.ndarray, tasks: list[Task]):
        self.folder = tempfile.mkdtemp(prefix="samestory-index-")
        try:
            self.place = self._write(vectors, order, tasks)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def _write(self, vectors: sp.csr_matrix, order: np.ndarray, tasks: list[Task]) -> IndexPlace:
        shared = np.bincount(vectors.indices, minlength=vectors.shape[1]) >= 2
        compact = np.cumsum(shared) - 1
        terms = int(shared.sum())
        bounds = [0]
        for task in sorted(tasks, key=lambda t: t.start):
            if task.end - bounds[-1] >= INDEX_ROWS:
                bounds.append(task.end)
        count = vectors.shape[0]
        if bounds[-1] < count:
            bounds.append(count)
        identity = np.array_equal(order, np.arange(count))
        written = 0
        with open(os.path.join(self.folder, "row_indptr"), "wb") as pointers, \
                open(os.path.join(self.folder, "row_indices"), "wb") as indices, \
                open(os.path.join(self.folder, "row_data"), "wb") as data:
            np.zeros(1, dtype=np.int64).tofile(pointers)
            for number, (first, last) in enumerate(zip(bounds, bounds[1:])):
                rows = vectors[first:last] if identity else vectors[order[first:last]]
                keep = shared[rows.indices]
                row_of = np.repeat(np.arange(last - first), np.diff(rows.indptr))
                sizes = np.bincount(row_of[keep], minlength=last - first)
                piece = sp.csr_matrix((rows.data[keep], compact[rows.indices[keep]].astype(np.int32),
                                       np.concatenate([[0], np.cumsum(sizes)])), shape=(last - first, terms))
                (written + piece.indptr[1:]).astype(np.int64).tofile(pointers)
                written += piece.nnz
                piece.indices.astype(np.int32).tofile(indices)
                piece.data.astype(np.float64).tofile(data)
                transposed = sp.csr_matrix(piece.T)
                pointer_type = np.int32 if transposed.nnz < 2**31 else np.int64
                path = os.path.join(self.folder, f"piece{number}")
                transposed.data.astype(np.float64, copy=False).tofile(f"{path}.data")
                transposed.indices.astype(np.int32, copy=False).tofile(f"{path}.indices")
                transposed.indptr.astype(pointer_type, copy=False).tofile(f"{path}.indptr")
        return IndexPlace(self.folder, count, terms, tuple(bounds))

    def __enter__(self) -> "ColumnIndex":
        _KEPT_PIECES[self.folder] = {}
        return self

    def __exit__(self, *exc) -> None:
        _KEPT_PIECES.pop(self.folder, None)
        shutil.rmtree(self.folder, ignore_errors=True)


# The pieces of the index the last task read, by piece number, per index
# folder: only in the process that wrote it (from `ColumnIndex.__enter__` to
# `__exit__`); a worker process reads every task's pieces anew, so that it
# holds none once scoring is done.
_KEPT_PIECES: dict[str, dict[int, sp.csr_matrix]] = {}
