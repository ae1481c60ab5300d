"""`make bench` rows for stories: the whole `samestory stories` command against
scikit-learn's `TfidfVectorizer(sublinear_tf=True).fit_transform` alone, on
100,000 articles of `benchmarks.generate_stories` (a month of news made of
stories, ~3.3 KB per article; 1,000,000 with BENCH_FULL=1, where the TF-IDF
reference runs once). Corpora go to bench-data/stories-N.jsonl (seed 0, 30
days) and are reused when present. BENCH_STORIES_BILINGUAL=1 runs the same on
bench-data/stories-bilingual-N.jsonl, half of each corpus's reports in a
second vocabulary (`generate_stories --bilingual`): the cross-language stage's
cost, which a corpus of one language never reaches.

What each timing includes:
- samestory stories --jobs N: the whole command as a user runs it, in its own
  process: reading the JSON Lines, cleaning, metadata and dates,
  near-duplicates, terms, candidates, clustering, writing one line per
  article. Wall and CPU time and peak memory of the process tree.
- TF-IDF reference: a process that first loads the texts into a list (not
  timed), then times `fit_transform` alone (wall and CPU, measured inside);
  its peak memory (measured from outside) includes the loaded texts, given
  apart in a note.
The ratio samestory ÷ TF-IDF is of throughputs (articles/s), so above 1 means
the whole samestory command is faster than that one step.

B-cubed F1 of the stories output against the generated stories is a check
that speed-ups did not break the clustering, not a quality measure (the
generated stories are easier to tell apart than real news; `make eval`
measures quality).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from benchmarks import generate_stories
from benchmarks.measure import (DATA, RUNS, Measurement, Method, medians, read_texts, round_robin, run_folder,
                                sizes_from_environment)
from corpus.agreement import bcubed

ONCE_ABOVE = 100_000        # larger corpora: the TF-IDF reference runs once
DAYS, SEED = 30, 0
INCLUDES = "whole command: read, clean, dates, near-duplicates, terms, candidates, clustering, write"


def bilingual() -> bool:
    """Whether BENCH_STORIES_BILINGUAL asks for the corpora with a second language."""
    return os.environ.get("BENCH_STORIES_BILINGUAL", "") not in ("", "0")


def ensure_corpus(n: int) -> Path:
    path = DATA / (f"stories-bilingual-{n}.jsonl" if bilingual() else f"stories-{n}.jsonl")
    if not path.exists():
        print(f"generating {n:,} articles of stories -> {path}", file=sys.stderr)
        generate_stories.write_stories(path, n, seed=SEED, days=DAYS, bilingual=bilingual())
    return path


def child_tfidf(corpus: Path, out: Path) -> None:
    """The reference: texts loaded first, then only `fit_transform` timed."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = list(read_texts(corpus))
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started, cpu = time.perf_counter(), time.process_time()
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    out.write_text(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "loaded_bytes": loaded,
                               "terms": vectors.shape[1], "nonzeros": int(vectors.nnz)}), encoding="utf-8")


def stories_has_jobs() -> bool:
    """Whether this samestory's `stories` command takes --jobs."""
    shown = subprocess.run([sys.executable, "-m", "cli", "stories", "--help"], capture_output=True, text=True)
    return "--jobs" in shown.stdout


def methods() -> list[Method]:
    """samestory stories with --jobs 1 and 2 (or without, if this version has no --jobs) and the
    TF-IDF reference; BENCH_STORIES_METHODS=samestory-2,tfidf keeps only those named."""
    def stories(jobs: int | None):
        extra = ["--jobs", str(jobs)] if jobs else []
        return lambda corpus, run: [sys.executable, "-m", "cli", "stories", str(corpus), "--quiet",
                                    "-o", str(run / "stories.jsonl"), *extra]

    tfidf = Method("tfidf", "scikit-learn TfidfVectorizer(sublinear_tf=True).fit_transform",
                   "fit_transform alone, on texts loaded beforehand",
                   lambda corpus, run: [sys.executable, "-m", "benchmarks.bench_stories", "--child", "tfidf",
                                        str(corpus), str(run / "timing.json")], repeated=False)
    if stories_has_jobs():
        ours = [Method(f"samestory-{jobs}", f"samestory stories --jobs {jobs}", INCLUDES, stories(jobs)) for jobs in (1, 2)]
    else:
        ours = [Method("samestory", "samestory stories (this version has no --jobs)", INCLUDES, stories(None))]
    wanted = os.environ.get("BENCH_STORIES_METHODS")
    return [m for m in ours + [tfidf] if not wanted or m.name in wanted.split(",")]


@dataclass
class Row:
    method: Method
    articles: int
    middle: Measurement
    f1: float | None

    @property
    def rate(self) -> float:
        return self.articles / self.middle.seconds

    @property
    def cpu_rate(self) -> float:
        return self.articles / self.middle.cpu_seconds


