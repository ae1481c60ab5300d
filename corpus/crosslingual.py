"""Scores of pairs of documents in different languages, on the scale of pairs in one.

Reports of one event in two languages share names, places, numbers, acronyms
and loanwords, spelled alike (terms are case-folded, and hyphens split words,
so "Jean-Luc" is "Jean Luc"), and little else: their cosine in the whole term
space is a fraction of what two reports of one event in one language reach,
because most of each vector is words of its own language. So:

1. Bridge terms: the terms found in documents of at least two of the corpus's
   languages (`corpus.language`). A document's bridge part is its unit vector
   restricted to them.
2. A pair of documents in different languages is a candidate only when its
   ordinary cosine (which counts nothing but bridge terms) reaches the score
   floor. A pair sharing fewer than MIN_SHARED_TERMS bridge terms is weighed
   down, the more so when neither document has a report of its own language
   scoring the threshold with it (`partnered`): such a pair is all the
   evidence that joins them, as for two loners. Two unrelated loners whose
   bridge parts are a two-word name and a year have a bridge cosine of ~0.96
   (their bridge parts are the terms they share), so what tells them from
   one story's reports is the count: such a pair keeps
   ((shared - FAINT_TERMS) / (MIN_SHARED_TERMS - FAINT_TERMS))^3 of its
   score, nothing for FAINT_TERMS (a two-word name; a name and a year) and
   an eighth for three, under the threshold even at a scale of 1 (squared,
   not cubed, a quarter: 0.24; (shared / 4)^2, 9/16: 0.54, and they joined,
   in a two-document folder and among dev-stories' reports alike, where the
   scale is 0.4-0.8). One story's reports in two languages share more: 6-10
   bridge terms in each two-report folder of dev-stories, 4 or more in
   every pair of one story in its stand-ins (`make eval`). A pair of which
   one document has a partner in its own language keeps
   (shared / MIN_SHARED_TERMS)^2: its story's other reports speak for it in
   the linkage's mean, and a report with few names in a story told in two
   languages often shares only three with a report in the other language
   (ECB+ with half of each event pseudo-translated,
   `benchmarks.pseudo_language`: the eighth for such pairs too took its
   three-event draws from 0.958 to 0.949, 7 of 40 draws worse, none
   better). No cross-language pair is lifted by local scaling
   (`corpus.stories`), so two loners stay apart.
   The terms a pair shares are counted over its documents' own-language
   partners too (`grouped_shared`): a term found in the first document or a
   report of its language scoring the threshold with it (its PARTNERS best
   such reports), and in the second or such a report of the second's. A story's reports name different parts
   of it (one the rescuer, one the village, one the toll), so a report with
   few names shares few with a report in the other language while its
   story's reports in its language share many with that report's story in
   the other; a third of the pairs of one event in two languages still
   apart in pseudo-translated ECB+ shared fewer than four terms, and were
   weighed down to nothing. Counted so, such a pair keeps its calibrated
   score, the score itself still its own two documents' bridge cosine; a
   loner has no partner, so two loners are counted as before. (ECB+
   pseudo-translated: one topic at a time 0.9175 -> 0.9344, three-event
   draws 0.9575 -> 0.9633, whole 0.9299 -> 0.9405; the Multi-News folders
   of `benchmarks.pseudo_stories`, 20 of each kind: every story in both
   languages 0.7915 -> 0.8034, some in one 0.8312 -> 0.8384, small 0.8331
   -> 0.8448; dev-stories' stand-ins unchanged.)
3. Its score is the cosine of the two bridge parts, each norm padded by
   SHRINK (a document with a tiny bridge part is not taken at its word), times
   a factor fitted on the same corpus: the least-squares slope of the ordinary
   cosine on the bridge cosine over the pairs *within* one language. A
   cross-language score is thus what a same-language pair with that bridge
   evidence scores, and the story threshold means the same for both.
   Pairs within one language keep their scores.
4. Names spelled alike: two names one letter apart (Rusia / Russia,
   Moskow / Moscow, Ukraina / Ukraine) found in documents of different
   languages (or of different sets of them: an English report may write
   Rusia too) are one bridge term (`spelled_alike`). The languages spell
   many names a little differently, and without this a short report whose
   names are mostly such shares fewer bridge terms with its story's reports
   in the other language (and is weighed down further, MIN_SHARED_TERMS)
   than with the long reports of a look-alike event that name everything,
   and joins that event (the every-story-bilingual stand-ins of `make eval`).
   Names only (written capitalised mid-sentence), sharing NAME_LETTERS
   letters or more: "bank" and "bang" stay two words, and so do five-letter
   names a changed letter apart (Medan, medal; Hasim, Halim); two names
   found in the same languages (Russia, Russian in English) stay two terms.
   Numbers likewise: languages that write a decimal comma and a thousands
   point (Indonesian 6,1 and 3.200; English 6.1 and 3,200) write the same
   magnitude, toll or sum with the separators swapped, and such two numbers
   found in documents of different languages are one bridge term.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

SHRINK = 0.01                 # added to both squared bridge norms: a pair with little bridge evidence scores low
PARTNERS = 5                  # a document's best own-language partners whose terms count for its cross pairs
GATHERED_ENTRIES = 1 << 22    # entries of pairs' rows gathered at a time (`pairwise_products`; memory, not results)
MIN_SHARED_TERMS = 4          # a cross-language pair sharing fewer bridge terms is weighed down: one name and a year are no story ...
FAINT_TERMS = 2               # ... and one of two documents partnered in neither language sharing this many scores 0
CALIBRATION_PAIRS = 200_000   # same-language pairs the scale factor is fitted on, at most (evenly spread)
NAME_SHARE = 0.5              # a term written capitalised mid-sentence at least this often is a name ...
NAME_LETTERS = 5              # ... matched to one a letter apart when the two share this many letters


class Spellings(NamedTuple):
    """What `spelled_alike` reads of the terms: per term its capitalised share and
    whether it has a digit, and a function giving a term's case-folded surface."""

    capital_share: np.ndarray
    has_digit: np.ndarray
    spelling: Callable[[int], str]


SWAPPED = str.maketrans(",.", ".,")   # 6,1 <-> 6.1 and 3.200 <-> 3,200


@dataclass
class Bridge:
    """The terms linking a corpus's languages and the scale of cross-language scores."""

    terms: np.ndarray                 # bool per term: found in documents of two or more languages
    scale: float                      # ordinary cosine per unit of bridge cosine, fitted within languages
    alike: np.ndarray | None = None   # per term the term it counts as (spelled alike); None: itself
    partnered: np.ndarray | None = None   # per document: a pair in its own language reaches the threshold
    partners: sp.csr_matrix | None = None   # per document: itself and the documents of those pairs (`grouped_shared`)

    def columns(self, vectors: sp.csr_matrix) -> sp.csr_matrix:
        """The vectors with the weights of terms spelled alike added up in one column (`spelled_alike`)."""
        return vectors if self.alike is None else merged_columns(vectors, self.alike)


def bridge_terms(vectors: sp.csr_matrix, groups: np.ndarray, count: int) -> np.ndarray:
    """True for every term found in documents of at least two language groups (documents without one skipped)."""
    terms = vectors.shape[1]
    languages_of_term = np.zeros(terms, dtype=np.int64)
    rows = np.repeat(groups, np.diff(vectors.indptr))
    for group in range(count):
        languages_of_term += np.bincount(vectors.indices[rows == group], minlength=terms) > 0
    return languages_of_term >= 2


def bridge_cosines(vectors: sp.csr_matrix, terms: np.ndarray, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of the pairs' bridge parts, norms padded by SHRINK, and how many bridge terms each pair shares."""
    bridged = sp.csr_matrix(vectors @ sp.diags(terms.astype(np.float64)))
    bridged.eliminate_zeros()
    squared = np.asarray(bridged.multiply(bridged).sum(axis=1)).ravel() + SHRINK
    if not len(pairs):
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    dots, shared = np.empty(len(pairs)), np.empty(len(pairs), dtype=np.int64)
    for low, high, both in pairwise_products(bridged, pairs):
        dots[low:high] = np.asarray(both.sum(axis=1)).ravel()
        shared[low:high] = np.diff(both.indptr)
    return dots / np.sqrt(squared[pairs[:, 0]] * squared[pairs[:, 1]]), shared


def pairwise_products(rows: sp.csr_matrix, pairs: np.ndarray) -> Iterator[tuple[int, int, sp.csr_matrix]]:
    """The entrywise products of the pairs' two rows, as (low, high, products of
    pairs[low:high]): a block of pairs at a time, their gathered rows holding at
    most GATHERED_ENTRIES entries (one pair past it alone), so that a corpus's
    hundreds of thousands of cross-language pairs are never gathered at once."""
    sizes = np.diff(rows.indptr)
    gathered = np.cumsum(sizes[pairs[:, 0]] + sizes[pairs[:, 1]])
    low = 0
    while low < len(pairs):
        high = max(low + 1, int(np.searchsorted(gathered, gathered[low] + GATHERED_ENTRIES, side="left")))
        yield low, high, rows[pairs[low:high, 0]].multiply(rows[pairs[low:high, 1]]).tocsr()
        low = high


def fitted_scale(ordinary: np.ndarray, bridge: np.ndarray) -> float:
    """Least-squares slope through 0 of ordinary cosines on bridge cosines (1 when nothing to fit on)."""
    weight = float(bridge @ bridge)
    return float(ordinary @ bridge) / weight if weight > 0 else 1.0


def spelled_alike(vectors: sp.csr_matrix, groups: np.ndarray, count: int, spellings: Spellings) -> np.ndarray | None:
    """Per term the term it counts as in the bridge (module notes, 4): a name
    one letter added, dropped or changed from a name found in a different set
    of language groups, the two sharing NAME_LETTERS letters or more (in
    order), or a number written with its separators swapped in a different
    set, counts as the smallest id among the terms so joined; None when
    there are none."""
    capital_share, has_digit, spelling = spellings
    terms = vectors.shape[1]
    rows = np.repeat(groups, np.diff(vectors.indptr))
    spoken = np.zeros(terms, dtype=np.uint64)       # per term: the language groups it is found in, as bits
    for group in range(count):                      # (past 64 groups two share a bit: a few names fewer matched)
        spoken[np.unique(vectors.indices[rows == group])] |= np.uint64(1) << np.uint64(group % 64)
    names = {}                                      # spelling -> term, of the names long enough to match
    for term in np.flatnonzero((spoken > 0) & (capital_share >= NAME_SHARE)).tolist():
        word = spelling(term)
        if len(word) >= NAME_LETTERS and word.isalpha():
            names[word] = term
    edges, by_gap = [], {}
    for word, term in names.items():
        for at in range(len(word)):
            shorter = word[:at] + word[at + 1:]
            other = names.get(shorter)               # a letter fewer
            if other is not None and spoken[other] != spoken[term]:
                edges.append((term, other))
            if len(shorter) >= NAME_LETTERS:
                by_gap.setdefault((shorter, at), []).append(term)   # another letter at `at`
    edges += [(one, other) for found in by_gap.values() for at, one in enumerate(found) for other in found[at + 1:]
              if spoken[one] != spoken[other]]
    numbers = {}                                    # spelling -> term, of the numbers with a separator
    for term in np.flatnonzero((spoken > 0) & has_digit).tolist():
        word = spelling(term)
        if "," in word or "." in word:
            numbers[word] = term
    for word, term in numbers.items():
        other = numbers.get(word.translate(SWAPPED))
        if other is not None and term < other and spoken[other] != spoken[term]:
            edges.append((term, other))
    if not edges:
        return None
    first, second = np.array(edges).T
    graph = sp.csr_matrix((np.ones(len(edges)), (first, second)), shape=(terms, terms))
    component = connected_components(graph, directed=False)[1]
    smallest = np.full(terms, terms)
    np.minimum.at(smallest, component, np.arange(terms))
    return smallest[component]


def merged_columns(vectors: sp.csr_matrix, alike: np.ndarray) -> sp.csr_matrix:
    """The vectors with each term's weight moved to the column of the term it counts as."""
    terms = vectors.shape[1]
    return sp.csr_matrix(vectors @ sp.csr_matrix((np.ones(terms), (np.arange(terms), alike)), shape=(terms, terms)))


def cross_language_scores(vectors: sp.csr_matrix, groups: np.ndarray, count: int, pairs: np.ndarray,
                          scores: np.ndarray, spellings: Spellings | None = None,
                          threshold: float | None = None) -> tuple[np.ndarray, Bridge]:
    """The pairs' scores with those of documents in different languages replaced
    by their calibrated bridge scores (module notes); and the bridge. With
    `spellings`, names and numbers spelled alike count as one bridge term
    (module notes, 4). With `threshold`, a document with a pair of its own
    language at the threshold or above is partnered (module notes, 2)."""
    alike = None if spellings is None else spelled_alike(vectors, groups, count, spellings)
    vectors = vectors if alike is None else merged_columns(vectors, alike)
    terms = bridge_terms(vectors, groups, count)
    cross = crossing(groups, pairs)
    partners = None if threshold is None else partner_matrix(vectors.shape[0], pairs[~cross], scores[~cross],
                                                             threshold)
    partnered = None if partners is None else np.diff(partners.indptr) > 1
    within = np.flatnonzero(~cross)
    if len(within) > CALIBRATION_PAIRS:
        within = within[np.linspace(0, len(within) - 1, CALIBRATION_PAIRS).astype(np.int64)]
    scale = fitted_scale(scores[within], bridge_cosines(vectors, terms, pairs[within])[0])
    rescored = scores.copy()
    bridge, shared = bridge_cosines(vectors, terms, pairs[cross])
    alone = np.ones(len(shared), dtype=bool) if partnered is None else ~partnered[pairs[cross]].any(axis=1)
    if partners is not None:                  # counted again where it weighs: few shared, a partner to count
        few = np.flatnonzero((shared < MIN_SHARED_TERMS) & ~alone)
        shared[few] = grouped_shared(vectors, terms, pairs[cross][few], partners)
    rescored[cross] = scale * bridge * shared_weight(shared, alone)
    return rescored, Bridge(terms, scale, alike, partnered, partners)


def partner_matrix(count: int, pairs: np.ndarray, scores: np.ndarray, threshold: float) -> sp.csr_matrix:
    """Per document (rows) itself and the documents these pairs (of one
    language) at `threshold` or more join it to, its PARTNERS best of them
    (highest score, then lowest index), as a 0/1 matrix."""
    strong = scores >= threshold
    doc = np.concatenate([pairs[strong, 0], pairs[strong, 1]])
    other = np.concatenate([pairs[strong, 1], pairs[strong, 0]])
    score = np.concatenate([scores[strong], scores[strong]])
    order = np.lexsort((other, -score, doc))
    doc, other = doc[order], other[order]
    first = np.searchsorted(doc, doc)                    # where each document's run starts
    best = np.arange(len(doc)) - first < PARTNERS
    rows = np.concatenate([np.arange(count), doc[best]])
    cols = np.concatenate([np.arange(count), other[best]])
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(count, count))


