"""Sentence splitting: paragraphs first, quotes kept whole, fragments merged."""

import pytest

from corpus.clean import clean_corpus
from corpus.read import bundled_sample, read_records
from corpus.sentences import CUT_MARK, mark_cut_end, split_paragraphs, split_sentences


def test_paragraphs_never_join():
    assert split_sentences("The vote was close\n\nMinisters were pleased.") == ["The vote was close", "Ministers were pleased."]


def test_whitespace_is_normalised():
    assert split_sentences("  The   vote\twas close.   It passed.  ") == ["The vote was close.", "It passed."]


def test_quote_with_attribution_stays_one_sentence():
    text = "“Kami akan selalu bersama Rusia. Selamanya,” kata Kim. Ia lalu pergi."
    assert split_sentences(text) == ["“Kami akan selalu bersama Rusia. Selamanya,” kata Kim.", "Ia lalu pergi."]
    assert split_sentences('"We will win," he said. Then he left.') == ['"We will win," he said.', "Then he left."]


def test_abbreviations():
    text = "He met Dr. Smith in Washington D.C. on Jan. 5. Five people were hurt."
    assert split_sentences(text) == ["He met Dr. Smith in Washington D.C. on Jan. 5.", "Five people were hurt."]


def test_an_abbreviation_after_a_hyphen_ends_no_sentence():
    assert split_sentences("UPDATE 1-Mt. Gox files for US bankruptcy") == ["UPDATE 1-Mt. Gox files for US bankruptcy"]
    assert split_sentences("RPT-Mt. Gox files. The Jakarta–Bandung line opened.") == [
        "RPT-Mt. Gox files.", "The Jakarta–Bandung line opened."]


def test_lower_case_continuation_and_short_fragments_merge():
    assert split_sentences("Ia bertemu gubernur, menteri, dsb. dan lain-lain.") == ["Ia bertemu gubernur, menteri, dsb. dan lain-lain."]
    assert split_sentences("He ran. A. The end came soon.") == ["He ran. A.", "The end came soon."]
    assert split_sentences("It cost 5 dollars. 5 people paid it.") == ["It cost 5 dollars.", "5 people paid it."]


def test_mixed_quote_marks_do_not_swallow_the_paragraph():
    text = 'Interfax said “the visit is near." Officials did not confirm. “We wait,” a diplomat said.'
    assert split_sentences(text) == [
        'Interfax said “the visit is near."', "Officials did not confirm.", "“We wait,” a diplomat said.",
    ]


def test_empty():
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []


def test_sample_quote_is_one_sentence():
    records = list(read_records([bundled_sample()]))
    cleaned = clean_corpus([r.text for r in records])
    first = split_sentences(cleaned[0].text)
    quote = [s for s in first if "tradisi persahabatan" in s]
    assert len(quote) == 1
    assert quote[0].startswith("“Putin menerima undangan") and quote[0].endswith("tambah KCNA.")
    assert all(s == s.strip() and "  " not in s for c in cleaned for s in split_sentences(c.text))


@pytest.mark.parametrize("text", [
    "The crash came months after the mutiny.\nPrigozhin then spent months criticizing Russian ",
    "Presiden ingin harga yang bagus.\nTapi yang menentukan tetap dari manajemen ker",
])
def test_a_sentence_the_page_stops_in_is_marked_cut(text):
    paragraphs = split_paragraphs(text)
    marked = mark_cut_end(paragraphs, text)
    assert marked[:-1] == paragraphs[:-1] and marked[-1] == [paragraphs[-1][0] + CUT_MARK]


@pytest.mark.parametrize("text, cleaned", [
    ("The crash came months after the mutiny.", "The crash came months after the mutiny."),
    ("Kereta melaju 350 km per jam,” kata Jokowi.\nJangan Takut Belajar", "Kereta melaju 350 km per jam,” kata Jokowi."),
    ("Api sudah padam\nBaca juga: Harga tiket naik", "Api sudah padam"),   # the page goes on: chrome cleaned away
])
def test_a_sentence_that_ends_or_that_the_page_goes_on_after_is_not_marked(text, cleaned):
    paragraphs = split_paragraphs(cleaned)
    assert mark_cut_end(paragraphs, text) == paragraphs
