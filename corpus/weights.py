"""The weights of story clustering's terms: every document's term counts
(`corpus.terms`) turned into a unit vector, BM25 over IDF with name and number
boosts and a document-frequency cap (`corpus.stories`' notes, 1), joined by a
word-frequency prior's pseudo-documents in small corpora (`corpus.prior`).

The cap is 4 sqrt(N), lowered where the similarity product (`corpus.similarity`)
would spend more than WORK_PER_DOCUMENT pair updates per document on the terms
under it (`work_cap`): a term costs the pairs of its documents the product
meets (`pair_work`), all of them without dates, with dates only those within
the window. Terms are kept from the rarest up, so a large corpus loses its
mid-frequency words, which carry little weight (low rarity) but most of the
work, and the product's cost per document stays bounded as N grows.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp

from corpus.prior import Prior
from corpus.terms import LEAD_TERMS, TermCounts, gathered, term_counts

# The constants below were chosen once for every corpus, on ECB+ and Multi-News
# together (benchmarks/evaluate.py); none of them is per corpus or per language.
K1, B = 1.2, 0.5              # BM25 saturation and length normalisation
CAPITAL_BOOST = 1.0           # 0 loses ~0.03 B-cubed F1 on ECB+; 2 pushes cased corpora's best threshold up
NUMBER_BOOST = 0.5
DF_CAP_MIN = 50               # small corpora keep every term
DF_CAP_PER_ROOT = 4.0         # work per term <= cap^2, so comparing is O(N^1.5), not O(N^2)
WORK_PER_DOCUMENT = 12_000     # pair updates (~15 ns each) per document: the comparison costs about what preparing one does
CHUNK_ENTRIES = 1 << 22       # term entries weighed at a time (memory, not results)


@dataclass
class TermSpace:
    """Documents as unit vectors over the corpus's terms, and per term (by
    dense id, the rank of its hash) the statistics the weights came from."""

    vectors: sp.csr_matrix            # (documents, terms)
    hashes: np.ndarray                # uint64 per term, ascending
    document_frequency: np.ndarray
    idf: np.ndarray
    capital_share: np.ndarray
    has_digit: np.ndarray             # bool per term
    df_cap: int
    surfaces: np.ndarray              # uint8: every term's case-folded UTF-8, concatenated
    surface_offsets: np.ndarray
    leads: sp.csr_matrix | None = None  # (documents, terms): each document's lead (`corpus.terms`) alike; None: not counted

    def term(self, index: int) -> str:
        """A term's surface string (case-folded)."""
        start, end = self.surface_offsets[index : index + 2].tolist()
        return self.surfaces[start:end].tobytes().decode("utf-8", "surrogatepass")

    def index(self, word: str) -> int:
        """The dense id of a word as a term, or -1 if the corpus does not have it."""
        found = term_counts([word]).vocabulary
        if len(found) != 1:
            return -1
        position = int(np.searchsorted(self.hashes, found[0]))
        return position if position < len(self.hashes) and self.hashes[position] == found[0] else -1


def df_cap(documents: float) -> int:
    """Terms in more documents than this are left out: what any article carries."""
    return int(max(DF_CAP_MIN, DF_CAP_PER_ROOT * math.sqrt(documents)))


def pair_work(indptr: np.ndarray, ids: np.ndarray, terms: int, days: np.ndarray | None = None,
              window_days: int | None = None) -> np.ndarray:
    """Per term (ids < terms; document d's entries are indptr[d]:indptr[d + 1]),
    the pairs of its documents the similarity product multiplies for it
    (`corpus.similarity`): every pair, or with `days` (per document, NaN if
    unknown) and `window_days` the pairs within the window (an unknown date
    never blocks). Day by day, each day's term counts met with those of the
    window's earlier days (a running sum): memory is the vocabulary and the
    window's counts, not the corpus's entries."""
    df = np.bincount(ids, minlength=terms).astype(np.float64)
    if days is None or window_days is None or np.isnan(days).all():
        return df * (df - 1) / 2
    dated = ~np.isnan(days)
    undated = np.bincount(_entries_of(indptr, ids, np.flatnonzero(~dated)), minlength=terms).astype(np.float64)
    work = undated * (undated - 1) / 2 + undated * (df - undated)
    order = np.flatnonzero(dated)[np.argsort(days[dated], kind="stable")]
    starts = np.flatnonzero(np.diff(days[order], prepend=np.nan) != 0)
    earlier = np.zeros(terms)                        # per term: its documents on the window's days before this one
    window: deque[tuple[float, np.ndarray, np.ndarray]] = deque()
    for first, last in zip(starts.tolist(), [*starts[1:].tolist(), len(order)]):
        day = float(days[order[first]])
        while window and window[0][0] < day - window_days:
            _, gone, count = window.popleft()
            earlier[gone] -= count
        present, count = np.unique(_entries_of(indptr, ids, order[first:last]), return_counts=True)
        work[present] += count * (count - 1) / 2 + count * earlier[present]
        earlier[present] += count
        window.append((day, present, count))
    return work


