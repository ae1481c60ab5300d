"""Evidence for matching.SHARED_THRESHOLD and SIMILAR_THRESHOLD: how precise "shared
sentence" is at each ratio, and what "told in other words" catches and risks.

1. MSRP (news sentence pairs, human paraphrase judgements; negatives were chosen for
   high word overlap): precision and recall of `fuzz.ratio >= t` on the sentences as
   `corpus.overlap` compares them.
2. Chance matches: sentences of *different* Multi-News stories (documents flagged as
   cross-story copies left out), all pairs of a fixed sample of stories; how many
   reach each threshold (these should never be "shared").
3. "Told in other words" (pairs below the shared threshold sharing MIN_SIMILAR_BIGRAMS
   bigrams, token_set_ratio over content words): on MSRP, the share of the
   paraphrases that ratio misses it catches (MSRP pairs have no story, so no common
   words are set aside); on Multi-News, the 300 stories pooled 10 at a time (and
   all 300 at once) as if each pool were one story (common words set aside per pool, as `story_overlap`
   does), how many pairs of sentences from different stories it accepts.
4. "Retold" (`matching._retold`: the shorter sentence's words in order inside the
   longer, but for one moved phrase): on MSRP, how many pairs below the shared
   threshold it accepts and how many of them are paraphrases; in the pooled
   Multi-News stories, how many pairs of sentences of different stories it accepts.

    .venv/bin/python -m benchmarks.sentence_matching --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from corpus.matching import (
    MIN_CONTENT_WORDS, MIN_FUZZY_WORDS, MIN_SIMILAR_BIGRAMS, SHARED_THRESHOLD, SIMILAR_THRESHOLD,
    _retold, candidate_pairs, content_words, sentence_key, story_common_words,
)
from corpus.sentences import split_sentences

THRESHOLDS = (60, 65, 70, 75, 80, 85, 90)
SIMILAR_THRESHOLDS = (65, 70, 75, 80, 85)
POOLS = (10, 300)    # Multi-News stories pooled into one pseudo-story


def _bigram_count(a: str, b: str) -> int:
    """Distinct word bigrams two keys share."""
    grams = [set(zip(k.split(), k.split()[1:])) for k in (a, b)]
    return len(grams[0] & grams[1])


def _told_score(a: str, b: str, common: set[str]) -> float:
    """token_set_ratio over content words, 0 where `story_overlap` would not compare."""
    ca, cb = content_words(a, common), content_words(b, common)
    if _bigram_count(a, b) < MIN_SIMILAR_BIGRAMS or min(len(ca.split()), len(cb.split())) < MIN_CONTENT_WORDS:
        return 0.0
    return fuzz.token_set_ratio(ca, cb)


def msrp_pairs(data: Path) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Labels and sentence keys of the MSRP pairs, train + test."""
    labels, pairs = [], []
    for name in ("msr_paraphrase_train.txt", "msr_paraphrase_test.txt"):
        for line in (data / "msrp" / name).read_text(encoding="utf-8-sig").splitlines():
            quality, _, _, first, second = line.split("\t")
            labels.append(int(quality))
            pairs.append((sentence_key(first), sentence_key(second)))
    return np.array(labels), pairs


def msrp_table(y: np.ndarray, pairs: list[tuple[str, str]]) -> list[tuple[int, int, float, float]]:
    """(threshold, accepted pairs, precision, recall) of ratio >= threshold."""
    s = np.array([fuzz.ratio(a, b) for a, b in pairs])
    return [(t, int((s >= t).sum()), float(y[s >= t].mean()), float(y[s >= t].sum() / y.sum())) for t in THRESHOLDS]


def msrp_told(y: np.ndarray, pairs: list[tuple[str, str]]) -> tuple[int, int, list[tuple[int, float, float]]]:
    """Among pairs below SHARED_THRESHOLD: (positives, negatives, [(threshold, share of
    positives caught, share of negatives caught)])."""
    below = np.array([fuzz.ratio(a, b) < SHARED_THRESHOLD for a, b in pairs])
    told = np.array([_told_score(a, b, set()) for a, b in pairs])
    positive, negative = below & (y == 1), below & (y == 0)
    return int(positive.sum()), int(negative.sum()), [
        (t, float((told[positive] >= t).mean()), float((told[negative] >= t).mean())) for t in SIMILAR_THRESHOLDS
    ]


def msrp_retold(y: np.ndarray, pairs: list[tuple[str, str]]) -> tuple[int, int]:
    """Among pairs below SHARED_THRESHOLD: (pairs retold, of them paraphrases)."""
    retold = np.array([fuzz.ratio(a, b) < SHARED_THRESHOLD and _retold(a, b, _bigram_count(a, b)) for a, b in pairs])
    return int(retold.sum()), int(y[retold].sum())


