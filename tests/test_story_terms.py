"""Term counts spilled unit by unit and joined into what story clustering reads."""

import numpy as np
import pytest

from corpus import story_terms
from corpus.blobs import forget_writers
from corpus.language import profiles
from corpus.prior import pseudo_documents
from corpus.story_terms import TermCollector, spill_unit_terms
from corpus.terms import term_counts
from corpus.weights import df_cap, term_space


def corpus(count=90):
    """Documents sharing common words (in every one), mid-frequency words and their own names."""
    rng = np.random.default_rng(3)
    common = [f"w{i}" for i in range(120)]
    texts = []
    for i in range(count):
        words = list(rng.choice(common, 40)) + [f"Name{i % 7}", f"Place{i}", f"{i}.5", "Shared"]
        texts.append(" ".join(words) + ". The " + " ".join(rng.choice(common, 10)) + ".")
    return texts


def collected(texts, folder, units=(0, 25, 60)):
    collector = TermCollector(folder)
    bounds = list(units) + [len(texts)]
    for a, b in zip(bounds, bounds[1:]):
        collector.add(spill_unit_terms(term_counts(texts[a:b]), folder))
    return collector


def as_rows(counts):
    surfaces = counts.terms()
    return [{surfaces[t]: (c, n, k, lead) for t, c, n, k, lead in zip(counts.ids[a:b].tolist(), counts.counts[a:b].tolist(),
                                                                      counts.entry_inside[a:b].tolist(),
                                                                      counts.entry_capitalised[a:b].tolist(),
                                                                      counts.entry_lead[a:b].tolist())}
            for a, b in zip(counts.indptr[:-1].tolist(), counts.indptr[1:].tolist())]


def test_every_row_and_term_without_copies(tmp_path):
    texts = corpus()
    counts, profile = collected(texts, str(tmp_path)).finish(None)
    whole = term_counts(texts)
    assert as_rows(counts) == as_rows(whole)
    assert np.array_equal(counts.lengths, whole.lengths) and np.array_equal(counts.vocabulary, whole.vocabulary)
    expected = profiles(whole.presence(), ~whole.has_digit)
    assert all(np.array_equal(getattr(profile, name), getattr(expected, name)) for name in ("data", "indices", "indptr"))
    forget_writers(str(tmp_path))


@pytest.mark.parametrize("merge_terms", [10, 1 << 22])
def test_copies_rows_and_capped_terms_are_left_out_and_the_vectors_are_the_same(tmp_path, monkeypatch, merge_terms):
    monkeypatch.setattr(story_terms, "MERGE_TERMS", merge_terms)
    monkeypatch.setattr("corpus.weights.DF_CAP_MIN", 5)
    texts = corpus()
    copies = np.zeros(len(texts), dtype=bool)
    copies[[3, 40, 41, 89]] = True
    counts, profile = collected(texts, str(tmp_path)).finish(copies)
    kept = np.flatnonzero(~copies)
    whole = term_counts(texts).rows(kept)
    df = whole.document_frequency
    cap = df_cap(len(kept) + pseudo_documents(len(kept)))     # the largest the cap can be, with a prior
    assert all(not row for row, copy in zip(as_rows(counts), copies) if copy)
    expected = [{t: v for t, v in row.items() if df[whole.terms().index(t)] <= cap} for row in as_rows(whole)]
    assert [row for row, copy in zip(as_rows(counts), copies) if not copy] == expected
    assert np.array_equal(counts.lengths, term_counts(texts).lengths)
    ours, theirs = term_space(counts.rows(kept)), term_space(whole)
    assert (ours.vectors != theirs.vectors[:, np.flatnonzero((df > 0) & (df <= cap))]).nnz == 0
    assert (ours.leads != theirs.leads[:, np.flatnonzero((df > 0) & (df <= cap))]).nnz == 0
    everything = term_counts(texts)        # profiles are of every document, copies too
    expected = profiles(everything.presence(), ~everything.has_digit)
    assert all(np.array_equal(getattr(profile, name), getattr(expected, name)) for name in ("data", "indices", "indptr"))
    forget_writers(str(tmp_path))