def _entries_of(indptr: np.ndarray, ids: np.ndarray, documents: np.ndarray) -> np.ndarray:
    """The term ids of these documents' entries, one after another."""
    return gathered(ids, indptr[documents], indptr[documents + 1])[0]


def work_cap(seen_df: np.ndarray, work: np.ndarray, documents: int, largest: int) -> int:
    """The largest document-frequency cap, at most `largest`, at which the
    terms kept (seen_df <= cap) cost the similarity product at most
    WORK_PER_DOCUMENT pair updates (`pair_work`) per document."""
    under = seen_df <= largest
    budget = WORK_PER_DOCUMENT * documents
    if work[under].sum() <= budget:
        return largest
    order = np.argsort(seen_df[under], kind="stable")
    values, spent = seen_df[under][order], np.cumsum(work[under][order])
    last_of_value = np.append(values[1:] != values[:-1], True)     # the cost of a cap is that of its value's last term
    over = values[last_of_value][spent[last_of_value] > budget][0]  # the rarest value that does not fit
    return int(math.ceil(over)) - 1


def term_space(source: Sequence[str] | TermCounts, prior: Prior | None = None, days: np.ndarray | None = None,
               window_days: int | None = None) -> TermSpace:
    """Weigh every document's terms by the corpus statistics (`corpus.stories`' notes, 1),
    joined by the pseudo-documents of a word-frequency `prior` (`corpus.prior`);
    the cap bounds the similarity product's work, which `days` (per document,
    NaN if unknown) and `window_days` bound too (`work_cap`)."""
    counts = source if isinstance(source, TermCounts) else term_counts(source)
    documents, terms = counts.documents, len(counts.vocabulary)
    ids = counts.term_ids
    df = np.bincount(ids, minlength=terms)
    weights = term_weights(df, np.bincount(ids, weights=counts.entry_capitalised, minlength=terms),
                           np.bincount(ids, weights=counts.entry_inside, minlength=terms), counts.has_digit,
                           documents, prior, pair_work(counts.indptr, ids, terms, days, window_days))
    lengths = counts.lengths.astype(np.float64)
    vectors = unit_vectors(counts.indptr, ids, counts.counts, lengths, lengths.mean() if documents else 0.0,
                           weights.weight)
    return TermSpace(vectors, counts.vocabulary, df, weights.idf, weights.capital_share, counts.has_digit,
                     weights.cap, counts.surfaces, counts.surface_offsets, lead_vectors(counts, weights.weight))


def lead_vectors(counts: TermCounts, term_weight: np.ndarray) -> sp.csr_matrix | None:
    """Each document's lead (its first LEAD_TERMS term occurrences) as a unit
    vector weighed as the whole documents are (float32: only the cohesion
    review reads them); None when the counts have no leads."""
    if counts.entry_lead is None:
        return None
    in_lead = np.flatnonzero(counts.entry_lead)
    row_of = np.searchsorted(counts.indptr, in_lead, side="right") - 1
    indptr = np.zeros(counts.documents + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=counts.documents), out=indptr[1:])
    lengths = np.minimum(counts.lengths, LEAD_TERMS).astype(np.float64)
    leads = unit_vectors(indptr, counts.term_ids[in_lead], counts.entry_lead[in_lead], lengths, float(LEAD_TERMS),
                         term_weight)
    return sp.csr_matrix((leads.data.astype(np.float32), leads.indices, leads.indptr), shape=leads.shape)


@dataclass
class TermWeights:
    """Per term: rarity, the share of its occurrences capitalised inside a
    sentence, and its weight (rarity with the name and number boosts, 0 over the cap)."""

    idf: np.ndarray
    capital_share: np.ndarray
    cap: int
    weight: np.ndarray


