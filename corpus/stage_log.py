"""Figures per stage of a long run, on standard error, when the environment
variable SAMESTORY_STAGES is set (to anything but "" or "0"): for the
process and the worker processes it started, the wall and CPU seconds of the
stage and since the first note, their resident memory now, and each one's
peak so far. What a benchmark of a whole command cannot tell: which stage's
time and memory grow faster than the corpus.

Read from Linux's /proc; elsewhere only wall and this process's CPU seconds
are given. With SAMESTORY_STAGES=peaks each process's peak is reset after a
note (through its `clear_refs`), so a peak is that of the stage; the
kernel's maximum is then no longer the run's, so an outside measure
(`/usr/bin/time -v`, `getrusage`) reports the last stage's instead.

Whatever the variable, the stages are told to the listeners a caller
registers (`listening`): the command line shows them as progress."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Callable, Iterator

ENVIRONMENT = "SAMESTORY_STAGES"
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_last = {"first": time.perf_counter(), "wall": time.perf_counter(), "cpu": 0.0}   # from the first import on


Listener = Callable[[str, "int | None", "int | None"], None]   # (stage, items done or None when it ended, of how many)
_listeners: list[Listener] = []


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Tell `listener` how far every stage comes and when it ends, while in the block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def stage_progress(name: str, done: int, total: int | None = None) -> None:
    """Tell the listeners that stage `name` has done `done` items (of `total`, when known)."""
    for listener in _listeners:
        listener(name, done, total)


def enabled() -> bool:
    return os.environ.get(ENVIRONMENT, "") not in ("", "0")


def stage_done(name: str) -> None:
    """Note that stage `name` has ended: to the listeners, and on standard error when `enabled`."""
    for listener in _listeners:
        listener(name, None, None)
    if not enabled():
        return
    processes = [os.getpid(), *_descendants(os.getpid())]
    times = os.times()
    cpu = times.user + times.system + times.children_user + times.children_system
    cpu += sum(_cpu_seconds(pid) for pid in processes[1:])
    wall = time.perf_counter()
    memory = [_memory_mb(pid) for pid in processes]
    if os.environ[ENVIRONMENT] == "peaks":
        for pid in processes:
            _reset_peak(pid)
    now = sum(rss for rss, _ in memory)
    peaks = "+".join(f"{peak:.0f}" for _, peak in memory)
    print(f"[stage] {name}: wall {wall - _last['wall']:.1f} s (at {wall - _last['first']:.1f}), "
          f"cpu {cpu - _last['cpu']:.1f} s (at {cpu:.1f}), rss {now:.0f} MB, peak {peaks} MB",
          file=sys.stderr, flush=True)
    _last["wall"], _last["cpu"] = wall, cpu


def _descendants(root: int) -> list[int]:
    """The processes below `root` (from /proc; none where there is no /proc)."""
    try:
        entries = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return []
    parent = {}
    for entry in entries:
        fields = _stat_fields(int(entry))
        if fields:
            parent[int(entry)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, ppid in parent.items() if ppid in frontier]
        found += children
        frontier = children
    return found


def _stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat's fields from the state on (the name may hold spaces), [] if gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _cpu_seconds(pid: int) -> float:
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / _TICKS if fields else 0.0


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident MB now, peak MB since the last reset) of a process; zeros if unknown."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    values[line[:5]] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def _reset_peak(pid: int) -> None:
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass
