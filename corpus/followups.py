"""Follow-up reports: a lone report that the date window kept from its story.

The window (`--window`, 7 days) keeps reports of recurring events apart and
bounds the comparisons, so a follow-up written weeks after its event (the
investigation, the aftermath, the verdict) is never compared with the
story's first reports, and its pairs with them count 0 in the linkage: it
stays a story of its own. After linkage every dated single-report story is
therefore compared with each story of MIN_REPORTS or more reports as a
whole: its mean cosine with all of that story's documents (the mean average
linkage asks of any merge, without local scaling's lift), which is its dot
product with the sum of the story's unit vectors. It joins the story where
that mean is highest if the mean reaches the threshold and a dated report of
the story lies outside its window (else the linkage has already judged it on
every pair). So a lone report joins an established story weeks away only on
evidence that would have joined them without dates; stories of several
reports each stay apart, as the window keeps them, and so do two lone
reports.
A lone report is compared only with the stories that share one of its
telling terms: a term held by at most STORY_CAP_MIN stories, or by at most
STORY_CAP_SHARE of them (what most stories carry says nothing of which one a
report follows up; the mean is then taken over all the terms). Comparing
every lone report with every story would cost lone reports times stories,
which grows with the square of a corpus (the README's stories section says
what the bound changes: nothing at the default threshold on the corpora
measured).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
try:    # scipy's matrix-vector product on arrays (private; `@` on a slice costs more than a story's few products)
    from scipy.sparse._sparsetools import csr_matvec
except ImportError:      # a scipy without it: `@` on each story's rows, the same sums
    csr_matvec = None

from corpus.mapped import let_go_matrix, parked
from corpus.similarity import product_at_floor

MIN_REPORTS = 3               # a story of this many reports or more can take in a follow-up
STORY_CAP_MIN = 10            # a term of this many stories or fewer tells them apart (a corpus of few stories: every term)
STORY_CAP_SHARE = 0.005       # and so does a term of at most this share of the stories
STORY_CELLS = 1 << 24         # entries of the stories' member vectors summed at a time (memory, not results)
GATHERED_ENTRIES = 1 << 21    # entries of lone reports' rows gathered at a time for the means (memory, not results)


def follow_up_joins(vectors: sp.csr_matrix, clusters: np.ndarray, days: np.ndarray, window_days: int | None,
                    threshold: float) -> list[tuple[int, int, float]]:
    """(document, cluster it joins, mean cosine) for every lone dated document
    that joins a story of several documents (module notes), by document.
    `vectors`: unit term vectors; `clusters`: each document's cluster id;
    `days`: day numbers, NaN where unknown. The stories' summed vectors are
    made for a run of stories at a time (their members' entries at most
    STORY_CELLS) and parked on disk (`corpus.mapped`) to be read twice (the
    telling terms, then the means), so a large corpus never holds them all
    and sums them once. A document is
    compared only with the stories sharing one of its telling terms
    (`telling_terms`), each such mean worked out as the whole product would."""
    if window_days is None or not len(clusters):
        return []
    sizes = np.bincount(clusters, minlength=len(clusters))
    lone = np.flatnonzero((sizes[clusters] == 1) & ~np.isnan(days))
    stories = np.flatnonzero(sizes >= MIN_REPORTS)
    if not len(lone) or not len(stories):
        return []
    story_of = np.full(len(sizes), -1, dtype=np.int64)
    story_of[stories] = np.arange(len(stories))
    members = np.flatnonzero(story_of[clusters] >= 0)
    first, last = _dated_span(days[members], story_of[clusters[members]], len(stories))
    indicator = sp.csr_matrix((np.ones(len(members)), (story_of[clusters[members]], members)),
                              shape=(len(stories), len(clusters)))
    entries = np.bincount(story_of[clusters[members]], weights=np.diff(vectors.indptr)[members], minlength=len(stories))
    runs = _runs(entries, STORY_CELLS)
    run_sums = [parked(sp.csr_matrix(indicator[low:high] @ vectors)) for low, high in runs]   # made once, read twice
    telling = telling_terms(run_sums, vectors.shape[1], len(stories))
    lone_vectors = vectors[lone]
    probes = _presence(lone_vectors, telling)
    found = [(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0))]
    for (low, high), sums in zip(runs, run_sums):
        row, story, _ = product_at_floor(probes, _presence(sums, telling).T.tocsr(), 0.5)   # pairs sharing a telling term
        story += low
        day = days[lone[row]]
        with np.errstate(invalid="ignore"):
            beyond = (day - first[story] > window_days) | (last[story] - day > window_days)
        row, story = row[beyond], story[beyond]
        mean = _dots(lone_vectors, row, sums, story - low) / sizes[stories[story]]
        keep = mean >= threshold
        found.append((lone[row[keep]], story[keep], mean[keep]))
        let_go_matrix(sums)
    del run_sums
    document, story, mean = (np.concatenate(column) for column in zip(*found))
    story = stories[story]
    order = np.lexsort((story, -mean, document))          # per document: the highest mean first (ties: first story)
    document, story, mean = document[order], story[order], mean[order]
    best = np.r_[True, document[1:] != document[:-1]] if len(document) else np.zeros(0, dtype=bool)
    return list(zip(document[best].tolist(), story[best].tolist(), mean[best].tolist()))


def telling_terms(run_sums: list[sp.csr_matrix], terms: int, stories: int) -> np.ndarray:
    """Per term, whether it tells stories apart: it is in at most
    STORY_CAP_MIN stories, or STORY_CAP_SHARE of them (`run_sums`: the
    stories' summed vectors, a run of stories at a time, each let go after)."""
    held = np.zeros(terms, dtype=np.int64)
    for sums in run_sums:
        held += np.bincount(sums.indices, minlength=terms)
        let_go_matrix(sums)
    return held <= max(STORY_CAP_MIN, STORY_CAP_SHARE * stories)


def _presence(matrix: sp.csr_matrix, kept: np.ndarray) -> sp.csr_matrix:
    """The matrix's entries in the kept columns, as ones."""
    keep = kept[matrix.indices]
    indptr = np.r_[0, np.cumsum(keep)][matrix.indptr]
    return sp.csr_matrix((np.ones(int(indptr[-1])), matrix.indices[keep], indptr), shape=matrix.shape)


def _runs(entries: np.ndarray, most: float) -> list[tuple[int, int]]:
    """Consecutive runs [low, high) of items whose entries add up to at most `most` (an item past it alone)."""
    runs, low, held = [], 0, 0.0
    for item, size in enumerate(entries.tolist()):
        if item > low and held + size > most:
            runs.append((low, item))
            low, held = item, 0.0
        held += size
    runs.append((low, len(entries)))
    return runs


def _dots(rows: sp.csr_matrix, row: np.ndarray, sums: sp.csr_matrix, story: np.ndarray) -> np.ndarray:
    """Each dot product of rows[row[i]] with sums[story[i]], added in the
    row's order of terms as the sparse product adds them (the same float):
    the pairs' rows gathered in order of story, for a run of stories of at
    most GATHERED_ENTRIES entries at a time, then a story at a time its sum
    spread over a dense array of the terms and multiplied with its pairs'
    rows by scipy's matrix-vector product (each row's products added one by
    one from 0; its private routine on the gathered arrays, as the public
    one costs more than the products for a story of a few pairs)."""
    dense, ordered = np.zeros(rows.shape[1]), np.zeros(len(row))
    by_story = np.argsort(story, kind="stable")
    edges = np.flatnonzero(np.diff(story[by_story], prepend=-1, append=-1))
    entries = np.add.reduceat(np.diff(rows.indptr)[row[by_story]], edges[:-1]) if len(row) else edges[:0]
    for first, last in _runs(entries, GATHERED_ENTRIES) if len(row) else []:
        gathered = rows[row[by_story[edges[first] : edges[last]]]]
        for low, high in zip(edges[first:last].tolist(), edges[first + 1 : last + 1].tolist()):
            held = slice(sums.indptr[story[by_story[low]]], sums.indptr[story[by_story[low]] + 1])
            dense[sums.indices[held]] = sums.data[held]
            at = slice(low - edges[first], high - edges[first])
            if csr_matvec is None:
                ordered[low:high] = gathered[at] @ dense
            else:
                csr_matvec(high - low, len(dense), gathered.indptr[at.start : at.stop + 1], gathered.indices,
                           gathered.data, dense, ordered[low:high])
            dense[sums.indices[held]] = 0.0
    dots = np.empty(len(row))
    dots[by_story] = ordered
    return dots


def _dated_span(days: np.ndarray, story: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per story its first and last known day (NaN when none is known)."""
    first, last = np.full(count, np.inf), np.full(count, -np.inf)
    known = ~np.isnan(days)
    np.minimum.at(first, story[known], days[known])
    np.maximum.at(last, story[known], days[known])
    unknown = np.isinf(first)
    first[unknown], last[unknown] = np.nan, np.nan
    return first, last
