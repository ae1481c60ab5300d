"""The diagnosis of stand-in sets that fall short: merged and split gold stories and their evidence."""

import numpy as np

from benchmarks.diagnose_subsets import (diagnosis, hallmark_count, hallmarks_against_chance, joining_merges,
                                        side_label)
from benchmarks.eval_stories import Labeled
from corpus.stories import story_clusters
from stories_corpus import FLOODS

TEXTS = list(FLOODS.values())                 # two look-alike floods, three reports each
TOWNS = ["varnholt"] * 3 + ["torrevella"] * 3


def test_stories_found_as_labeled_need_no_diagnosis():
    f1, lines = diagnosis(Labeled("floods", TEXTS, TOWNS))
    assert f1 == 1.0 and lines == []


def test_a_gold_story_over_two_predicted_ones_is_shown_split_with_its_link():
    f1, lines = diagnosis(Labeled("floods", TEXTS, ["flood"] * 6))
    assert f1 < 1.0
    assert lines[0] == "split: flood (6) over s0001 (3), s0002 (3)"
    assert lines[1].startswith("  parts of 3 and 3: mean link ") and "(threshold 0.17)" in lines[1]


def test_two_gold_stories_in_one_predicted_story_are_shown_with_their_evidence(monkeypatch):
    monkeypatch.setattr("corpus.cohesion.COHESION_SHARE", 0.0)       # the review would keep them apart
    corpus = Labeled("floods", TEXTS, TOWNS)
    f1, lines = diagnosis(corpus, story_clusters(TEXTS))
    assert f1 < 1.0
    assert lines[0] == "merged: s0001 holds varnholt (3/3), torrevella (3/3)"
    assert lines[1].startswith("  varnholt (3) x torrevella (3): cross mean ")
    assert any(line.startswith("    merge at ") and "[3+0] + [0+3]" in line for line in lines)
    assert any(line.startswith("    cross pairs carried by names ") for line in lines)
    only = next(line for line in lines if line.startswith("    only in varnholt"))
    assert "varnholt/N" in only and "essel/N" in only and "torrevella" not in only


def test_joining_merges_name_the_sides_that_held_the_two_stories(monkeypatch):
    monkeypatch.setattr("corpus.cohesion.COHESION_SHARE", 0.0)
    joined = list(joining_merges(story_clusters(TEXTS), [0, 1, 2], [3, 4, 5]))
    assert len(joined) == 1 and sorted(joined[0][1] + joined[0][2]) == list(range(6))
    monkeypatch.undo()
    assert list(joining_merges(story_clusters(TEXTS), [0, 1, 2], [3, 4, 5])) == []     # kept apart
    first, second = [0, 1, 2], [3, 4, 5]
    assert side_label([0, 1, 3, 12], first, second) == "[2+1+1 other]"


def test_one_report_in_another_story_is_shown_with_its_means_there_and_with_its_own():
    gold = ["varnholt", "varnholt", "torrevella", "torrevella", "torrevella", "torrevella"]
    f1, lines = diagnosis(Labeled("floods", TEXTS, gold))
    assert lines[0] == "merged: s0001 holds varnholt (2/2), torrevella (1/4)"
    assert lines[1].startswith("  torrevella: report 2 has mean ") and "with the 2 others there" in lines[1]
    assert "with its own story's 3; carried by " in lines[1] and "varnholt/N" in lines[1]


def test_hallmark_terms_are_those_of_half_of_one_side_and_none_of_the_other():
    presence = np.array([[1, 1, 0, 1],
                         [1, 0, 0, 1],
                         [0, 0, 1, 1],
                         [0, 0, 0, 1]], dtype=bool)
    first = np.array([True, True, False, False])
    assert hallmark_count(presence, first) == 3         # term 0 and 1 of the first side, term 2 of the second
    assert hallmark_count(presence, np.array([True, False, True, False])) == 2   # terms 1 and 2; 0 and 3 are both sides'


def test_two_stories_written_apart_have_more_hallmarks_than_random_splits_of_their_reports():
    vectors = story_clusters(TEXTS).graph.space.vectors
    count, mean, spread = hallmarks_against_chance(vectors, [0, 1, 2], [3, 4, 5])
    assert count > mean + 2 * spread
    assert hallmarks_against_chance(vectors, [0, 1, 2], [3, 4, 5]) == (count, mean, spread)     # seeded


def test_merged_stories_are_shown_with_their_hallmarks_against_chance(monkeypatch):
    monkeypatch.setattr("corpus.cohesion.COHESION_SHARE", 0.0)
    f1, lines = diagnosis(Labeled("floods", TEXTS, TOWNS), story_clusters(TEXTS))
    line = next(line for line in lines if line.startswith("    hallmark terms "))
    assert "; random splits of the same sizes " in line and "(z " in line
