"""Bilingual folders drawn from Multi-News-like stories (benchmarks.pseudo_stories)."""

from collections import Counter

import numpy as np

from benchmarks.eval_stories import Labeled
from benchmarks.pseudo_language import PseudoLanguage
from benchmarks.pseudo_stories import folder

TEXT = "officials in london said the police found 12 bodies near the river on friday ."


def corpus() -> Labeled:
    sizes = [9, 8, 6, 5, 4, 3, 3, 3, 2, 2, 2, 1, 1]
    gold = [f"s{story}" for story, size in enumerate(sizes) for _ in range(size)]
    return Labeled("c", [f"{TEXT} {i}" for i in range(len(gold))], gold)


def test_every_bilingual_story_is_told_in_both_languages_and_the_others_in_one():
    language = PseudoLanguage(0, lowercased=True)
    drawn = folder(corpus(), language, np.random.default_rng(3), 4, 2, 2)
    sizes = Counter(drawn.gold)
    assert len(sizes) == 8 and max(sizes.values()) <= 8
    assert sorted(sizes.values())[:2] == [1, 1]
    told = {story: {code for code, gold in zip(drawn.languages, drawn.gold) if gold == story} for story in sizes}
    assert sum(len(codes) == 2 for codes in told.values()) == 4
    assert all((text.startswith("officials")) == (code == "en") for text, code in zip(drawn.texts, drawn.languages))


def test_a_folder_is_seeded_and_its_untranslated_twin_holds_the_same_reports():
    language = PseudoLanguage(0, lowercased=True)
    first = folder(corpus(), language, np.random.default_rng(5), 5)
    assert first.texts == folder(corpus(), language, np.random.default_rng(5), 5).texts
    plain = folder(corpus(), None, np.random.default_rng(5), 5)
    assert plain.gold == first.gold and plain.languages == first.languages
    assert all(text.startswith("officials") for text in plain.texts)


def test_lower_cased_names_both_word_lists_rank_alike_are_kept():
    words = PseudoLanguage(0, loanwords=0.0, lowercased=True).translate(TEXT).split(" ")
    plain = PseudoLanguage(0, loanwords=0.0).translate(TEXT).split(" ")
    assert "london" in words and "london" not in plain
    assert "police" not in words and "officials" not in words and "12" in words
