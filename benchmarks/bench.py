"""`make bench`: speed and memory of samestory's commands against what people
would otherwise use, one group of rows per command (`ROW_GROUPS`).

    python -m benchmarks.bench
    env: BENCH_REPEAT=3 (runs per method, round robin; medians),
    BENCH_FULL=1 (adds 1,000,000 articles), BENCH_SIZES=10000,100000 (the
    corpus sizes of every group, overriding both), BENCH_GROUPS=dedup,stories
    (which groups run; all by default)

Results go to standard output and, as Markdown, to bench-data/latest.md and
to a dated copy beside it (bench-data/bench-YYYYMMDD-HHMM.md, the log of
every run), written again after every table so that a long run that is
stopped keeps what it measured.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Callable, Iterator

from benchmarks import bench_clean, bench_dask, bench_dedup, bench_index, bench_report, bench_stories
from benchmarks.measure import DATA, machine

# a row-group: (BENCH_REPEAT) -> Markdown sections; adding one is one line here
ROW_GROUPS: dict[str, Callable[[int], Iterator[str]]] = {
    "dedup": bench_dedup.sections,
    "stories": bench_stories.sections,
    "report": bench_report.sections,
    "dask": bench_dask.sections,
    "index": bench_index.sections,
    "clean": bench_clean.sections,
}


def main() -> int:
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    chosen = os.environ.get("BENCH_GROUPS", ",".join(ROW_GROUPS)).split(",")
    unknown = [name for name in chosen if name not in ROW_GROUPS]
    if unknown:
        print(f"bench: unknown BENCH_GROUPS {', '.join(unknown)}; known: {', '.join(ROW_GROUPS)}", file=sys.stderr)
        return 2
    DATA.mkdir(exist_ok=True)
    log = DATA / f"bench-{time.strftime('%Y%m%d-%H%M')}.md"
    sections = [f"# Benchmark ({time.strftime('%Y-%m-%d %H:%M %Z')}, {machine()}, medians of {repeat} runs, "
                f"load average at start {os.getloadavg()[0]:.1f})\n"]
    for name in chosen:
        for section in ROW_GROUPS[name](repeat):
            sections.append(section)
            print(section, flush=True)
            for path in (log, DATA / "latest.md"):
                path.write_text("\n".join(sections), encoding="utf-8")
    print(f"written to {DATA / 'latest.md'} and {log}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
