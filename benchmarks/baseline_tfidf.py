"""The baseline story clusterer: scikit-learn TF-IDF (defaults, but sublinear tf:
the stronger of the two on both corpora) and
average-linkage clustering on cosine distance over the full distance matrix,
cut at each threshold of a sweep. The best cut is reported next to samestory's
defaults; the baseline gets to pick its threshold per corpus, samestory does not."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np


@dataclass
class BaselineRun:
    threshold: float                  # cosine similarity at which the dendrogram is cut
    scores: dict
    seconds: float                    # vectorising + linkage + this cut


def tfidf_average_linkage(texts: list[str]):
    """(linkage matrix, seconds): TF-IDF vectors, cosine distances, average linkage."""
    from scipy.cluster.hierarchy import linkage
    from sklearn.feature_extraction.text import TfidfVectorizer

    started = time.perf_counter()
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    similarity = (vectors @ vectors.T).toarray()
    distance = np.clip(1.0 - similarity[np.triu_indices(len(texts), 1)], 0.0, 2.0)
    del similarity
    tree = linkage(distance, method="average")
    return tree, time.perf_counter() - started


def sweep(texts: list[str], gold: list[str], thresholds: list[float]) -> list[BaselineRun]:
    """The baseline at every threshold (one linkage, many cuts)."""
    from scipy.cluster.hierarchy import fcluster

    from benchmarks.eval_stories import cluster_scores

    tree, seconds = tfidf_average_linkage(texts)
    runs = []
    for threshold in thresholds:
        started = time.perf_counter()
        labels = fcluster(tree, 1.0 - threshold, criterion="distance").tolist()
        runs.append(BaselineRun(threshold, cluster_scores(labels, gold), seconds + time.perf_counter() - started))
    return runs


def best(runs: list[BaselineRun]) -> BaselineRun:
    return max(runs, key=lambda run: run.scores["f1"])
