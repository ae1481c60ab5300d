"""The term stage: terms found with arrays exactly as the TERM pattern finds
them, and their statistics (the weights: test_weights.py)."""

import numpy as np
import pytest

from corpus import shingles, terms
from corpus.term_characters import SENTENCE_OPENERS
from corpus.terms import TERM, join_counts, term_counts

TRICKY = [
    "Yesterday the council met Mendes in Porto. Mendes spoke first.",
    "A 6.1 quake (at 14:30) hit 12.5km off Bima on 5/3/2024; 3,000.50 Euro, ab12.5 12.5a6 x1.2.3 1..2 7. End",
    "«Quoted» words—and “Smart” quotes… Then NASA's Über-Straße in München; ٣.٥ deg² ¹²",
    "",
    "   ",
    "Ⅷ Kelvin sign: \u212a and ß ẞ ﬁne Ǆemal İzmir",
    "tail 1.2",
]


def reference_counts(texts, lead_terms=terms.LEAD_TERMS):
    """The terms of texts by the TERM pattern, one match at a time, as the story stage defined them,
    and per text its lead's terms (the first `lead_terms` matches)."""
    counts, inside, capitalised, lengths, leads = [], {}, {}, [], []
    for text in texts:
        found, end, lead = {}, 0, {}
        for position, match in enumerate(TERM.finditer(text)):
            word = match.group()
            term = word.casefold()
            found[term] = found.get(term, 0) + 1
            if position < lead_terms:
                lead[term] = lead.get(term, 0) + 1
            if end and not any(ch in SENTENCE_OPENERS for ch in text[end : match.start()]):
                inside[term] = inside.get(term, 0) + 1
                capitalised[term] = capitalised.get(term, 0) + word[0].isupper()
            end = match.end()
        counts.append(found)
        leads.append(lead)
        lengths.append(sum(found.values()))
    return counts, inside, capitalised, lengths, leads


def as_dicts(counts):
    """TermCounts as (per text {term: count}, {term: inside}, {term: capitalised}, lengths,
    per text {term: occurrences in its lead})."""
    surface = {int(h): counts.surfaces[a:b].tobytes().decode("utf-8", "surrogatepass")
               for h, a, b in zip(counts.vocabulary, counts.surface_offsets[:-1], counts.surface_offsets[1:])}
    per_text = [
        {surface[int(h)]: int(c) for h, c in zip(counts.hashes[a:b], counts.counts[a:b])}
        for a, b in zip(counts.indptr[:-1], counts.indptr[1:])
    ]
    inside, capitalised = {}, {}
    for h, n, c in zip(counts.hashes.tolist(), counts.entry_inside.tolist(), counts.entry_capitalised.tolist()):
        inside[surface[h]] = inside.get(surface[h], 0) + n
        capitalised[surface[h]] = capitalised.get(surface[h], 0) + c
    inside = {t: n for t, n in inside.items() if n}
    capitalised = {t: n for t, n in capitalised.items() if n}
    leads = [
        {surface[int(h)]: int(n) for h, n in zip(counts.hashes[a:b], counts.entry_lead[a:b]) if n}
        for a, b in zip(counts.indptr[:-1], counts.indptr[1:])
    ]
    return per_text, inside, capitalised, counts.lengths.tolist(), leads


def without_dotted_capital_i(texts):
    # İ folds to i + a combining dot, which is no word character: the word ends there (module notes)
    return [t.replace("İ", "I") for t in texts]


@pytest.mark.parametrize("lead_terms", [3, 50])
def test_terms_are_what_the_pattern_finds(monkeypatch, lead_terms):
    monkeypatch.setattr(terms, "LEAD_TERMS", lead_terms)
    texts = without_dotted_capital_i(TRICKY)
    got_counts, got_inside, got_capitalised, got_lengths, got_leads = as_dicts(term_counts(texts))
    counts, inside, capitalised, lengths, leads = reference_counts(texts, lead_terms)
    assert got_counts == counts and got_leads == leads
    assert got_lengths == lengths
    assert got_inside == {t: n for t, n in inside.items() if n}
    assert got_capitalised == {t: n for t, n in capitalised.items() if n}


