"""Dedup quality: `samestory dedup` as a user runs it, on real and generated corpora.

(a) BBC News (../shared/data/bbc-news), read once as its category folders and
    once as one JSON Lines file made from them in a temporary folder. Targets:
    every one of the 100 exact-duplicate pairs ends with one copy removed, and
    every removal is a pair the reference list (exact word-5-shingle Jaccard
    >= 0.3) shows as overlapping, with the same Jaccard.
(b) A generated corpus (benchmarks.generate) with planted copies. Targets:
    precision >= 0.99 (a removal is right when both articles descend from one
    original) and recall >= 0.95 (a planted pair with exact Jaccard >= the
    threshold does not survive with both articles kept).

    python -m benchmarks.eval_dedup --data ../shared/data [--generated 100000]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks import generate
from corpus.dedup import DedupSettings

THRESHOLD = DedupSettings().threshold
PRECISION_TARGET, RECALL_TARGET = 0.99, 0.95
GENERATED = 100_000


@dataclass
class Outcome:
    """What one run removed: removed id -> (kept id, jaccard); records read."""

    removed: dict[str, tuple[str, float]]
    read: int

    def both_kept(self, a: str, b: str) -> bool:
        return a not in self.removed and b not in self.removed


@dataclass
class Check:
    corpus: str
    measure: str
    value: str
    target: str
    ok: bool


def run_dedup(inputs: list[str], workdir: Path, *options: str) -> Outcome:
    """Run the `samestory dedup` command; its removals from --duplicates."""
    kept, duplicates = workdir / "kept.jsonl", workdir / "duplicates.jsonl"
    command = [sys.executable, "-m", "cli", "dedup", *inputs, "-o", str(kept), "--duplicates", str(duplicates),
               "--quiet", *options]
    subprocess.run(command, check=True)
    removed = {}
    with duplicates.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            removed[row["id"]] = (row["duplicate_of"], row["jaccard"])
    with kept.open(encoding="utf-8") as lines:
        read = sum(1 for _ in lines) + len(removed)
    return Outcome(removed, read)


# ---- (a) BBC News ----

def bbc_reference(data_dir: Path) -> dict[frozenset, tuple[float, bool]]:
    """The reference pairs: {a, b} -> (exact Jaccard, identical text), ids without .txt."""
    path = data_dir / "bbc-news" / "bbc_pairs_jaccard5_ge_0.3.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            frozenset((row["doc_a"].removesuffix(".txt"), row["doc_b"].removesuffix(".txt"))):
                (float(row["jaccard_word5"]), row["exact_same_text"] == "1")
            for row in csv.DictReader(handle, delimiter="\t")
        }


def bbc_as_jsonl(data_dir: Path, out: Path) -> None:
    """The articles as one JSON Lines file (UTF-8, Latin-1 fallback as the data README says)."""
    root = data_dir / "bbc-news" / "bbc"
    with out.open("w", encoding="utf-8") as handle:
        for path in sorted(root.glob("*/*.txt")):
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            handle.write(json.dumps({"id": f"{path.parent.name}/{path.stem}", "text": text}) + "\n")


def bbc_checks(name: str, outcome: Outcome, reference: dict[frozenset, tuple[float, bool]], threshold: float) -> list[Check]:
    exact = [pair for pair, (_, same) in reference.items() if same]
    found = sum(not outcome.both_kept(*pair) for pair in exact)
    listed = [reference.get(frozenset((doc, kept))) for doc, (kept, _) in outcome.removed.items()]
    in_reference = sum(entry is not None for entry in listed)
    differences = [abs(j - entry[0]) for (_, j), entry in zip(outcome.removed.values(), listed) if entry is not None]
    above = [pair for pair, (j, _) in reference.items() if j >= threshold]
    resolved = sum(not outcome.both_kept(*pair) for pair in above)
    return [
        Check(name, "exact-duplicate pairs resolved", f"{found}/{len(exact)}", f"{len(exact)}/{len(exact)}",
              found == len(exact)),
        Check(name, "removals listed as overlapping", f"{in_reference}/{len(listed)}", "all", in_reference == len(listed)),
        Check(name, "max |Jaccard - reference|", f"{max(differences, default=0):.4f}", "<= 0.0001",
              max(differences, default=0) <= 1e-4 + 1e-9),
        Check(name, f"reference pairs J >= {threshold} resolved", f"{resolved}/{len(above)}", "(info)", True),
        Check(name, "documents / removed", f"{outcome.read} / {len(outcome.removed)}", "(info)", True),
    ]


def evaluate_bbc(data_dir: Path, workdir: Path, threshold: float = THRESHOLD) -> list[Check]:
    reference = bbc_reference(data_dir)
    pattern = str(data_dir / "bbc-news" / "bbc" / "*" / "*.txt")
    checks = bbc_checks("bbc folders", run_dedup([pattern], workdir, "--threshold", str(threshold)), reference, threshold)
    jsonl = workdir / "bbc.jsonl"
    bbc_as_jsonl(data_dir, jsonl)
    checks += bbc_checks("bbc jsonl", run_dedup([str(jsonl)], workdir, "--threshold", str(threshold)), reference, threshold)
    return checks


# ---- (b) generated corpus ----

def generated_checks(outcome: Outcome, truth: list[generate.PlantedPair], threshold: float) -> list[Check]:
    family = {pair.copy: pair.family for pair in truth}
    right = sum(family.get(doc, doc) == family.get(kept, kept) for doc, (kept, _) in outcome.removed.items())
    precision = right / len(outcome.removed) if outcome.removed else 1.0
    above = [pair for pair in truth if pair.jaccard >= threshold]
    resolved = sum(not outcome.both_kept(pair.copy, pair.source) for pair in above)
    recall = resolved / len(above) if above else 1.0
    name = f"generated {outcome.read:,}"
    return [
        Check(name, "precision (removals within a family)", f"{precision:.4f} ({right}/{len(outcome.removed)})",
              f">= {PRECISION_TARGET}", precision >= PRECISION_TARGET),
        Check(name, f"recall (planted pairs J >= {threshold})", f"{recall:.4f} ({resolved}/{len(above)})",
              f">= {RECALL_TARGET}", recall >= RECALL_TARGET),
        Check(name, "planted pairs / removed", f"{len(truth)} / {len(outcome.removed)}", "(info)", True),
    ]


def evaluate_generated(workdir: Path, count: int = GENERATED, threshold: float = THRESHOLD) -> list[Check]:
    corpus = workdir / "generated.jsonl"
    truth = generate.write_corpus(corpus, count, seed=0)
    return generated_checks(run_dedup([str(corpus)], workdir, "--threshold", str(threshold)), truth, threshold)


def table(checks: list[Check]) -> str:
    rows = [("corpus", "measure", "value", "target", "")] + [
        (c.corpus, c.measure, c.value, c.target, "ok" if c.ok else "MISSED") for c in checks
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def evaluate_dedup(data_dir: str | Path, generated: int = GENERATED) -> int:
    """Run both evaluations, print the table; 0 if every target is met, else 1."""
    with tempfile.TemporaryDirectory(prefix="samestory-eval-") as tmp:
        checks = evaluate_bbc(Path(data_dir), Path(tmp))
        checks += evaluate_generated(Path(tmp), generated)
    print(table(checks))
    return 0 if all(c.ok for c in checks) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_dedup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data", help="the folder holding bbc-news/")
    parser.add_argument("--generated", type=int, default=GENERATED, help="articles in the generated corpus")
    args = parser.parse_args(argv)
    return evaluate_dedup(args.data, args.generated)


if __name__ == "__main__":
    sys.exit(main())
