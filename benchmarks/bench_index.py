"""`make bench` rows for the daily index: `samestory index add` of 10,000
articles to an index already holding 100,000 (1,000,000 with BENCH_FULL=1),
and the index's size per article.

Corpus: `benchmarks.generate_stories` (stories with planted copies, ~3.3 KB of
text per article, in date order), N + 10,000 articles spread over (N +
10,000) / 3,000 days, about a day's feed of a large desk, to
bench-data/index-N.jsonl. The index of the first N articles is built once,
whole days per add, at least BUILD_ARTICLES (a week) at a time, to
bench-data/index-N.db (kept for later runs, as the corpus; an index of an
older schema is migrated once before the runs); each timed run adds the next
10,000 articles (about three days) to a fresh copy of it.

What each timing includes: the whole command in its own process (one core:
`index add` runs in one process): reading the JSON Lines, shingles, band
keys, candidate lookup in the index, verification on the stored texts,
cleaning and term counting, the story stage against the open stories, writing
everything in one transaction and committing. Wall and CPU time, peak memory.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Iterator

from benchmarks import generate_stories
from benchmarks.measure import DATA, RUNS, Measurement, measure, medians, sizes_from_environment

ADDED = 10_000
PER_DAY = 3_000
BUILD_ARTICLES = 20_000
SEED = 0


def ensure_corpus(n: int) -> Path:
    path = DATA / f"index-{n}.jsonl"
    if not path.exists():
        total = n + ADDED
        print(f"generating {total:,} articles of stories over {total // PER_DAY} days -> {path}", file=sys.stderr)
        generate_stories.write_stories(path, total, seed=SEED, days=max(1, total // PER_DAY))
    return path


def ensure_index(n: int, corpus: Path) -> Path:
    """The index of the corpus's first n articles (built once, untimed), added
    whole days at a time, at least BUILD_ARTICLES per add (a week of a large
    desk's feed: fewer adds, so the build of 1,000,000 takes hours less)."""
    from corpus.index import add_records
    from corpus.index_store import IndexSettings, open_index
    from corpus.read import read_records

    path = DATA / f"index-{n}.db"
    if path.exists():
        return path
    building = path.with_suffix(".building")
    for leftover in DATA.glob(building.name + "*"):
        leftover.unlink()
    connection, settings = open_index(building, create=IndexSettings())
    started = time.perf_counter()
    try:
        pending: list = []
        records = itertools.islice(read_records([corpus]), n)
        for day, group in itertools.groupby(records, key=lambda r: str(r.date)[:10]):
            pending += group
            if len(pending) >= BUILD_ARTICLES:
                add_records(connection, settings, pending)
                pending = []
                print(f"  index of {n:,}: up to {day} added ({time.perf_counter() - started:.0f} s, "
                      f"load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
        if pending:
            add_records(connection, settings, pending)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    building.rename(path)
    return path


def added_articles(n: int, corpus: Path) -> Path:
    path = DATA / f"index-{n}-next.jsonl"
    if not path.exists():
        with open(corpus, encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as out:
            out.writelines(itertools.islice(lines, n, n + ADDED))
    return path


def index_bytes(path: Path) -> int:
    return sum(os.path.getsize(f"{path}{suffix}") for suffix in ("", "-wal") if os.path.exists(f"{path}{suffix}"))


def text_bytes(corpus: Path, limit: int) -> float:
    with open(corpus, encoding="utf-8") as lines:
        sizes = [len(json.loads(line)["text"].encode("utf-8")) for line in itertools.islice(lines, limit)]
    return sum(sizes) / len(sizes)


def table_bytes(path: Path) -> dict[str, int]:
    """Bytes of every table with its indexes (SQLite's dbstat), largest first; empty without dbstat."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = dict(connection.execute("SELECT name, coalesce(tbl_name, name) FROM sqlite_master"))
        found: dict[str, int] = {}
        for name, size in connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            found[tables.get(name, name)] = found.get(tables.get(name, name), 0) + size
    except sqlite3.OperationalError:
        return {}
    finally:
        connection.close()
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def bench_size(n: int, repeat: int) -> str:
    from corpus.index_store import open_index

    corpus = ensure_corpus(n)
    built = ensure_index(n, corpus)
    open_index(built)[0].close()                  # an index of an older schema migrated once, not in every timed run
    added = added_articles(n, corpus)
    runs: list[Measurement] = []
    after = []
    started = time.strftime("%H:%M")
    load = os.getloadavg()[0]
    for attempt in range(repeat):
        folder = RUNS / f"index-{n}-{attempt}"
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / "news.db"
        shutil.copyfile(built, copy)
        runs.append(measure([sys.executable, "-m", "cli", "index", "add", str(copy), str(added), "--quiet",
                             "-o", str(folder / "added.jsonl")]))
        connection = sqlite3.connect(copy)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        after.append(index_bytes(copy))
        print(f"  index add {ADDED:,} to {n:,}: {runs[-1].seconds:.1f} s, CPU {runs[-1].cpu_seconds:.1f} s, "
              f"{runs[-1].peak_bytes / 2**20:.0f} MB (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
        shutil.rmtree(folder)
    middle = medians(runs)
    per_article = index_bytes(built) / n
    tables = ", ".join(f"{name} {size / n:,.0f}" for name, size in table_bytes(built).items() if size / n >= 1)
    text = text_bytes(corpus, 20_000)
    return "\n".join([
        f"### {ADDED:,} articles added to an index of {n:,}",
        "",
        "| what | articles/s | wall s | CPU s | peak MB | index bytes per article (before → after) | text bytes per article |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| samestory index add | {ADDED / middle.seconds:,.0f} | {middle.seconds:.1f} | {middle.cpu_seconds:.1f} | "
        f"{middle.peak_bytes / 2**20:,.0f} | {per_article:,.0f} → {sorted(after)[len(after) // 2] / (n + ADDED):,.0f} "
        f"| {text:,.0f} |",
        "",
        f"- run {started}–{time.strftime('%H:%M')}, {repeat} run(s), load average at start {load:.1f}; "
        f"wall times of the runs: {', '.join(f'{r.seconds:.1f}' for r in runs)} s; "
        f"CPU times: {', '.join(f'{r.cpu_seconds:.1f}' for r in runs)} s",
        f"- bytes per article by table (with its indexes) before the add: {tables}",
        "",
    ])


def sections(repeat: int) -> Iterator[str]:
    yield f"## index\n\n{__doc__.split('What each timing includes:')[1].strip()}\n"
    for n in sizes_from_environment([100_000]):
        yield bench_size(n, repeat)


def main() -> int:
    """python -m benchmarks.bench_index [N]: the rows of one size (default 100,000)."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    DATA.mkdir(exist_ok=True)
    print(bench_size(n, int(os.environ.get("BENCH_REPEAT", "3"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
