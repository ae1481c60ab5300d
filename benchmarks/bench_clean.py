"""`make bench` rows for cleaning (`corpus.clean`): articles per CPU second of
`clean_corpus` on the generated corpora `make bench` already writes (~3.3 KB,
seed 0: the dedup group's news-like articles and the stories group's
story-structured month) and of the two-pass streaming form (`line_key_counts`
over batches of BATCH articles, summed, then `clean_batch` per batch),
measured in this process with `time.process_time`, medians of BENCH_REPEAT
runs, with the CPU microseconds per article. Texts are loaded before timing.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Iterator

from benchmarks import bench_dedup, bench_stories
from benchmarks.measure import batched, read_texts, sizes_from_environment
from corpus import clean

BATCH = 10_000
SIZES = [20_000]


def whole(texts: list[str]) -> None:
    clean.clean_corpus(texts)


def streamed(texts: list[str]) -> None:
    counts = clean.LineCounts.empty()
    for batch in batched(iter(texts), BATCH):
        counts = counts + clean.line_key_counts(batch)
    repeated = counts.repeated()
    for batch in batched(iter(texts), BATCH):
        clean.clean_batch(batch, repeated)


def cpu_seconds(run, texts: list[str], repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        started = time.process_time()
        run(texts)
        seconds.append(time.process_time() - started)
    return seconds


def sections(repeat: int) -> Iterator[str]:
    for n in sizes_from_environment(SIZES):
        for kind, ensure_corpus in (("news-like", bench_dedup.ensure_corpus), ("story-structured", bench_stories.ensure_corpus)):
            texts = list(read_texts(ensure_corpus(n)))
            started = time.strftime("%H:%M")
            rows = [(name, cpu_seconds(run, texts, repeat)) for name, run in
                    (("clean_corpus", whole), (f"line_key_counts + clean_batch, batches of {BATCH:,}", streamed))]
            lines = [f"## clean, {n:,} generated {kind} articles ({sum(map(len, texts)) / n / 1024:.1f} KB each)\n",
                     f"run {started}–{time.strftime('%H:%M')}, load average {os.getloadavg()[0]:.1f} at the end\n",
                     "| what is timed | articles per CPU second (median) | CPU µs per article | runs |",
                     "| --- | ---: | ---: | --- |"]
            lines += [f"| {name} | {n / statistics.median(seconds):,.0f} | {statistics.median(seconds) / n * 1e6:.0f} | "
                      f"{', '.join(f'{n / s:,.0f}' for s in seconds)} |" for name, seconds in rows]
            yield "\n".join(lines) + "\n"