def test_numbers_keep_their_separators_and_the_rest_of_the_word_is_a_term():
    (found,) = as_dicts(term_counts(["12.5km at 14:30, ab12.5 and 1..2"]))[0]
    assert found == {"12.5": 1, "km": 1, "at": 1, "14:30": 1, "ab12": 1, "5": 1, "and": 1, "1": 1, "2": 1}


def test_numbers_side_by_side_with_their_rests_and_openers_are_what_the_pattern_finds():
    texts = ["1.2km 3.4m. 5.6.7x: 8:9 10/11/12ab 13,14 Then 1.5s 2.5 6..7 8.9", "9.9z Go 1:2:3a4 5.5"]
    got_counts, got_inside, got_capitalised, _, _ = as_dicts(term_counts(texts))
    counts, inside, capitalised, _, _ = reference_counts(texts)
    assert got_counts == counts
    assert (got_inside, got_capitalised) == ({t: n for t, n in inside.items() if n},
                                             {t: n for t, n in capitalised.items() if n})


def test_a_dotted_capital_i_ends_a_word_as_for_shingles():
    (found,) = as_dicts(term_counts(["İzmir"]))[0]
    assert found == {"i": 1, "zmir": 1}
    assert shingles.tokens("İzmir") == ["i", "zmir"]


@pytest.mark.parametrize("chunk_bytes", [1, 40, shingles.CHUNK_BYTES])
def test_chunks_and_batches_join_to_the_same_counts(monkeypatch, chunk_bytes):
    texts = without_dotted_capital_i(TRICKY) * 3
    whole = as_dicts(term_counts(texts))
    monkeypatch.setattr(shingles, "CHUNK_BYTES", chunk_bytes)
    assert as_dicts(term_counts(texts)) == whole
    assert as_dicts(join_counts([term_counts(texts[:4]), term_counts(texts[4:9]), term_counts(texts[9:])])) == whole


def test_counts_of_some_documents_are_those_documents_counted_alone():
    texts = without_dotted_capital_i(TRICKY)
    picked = np.array([1, 2, 6])
    got = as_dicts(term_counts(texts).rows(picked))
    alone = as_dicts(term_counts([texts[i] for i in picked.tolist()]))
    assert got == alone
    counts = term_counts(texts)
    assert counts.inside.sum() == counts.entry_inside.sum() and counts.capitalised.sum() == counts.entry_capitalised.sum()
    assert counts.document_frequency.sum() == len(counts.hashes)


@pytest.mark.parametrize("chunk_bytes", [64, 1 << 17])
def test_a_heading_counts_in_terms_not_in_shingles(monkeypatch, chunk_bytes):
    monkeypatch.setattr(shingles, "CHUNK_BYTES", chunk_bytes)
    headings = ["Big Quake Hits Bima", "", "İzmir Straße ẞ news", "One"]
    bodies = TRICKY[:3] + ["two three four five six seven"]
    texts = [f"{h}\n{b}" if h else b for h, b in zip(headings, bodies)]
    chars = [len(t) - len(b) for t, b in zip(texts, bodies)]
    flat, offsets, counts = terms.shingles_and_terms(texts, 3, chars)
    alone_flat, alone_offsets = shingles.batch_shingle_hashes(bodies, 3)
    assert np.array_equal(flat, alone_flat) and np.array_equal(offsets, alone_offsets)
    assert as_dicts(counts) == as_dicts(term_counts(texts))


def test_rows_share_the_entries_when_the_rows_left_out_are_empty():
    counts = term_counts(["alpha beta", "", "gamma alpha", ""])
    kept = counts.rows(np.array([0, 2]))
    assert kept.ids is counts.ids and as_dicts(kept) == as_dicts(term_counts(["alpha beta", "gamma alpha"]))
