"""Processes for the stages of a run that go in parallel.

`Workers.map` is an ordered map over this process and spawned workers (spawn,
so it works alike on every platform and never copies a parent's threads or
locks): items are drawn in this process, results come back in input order,
and only a few items are in flight at a time, so memory stays bounded however
long the input. This process works on items too whenever the workers have
enough in hand, so while they start (and after) no core waits. The workers
start on first use and only for enough work: a small input, or one job,
runs here without start-up cost. A caller that knows early that the work is
large starts them at once (`Workers.start`), so that they load what the work
needs (`preload`) while this process does the same.

`keep_freed_memory` and `collect_garbage_seldom` ready a process for batch
work: every worker runs them when it starts, and a command runs them in its
own process."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import itertools
import multiprocessing
from collections import deque
from typing import Callable, Iterable, Iterator

AHEAD_PER_JOB = 8       # results of this process waiting for a worker's, per process
IN_HAND_PER_WORKER = 3  # items sent to a worker and not yet taken back: with 2 it sometimes waited
SETTLE_SECONDS = 60     # on leaving early, how long a task the workers hold may take to finish
KEPT_FREE_BYTES = 1 << 30      # freed heap memory kept for reuse (glibc M_TRIM_THRESHOLD)
OWN_PAGES_FROM_BYTES = 32 << 20   # blocks from here up get pages of their own (M_MMAP_THRESHOLD; glibc's largest)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
GARBAGE_CHECK_ALLOCATIONS = 10_000   # new container objects between two young garbage collections (Python's default 700)


def keep_freed_memory() -> None:
    """Let malloc keep freed memory for the next batch instead of handing it
    back to the kernel. By default glibc gives every large block (its
    threshold adapts between 128 KB and 32 MB) pages of its own and returns
    them when it is freed, so the numpy arrays of each batch are fresh pages:
    a page fault and a zeroed page for every 4 KB, about a tenth of a dedup
    run's time. Process-wide; does nothing where the C library has no
    `mallopt` (macOS, Windows) and little where it ignores it (musl)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError, TypeError):
        return
    mallopt(_M_MMAP_THRESHOLD, OWN_PAGES_FROM_BYTES)
    mallopt(_M_TRIM_THRESHOLD, KEPT_FREE_BYTES)


def collect_garbage_seldom() -> None:
    """Let Python's cycle collector run seldom, and never again over what is
    loaded so far (modules, functions, tables: `gc.freeze`). Batch work makes
    millions of small lists, tuples and dicts, next to none of them in a
    reference cycle; by default every 700 new ones start a collection, and
    every hundredth of those one over every object alive: 2-3% of a stories
    run's CPU time (1.5 s at 100,000 articles), about a fifth of it left.
    Garbage in cycles is still freed, later. Process-wide."""
    gc.freeze()
    gc.set_threshold(GARBAGE_CHECK_ALLOCATIONS, *gc.get_threshold()[1:])


class Workers:
    """`jobs` processes working in parallel: this one and `jobs - 1` spawned
    workers, started on first use for enough work (with one job, or for
    little work, everything runs in this process)."""

    def __init__(self, jobs: int, preload: tuple[str, ...] = ()):
        self.jobs = jobs
        self.preload = preload     # modules every worker imports as it starts
        self._pool = None
        self._away: set = set()    # the AsyncResults of items in the workers' hands

    def start(self) -> None:
        """Start the workers now, if there are to be any and they are not running."""
        if self.jobs > 1 and self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(self.jobs - 1, initializer=_ready,
                                                                   initargs=(self.preload,))

    def map(self, work: Callable, items: Iterable, start_for: int | None = 2) -> Iterator[tuple]:
        """(item, work(item)) for every item, in input order; items are drawn
        in this process. Up to `IN_HAND_PER_WORKER` items per worker are in
        the workers' hands; while they are all busy, this process works on
        the next item itself, so no process waits. Its results wait for those
        before them, up to `AHEAD_PER_JOB` items per process (enough to bridge
        the workers' start-up), so memory stays bounded.

        Workers not yet running start only for at least `start_for` items
        (None: never for this work): starting them takes about a quarter of a
        second, which a little work does not repay."""
        items = iter(items)
        head = [] if self._pool is not None or start_for is None else list(itertools.islice(items, start_for))
        if self.jobs <= 1 or (self._pool is None and (start_for is None or len(head) < start_for)):
            yield from ((item, work(item)) for item in itertools.chain(head, items))
            return
        self.start()
        limit = IN_HAND_PER_WORKER * (self.jobs - 1)
        most = limit + AHEAD_PER_JOB * self.jobs
        pending: deque = deque()          # (item, AsyncResult, or (result,) when worked out here)
        away = 0                          # pending items in the workers' hands
        for item in itertools.chain(head, items):
            while pending and (_done(pending[0][1]) or len(pending) >= most):
                item_done, result = pending.popleft()
                away -= not isinstance(result, tuple)
                yield item_done, self._taken(result)
            if away < limit:
                result = self._pool.apply_async(work, (item,))
                self._away.add(result)
                pending.append((item, result))
                away += 1
            else:
                pending.append((item, (work(item),)))
        for item, result in pending:
            yield item, self._taken(result)

    def _taken(self, result):
        """The value of a pending result (a worker's no longer in its hands)."""
        if not isinstance(result, tuple):
            self._away.discard(result)
        return _value(result)

    def results(self, work: Callable, items: Iterable, start_for: int | None = 2) -> Iterator:
        """work(item) for every item, in input order: `map`, as the builtin map."""
        return (result for _, result in self.map(work, items, start_for))

    def close(self, settle: bool = True) -> None:
        """Stop the workers. With `settle`, the items still in their hands (a
        run left early, on an error) are finished first: terminating a pool
        while a worker writes a result can leave its queue's lock held, and
        the pool's own threads then wait on it for ever."""
        if self._pool is not None:
            if settle:
                for result in self._away:
                    result.wait(SETTLE_SECONDS)
            self._away.clear()
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind, *exc) -> None:
        self.close(settle=kind is None or issubclass(kind, Exception))   # not on Ctrl-C: the workers got it too


def _ready(preload: tuple[str, ...]) -> None:
    """A worker's start: `keep_freed_memory`, the modules its work will need, then `collect_garbage_seldom`."""
    keep_freed_memory()
    for module in preload:
        importlib.import_module(module)
    collect_garbage_seldom()


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