def grouped_shared(vectors: sp.csr_matrix, terms: np.ndarray, pairs: np.ndarray, partners: sp.csr_matrix) -> np.ndarray:
    """Per pair how many bridge terms are found both in its first document or
    one of its `partners` and in its second or one of its (module notes, 2)."""
    if not len(pairs):
        return np.zeros(0, dtype=np.int64)
    present = sp.csr_matrix(vectors @ sp.diags(terms.astype(np.float64)))
    present.eliminate_zeros()
    present.data[:] = 1.0
    needed, at = np.unique(pairs, return_inverse=True)
    grouped = sp.csr_matrix(partners[needed] @ present)
    grouped.data[:] = 1.0
    counts = np.empty(len(pairs), dtype=np.int64)
    for low, high, both in pairwise_products(grouped, at.reshape(pairs.shape)):
        counts[low:high] = np.diff(both.indptr)
    return counts


def shared_weight(shared: np.ndarray, alone: np.ndarray | bool = True) -> np.ndarray:
    """The share of its bridge score a cross-language pair keeps for sharing
    `shared` bridge terms, 1 from MIN_SHARED_TERMS on (module notes, 2): where
    `alone` (neither document partnered in its own language)
    ((shared - FAINT_TERMS) / (MIN_SHARED_TERMS - FAINT_TERMS))^3, 0 up to
    FAINT_TERMS; else (shared / MIN_SHARED_TERMS)^2."""
    shared = np.asarray(shared, dtype=np.float64)
    faint = np.clip((shared - FAINT_TERMS) / (MIN_SHARED_TERMS - FAINT_TERMS), 0.0, 1.0) ** 3
    return np.where(alone, faint, np.minimum(shared / MIN_SHARED_TERMS, 1.0) ** 2)


def crossing(groups: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """True for pairs of documents in two different (known) languages."""
    first, second = groups[pairs[:, 0]], groups[pairs[:, 1]]
    return (first != second) & (first >= 0) & (second >= 0)
