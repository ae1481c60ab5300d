"""Linked pairs: the window, the levels, local scaling and the pairs kept
for the lowest threshold, on small constructed cases."""

import dataclasses
import datetime as dt

import numpy as np

from corpus import stories, story_links
from corpus.short_texts import SHORT_TERMS
from corpus.stories import StorySettings
from corpus.story_links import linked_pairs
from corpus.workers import Workers
from tests.stories_corpus import QUAKE, QUAKE2, TALKS


def test_levels_only_count_pairs_the_window_allows():
    texts = list(QUAKE.values()) + list(QUAKE2.values())
    march, april = dt.date(2024, 3, 5), dt.date(2024, 4, 4)
    dates = [march, march, march, march, april, april]
    graph = stories.story_graph(texts)
    days = stories.day_numbers(dates, len(texts))
    windowed = linked_pairs(graph, days, StorySettings().window_days).levels
    unlimited = linked_pairs(graph, days, None).levels
    assert windowed[4] < unlimited[4]                # the April reports' March look-alikes are not their neighbours


def test_pairs_that_cannot_count_are_dropped_without_changing_levels_or_links():
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(800)]                      # texts past SHORT_TERMS: scored as they are
    texts = [" ".join(rng.choice(words, size=SHORT_TERMS)) for _ in range(150)]
    days = np.repeat(np.arange(15.0), 10)
    every = stories.story_graph(texts, days=days, window_days=3)
    pruned = stories.story_graph(texts, days=days, window_days=3, lowest_threshold=0.17)
    assert len(pruned.pairs) < len(every.pairs)
    full, kept = linked_pairs(every, days, 3), linked_pairs(pruned, days, 3)
    assert np.allclose(full.levels, kept.levels) and full.typical_level == kept.typical_level
    for threshold in (0.17, 0.3):
        (a, sa), (b, sb) = full.at(threshold), kept.at(threshold)
        assert np.array_equal(a, b) and np.allclose(sa, sb)


def test_pairs_scored_within_the_window_link_as_when_checked_against_it_again():
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(300)]
    texts = [" ".join(rng.choice(words, size=SHORT_TERMS)) for _ in range(60)]
    days = np.repeat(np.arange(12.0), 5)
    days[::7] = np.nan                                          # unknown dates never block
    scored = stories.story_graph(texts, days=days, window_days=3)
    assert scored.window_days == 3
    unchecked, checked = (linked_pairs(graph, days, 3)
                          for graph in (scored, dataclasses.replace(scored, window_days=None)))
    assert np.array_equal(unchecked.pairs, checked.pairs) and np.array_equal(unchecked.scores, checked.scores)
    wider = linked_pairs(stories.story_graph(texts, days=days, window_days=5), days, 3)
    assert np.array_equal(wider.pairs, checked.pairs)            # a wider window's pairs are checked


def test_linked_pairs_for_a_lowest_threshold_count_as_all_pairs_do_from_it_up():
    texts = list(QUAKE.values()) + list(TALKS.values()) + list(QUAKE2.values())
    graph = stories.story_graph(texts, days=np.zeros(len(texts)), window_days=7)
    every = linked_pairs(graph, np.zeros(len(texts)), 7)
    some = linked_pairs(graph, np.zeros(len(texts)), 7, lowest_threshold=0.3)
    assert len(some.pairs) < len(every.pairs) and np.array_equal(some.levels, every.levels)
    for threshold in (0.3, 0.4):
        assert all(np.array_equal(a, b) for a, b in zip(some.at(threshold), every.at(threshold)))


def test_the_one_term_check_shared_out_among_workers_links_the_same_pairs(monkeypatch, tmp_path):
    rng = np.random.default_rng(8)
    words = [f"w{i}" for i in range(400)]
    texts = [" ".join(list(rng.choice(words, size=SHORT_TERMS)) + [f"Name{k // 2}"] * 6) for k in range(120)]
    days = np.repeat(np.arange(12.0), 10)
    graph = stories.story_graph(texts, days=days, window_days=3, park_in=str(tmp_path))
    monkeypatch.setattr(story_links, "PAIRS_AT_ONCE", 200)             # parts of few candidates, tasks across them
    monkeypatch.setattr(story_links, "CHECKED_PER_TASK", 7)
    alone = linked_pairs(graph, days, 3, 0.17)
    with Workers(2) as workers:
        shared = linked_pairs(graph, days, 3, 0.17, workers)
    assert np.array_equal(alone.pairs, shared.pairs) and np.array_equal(alone.scores, shared.scores)
    lifted = story_links._unheld_factors(graph, alone.levels, alone.typical_level, graph.pairs) > 1
    held = story_links.lift_factors(graph, alone.levels, alone.typical_level, graph.pairs, graph.scores, 0.085) == 1
    assert (lifted & held).sum() > 10                                  # pairs of two reports sharing one name