def story_sentences(data: Path, stories: int = 300, seed: int = 0) -> tuple[list[str], list[int], list[int]]:
    """Keys of the long sentences of a fixed sample of Multi-News stories, with the
    number of their story and of their document."""
    records = [json.loads(line) for line in (data / "multi-news" / "multi_news_test.jsonl").open(encoding="utf-8")]
    chosen = random.Random(seed).sample(records, stories)
    keys, story, doc = [], [], []
    documents = 0
    for number, record in enumerate(chosen):
        for document, copied in zip(record["documents"], record["cross_cluster_exact_dup"]):
            if copied:      # crawl notices found in many stories: real copies, not chance
                continue
            documents += 1
            for sentence in split_sentences(document):
                key = sentence_key(sentence)
                if len(key.split()) >= MIN_FUZZY_WORDS:
                    keys.append(key)
                    story.append(number)
                    doc.append(documents)
    return keys, story, doc


def chance_matches(keys: list[str], story: list[int]) -> tuple[int, dict[int, int]]:
    """(cross-story sentence pairs compared, pairs reaching each ratio threshold)."""
    matrix = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=min(THRESHOLDS), dtype=np.uint8, workers=-1)
    different = np.not_equal.outer(story, story)
    upper = np.triu(different, k=1)
    compared = int(upper.sum())
    return compared, {t: int(((matrix >= t) & upper).sum()) for t in THRESHOLDS}


def told_chance(keys: list[str], story: list[int], doc: list[int], size: int) -> tuple[int, list[int], int]:
    """Stories pooled `size` at a time, each pool one pseudo-story: (pairs of sentences of
    different stories in a pool, how many of them are "told in other words" at each
    SIMILAR_THRESHOLDS, how many are retold, counting only pairs below the shared threshold)."""
    story_of = np.array(story)
    compared, accepted, retold = 0, np.zeros(len(SIMILAR_THRESHOLDS), dtype=np.int64), 0
    for pool in range(0, int(story_of.max()) + 1, size):
        members = np.flatnonzero((story_of >= pool) & (story_of < pool + size))
        pool_keys = [keys[i] for i in members]
        sizes = np.bincount(story_of[members])
        compared += len(members) * (len(members) - 1) // 2 - int((sizes * (sizes - 1) // 2).sum())
        doc_keys: dict[int, list[str]] = {}
        for i in members.tolist():
            doc_keys.setdefault(doc[i], []).append(keys[i])
        common = story_common_words(list(doc_keys.values()))
        first, second, bigrams = candidate_pairs(pool_keys)
        for a, b, shared in zip(first.tolist(), second.tolist(), bigrams.tolist()):
            i, j = members[a], members[b]
            if story_of[i] != story_of[j] and fuzz.ratio(keys[i], keys[j]) < SHARED_THRESHOLD:
                score = _told_score(keys[i], keys[j], common)
                accepted += np.array([score >= t for t in SIMILAR_THRESHOLDS])
                retold += _retold(keys[i], keys[j], shared)
    return compared, accepted.tolist(), retold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    y, pairs = msrp_pairs(args.data)
    print("MSRP: threshold  accepted  precision  recall")
    for t, n, precision, recall in msrp_table(y, pairs):
        print(f"      {t:9d}  {n:8d}  {precision:9.3f}  {recall:6.3f}")
    keys, story, doc = story_sentences(args.data)
    compared, reached = chance_matches(keys, story)
    print(f"Multi-News, sentences of different stories: {compared} pairs compared")
    for t in THRESHOLDS:
        print(f"      ratio >= {t}: {reached[t]} pairs ({reached[t] / compared:.2e})")
    positives, negatives, caught = msrp_told(y, pairs)
    print(f"Told in other words (>= {MIN_SIMILAR_BIGRAMS} shared bigrams, token_set_ratio over content words;"
          f" used: {SIMILAR_THRESHOLD}):")
    print(f"  MSRP pairs below ratio {SHARED_THRESHOLD}: {positives} paraphrases, {negatives} non-paraphrases")
    for t, pos, neg in caught:
        print(f"      >= {t}: MSRP paraphrases caught {pos:.3f}, non-paraphrases {neg:.3f}")
    retold, paraphrases = msrp_retold(y, pairs)
    print(f"Retold (words in order but one moved phrase): MSRP pairs below ratio {SHARED_THRESHOLD}: {retold},"
          f" {paraphrases} of them paraphrases")
    for size in POOLS:
        pooled, accepted, retold = told_chance(keys, story, doc, size)
        print(f"  Multi-News, {size} stories pooled as one: {pooled} pairs of sentences of different stories")
        for t, n in zip(SIMILAR_THRESHOLDS, accepted):
            print(f"      >= {t}: {n} pairs ({n / pooled:.2e})")
        print(f"      retold: {retold} pairs ({retold / pooled:.2e})")


if __name__ == "__main__":
    main()
