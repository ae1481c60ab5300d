"""`make bench` rows for dedup: samestory dedup against datasketch and rensa,
speed and memory, on 10,000 and 100,000 articles (1,000,000 with BENCH_FULL=1;
there only samestory dedup is repeated).

Corpora: `benchmarks.generate` writes deterministic news-like articles (~3.3 KB)
with planted near-copies to bench-data/news-N.jsonl and a truth file beside it;
they are reused when present.

Every method runs in its own subprocess, measured from outside
(`benchmarks.measure`). Articles/s is by wall time; on a busy
machine CPU time is the steadier figure. `--jobs 2` against `--jobs 1` is also
given pair by pair: the two run back to back in every round, so the ratio of
each pair is taken under about the same load. Same shingling everywhere
(case-folded `\\w+` words, 5-grams), 128 permutations, LSH for a 0.8 threshold.

What each timing includes:
- samestory dedup --jobs N: the whole command: reading and sketching the
  JSONL (once), candidates, exact verification, then writing the kept
  records (their lines copied from the input file by byte offset, in the
  kernel; nothing is read or parsed again) and the duplicates file.
- samestory engine: one process reading the JSONL, `sketch.sketch_batch` per
  2,000 articles, `neighbours.candidate_pairs`, `neighbours.verify_pairs`; no output.
- datasketch bulk: reading the JSONL, shingles in Python, `MinHash.bulk` per
  1,000 articles, `MinHashLSH(threshold=0.8, num_perm=128)` insert and a
  query for every article: candidate pairs only (no verification, no output).
- datasketch update: the same with `MinHash.update` per shingle, as most
  users write it; on the first 2,000 articles only (UPDATE_SAMPLE; too slow for more).
- rensa: reading the JSONL, shingles in Python, `RMinHash.update`,
  `RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)` insert and query:
  candidate pairs only.
So the baselines do less work than `samestory dedup`.

Quality, on the planted copies whose exact Jaccard is >= 0.8:
- recall: samestory dedup: share of those pairs of which at least one article
  was removed; the others: share found among their (verified) pairs.
- precision: samestory dedup: share of removals whose exact Jaccard with the
  article kept in their place is >= 0.8; engine: share of its verified pairs;
  baselines: share of their raw LSH candidates (before any verification).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from benchmarks import generate
from benchmarks.measure import (DATA, RUNS, Method, batched, medians, read_texts, round_robin, run_folder,
                                sizes_from_environment)
from corpus import neighbours, shingles, sketch

THRESHOLD, NGRAM, NUM_PERM, SEED = 0.8, 5, 128, 1
UPDATE_SAMPLE = 2_000
RENSA_BANDS = 16
DATASKETCH_BATCH = 1_000
ENGINE_BATCH = 2_000
ONCE_ABOVE = 100_000        # larger corpora: the slow baselines run once


# ---- the methods, each run in a child process: python -m benchmarks.bench_dedup --child NAME CORPUS OUT.npy ----

def child_engine(corpus: Path) -> np.ndarray:
    """samestory's engine in one process: verified pairs with Jaccard >= THRESHOLD.
    Shingle hashes go to a temporary file (as `samestory dedup` spills them)."""
    bands, rows = neighbours.lsh_parameters(THRESHOLD, NUM_PERM)
    keys, ends = [], [np.zeros(1, dtype=np.int64)]
    with tempfile.TemporaryFile(dir=DATA) as spill:
        for texts in batched(read_texts(corpus), ENGINE_BATCH):
            batch = sketch.sketch_batch(texts, ngram=NGRAM, num_perm=NUM_PERM, seed=SEED, bands=bands, rows=rows)
            keys.append(batch.band_keys)
            spill.write(batch.hashes.tobytes())
            ends.append(batch.offsets[1:] + ends[-1][-1])
        spill.flush()
        offsets = np.concatenate(ends)

        def hashes_of(i: int) -> np.ndarray:
            size = int(offsets[i + 1] - offsets[i]) * 8
            return np.frombuffer(os.pread(spill.fileno(), size, int(offsets[i]) * 8), dtype=np.uint64)

        pairs = neighbours.candidate_pairs(np.concatenate(keys))
        jaccard = neighbours.verify_pairs(pairs, hashes_of)
    return pairs[jaccard >= THRESHOLD]


def child_datasketch_bulk(corpus: Path) -> np.ndarray:
    from datasketch import MinHash, MinHashLSH

    lsh, minhashes = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM), []
    for texts in batched(read_texts(corpus), DATASKETCH_BATCH):
        batch = MinHash.bulk([[s.encode("utf-8") for s in shingles.shingles(t, NGRAM)] for t in texts],
                             num_perm=NUM_PERM, seed=SEED)
        _insert_all(lsh, minhashes, batch)
    return _query_all(lsh, minhashes)


def child_datasketch_update(corpus: Path) -> np.ndarray:
    from datasketch import MinHash, MinHashLSH

    lsh, minhashes = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM), []
    for text in read_texts(corpus, UPDATE_SAMPLE):
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
        for s in shingles.shingles(text, NGRAM):
            minhash.update(s.encode("utf-8"))
        _insert_all(lsh, minhashes, [minhash])
    return _query_all(lsh, minhashes)


def _insert_all(lsh, minhashes: list, batch: list) -> None:
    with lsh.insertion_session() as session:
        for minhash in batch:
            session.insert(len(minhashes), minhash)
            minhashes.append(minhash)


def child_rensa(corpus: Path) -> np.ndarray:
    from rensa import RMinHash, RMinHashLSH

    lsh, minhashes = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=RENSA_BANDS), []
    for text in read_texts(corpus):
        minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
        minhash.update(shingles.shingles(text, NGRAM))
        lsh.insert(len(minhashes), minhash)
        minhashes.append(minhash)
    return _query_all(lsh, minhashes)


def _query_all(lsh, minhashes: list) -> np.ndarray:
    pairs = [(j, i) for i, minhash in enumerate(minhashes) for j in lsh.query(minhash) if j < i]
    return np.unique(np.array(pairs, dtype=np.int64).reshape(-1, 2), axis=0)


CHILDREN: dict[str, Callable[[Path], np.ndarray]] = {
    "engine": child_engine,
    "datasketch-bulk": child_datasketch_bulk,
    "datasketch-update": child_datasketch_update,
    "rensa": child_rensa,
}


# ---- the methods as commands ----

def _cli(jobs: int) -> Callable[[Path, Path], list[str]]:
    return lambda corpus, run: [sys.executable, "-m", "cli", "dedup", str(corpus), "--jobs", str(jobs), "--quiet",
                                "-o", str(run / "kept.jsonl"), "--duplicates", str(run / "duplicates.jsonl")]


def _child(name: str) -> Callable[[Path, Path], list[str]]:
    return lambda corpus, run: [sys.executable, "-m", "benchmarks.bench_dedup", "--child", name, str(corpus),
                                str(run / "pairs.npy")]


METHODS = [
    Method("samestory-1", "samestory dedup --jobs 1", "read, sketch, LSH, verify, copy kept lines, write outputs",
           _cli(1)),
    Method("samestory-2", "samestory dedup --jobs 2", "read, sketch, LSH, verify, copy kept lines, write outputs",
           _cli(2)),
    Method("engine", "samestory engine, 1 process", "read, sketch, LSH, verify", _child("engine"), repeated=False),
    Method("datasketch-bulk", "datasketch MinHash.bulk + MinHashLSH", "read, shingle, sketch, LSH", _child("datasketch-bulk"),
           repeated=False),
    Method("datasketch-update", "datasketch MinHash.update + MinHashLSH", f"same, first {UPDATE_SAMPLE:,} articles only",
           _child("datasketch-update"), lambda n: min(n, UPDATE_SAMPLE), repeated=False),
    Method("rensa", "rensa RMinHash + RMinHashLSH", "read, shingle, sketch, LSH", _child("rensa"), repeated=False),
]


# ---- quality against the planted copies ----

@dataclass
class Outcome:
    """What a method found: pairs (i < j) judged similar, or removals (removed -> kept)."""

    pairs: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    removals: np.ndarray | None = None


def read_outcome(method: Method, run: Path, index_of: dict[str, int]) -> Outcome:
    if method.name.startswith("samestory"):
        links = []
        with open(run / "duplicates.jsonl", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                links.append((index_of[record["id"]], index_of[record["duplicate_of"]]))
        return Outcome(removals=np.array(links, dtype=np.int64).reshape(-1, 2))
    return Outcome(pairs=np.load(run / "pairs.npy"))


class ExactJaccard:
    """Exact Jaccard of pairs of articles, from a single streaming read of the corpus."""

    def __init__(self, corpus: Path, needed: set[int]):
        self.sets: dict[int, np.ndarray] = {}
        for start, texts in enumerate(batched(read_texts(corpus), ENGINE_BATCH)):
            first = start * ENGINE_BATCH
            wanted = [i for i in range(first, first + len(texts)) if i in needed]
            if wanted:
                flat, offsets = shingles.batch_shingle_hashes([texts[i - first] for i in wanted], NGRAM)
                for k, i in enumerate(wanted):
                    self.sets[i] = flat[offsets[k] : offsets[k + 1]]

    def __call__(self, pairs: np.ndarray) -> np.ndarray:
        return np.array([neighbours.exact_jaccard(self.sets[i], self.sets[j]) for i, j in pairs.tolist()])


def quality(outcome: Outcome, truth: set[tuple[int, int]], limit: int, exact: ExactJaccard) -> tuple[float, float]:
    """(recall, precision) as the module docstring defines them."""
    truth = {p for p in truth if p[1] < limit}
    if outcome.removals is not None:
        removed = set(outcome.removals[:, 0].tolist())
        found = sum(1 for a, b in truth if a in removed or b in removed)
        judged = outcome.removals
    else:
        found = len(truth & set(map(tuple, outcome.pairs.tolist())))
        judged = outcome.pairs
    precision = float(np.mean(exact(judged) >= THRESHOLD)) if len(judged) else 1.0
    return (found / len(truth) if truth else 1.0), precision


# ---- the run ----

def ensure_corpus(n: int) -> Path:
    path = DATA / f"news-{n}.jsonl"
    if not (path.exists() and generate.truth_path(path).exists()):
        print(f"generating {n:,} articles -> {path}", file=sys.stderr)
        generate.write_corpus(path, n, seed=0, ngram=NGRAM)
    return path


def corpus_ids(corpus: Path) -> dict[str, int]:
    with open(corpus, encoding="utf-8") as lines:
        return {json.loads(line)["id"]: i for i, line in enumerate(lines)}


@dataclass
class Row:
    method: Method
    articles: int
    seconds: float
    cpu_seconds: float
    peak_mb: float
    recall: float
    precision: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds


def bench_corpus(n: int, repeat: int) -> tuple[list[Row], list[str]]:
    corpus = ensure_corpus(n)
    index_of = corpus_ids(corpus)
    planted = generate.read_truth(generate.truth_path(corpus))
    planted_pairs = {tuple(sorted((index_of[p.copy], index_of[p.source]))) for p in planted}
    measurements = round_robin(METHODS, corpus, n, repeat, ONCE_ABOVE)
    notes = []
    if n > ONCE_ABOVE and repeat > 1:
        notes.append(f"above {ONCE_ABOVE:,} articles the engine and the baselines ran once, samestory dedup {repeat} times")
    outcomes = {method.name: read_outcome(method, run_folder(n, method, 0), index_of) for method in METHODS}
    same = all(
        (RUNS / f"{n}-samestory-1-0" / name).read_bytes() == (RUNS / f"{n}-samestory-2-{k}" / name).read_bytes()
        for name in ("kept.jsonl", "duplicates.jsonl") for k in range(repeat)
    )
    notes.append(f"samestory outputs with --jobs 1 and --jobs 2 byte-identical: {'yes' if same else 'NO'}")
    pairs = [one.seconds / two.seconds for one, two in zip(measurements["samestory-1"], measurements["samestory-2"])]
    notes.append(f"samestory --jobs 2 speed ÷ --jobs 1, pair by pair: {', '.join(f'{r:.2f}' for r in pairs)} "
                 f"(median {statistics.median(pairs):.2f})")
    for run in RUNS.glob(f"{n}-*"):
        shutil.rmtree(run)        # kept copies of the corpus: hundreds of MB each
    needed = {i for pair in planted_pairs for i in pair}
    for outcome in outcomes.values():
        needed.update((outcome.removals if outcome.removals is not None else outcome.pairs).ravel().tolist())
    exact = ExactJaccard(corpus, needed)
    ordered = sorted(planted_pairs)
    truth = {pair for pair, j in zip(ordered, exact(np.array(ordered).reshape(-1, 2))) if j >= THRESHOLD}
    notes.append(f"{len(truth):,} planted pairs with exact Jaccard >= {THRESHOLD} (of {len(planted_pairs):,} planted)")
    rows = []
    for method in METHODS:
        middle = medians(measurements[method.name])
        recall, precision = quality(outcomes[method.name], truth, method.articles(n), exact)
        rows.append(Row(method, method.articles(n), middle.seconds, middle.cpu_seconds, middle.peak_bytes / 2**20,
                        recall, precision))
    return rows, notes


def table(n: int, rows: list[Row], notes: list[str]) -> str:
    reference = rows[0].rate
    lines = [
        f"### {n:,} articles",
        "",
        "| method | timed | articles/s | wall s | CPU s | peak MB | samestory --jobs 1 speed ÷ this | recall | precision |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        speed = "" if row is rows[0] else f"{reference / row.rate:.2f}"
        lines.append(f"| {row.method.label} | {row.method.includes} | {row.rate:,.0f} | {row.seconds:.1f} | "
                     f"{row.cpu_seconds:.1f} | {row.peak_mb:,.0f} | {speed} | {row.recall:.4f} | {row.precision:.4f} |")
    return "\n".join(lines + [""] + [f"- {note}" for note in notes] + [""])


def sections(repeat: int) -> Iterator[str]:
    """What dedup's timings include, then a table per corpus size."""
    yield (f"## dedup\n\nWord 5-gram shingles, 128 permutations, LSH for Jaccard {THRESHOLD}. "
           f"What each timing includes:\n\n"
           f"{__doc__.split('What each timing includes:')[1].split('Quality,')[0].strip()}\n")
    for n in sizes_from_environment([10_000, 100_000]):
        rows, notes = bench_corpus(n, repeat)
        yield table(n, rows, notes)


def main() -> int:
    """A child run: python -m benchmarks.bench_dedup --child NAME CORPUS OUT.npy"""
    np.save(sys.argv[4], CHILDREN[sys.argv[2]](Path(sys.argv[3])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
