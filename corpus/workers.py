"""Processes for the stages of a run that go in parallel.

`Workers.map` is an ordered map over this process and spawned workers (spawn,
so it works alike on every platform and never copies a parent's threads or
locks): items are drawn in this process, results come back in input order,
and only a few items are in flight at a time, so memory stays bounded however
long the input. This process works on items too whenever the workers have
enough in hand, so while they start (and after) no core waits. The workers
start on first use and only for more than one item: a small input, or one
job, runs here without start-up cost."""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
from collections import deque
from typing import Callable, Iterable, Iterator

AHEAD_PER_JOB = 8       # results of this process waiting for a worker's, per process

class Workers:
    """`jobs` processes working in parallel: this one and `jobs - 1` spawned
    workers, started on first use (with one job, or for a single item of
    work, everything runs in this process)."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool = None

    def map(self, work: Callable, items: Iterable) -> Iterator[tuple]:
        """(item, work(item)) for every item, in input order; items are drawn
        in this process. Up to 2 items per worker are in the workers' hands;
        while they are all busy, this process works on the next item itself,
        so no process waits. Its results wait for those before them, up to
        `AHEAD_PER_JOB` items per process (enough to bridge the workers'
        start-up), so memory stays bounded."""
        items = iter(items)
        head = list(itertools.islice(items, 2))
        if self.jobs <= 1 or (len(head) < 2 and self._pool is None):
            yield from ((item, work(item)) for item in itertools.chain(head, items))
            return
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(self.jobs - 1)
        limit = 2 * (self.jobs - 1)
        most = limit + AHEAD_PER_JOB * self.jobs
        pending: deque = deque()          # (item, AsyncResult, or (result,) when worked out here)
        away = 0                          # pending items in the workers' hands
        for item in itertools.chain(head, items):
            while pending and (_done(pending[0][1]) or len(pending) >= most):
                item_done, result = pending.popleft()
                away -= not isinstance(result, tuple)
                yield item_done, _value(result)
            if away < limit:
                pending.append((item, self._pool.apply_async(work, (item,))))
                away += 1
            else:
                pending.append((item, (work(item),)))
        for item, result in pending:
            yield item, _value(result)

    def results(self, work: Callable, items: Iterable) -> Iterator:
        """work(item) for every item, in input order: `map`, as the builtin map."""
        return (result for _, result in self.map(work, items))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@contextlib.contextmanager
def workers_or_own(workers: Workers | None, jobs: int) -> Iterator[Workers]:
    """The workers given, or workers of our own for the time of the block."""
    if workers is not None:
        yield workers
        return
    with Workers(jobs) as own:
        yield own


def _done(result) -> bool:
    return isinstance(result, tuple) or result.ready()


def _value(result):
    return result[0] if isinstance(result, tuple) else result.get()
