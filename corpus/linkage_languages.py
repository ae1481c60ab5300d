"""Average linkage of components holding reports in two or more languages.

A pair of reports in two languages is scored on the names, numbers and
loanwords both languages spell alike (`corpus.crosslingual`), a coarser
measure than the whole vocabulary a pair in one language shares: reports of
look-alike events (two lunar landers of one week) name each other, so
across languages they can score as high as reports of one event. In the
mean over two clusters' cross pairs such pairs can outvote what the reports
of one language say of each other: a single English report of one lander
joined the other lander's story (its three English and three Indonesian
reports) at a mean of 0.212, its pairs with the English reports 0.15-0.16,
those with the Indonesian ones 0.19-0.31.

So in such a component two clusters merge as in `corpus.linkage` (best mean
over all their cross pairs first, while it reaches the threshold), except
that two clusters holding reports of one language merge only when the mean
over their cross pairs within one language (unscored pairs 0, documents of
unknown language with any) reaches the threshold too: when the reports of
one language disagree, pairs across languages do not overrule them. Two
clusters without a language in common are judged on their cross pairs
alone, as before. A veto only removes merges, so a mean still reaches the
threshold only if one of its pairs does: the components are those of
`corpus.linkage`. Components of one language are not touched, so a corpus
of one language gets the same merges.

One merge at a time, on dense arrays per component (the mixed components of
small bilingual folders; a component of more than `corpus.linkage.DENSE_LIMIT`
documents is clustered without the veto). Ties go to the pair of clusters
with the smallest ids, as in `corpus.linkage`.

Reports their own language disagrees with leave their stories after linkage
(`corpus.language_review`).
"""

from __future__ import annotations

import numpy as np

from corpus.linkage_rounds import empty_steps


def one_language(languages: np.ndarray) -> np.ndarray:
    """Per pair of items: whether they are of one language (or one's is unknown, -1)."""
    known = languages >= 0
    return (languages[:, None] == languages[None, :]) | ~known[:, None] | ~known[None, :]


def language_steps(component: np.ndarray, languages: np.ndarray, first: np.ndarray, second: np.ndarray,
                   scores: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    """The merges of the components holding the pairs `first`, `second`
    (grouped by component; the smaller item first) with the veto (module
    notes), in the columns of `corpus.linkage`'s steps."""
    if not len(scores):
        return empty_steps()
    of_pair = component[first]
    bounds = np.flatnonzero(np.diff(of_pair, prepend=-1)).tolist() + [len(scores)]
    by_component = np.argsort(component, kind="stable")      # each component's items, ascending
    ordered = component[by_component]
    found = []
    for start, stop in zip(bounds[:-1], bounds[1:]):
        label = int(of_pair[start])
        items = by_component[np.searchsorted(ordered, label) : np.searchsorted(ordered, label, side="right")]
        found.append(_component_steps(label, items, languages, first[start:stop], second[start:stop],
                                      scores[start:stop], threshold))
    return {key: np.concatenate([steps[key] for steps in found]) for key in found[0]}


def _component_steps(label: int, items: np.ndarray, languages: np.ndarray, first: np.ndarray,
                     second: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    """Average linkage of one component (`label`, its `items` ascending), one merge at a time, with the veto."""
    count = len(items)
    totals = np.zeros((count, count))                # per pair of clusters: the sum of their cross scores ...
    np.add.at(totals, (np.searchsorted(items, first), np.searchsorted(items, second)), scores)
    totals += totals.T
    same = one_language(languages[items])
    np.fill_diagonal(same, False)
    own = np.where(same, totals, 0.0)                # ... of those within one language
    counted = same.astype(np.float64)                # ... and how many such pairs there are
    alive, size = np.ones(count, dtype=bool), np.ones(count)
    upper = np.triu(np.ones((count, count), dtype=bool), 1)
    merges = []
    while True:
        with np.errstate(invalid="ignore", divide="ignore"):
            agree = (counted == 0) | (own / counted >= threshold)
        open_ = upper & alive[:, None] & alive[None, :] & agree
        means = np.where(open_, totals / np.outer(size, size), -np.inf)
        left, right = np.unravel_index(int(np.argmax(means)), means.shape)   # ties: the smallest ids
        if not means[left, right] >= threshold:
            break
        size[left] += size[right]
        merges.append((len(merges), items[left], items[right], means[left, right], size[left]))
        for table in (totals, own, counted):
            table[left] += table[right]
            table[:, left] += table[:, right]
            table[left, left] = 0.0
        alive[right] = False
    if not merges:
        return empty_steps()
    steps, lefts, rights, means, sizes = (np.array(column) for column in zip(*merges))
    return {"component": np.full(len(merges), label, dtype=np.int64), "step": steps.astype(np.int64),
            "left": lefts.astype(np.int64), "right": rights.astype(np.int64), "score": means.astype(np.float64),
            "size": sizes.astype(np.float64)}