def capital_shares(capitalised: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Per term the share of its occurrences inside a sentence written capitalised (a name's is near 1)."""
    return capitalised / (inside + 1)


def term_weights(df: np.ndarray, capitalised: np.ndarray, inside: np.ndarray, has_digit: np.ndarray,
                 documents: float, prior: Prior | None = None, work: np.ndarray | None = None) -> TermWeights:
    """Term weights from document frequencies and capitalisation counts over
    `documents` documents (one corpus's, or all of a daily index's history),
    joined by the pseudo-documents of a word-frequency `prior`; with `work`
    (per term, `pair_work`) the cap is bounded by it too (`work_cap`)."""
    seen_documents, seen_df = documents, df.astype(np.float64)
    if prior is not None:
        seen_documents, seen_df = documents + prior.documents, df + prior.df
    idf = np.log1p(seen_documents / np.maximum(seen_df, 1))
    capital_share = capital_shares(capitalised, inside)
    cap = df_cap(seen_documents)
    if work is not None:
        cap = work_cap(seen_df, work, int(documents), cap)
    weight = idf * (1 + CAPITAL_BOOST * capital_share) * (1 + NUMBER_BOOST * has_digit) * (seen_df <= cap)
    return TermWeights(idf, capital_share, cap, weight)


def unit_vectors(indptr: np.ndarray, ids: np.ndarray, counts: np.ndarray, lengths: np.ndarray,
                 mean_length: float, term_weight: np.ndarray) -> sp.csr_matrix:
    """Documents' term counts (entries indptr[d]:indptr[d + 1] over term ids)
    as unit vectors: BM25 saturation and length normalisation (against
    `mean_length`) times each term's weight; terms of weight 0 left out.
    Worked out for runs of whole documents of about CHUNK_ENTRIES entries, into
    arrays sized once, so memory is the counts and the vectors, little more."""
    documents = len(indptr) - 1
    length_norm = 1 - B + B * lengths / max(mean_length, 1.0)
    sizes = np.zeros(documents, dtype=np.int64)
    for first, last in _runs(indptr):
        entries = slice(indptr[first], indptr[last])
        row_of = np.repeat(np.arange(first, last, dtype=np.int32), np.diff(indptr[first : last + 1]))
        sizes[first:last] = np.bincount(row_of[term_weight[ids[entries]] > 0] - first, minlength=last - first)
    kept_indptr = np.zeros(documents + 1, dtype=np.int64)
    np.cumsum(sizes, out=kept_indptr[1:])
    data = np.empty(kept_indptr[-1])
    indices = np.empty(kept_indptr[-1], dtype=ids.dtype)
    for first, last in _runs(indptr):
        entries = slice(indptr[first], indptr[last])
        run_ids = ids[entries]
        row_of = np.repeat(np.arange(last - first, dtype=np.int32), np.diff(indptr[first : last + 1]))
        kept = term_weight[run_ids] > 0            # the capped terms' entries go before any weight is computed
        run_ids, row_of = run_ids[kept], row_of[kept]
        tf = counts[entries][kept].astype(np.float64)
        weights = tf * (K1 + 1) / (tf + K1 * length_norm[first:last][row_of]) * term_weight[run_ids]
        norms = np.sqrt(np.bincount(row_of, weights=weights * weights, minlength=last - first))
        weights /= np.where(norms > 0, norms, 1.0)[row_of]
        data[kept_indptr[first] : kept_indptr[last]] = weights
        indices[kept_indptr[first] : kept_indptr[last]] = run_ids
    return sp.csr_matrix((data, indices, kept_indptr), shape=(documents, len(term_weight)))


def _runs(indptr: np.ndarray) -> list[tuple[int, int]]:
    """Runs [first, last) of whole documents of about CHUNK_ENTRIES entries (at least one document each)."""
    documents = len(indptr) - 1
    if documents == 0:
        return []
    ends = np.unique(np.searchsorted(indptr, np.arange(CHUNK_ENTRIES, int(indptr[-1]) + CHUNK_ENTRIES, CHUNK_ENTRIES),
                                     side="right") - 1)
    ends = np.clip(ends, 1, documents)
    bounds = np.unique(np.concatenate([[0], ends, [documents]]))
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
