"""The shape tests of one line, and their byte-counting shortcuts against the word-by-word definitions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.line_shapes import has_labels, is_credit, is_label_credit, label_of, trailing_fragment, is_prose, is_punctuated, line_words, lowercase_share, mostly_lowercase

WORDS = ["the", "The", "ÉCOLE", "école", "2nd", "_x", "“Quote”", "—", "it’s", "Ωmega", "ωmega", "中文", "İstanbul", "ß", "x,", "Y."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join))
def test_mostly_lowercase_is_the_lowercase_share_of_the_words(line):
    assert mostly_lowercase(line) == (lowercase_share(line_words(line)) >= 0.5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join))
def test_known_word_counts_give_the_same_answers(line):
    n_words = len(line_words(line))
    assert is_punctuated(line, n_words) == is_punctuated(line)
    assert is_prose(line, n_words) == is_prose(line)


def test_prose_shapes():
    assert is_prose("the committee met again on tuesday and agreed to publish the report in full")
    assert not is_prose("Home News Sport Business Culture Travel Weather Video Audio Live Shop")
    assert is_punctuated("He left.") is False          # two words
    assert is_punctuated("THE END IS NEAR.") is False   # shouted


def test_credit_and_byline_shapes():
    assert is_credit("Foto: dok. Humas") and is_credit("Photo: file photo") and is_credit("Reporter: Ann Lee")
    assert not is_credit("Baca juga: banjir di kota lama") and not is_credit("Note: it rained.")
    assert has_labels("Reporter: Ann Lee | Editor: Bob Stone") and has_labels("Reporter: Ann Lee Editor: Bob Stone")
    assert not has_labels("Profile: Ann Lee") and not has_labels("Live: talks resume at 10:30")


def test_a_pipe_between_spaces_marks_a_label_as_a_colon_does():
    assert label_of("ALSO READ | Five Things To Know") == "also read" == label_of("Also read: Five Things")
    assert label_of("ALSO READ |") == "also read"
    assert label_of("May 3 , 2013 | 8 : 20 am") is None and label_of("News|World") is None
    # a pipe before two words or before another pipe: a list of names or places, no label
    assert label_of("App Store | Play Store") is None and label_of("Home | News | World | Asia") is None


def test_a_full_stop_inside_brackets_that_close_after_it_ends_no_sentence():
    assert trailing_fragment("He said so. Read more: Late Goal (Photo: dok. Agency)") == "Read more: Late Goal (Photo: dok. Agency)"
    assert trailing_fragment("He said so. (Photo: dok. Agency)") == "(Photo: dok. Agency)"
    assert trailing_fragment("He said so. Then (a.b. c)") == "Then (a.b. c)"


@pytest.mark.parametrize("text, credit", [
    ("Photo credit: Kota Agency", True),
    ("Foto oleh: Kantor Berita Kota", True),
    ("Photo: Kota Agency", True),
    ("the figures: Kota Agency", False),               # a label in lower case
    ("Read more about: Kota Agency", False),           # three words, not all capitalised
    ("Photo credit: file photo", False),               # a note, not names
])
def test_is_label_credit(text, credit):
    assert is_label_credit(text) is credit
