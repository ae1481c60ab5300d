"""Sentences told inside another report's longer sentence (`corpus.matching._retold`),
seen through `story_overlap`: told there, not unique to their outlet."""

import pytest
from rapidfuzz import fuzz

from corpus.matching import LINK_THRESHOLD, _bigrams, _retold, sentence_key, story_common_words
from corpus.shingles import shingle_hashes
from corpus.overlap import story_overlap
from tests.test_overlap import make_docs, similar_texts


@pytest.mark.parametrize("told, longer", [
    ("Boats searched the levee at dawn.", "At dawn boats searched again along the levee, officials said on Monday."),
    ("Peresmian kereta cepat dilakukan di Stasiun Halim.",
     "Peresmian dilakukan di Stasiun Kereta Cepat Halim, Jakarta Timur, Senin (2/10/2023) pukul 09.00 WIB."),
])
def test_a_sentence_whose_words_another_tells_in_order_but_a_moved_name_is_told_there(told, longer):
    # three word bigrams in common, too few to be compared in other words, and one phrase moved
    assert fuzz.ratio(sentence_key(told), sentence_key(longer)) < LINK_THRESHOLD
    result = story_overlap(make_docs({"a": told, "b": longer}))
    assert similar_texts(result) == [[("a", told), ("b", longer)]]
    assert result.unique == []


@pytest.mark.parametrize("told, longer, others", [
    ('"The boats searched the levee," the mayor said.',
     '"The water rose at night. The boats searched the whole levee and found both fishermen," the mayor said at dawn.',
     "Boats searched all night, the mayor said. The levee held and the mayor said the boats searched that levee again."),
    ('"Dengan kecepatan 350 km/jam," kata Jokowi.',
     '"Kereta ini yang pertama. Dengan kecepatan 350 km per jam, kereta ini kita namakan Whoosh," kata Jokowi.',
     "Jokowi menyebut kecepatan 350 km dengan jam itu, kata menteri. Jam kita dengan km baru, kata Jokowi, kecepatan 350."),
])
def test_a_short_quote_inside_a_longer_one_is_told_there_though_its_words_are_all_common(told, longer, others):
    docs = make_docs({"a": told, "b": longer, "c": others})
    common = story_common_words([[sentence_key(s) for s in d.sentences] for d in docs])
    assert len(set(sentence_key(told).split()) - common) < 3          # too few content words to compare
    result = story_overlap(docs)
    assert [("a", told), ("b", docs[1].sentences[0])] in similar_texts(result)
    assert "a" not in [u.document for u in result.unique]


def test_a_sentence_is_retold_only_in_order_but_for_a_moved_phrase():
    assert _retold("boats searched the levee at dawn", "at dawn boats searched again along the levee officials said")
    assert _retold("dengan kecepatan 350 km jam kata jokowi",
                   "kereta ini yang pertama dengan kecepatan 350 km per jam kereta ini kita namakan whoosh kata jokowi")
    # a single word out of place: another fact with the same words
    assert not _retold("it was not the first time", "it was the first time in years that the dam did not hold")
    assert not _retold("ini bukan yang pertama kali", "ini yang pertama kali dalam lima tahun bendungan itu bukan jebol")
    # every word there, but scattered: fewer than half the bigrams in common
    assert not _retold("the mayor said the levee held", "the mayor and his staff said on the radio that the levee "
                       "had held", bigrams=1)
    # every word there, in order, but scattered through a long passage
    passage = ("the doctor can travel to any point in time said smith who played him for three seasons and the show "
               "went off air in 1989 before it was revived and he was the smartest in the room")
    assert not _retold("the doctor is in the room", passage) and _retold("the doctor can travel in time", passage)
    # a word missing
    assert not _retold("the boats searched the levee at dawn", "the boats searched the river at dawn said the mayor")


def test_bigrams_of_keys_are_their_word_bigram_shingles_found_in_one_pass():
    keys = ["the cat sat on the mat the cat", "", "a b", "ünïcode wörds here", "solo"]
    hashes, key_of, words = _bigrams(keys)
    assert words.tolist() == [8, 0, 2, 3, 1]
    assert key_of.tolist() == sorted(key_of.tolist()) and len(hashes) == 7 + 1 + 2   # repeats kept
    for k in (0, 2, 3):
        assert sorted(set(hashes[key_of == k].tolist())) == shingle_hashes(keys[k], 2).tolist()
