"""The word-frequency prior: pseudo-documents of general language for small corpora."""

import numpy as np

from corpus.prior import CORPUS_SHARE, PRIOR_DOCUMENTS, PRIOR_LIMIT, pseudo_documents, word_prior
from corpus.terms import term_counts
from corpus.weights import term_space

COUNTS = term_counts(["the earthquake zorbaxian 2024"])
TERMS = COUNTS.terms()
THE, EARTHQUAKE, UNKNOWN, YEAR = (TERMS.index(t) for t in ("the", "earthquake", "zorbaxian", "2024"))


def test_common_words_are_in_most_pseudo_documents_rare_ones_in_none():
    prior = word_prior(COUNTS, ["en"] * 10, mean_length=300.0)
    assert prior.documents == pseudo_documents(10)
    assert prior.df[THE] > 0.95 * prior.documents
    assert 0 < prior.df[EARTHQUAKE] < 0.2 * prior.documents    # a word of the news, not of every text
    floor = CORPUS_SHARE * prior.documents / 10                  # the corpus's own rate: in 1 of 10 documents
    assert np.isclose(prior.df[UNKNOWN], floor) and np.isclose(prior.df[YEAR], floor)   # unknown words, numbers


def test_a_term_of_every_document_is_no_rarer_in_the_pseudo_documents_than_its_corpus_share_allows():
    counts = term_counts(["zorbaxian storm one", "zorbaxian storm two", "zorbaxian quake three", "other words"])
    terms = counts.terms()
    prior = word_prior(counts, ["en"] * 4, mean_length=300.0)
    assert np.isclose(prior.df[terms.index("zorbaxian")], CORPUS_SHARE * prior.documents * 3 / 4)
    assert prior.df[terms.index("one")] > 10 * CORPUS_SHARE * prior.documents / 4   # general frequency wins


def test_languages_count_by_their_share_of_documents():
    both = word_prior(COUNTS, ["en"] * 5 + ["xx"] * 5, mean_length=300.0)
    alone = word_prior(COUNTS, ["en"] * 10, mean_length=300.0)
    assert np.isclose(both.df[THE], alone.df[THE] / 2)


def test_no_prior_for_unknown_languages_or_large_corpora():
    assert word_prior(COUNTS, ["xx"] * 10, 300.0).documents == 0
    assert word_prior(COUNTS, [None] * 10, 300.0).documents == 0
    assert word_prior(COUNTS, ["en"] * (PRIOR_LIMIT + 1), 300.0).documents == 0


def test_the_prior_fades_as_the_corpus_grows():
    assert pseudo_documents(0) == PRIOR_DOCUMENTS
    assert pseudo_documents(9 * PRIOR_DOCUMENTS) == PRIOR_DOCUMENTS / 10


def test_in_a_small_corpus_function_words_lose_their_weight():
    texts = ["The storm hit the coast and the town lost power.", "The storm moved north of the coast.",
             "The council met on the budget for the schools."]
    counts = term_counts(texts)
    plain = term_space(counts)
    prior = term_space(counts, word_prior(counts, ["en"] * 3, 10.0))
    the, storm = counts.terms().index("the"), counts.terms().index("storm")
    assert plain.vectors[0, the] > 0 and prior.vectors[0, the] == 0       # in every pseudo-document: capped
    assert prior.idf[storm] > plain.idf[storm]
