"""Evidence for overlap.SHARED_THRESHOLD: how precise "shared sentence" is at each ratio.

1. MSRP (news sentence pairs, human paraphrase judgements; negatives were chosen for
   high word overlap): precision and recall of `fuzz.ratio >= t` on the sentences as
   `corpus.overlap` compares them.
2. Chance matches: sentences of *different* Multi-News stories (documents flagged as
   cross-story copies left out), all pairs of a fixed sample of stories; how many
   reach each threshold (these should never be "shared").

    .venv/bin/python -m benchmarks.sentence_matching --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from corpus.overlap import MIN_FUZZY_WORDS, sentence_key
from corpus.sentences import split_sentences

THRESHOLDS = (60, 65, 70, 75, 80, 85, 90)


def msrp_table(data: Path) -> list[tuple[int, int, float, float]]:
    """(threshold, accepted pairs, precision, recall) over train + test."""
    labels, scores = [], []
    for name in ("msr_paraphrase_train.txt", "msr_paraphrase_test.txt"):
        for line in (data / "msrp" / name).read_text(encoding="utf-8-sig").splitlines():
            quality, _, _, first, second = line.split("\t")
            labels.append(int(quality))
            scores.append(fuzz.ratio(sentence_key(first), sentence_key(second)))
    y, s = np.array(labels), np.array(scores)
    return [(t, int((s >= t).sum()), float(y[s >= t].mean()), float(y[s >= t].sum() / y.sum())) for t in THRESHOLDS]


def chance_matches(data: Path, stories: int = 300, seed: int = 0) -> tuple[int, dict[int, int]]:
    """(cross-story sentence pairs compared, pairs reaching each threshold)."""
    records = [json.loads(line) for line in (data / "multi-news" / "multi_news_test.jsonl").open(encoding="utf-8")]
    chosen = random.Random(seed).sample(records, stories)
    keys, story = [], []
    for number, record in enumerate(chosen):
        for document, copied in zip(record["documents"], record["cross_cluster_exact_dup"]):
            if copied:      # crawl notices found in many stories: real copies, not chance
                continue
            for sentence in split_sentences(document):
                key = sentence_key(sentence)
                if len(key.split()) >= MIN_FUZZY_WORDS:
                    keys.append(key)
                    story.append(number)
    matrix = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=min(THRESHOLDS), dtype=np.uint8, workers=-1)
    different = np.not_equal.outer(story, story)
    upper = np.triu(different, k=1)
    compared = int(upper.sum())
    return compared, {t: int(((matrix >= t) & upper).sum()) for t in THRESHOLDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    print("MSRP: threshold  accepted  precision  recall")
    for t, n, precision, recall in msrp_table(args.data):
        print(f"      {t:9d}  {n:8d}  {precision:9.3f}  {recall:6.3f}")
    compared, reached = chance_matches(args.data)
    print(f"Multi-News, sentences of different stories: {compared} pairs compared")
    for t in THRESHOLDS:
        print(f"      ratio >= {t}: {reached[t]} pairs ({reached[t] / compared:.2e})")


if __name__ == "__main__":
    main()
