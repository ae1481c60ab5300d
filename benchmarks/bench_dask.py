"""`make bench` rows for `samestory dedup --engine dask`, against `--engine local --jobs 2`.

    python -m benchmarks.bench_dask       (or `make bench`, group "dask")
    env: BENCH_REPEAT, BENCH_SIZES, BENCH_FULL as for benchmarks.bench

For each corpus size, in round robin (so that load on the machine hits all
alike), `BENCH_REPEAT` times each:
- `--engine local --jobs 2`: the reference;
- `--engine dask --jobs 2`: a LocalCluster of two single-threaded worker
  processes, started and closed by the command (its start-up counts);
- `--engine dask --scheduler tcp://…`: through a `dask scheduler` and two
  `dask worker --nthreads 1` processes started once for the section;
- the same corpus as Parquet (row groups of 2,000 rows), `--engine local --jobs 2`.
Wall time is the command's, from outside; CPU time adds the scheduler's and
workers' processes to the command's. The outputs of every dask run are
compared byte for byte with the local run's, and the Parquet run's
duplicates with the JSON Lines run's.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from benchmarks.bench_dedup import ensure_corpus
from benchmarks.measure import DATA, RUNS, measure, sizes_from_environment

PARQUET_ROW_GROUP = 2_000
WORKERS = 2


def sections(repeat: int) -> Iterator[str]:
    """The Markdown sections of the dask rows: a heading, a table per corpus size."""
    yield "## dedup --engine dask\n\n" + __doc__.split("\n\n", 2)[2].strip() + "\n"
    if any(importlib.util.find_spec(name) is None for name in ("distributed", "psutil", "pyarrow")):
        yield "not run: needs samestory[dask] and psutil (make bench installs them)\n"
        return
    with cluster() as (address, processes):
        for n in sizes_from_environment([10_000, 100_000]):
            yield "\n".join(corpus_rows(n, repeat, address, processes))


def corpus_rows(n: int, repeat: int, address: str, cluster_processes: list[subprocess.Popen]) -> list[str]:
    corpus = ensure_corpus(n)
    parquet = as_parquet(corpus)
    methods = {
        "local --jobs 2": (corpus, ["--engine", "local", "--jobs", "2"]),
        "dask, local cluster of 2": (corpus, ["--engine", "dask", "--jobs", "2"]),
        f"dask, scheduler + {WORKERS} workers --nthreads 1": (corpus, ["--engine", "dask", "--scheduler", address]),
        "local --jobs 2, Parquet input": (parquet, ["--engine", "local", "--jobs", "2"]),
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in methods}
    same, same_parquet = True, True
    for attempt in range(repeat):
        outputs = {}
        for name, (path, options) in methods.items():
            run = RUNS / f"dask-{n}-{len(outputs)}"
            run.mkdir(parents=True, exist_ok=True)
            extra = cluster_processes if "scheduler" in name else []
            times[name].append(timed(path, options, run, extra))
            outputs[name] = [(run / file).read_bytes() for file in ("kept.jsonl", "duplicates.jsonl")]
            print(f"  {n:,} {name}: {times[name][-1][0]:.1f} s, CPU {times[name][-1][1]:.1f} s", file=sys.stderr)
        local, *dask, from_parquet = outputs.values()
        same &= all(one == local for one in dask)
        same_parquet &= from_parquet[1] == local[1]
    for run in RUNS.glob(f"dask-{n}-*"):
        shutil.rmtree(run)
    reference = [seconds for seconds, _ in times["local --jobs 2"]]
    rows = [f"### {n:,} articles", "", "| run | wall s | CPU s | wall ÷ local --jobs 2, pair by pair (median) |",
            "| --- | ---: | ---: | --- |"]
    for name, runs in times.items():
        ratios = [seconds / base for (seconds, _), base in zip(runs, reference)]
        rows.append(f"| {name} | {statistics.median(s for s, _ in runs):.1f} | {statistics.median(c for _, c in runs):.1f} "
                    f"| {', '.join(f'{r:.2f}' for r in ratios)} ({statistics.median(ratios):.2f}) |")
    return rows + ["", f"- kept and duplicates of every dask run byte-identical to local: {'yes' if same else 'NO'}",
                   f"- duplicates from the Parquet copy identical to those from JSON Lines: "
                   f"{'yes' if same_parquet else 'NO'}", ""]


def timed(corpus: Path, options: list[str], run: Path, extra: list[subprocess.Popen]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one dedup command, CPU of the `extra` process trees added."""
    before = sum(tree_cpu(process.pid) for process in extra)
    measured = measure([sys.executable, "-m", "cli", "dedup", str(corpus), *options, "--quiet",
                              "-o", str(run / "kept.jsonl"), "--duplicates", str(run / "duplicates.jsonl")])
    return measured.seconds, measured.cpu_seconds + sum(tree_cpu(process.pid) for process in extra) - before


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants."""
    import psutil

    process = psutil.Process(pid)
    return sum(sum(one.cpu_times()[:2]) for one in [process, *process.children(recursive=True)])


def as_parquet(corpus: Path) -> Path:
    """The corpus as Parquet beside it (made once)."""
    import pyarrow.json
    import pyarrow.parquet

    path = corpus.with_suffix(".parquet")
    if not path.exists():
        pyarrow.parquet.write_table(pyarrow.json.read_json(corpus), path, row_group_size=PARQUET_ROW_GROUP)
    return path


@contextmanager
def cluster() -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """A `dask scheduler` on a free port and `WORKERS` `dask worker --nthreads 1`
    processes, stopped at the end."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    logs = open(DATA / "dask-cluster.log", "wb")
    processes = [subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
                                  stdout=logs, stderr=logs)]
    try:
        time.sleep(2)
        processes += [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                                        "--dashboard-address", ":0"], stdout=logs, stderr=logs) for _ in range(WORKERS)]
        _wait_for_workers(address)
        yield address, processes
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait()
        logs.close()


def _wait_for_workers(address: str) -> None:
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(WORKERS, timeout=60)


def main() -> int:
    DATA.mkdir(exist_ok=True)
    text = "\n".join(sections(int(os.environ.get("BENCH_REPEAT", "3"))))
    print(text)
    (DATA / "dask.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
