"""`make bench` rows for report: the whole `samestory report` command in each
format against the whole `samestory stories` command on the same input, on
20,000 articles of `benchmarks.generate_stories` (a month of news whose largest
stories run to hundreds of reports; BENCH_SIZES for other sizes; corpora shared
with the stories rows) and on the Multi-News test set as `make eval` reads it
(12,580 articles, when ../shared/data holds it; BENCH_DATA=FOLDER for another).

What each timing includes: the whole command in its own process (reading,
cleaning, near-duplicates, terms, clustering, then for report the headings, the
overlap of the stories shown and the rendering, written to a file with -o).
Wall and CPU time and peak memory of the process tree; the size of what it
wrote. The terminal and Markdown reports show the 20 largest stories (the
default --top) and compare only those sentence by sentence; JSON holds every
story with its overlap. The ratio is the median CPU time of the command over
that of `stories` (run in turn with it, so that load hits both alike).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Iterator

from benchmarks.bench_stories import ensure_corpus
from benchmarks.measure import DATA, RUNS, Measurement, Method, medians, round_robin, run_folder, sizes_from_environment

OUTPUT = "out"


def methods() -> list[Method]:
    """`stories`, then `report` in the terminal (to a file: plain text), Markdown and JSON formats."""
    def command(*args: str):
        return lambda corpus, run: [sys.executable, "-m", "cli", *args[:1], str(corpus), *args[1:],
                                    "-o", str(run / OUTPUT)]

    return [
        Method("stories", "samestory stories", "", command("stories", "--quiet")),
        Method("terminal", "samestory report", "", command("report")),
        Method("markdown", "samestory report --format markdown", "", command("report", "--format", "markdown")),
        Method("json", "samestory report --format json", "", command("report", "--format", "json")),
    ]


def multi_news_corpus() -> Path | None:
    """Multi-News test as `make eval` reads it, as JSON Lines in bench-data (made once); None without the data."""
    data = Path(os.environ.get("BENCH_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
    if not (data / "multi-news").is_dir():
        return None
    path = DATA / "multi-news.jsonl"
    if not path.exists():
        from benchmarks.eval_stories import load_multinews

        texts = load_multinews(data).texts
        path.write_text("".join(json.dumps({"id": f"mn{i:05d}", "text": t}) + "\n" for i, t in enumerate(texts)),
                        encoding="utf-8")
    return path


def bench_corpus(name: str, corpus: Path, n: int, repeat: int) -> str:
    chosen = methods()
    started = time.strftime("%H:%M")
    load = os.getloadavg()[0]
    measured = round_robin(chosen, corpus, n, repeat, once_above=sys.maxsize)
    sizes = {m.name: (run_folder(n, m, 0) / OUTPUT).stat().st_size for m in chosen}
    middle: dict[str, Measurement] = {name: medians(runs) for name, runs in measured.items()}
    base = middle["stories"].cpu_seconds
    lines = [f"### {name}", "",
             "| command | wall s | CPU s | peak MB | output MB | CPU ÷ stories' CPU |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for method in chosen:
        m = middle[method.name]
        ratio = "" if method.name == "stories" else f"{m.cpu_seconds / base:.2f}"
        lines.append(f"| {method.label} | {m.seconds:.1f} | {m.cpu_seconds:.1f} | {m.peak_bytes / 2**20:,.0f} | "
                     f"{sizes[method.name] / 2**20:.2f} | {ratio} |")
    for run in RUNS.glob(f"{n}-*"):
        shutil.rmtree(run)
    return "\n".join(lines + ["", f"- run {started}–{time.strftime('%H:%M')}, load average {load:.1f} at the start, "
                              f"{os.getloadavg()[0]:.1f} at the end; medians of {repeat} runs, taking turns", ""])


def sections(repeat: int) -> Iterator[str]:
    """What the timings include, then a table per corpus."""
    yield f"## report\n\n{__doc__.split('What each timing includes: ')[1].strip()}\n"
    for n in sizes_from_environment([20_000]):
        yield bench_corpus(f"{n:,} generated articles (benchmarks.generate_stories, seed 0, 30 days)",
                           ensure_corpus(n), n, repeat)
    corpus = multi_news_corpus()
    if corpus is not None:
        yield bench_corpus("Multi-News test (12,580 articles)", corpus, sum(1 for _ in corpus.open(encoding="utf-8")),
                           repeat)
