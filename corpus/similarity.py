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

The blocks are independent: `scored_pairs` shares them out among `Workers`,
which read the vectors from a memory-mapped temporary copy, and puts the
results together in block order, so the outcome does not depend on `--jobs`.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse._sparsetools import csr_matmat       # the product scipy's `@` runs, here on arrays sized in advance

from corpus.workers import Workers, workers_or_own

BLOCK_ROWS = 1024             # documents per block of the similarity product
ROWS_PER_TASK = 8 * BLOCK_ROWS   # documents whose pairs one worker task computes
TASKS_TO_START_WORKERS = 4
PRODUCT_CELLS = 1 << 22      # entries of one piece of the similarity product (at 12 bytes each)
RANKING_CELLS = 1 << 23      # (item, band) counts `near_the_top` may hold: up to 255 bands, fewer for many items


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
    ordered = vectors[order] if not np.array_equal(order, np.arange(len(order))) else vectors
    found = [(np.empty((0, 2), dtype=np.int64), np.empty(0))]
    work = functools.partial(_block_pairs, floor=floor, strong=strong, best=best)
    with workers_or_own(workers, jobs) as workers:
        if workers.jobs > 1 and len(tasks) >= TASKS_TO_START_WORKERS:
            with SharedVectors(ordered) as shared:
                found += workers.results(functools.partial(_task_pairs, shared=shared.folder, work=work), tasks,
                                         start_for=TASKS_TO_START_WORKERS)
        else:
            found += (work(ordered, task) for task in tasks)
    pairs = order[np.concatenate([p for p, _ in found])]
    scores = np.concatenate([s for _, s in found])
    pairs.sort(axis=1)
    by_pair = sorted_pairs(pairs, vectors.shape[0])
    return pairs[by_pair], scores[by_pair]


def _block_pairs(vectors: sp.csr_matrix, task: Task, floor: float, strong: float = 0.0,
                 best: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The pairs a task finds: positions in the ordered rows (row first), and their cosines."""
    columns = [(a, b) for a, b in task.columns if b > a]
    if not columns:
        return np.empty((0, 2), dtype=np.int64), np.empty(0)
    column_of = np.concatenate([np.arange(a, b) for a, b in columns])
    side = vectors[column_of[0] : column_of[-1] + 1] if len(columns) == 1 else sp.vstack(
        [vectors[a:b] for a, b in columns], format="csr")
    transposed = sp.csr_matrix(side.T)
    lowest = max(floor, np.nextafter(0.0, 1.0))          # a cosine counts from the floor, and only above 0
    found_pairs, found_scores = [], []
    for start in range(task.start, task.end, BLOCK_ROWS):
        rows, cols, scores = _product_at_floor(vectors[start : min(start + BLOCK_ROWS, task.end)], transposed, lowest)
        rows += start
        cols = column_of[cols]
        keep = cols > rows
        rows, cols, scores = rows[keep], cols[keep], scores[keep]
        if strong > floor:
            keep = (scores >= strong) | _among_best(rows, scores, strong, best) | _among_best(cols, scores, strong, best)
            rows, cols, scores = rows[keep], cols[keep], scores[keep]
        found_pairs.append(np.stack([rows, cols], axis=1))
        found_scores.append(scores)
    return np.concatenate(found_pairs), np.concatenate(found_scores)


def _product_at_floor(left: sp.csr_matrix, right: sp.csr_matrix,
                      lowest: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The entries of left @ right that are >= lowest: rows, columns, values, in
    row order. scipy's own sparse product, run on runs of rows whose product
    holds at most PRODUCT_CELLS entries (each row at most the smaller of its
    multiplications and the columns), into arrays of that bound: so memory is
    bounded, and without the counting pass scipy makes before a product."""
    columns = right.shape[1]
    steps = np.concatenate([[0], np.cumsum(np.diff(right.indptr)[left.indices], dtype=np.int64)])
    bound = np.minimum(steps[left.indptr[1:]] - steps[left.indptr[:-1]], columns)
    reach = np.concatenate([[0], np.cumsum(bound)])
    index = np.int32 if max(PRODUCT_CELLS, columns, left.nnz, right.nnz) < 2**31 else np.int64  # a piece < both
    left_pointers, left_indices = left.indptr.astype(index, copy=False), left.indices.astype(index, copy=False)
    right_pointers, right_indices = right.indptr.astype(index, copy=False), right.indices.astype(index, copy=False)
    found_rows, found_columns, found_values = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)], [np.empty(0)]
    first = 0
    while first < left.shape[0]:
        last = max(first + 1, int(np.searchsorted(reach, reach[first] + PRODUCT_CELLS, side="right")) - 1)
        cells = int(reach[last] - reach[first])
        pointers = np.empty(last - first + 1, dtype=index)
        indices, values = np.empty(cells, dtype=index), np.empty(cells)
        at = slice(left.indptr[first], left.indptr[last])
        csr_matmat(last - first, columns, left_pointers[first : last + 1] - left_pointers[first], left_indices[at],
                   left.data[at], right_pointers, right_indices, right.data, pointers, indices, values)
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


