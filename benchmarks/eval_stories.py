"""Story-clustering quality on the labeled corpora in ../shared/data.

Loaders return (texts, gold labels); `cluster_scores` compares a predicted
labelling with the gold one (B-cubed, ARI, stories split and merged).
The data is read in place, never copied.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.agreement import bcubed


@dataclass
class Labeled:
    """A labeled corpus: texts, gold story labels, and dates where known."""

    name: str
    texts: list[str]
    gold: list[str]
    dates: list | None = None
    records: list | None = None       # corpus.read.Record per text, fields included, when the corpus has more than texts
    languages: list[str] | None = None    # the corpus's own language label per text (for per-language scores)
    topics: list[str] | None = None       # coarse topic per text: the corpus can be clustered one topic at a time


def load_ecbplus(data_dir: str | Path) -> Labeled:
    """ECB+: one article per line, gold = event_cluster (topic + subtopic).

    The derived JSONL already leaves out sentence 0 of the *ecbplus files
    (their source URL), so the texts are article text only, as a user's would be.
    """
    path = Path(data_dir) / "ecbplus" / "ecbplus_docs.jsonl"
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    return Labeled("ECB+", [" ".join(d["sentences"]) for d in docs], [d["event_cluster"] for d in docs],
                   topics=[str(d["topic"]) for d in docs])


def load_dev_stories(data_dir: str | Path) -> Labeled:
    """dev-stories: real English and Indonesian excerpts, gold = story; every field
    (title, date, outlet, ...) is kept, so the corpus can be read as the commands read it."""
    from corpus.decode import plain_text
    from corpus.read import Record

    path = Path(data_dir) / "dev-stories" / "articles.jsonl"
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    records = [Record(id=d["id"], text=plain_text(d["text"]), source=str(path), line=n, fields=d, date=d.get("date"))
               for n, d in enumerate(docs, 1)]
    return Labeled("dev-stories", [d["text"] for d in docs], [d["story"] for d in docs], None, records,
                   [d["language"] for d in docs])


def load_multinews(data_dir: str | Path) -> Labeled:
    """Multi-News test after the cleaning its README suggests: drop documents with
    >= 3 LLM irrelevance votes, with <= 3 words, or exact copies across clusters."""
    path = Path(data_dir) / "multi-news" / "multi_news_test.jsonl"
    texts, gold = [], []
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        for text, votes, cross_dup in zip(record["documents"], record["llm_irrelevant_votes"], record["cross_cluster_exact_dup"]):
            if votes < 3 and not cross_dup and len(text.split()) > 3:
                texts.append(text)
                gold.append(str(record["cluster_id"]))
    return Labeled("Multi-News test (cleaned)", texts, gold)


def load_uci_head(data_dir: str | Path) -> Labeled:
    """UCI News Aggregator head: headlines only, gold = aggregator STORY id, dates from TIMESTAMP."""
    import datetime

    path = Path(data_dir) / "uci-news-aggregator-head" / "uci_news_aggregator_first6366.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    dates = [datetime.datetime.fromtimestamp(int(r["TIMESTAMP"]) / 1000, datetime.timezone.utc).date() for r in rows]
    return Labeled("UCI News Aggregator head (headlines)", [r["TITLE"] for r in rows], [r["STORY"] for r in rows], dates)


def _as_ints(labels: list) -> np.ndarray:
    """Labels of any hashable type as dense integer codes (first-appearance order)."""
    codes: dict = {}
    return np.array([codes.setdefault(label, len(codes)) for label in labels], dtype=np.int64)


def adjusted_rand(predicted: list, gold: list) -> float:
    """Adjusted Rand index from the contingency table."""
    pred, true = _as_ints(predicted), _as_ints(gold)
    n = len(pred)
    pair = pred * (true.max() + 1) + true
    comb = lambda x: (x * (x - 1) / 2).sum()  # noqa: E731 - pairs within each count
    index = comb(np.unique(pair, return_counts=True)[1].astype(float))
    a, b = comb(np.bincount(pred).astype(float)), comb(np.bincount(true).astype(float))
    expected = a * b / (n * (n - 1) / 2)
    maximum = (a + b) / 2
    return 1.0 if maximum == expected else float((index - expected) / (maximum - expected))


def split_and_merged(predicted: list, gold: list) -> tuple[int, int]:
    """Gold stories spread over more than one predicted story, and gold stories
    that share a predicted story with another gold story."""
    pred, true = _as_ints(predicted), _as_ints(gold)
    pairs = np.unique(np.stack([pred, true], axis=1), axis=0)
    stories_per_gold = np.bincount(pairs[:, 1])
    golds_per_pred = np.bincount(pairs[:, 0])
    split = int(np.count_nonzero(stories_per_gold > 1))
    merged = int(len(np.unique(pairs[golds_per_pred[pairs[:, 0]] > 1, 1])))
    return split, merged


def cluster_scores(predicted: list, gold: list) -> dict:
    """Every figure the evaluation prints for one labelling."""
    precision, recall, f1 = bcubed(predicted, gold)
    split, merged = split_and_merged(predicted, gold)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "ari": adjusted_rand(predicted, gold),
        "split": split,
        "merged": merged,
        "stories": len(set(predicted)),
    }
