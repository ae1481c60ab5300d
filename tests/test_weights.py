"""The term weights: BM25 with IDF, the boosts of names and numbers, the
document-frequency cap, unit rows."""

import numpy as np
import pytest

from corpus import weights
from corpus.weights import term_space


def test_capitalised_share_is_learned_from_the_corpus():
    space = term_space([
        "Yesterday the council met Mendes in Porto. Mendes spoke first.",
        "Later Mendes left, and the council went home.",
        "The council said little.",
    ])
    share = {word: space.capital_share[space.index(word)] for word in ("mendes", "council", "yesterday", "the")}
    assert share["mendes"] > 0.5          # capitalised inside sentences
    assert share["council"] == 0.0        # never capitalised inside a sentence
    assert share["yesterday"] == 0.0      # capitalised only where a sentence starts
    assert share["the"] == 0.0            # "The" opens a sentence; inside one it is lower-case
    assert space.index("absent") == -1
    assert space.term(space.index("Mendes")) == "mendes"


def test_names_and_numbers_weigh_more_than_words_of_the_same_frequency():
    space = term_space([
        "the visit by Rahmani on 14/3/2024 ended early",
        "a visit from Rahmani on 14/3/2024 went well",
        "nothing else to report today",
    ])
    weight = dict(zip((space.term(t) for t in space.vectors[0].indices), space.vectors[0].data))
    assert weight["rahmani"] > 1.5 * weight["visit"]       # all three terms are in the same two documents
    assert weight["14/3/2024"] > 1.2 * weight["visit"]
    assert weight["visit"] == pytest.approx(weight["on"])   # same frequency, neither capitalised: same weight
    assert space.has_digit[space.index("14/3/2024")] and not space.has_digit[space.index("visit")]


def test_terms_in_too_many_documents_are_left_out():
    texts = [f"shared words everywhere plus topic{i} item{i}" for i in range(120)]
    space = term_space(texts)
    assert space.df_cap == weights.df_cap(120) < 120
    kept = {space.term(t) for t in np.unique(space.vectors.indices).tolist()}
    assert "shared" not in kept and "everywhere" not in kept
    assert "topic7" in kept
    norms = np.sqrt(space.vectors.multiply(space.vectors).sum(axis=1))
    assert np.allclose(norms, 1.0)


def test_bm25_weights_by_hand():
    space = term_space(["alpha alpha beta", "beta gamma", "delta"])
    tf, length_norm = 2.0, 1 - weights.B + weights.B * 3 / 2.0       # mean length (3 + 2 + 1) / 3
    alpha = tf * (weights.K1 + 1) / (tf + weights.K1 * length_norm) * np.log1p(3 / 1)
    beta = 1.0 * (weights.K1 + 1) / (1.0 + weights.K1 * length_norm) * np.log1p(3 / 2)
    row = dict(zip((space.term(t) for t in space.vectors[0].indices), space.vectors[0].data))
    assert row["alpha"] == pytest.approx(alpha / np.hypot(alpha, beta))
    assert row["beta"] == pytest.approx(beta / np.hypot(alpha, beta))


def test_no_texts_and_empty_texts():
    space = term_space([])
    assert space.vectors.shape == (0, 0)
    space = term_space(["", "..."])
    assert space.vectors.shape == (2, 0)


def test_unit_vectors_do_not_depend_on_the_runs_they_are_weighed_in(monkeypatch):
    rng = np.random.default_rng(0)
    sizes = rng.integers(0, 8, 40)
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    ids = np.concatenate([np.sort(rng.choice(30, size, replace=False)) for size in sizes]).astype(np.int32)
    counts = rng.integers(1, 5, len(ids)).astype(np.uint16)
    lengths = rng.integers(1, 100, 40).astype(float)
    weight = rng.random(30) * (rng.random(30) > 0.3)
    whole = weights.unit_vectors(indptr, ids, counts, lengths, 30.0, weight)
    monkeypatch.setattr(weights, "CHUNK_ENTRIES", 5)
    runs = weights.unit_vectors(indptr, ids, counts, lengths, 30.0, weight)
    assert np.array_equal(whole.indptr, runs.indptr) and np.array_equal(whole.indices, runs.indices)
    assert np.array_equal(whole.data, runs.data)
    norms = np.asarray(runs.multiply(runs).sum(axis=1)).ravel()
    assert np.allclose(norms[np.diff(runs.indptr) > 0], 1.0)


