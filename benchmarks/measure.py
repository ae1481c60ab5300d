"""What every `make bench` row-group shares: the data folder, the sizes asked
for, methods run as subprocesses in round robin, and their wall time, CPU time
and peak memory measured from outside.

Peak memory is the resident set summed over the process tree, polled every
20 ms from /proc (which costs the measured run next to nothing), and at least
the child's own maximum from wait4; so start-up, imports and worker processes
count for every method alike.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterator

DATA = Path(__file__).resolve().parent.parent / "bench-data"
RUNS = DATA / "runs"
POLL_SECONDS = 0.02
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def machine() -> str:
    """The processor model and the number of CPUs, e.g. "AMD EPYC 7B13, 2 CPUs"."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} CPUs"


def sizes_from_environment(default: list[int]) -> list[int]:
    """The corpus sizes: BENCH_SIZES=10000,100000 if given, else `default`
    and 1,000,000 with BENCH_FULL=1."""
    if os.environ.get("BENCH_SIZES"):
        return [int(size) for size in os.environ["BENCH_SIZES"].split(",")]
    return default + ([1_000_000] if os.environ.get("BENCH_FULL") == "1" else [])


def read_texts(corpus: Path, limit: int | None = None) -> Iterator[str]:
    with open(corpus, encoding="utf-8") as lines:
        for line in islice(lines, limit):
            yield json.loads(line)["text"]


def batched(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(items, size)):
        yield batch


@dataclass
class Method:
    name: str
    label: str
    includes: str
    command: Callable[[Path, Path], list[str]]     # (corpus, run folder) -> argv
    articles: Callable[[int], int] = lambda n: n
    repeated: bool = True                          # False: above `once_above` articles it runs once


@dataclass
class Measurement:
    seconds: float
    cpu_seconds: float     # user + system, the child and the workers it waited for
    peak_bytes: int


def medians(runs: list[Measurement]) -> Measurement:
    return Measurement(statistics.median(r.seconds for r in runs), statistics.median(r.cpu_seconds for r in runs),
                       int(statistics.median(r.peak_bytes for r in runs)))


def run_folder(n: int, method: Method, attempt: int) -> Path:
    return RUNS / f"{n}-{method.name}-{attempt}"


def round_robin(methods: list[Method], corpus: Path, n: int, repeat: int,
                once_above: int) -> dict[str, list[Measurement]]:
    """Every method `repeat` times, taking turns, so that load on the machine
    hits all alike (methods with repeated=False run once above `once_above`
    articles); each run writes into its own `run_folder`."""
    measurements: dict[str, list[Measurement]] = {method.name: [] for method in methods}
    for attempt in range(repeat):
        for method in methods:
            if attempt and not method.repeated and n > once_above:
                continue
            run = run_folder(n, method, attempt)
            run.mkdir(parents=True, exist_ok=True)
            last = measure(method.command(corpus, run))
            measurements[method.name].append(last)
            print(f"  {n:,} {method.label}: {last.seconds:.1f} s, CPU {last.cpu_seconds:.1f} s, "
                  f"{last.peak_bytes / 2**20:.0f} MB (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    return measurements


def measure(argv: list[str]) -> Measurement:
    """Run argv to completion; its wall time, CPU time and peak resident memory (whole process tree)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_rss, peak = _tree_rss_reader(), 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss(child.pid))
        time.sleep(POLL_SECONDS)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode("utf-8", "replace")
    child.stderr.close()
    if child.returncode:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({child.returncode}):\n{errors}")
    return Measurement(seconds, usage.ru_utime + usage.ru_stime, max(peak, usage.ru_maxrss * 1024))


def _tree_rss_reader() -> Callable[[int], int]:
    """A function: the resident memory summed over a process and its
    descendants. On Linux read from /proc (a few small files per process,
    cheap enough not to slow the measured run on a two-core machine); else
    by psutil, which lists every process of the system to find children."""
    if os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"):
        return _proc_tree_rss
    import psutil

    def tree_rss(pid: int) -> int:
        try:
            root = psutil.Process(pid)
            return sum(_rss(p) for p in [root] + root.children(recursive=True))
        except psutil.NoSuchProcess:
            return 0
    return tree_rss


def _proc_tree_rss(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * PAGE_BYTES
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as children:
                    todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError, IndexError):
            continue          # the process ended meanwhile
    return total


def _rss(process) -> int:
    import psutil

    try:
        return process.memory_info().rss
    except psutil.NoSuchProcess:
        return 0