def gold_stories(corpus: Path) -> list[str]:
    with open(corpus, encoding="utf-8") as lines:
        return [json.loads(line)["story"] for line in lines]


def bench_corpus(n: int, repeat: int) -> tuple[list[Row], list[str]]:
    corpus = ensure_corpus(n)
    chosen = methods()
    started = time.strftime("%H:%M")
    measurements = round_robin(chosen, corpus, n, repeat, ONCE_ABOVE)
    notes = [f"run {started}–{time.strftime('%H:%M')} (load average {os.getloadavg()[0]:.1f} at the end); "
             f"{repeat} run(s) of each samestory command"
             + (f", TF-IDF once above {ONCE_ABOVE:,} articles" if n > ONCE_ABOVE and repeat > 1 else "")]
    if "tfidf" in measurements:
        timings = [json.loads((run_folder(n, chosen[-1], k) / "timing.json").read_text())
                   for k in range(len(measurements["tfidf"]))]
        measurements["tfidf"] = [Measurement(t["seconds"], t["cpu_seconds"], m.peak_bytes)
                                 for t, m in zip(timings, measurements["tfidf"])]
        notes.append(f"TF-IDF: {timings[0]['terms']:,} terms, {timings[0]['nonzeros']:,} non-zeros; its peak includes "
                     f"{timings[0]['loaded_bytes'] / 2**20:,.0f} MB of loaded texts")
    gold = gold_stories(corpus)
    rows, outputs = [], set()
    for method in chosen:
        f1 = None
        if method.name != "tfidf":
            with open(run_folder(n, method, 0) / "stories.jsonl", encoding="utf-8") as lines:
                f1 = bcubed([json.loads(line)["story"] for line in lines], gold)[2]
            outputs.update((run_folder(n, method, k) / "stories.jsonl").read_bytes()
                           for k in range(len(measurements[method.name])))
        rows.append(Row(method, n, medians(measurements[method.name]), f1))
    if {"samestory-1", "samestory-2"} <= set(measurements):
        notes.append(f"outputs of --jobs 1 and --jobs 2 byte-identical: {'yes' if len(outputs) == 1 else 'NO'}")
    for run in RUNS.glob(f"{n}-*"):
        shutil.rmtree(run)
    return rows, notes


def table(n: int, rows: list[Row], notes: list[str]) -> str:
    reference = rows[-1] if rows[-1].method.name == "tfidf" else None
    lines = [
        f"### {n:,} articles" + (", half in a second vocabulary" if bilingual() else ""),
        "",
        "| method | timed | articles/s | wall s | CPU s | peak MB | throughput ÷ TF-IDF's (wall) | (CPU) "
        "| B-cubed F1 (check, not quality) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        ratios = "| |"
        if reference and row is not reference:
            ratios = f"{row.rate / reference.rate:.2f} | {row.cpu_rate / reference.cpu_rate:.2f} |"
        f1 = "" if row.f1 is None else f"{row.f1:.4f}"
        lines.append(f"| {row.method.label} | {row.method.includes} | {row.rate:,.0f} | {row.middle.seconds:.1f} | "
                     f"{row.middle.cpu_seconds:.1f} | {row.middle.peak_bytes / 2**20:,.0f} | {ratios} {f1} |")
    return "\n".join(lines + [""] + [f"- {note}" for note in notes] + [""])


def growth(by_size: dict[int, list[Row]]) -> str:
    """Each method's rate at every larger size divided by its rate at the smallest."""
    smallest = min(by_size)
    lines = [f"### Rate against the rate at {smallest:,} articles", ""]
    base_rows = {row.method.name: row for row in by_size[smallest]}
    for n in sorted(by_size)[1:]:
        for row in by_size[n]:
            base = base_rows[row.method.name]
            lines.append(f"- {row.method.label}: {n:,} ÷ {smallest:,}: {row.rate / base.rate:.2f} "
                         f"({row.rate:,.0f} vs {base.rate:,.0f} articles/s)")
    return "\n".join(lines + [""])


def sections(repeat: int) -> Iterator[str]:
    """What the timings include, a table per corpus size, then how the rate holds up with size."""
    yield f"## stories\n\n{__doc__.split('What each timing includes:')[1].split('B-cubed F1')[0].strip()}\n"
    by_size = {}
    for n in sizes_from_environment([100_000]):
        rows, notes = bench_corpus(n, repeat)
        by_size[n] = rows
        yield table(n, rows, notes)
    if len(by_size) > 1:
        yield growth(by_size)


def main() -> int:
    """A child run: python -m benchmarks.bench_stories --child tfidf CORPUS OUT.json"""
    child_tfidf(Path(sys.argv[3]), Path(sys.argv[4]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
