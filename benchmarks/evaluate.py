"""`make eval`: quality on the labeled corpora in ../shared/data.

Stories: samestory's story clustering with its default settings (the same for
every corpus) on ECB+ and on the cleaned Multi-News test split, next to the
TF-IDF + average-linkage baseline at its best threshold for each corpus.
The UCI headlines are an optional extra (--uci). Then the dedup evaluation
(benchmarks.eval_dedup), when that module is present.

    python -m benchmarks.evaluate --data ../shared/data [--no-baseline] [--uci] [--no-dedup]

Exit status 1 when a target below is missed.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time

import numpy as np

from benchmarks import baseline_tfidf
from benchmarks.eval_stories import Labeled, cluster_scores, load_ecbplus, load_multinews, load_uci_head
from corpus.stories import StorySettings, story_clusters

TARGETS = {"ECB+": (0.90, None), "Multi-News test (cleaned)": (0.88, 120.0)}   # (B-cubed F1, seconds)
BASELINE_THRESHOLDS = [round(t, 2) for t in np.arange(0.05, 0.51, 0.01)]
RUNS = 3                                                                        # timing: median of runs


def samestory_run(corpus: Labeled, runs: int = RUNS) -> tuple[dict, float]:
    """Scores with default settings, and the median time of `runs` runs."""
    times, labels = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = story_clusters(corpus.texts, corpus.dates, StorySettings())
        times.append(time.perf_counter() - started)
        if labels is not None and labels != result.labels:
            raise AssertionError(f"{corpus.name}: two runs gave different stories")
        labels = result.labels
    return cluster_scores(labels, corpus.gold), statistics.median(times)


def command_run(corpus: Labeled) -> tuple[dict, float]:
    """Scores and time of what `samestory stories` does: site chrome removed,
    dates read, near-duplicates found and nested, then the default clustering."""
    from corpus.pipeline import prepare
    from corpus.read import Record

    started = time.perf_counter()
    records = [Record(id=str(i), text=text, source=corpus.name) for i, text in enumerate(corpus.texts)]
    prepared = prepare(records)
    dates = corpus.dates or prepared.dates
    result = story_clusters(prepared.texts, dates, StorySettings(), prepared.copy_of)
    return cluster_scores(result.labels, corpus.gold), time.perf_counter() - started


def row(name: str, setting: str, scores: dict, seconds: float) -> str:
    return (f"  {name:<22} {setting:<16} {scores['precision']:>6.4f} {scores['recall']:>6.4f} {scores['f1']:>6.4f} "
            f"{scores['ari']:>6.4f} {scores['stories']:>7} {scores['split']:>6} {scores['merged']:>6} {seconds:>8.1f}")


def evaluate_corpus(corpus: Labeled, baseline: bool) -> bool:
    """Print one corpus's table; True when its targets are met (or it has none)."""
    print(f"\n{corpus.name}: {len(corpus.texts):,} articles, {len(set(corpus.gold)):,} gold stories")
    print(f"  {'':<22} {'setting':<16} {'P':>6} {'R':>6} {'F1':>6} {'ARI':>6} {'stories':>7} {'split':>6} "
          f"{'merged':>6} {'seconds':>8}")
    scores, seconds = samestory_run(corpus)
    defaults = StorySettings()
    print(row("samestory", f"defaults t={defaults.threshold:g}", scores, seconds))
    print(row("samestory stories", "+ clean, copies", *command_run(corpus)))
    if baseline:
        best = baseline_tfidf.best(baseline_tfidf.sweep(corpus.texts, corpus.gold, BASELINE_THRESHOLDS))
        print(row("TF-IDF + avg linkage", f"best t={best.threshold:g}", best.scores, best.seconds))
    if corpus.name not in TARGETS:
        return True
    f1_target, seconds_target = TARGETS[corpus.name]
    ok = scores["f1"] >= f1_target and (seconds_target is None or seconds <= seconds_target)
    limit = f", under {seconds_target:g} s" if seconds_target else ""
    print(f"  target: B-cubed F1 >= {f1_target}{limit} with defaults: {'met' if ok else 'MISSED'}")
    return ok


def evaluate_dedup(data_dir: str) -> bool:
    """The dedup helper's evaluation, if its module exists."""
    try:
        module = importlib.import_module("benchmarks.eval_dedup")
    except ModuleNotFoundError:
        print("\ndedup: benchmarks/eval_dedup.py not present, skipped")
        return True
    print("\nDedup (benchmarks.eval_dedup)")
    sys.stdout.flush()
    return module.evaluate_dedup(data_dir) == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data", help="the folder holding ecbplus/, multi-news/, ...")
    parser.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF baseline")
    parser.add_argument("--uci", action="store_true", help="also the UCI News Aggregator headlines")
    parser.add_argument("--no-dedup", action="store_true", help="skip the dedup evaluation")
    args = parser.parse_args(argv)
    corpora = [load_ecbplus(args.data), load_multinews(args.data)]
    if args.uci:
        corpora.append(load_uci_head(args.data))
    print("Story clusters: B-cubed precision, recall, F1; adjusted Rand index; gold stories split over several "
          "predicted ones and gold stories sharing one with another; seconds (samestory: median of "
          f"{RUNS} runs of story_clusters on the texts as given; `samestory stories`: one run of the command's "
          "steps, chrome removal and near-duplicate nesting included; baseline: TF-IDF, linkage and cut)")
    ok = all([evaluate_corpus(corpus, not args.no_baseline) for corpus in corpora])
    if not args.no_dedup:
        ok = evaluate_dedup(args.data) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
