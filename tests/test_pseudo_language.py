"""The pseudo-translated bilingual stand-in (benchmarks.pseudo_language)."""

import re

from benchmarks.eval_stories import Labeled
from benchmarks.pseudo_language import PseudoLanguage, pseudo_bilingual
from corpus.language import identify

TEXT = ("Rescuers said on Friday that the earthquake of magnitude 6.1 near Qeshm killed 12 people , "
        "the NBA said at http://example.com/quake . The village was destroyed and the government "
        "sent help to the island . Mehdi Karimi told U.S. reporters that 3,200 homes had fallen .")


def test_names_numbers_acronyms_and_urls_stay_and_ordinary_words_change():
    translated = PseudoLanguage(0, loanwords=0.0).translate(TEXT)
    words = translated.split(" ")
    for kept in ("Friday", "6.1", "Qeshm", "12", "NBA", "http://example.com/quake", "Mehdi", "Karimi", "U.S.",
                 "3,200"):
        assert kept in words
    ordinary = {w for w in TEXT.split(" ") if re.fullmatch(r"[a-z]+", w)}
    assert not ordinary & {w.lower() for w in words}
    assert len(words) == len(TEXT.split(" "))
    assert identify(translated) in {"id", "ms"}


def test_the_mapping_is_deterministic_and_seeded():
    assert PseudoLanguage(3).translate(TEXT) == PseudoLanguage(3).translate(TEXT)
    one, other = PseudoLanguage(0).word("zzyzxqw"), PseudoLanguage(1).word("zzyzxqw")
    assert one != other and one.isalpha()            # a word off the list: a hashed pseudo-word, per seed
    assert PseudoLanguage(0).word("the") == PseudoLanguage(1).word("the")   # listed words: rank to rank


def test_a_sentence_opener_is_a_name_only_when_written_so_or_followed_by_one():
    translated = PseudoLanguage(0, loanwords=0.0).translate("The man left . Jack Smith stayed . Smith said so .")
    words = translated.split(" ")
    assert words[0] != "The" and words[4:6] == ["Jack", "Smith"] and words[8] == "Smith"


def test_half_of_each_story_is_translated_and_labelled():
    corpus = Labeled("c", [TEXT] * 9, ["a"] * 4 + ["b"] * 5, topics=["t"] * 9)
    first, again = pseudo_bilingual(corpus, seed=5), pseudo_bilingual(corpus, seed=5)
    assert first.texts == again.texts and first.languages == again.languages
    assert first.languages[:4].count("id") == 2 and first.languages[4:].count("id") in (2, 3)
    assert all((text != TEXT) == (code == "id") for text, code in zip(first.texts, first.languages))
    assert first.gold == corpus.gold and first.topics == corpus.topics
