"""The Dask executor: dedup's stages scheduled on a dask.distributed cluster.

`DaskWorkers` has the interface of `corpus.workers.Workers` (`map`,
`results`, `start`, `close`, `jobs`), so `corpus.dedup` runs the very same
stage functions on either; nothing here knows what a stage does. Each item
becomes one task: a unit of input (a batch of a plain JSON Lines file goes as
its path and byte range, and the worker reads its bytes itself), a band of
keys, a chunk of candidate pairs. Results come back in input order, so the
outcome is the local engine's whatever the number of workers; at most
`IN_FLIGHT_PER_THREAD` tasks per worker thread are pending, so memory stays
bounded. A worker that dies mid-run has its tasks run again elsewhere by the
scheduler; a task is a pure function of its item (a unit spilled twice is
read back from where its result says), so the output does not change.

The workers write the spill (`corpus.spill`) into this process's spill
folder, under its temporary folder: workers on other machines need it on a
file system they share (point TMPDIR there).

dask and distributed come with the extra `samestory[dask]`; this module
imports them only when an executor is made.
"""

from __future__ import annotations

import itertools
import logging
from collections import deque
from typing import Callable, Iterable, Iterator

from corpus.workers import keep_freed_memory

IN_FLIGHT_PER_THREAD = 4     # tasks submitted and not yet taken back, per worker thread
INSTALL_HINT = "the dask engine needs dask and distributed: pip install 'samestory[dask]'"


class DaskUnavailable(Exception):
    """dask.distributed is not installed, or the cluster cannot be reached or has no workers."""


class DaskWorkers:
    """An ordered map over the threads of a Dask cluster, through `client`
    (closed with its cluster by `close` when `owned`)."""

    def __init__(self, client, owned: bool = False):
        self.client = client
        self.owned = owned
        self.jobs = max(1, sum(client.nthreads().values()))

    def start(self) -> None:
        """Nothing to start: the cluster runs already."""

    def map(self, work: Callable, items: Iterable, start_for: int | None = None) -> Iterator[tuple]:
        """(item, work(item)) for every item, in input order, each computed on
        the cluster (`start_for` is the local executor's; a cluster is running)."""
        pending: deque = deque()
        limit = IN_FLIGHT_PER_THREAD * self.jobs
        for item in items:
            if len(pending) >= limit:
                item_done, future = pending.popleft()
                yield item_done, future.result()
            pending.append((item, self.client.submit(work, item, pure=False)))
        while pending:
            item_done, future = pending.popleft()
            yield item_done, future.result()

    def results(self, work: Callable, items: Iterable, start_for: int | None = None) -> Iterator:
        """work(item) for every item, in input order: `map`, as the builtin map."""
        return (result for _, result in self.map(work, items, start_for))

    def close(self) -> None:
        if self.owned and self.client is not None:
            cluster = self.client.cluster
            self.client.close()
            if cluster is not None:
                cluster.close()
            self.client = None

    def __enter__(self) -> "DaskWorkers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(scheduler: str | None, jobs: int, timeout: float) -> DaskWorkers:
    """An executor on the cluster whose scheduler is at `scheduler`
    (`tcp://host:8786`), waiting at most `timeout` seconds for it and a
    worker; without one, on a local cluster of `jobs` single-threaded worker
    processes, closed with the executor. DaskUnavailable, one line, if
    neither can be had."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskUnavailable(INSTALL_HINT) from None
    if scheduler is None:
        logging.getLogger("distributed").setLevel(logging.ERROR)   # its nannies' notes on closing, not ours to show
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=f"{timeout}s")
        except (OSError, TimeoutError, ValueError) as error:
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s "
                                  f"({_first_line(error)})") from None
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as error:
            client.close()
            raise DaskUnavailable(f"the Dask scheduler at {scheduler} has no workers after {timeout:g} s") from error
    client.run(keep_freed_memory)
    return DaskWorkers(client, owned=True)


def _first_line(error: BaseException) -> str:
    return next(itertools.chain(str(error).strip().splitlines(), [type(error).__name__]))