def test_a_lead_is_its_documents_first_terms_weighed_alike(monkeypatch):
    monkeypatch.setattr("corpus.terms.LEAD_TERMS", 2)
    monkeypatch.setattr("corpus.weights.LEAD_TERMS", 2)
    space = term_space(["Alpha beta gamma gamma", "beta Delta", ""])
    leads = space.leads.toarray()
    assert np.allclose(np.linalg.norm(leads, axis=1), [1, 1, 0])
    gamma, alpha, delta = space.index("gamma"), space.index("alpha"), space.index("delta")
    assert leads[0, gamma] == 0 and leads[0, alpha] > 0 and leads[1, delta] > 0
    assert np.allclose(leads[1], space.vectors.toarray()[1], atol=1e-6)    # a lead of the whole document is the document


def _documents(*terms_of_each):
    """indptr and ids of documents given as lists of term ids."""
    indptr = np.concatenate([[0], np.cumsum([len(t) for t in terms_of_each])]).astype(np.int64)
    return indptr, np.array([t for terms in terms_of_each for t in terms], dtype=np.int32)


def test_pair_work_counts_the_pairs_of_a_terms_documents_the_product_meets():
    indptr, ids = _documents([0, 1], [0], [0, 1], [0], [1])
    assert weights.pair_work(indptr, ids, 3).tolist() == [6, 3, 0]          # undated: every pair
    days = np.array([0, 0, 3, 10, np.nan])
    # term 0 on days 0, 0, 3, 10: (0, 0), (0, 3) twice, (3, 10); 10 days is past the window from day 0
    # term 1 on days 0 and 3 and undated: an unknown date never blocks
    assert weights.pair_work(indptr, ids, 3, days, 7).tolist() == [4, 3, 0]
    assert weights.pair_work(indptr, ids, 3, days, 2).tolist() == [1, 2, 0]
    assert weights.pair_work(indptr, ids, 3, days, None).tolist() == [6, 3, 0]


def test_the_cap_keeps_the_rarest_terms_whose_work_fits_the_budget(monkeypatch):
    seen_df = np.array([2.0, 3.0, 3.0, 5.0, 9.0])
    work = np.array([1.0, 3.0, 3.0, 10.0, 36.0])
    monkeypatch.setattr(weights, "WORK_PER_DOCUMENT", 10.0)
    assert weights.work_cap(seen_df, work, 10, 8) == 8          # 17 pairs up to the cap of 8: it does not bind
    monkeypatch.setattr(weights, "WORK_PER_DOCUMENT", 1.0)
    assert weights.work_cap(seen_df, work, 10, 8) == 4          # the terms of df 5 would make it 17 > 10
    assert weights.work_cap(seen_df, work, 3, 8) == 2           # a df of 3 is both terms or neither: 7 > 3
    assert weights.work_cap(seen_df + 0.5, work, 10, 8) == 5    # caps are whole; 5.5 would not fit


def test_dates_within_a_window_cost_less_and_keep_more_terms(monkeypatch):
    texts = [f"common{i % 3} day{i // 4} alone{i}" for i in range(40)]   # four a day, common words across days
    days = np.repeat(np.arange(10.0), 4)
    monkeypatch.setattr(weights, "DF_CAP_MIN", 40)
    monkeypatch.setattr(weights, "WORK_PER_DOCUMENT", 3.0)     # 120 pairs; the day words make 10 x 6
    undated, dated = term_space(texts), term_space(texts, days=days, window_days=1)
    assert undated.df_cap == 12                                 # the common words' 78 to 91 pairs each do not fit
    assert dated.df_cap == 40                                   # within a day of each other they are 18 or 19 each
    kept = {undated.term(t) for t in np.unique(undated.vectors.indices).tolist()}
    assert "day3" in kept and "common1" not in kept
    assert dated.index("common1") in dated.vectors.indices