def ranked_first(items: np.ndarray, scores: np.ndarray, count: int, need: int | np.ndarray) -> np.ndarray:
    """Whether each entry is among the first `need` (per item < count, or for
    all) of its item ranked by score, highest first, ties in order of position.
    Round by round each item's highest remaining score is taken (as many of
    its ties as still fit), so the work is a few passes, not a sort."""
    need = np.broadcast_to(need, (count,))
    chosen = np.zeros(len(items), dtype=bool)
    taken = np.zeros(count, dtype=np.int64)
    left = np.flatnonzero(need[items] > 0)
    while len(left):
        mine = items[left]
        top = np.full(count, -np.inf)
        np.maximum.at(top, mine, scores[left])
        at_top = scores[left] == top[mine]
        tied = left[at_top]                              # each item's highest left, in order of position
        by_item = np.argsort(items[tied], kind="stable")
        grouped = items[tied[by_item]]
        chosen[tied[by_item]] = rank_in_groups(grouped) + taken[grouped] < need[grouped]
        taken += np.bincount(grouped, minlength=count)
        left = left[~at_top]
        left = left[taken[items[left]] < need[items[left]]]
    return chosen


def near_the_top(items: np.ndarray, scores: np.ndarray, count: int, best: int | np.ndarray) -> np.ndarray:
    """True for every score that may be among the `best` highest of its item
    (items < count; `best` per item or for all), ties included, and few
    others: a cheap cut before ranking. Scores fall into bands of equal width;
    an item keeps the band holding its best-th highest score and those above.
    A lower band's scores are strictly lower, so none of them is needed."""
    if len(scores) <= 4 * count * int(np.max(best, initial=0)):
        return np.ones(len(scores), dtype=bool)
    bands = int(np.clip(min(RANKING_CELLS, len(scores)) // count, 1, 255))
    lowest, highest = float(scores.min()), float(scores.max())
    band = ((scores - lowest) * ((bands - 1e-6) / (highest - lowest))).astype(np.uint8) if highest > lowest \
        else np.zeros(len(scores), dtype=np.uint8)
    from_top = np.bincount(items * bands + band, minlength=count * bands).reshape(count, bands)[:, ::-1].cumsum(axis=1)
    enough = from_top >= np.reshape(best, (-1, 1))
    needed = np.where(enough[:, -1], bands - 1 - enough.argmax(axis=1), 0).astype(np.uint8)
    return band >= needed[items]


def rank_in_groups(keys: np.ndarray) -> np.ndarray:
    """For sorted `keys`, each one's position among the equal keys before it (0 for the first of a run)."""
    positions = np.arange(len(keys))
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = keys[1:] != keys[:-1]
    return positions - np.maximum.accumulate(np.where(starts, positions, 0))


def sorted_pairs(pairs: np.ndarray, count: int) -> np.ndarray:
    """The order that sorts distinct pairs (first < second, both < count) by first, then second."""
    return np.argsort(pairs[:, 0] * count + pairs[:, 1])


class SharedVectors:
    """The vectors written to a temporary folder, for workers to map into memory."""

    def __init__(self, vectors: sp.csr_matrix):
        self.folder = tempfile.mkdtemp(prefix="samestory-vectors-")
        for name in ("data", "indices", "indptr"):
            np.save(os.path.join(self.folder, f"{name}.npy"), getattr(vectors, name))
        np.save(os.path.join(self.folder, "shape.npy"), np.array(vectors.shape, dtype=np.int64))

    def __enter__(self) -> "SharedVectors":
        return self

    def __exit__(self, *exc) -> None:
        _mapped.cache_clear()
        shutil.rmtree(self.folder, ignore_errors=True)


@functools.lru_cache(maxsize=1)
def _mapped(folder: str) -> sp.csr_matrix:
    """The vectors of a `SharedVectors` folder, mapped into memory (once per process)."""
    arrays = {name: np.load(os.path.join(folder, f"{name}.npy"), mmap_mode="r") for name in ("data", "indices", "indptr")}
    shape = tuple(np.load(os.path.join(folder, "shape.npy")).tolist())
    return sp.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=shape, copy=False)


def _task_pairs(task: Task, shared: str, work) -> tuple[np.ndarray, np.ndarray]:
    return work(_mapped(shared), task)
