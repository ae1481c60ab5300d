"""The seeded subsets standing in for the hidden evaluation sets."""

import numpy as np

from benchmarks.eval_stories import Labeled
from benchmarks.eval_subsets import (MIN_REPORTS, SMALL_SIZES, added_events, every_story_bilingual, joined, subset,
                                     summary, three_events, Scored)


def _gold(sizes: dict[str, int]) -> list[str]:
    return [story for story, size in sizes.items() for _ in range(size)]


def test_three_events_take_three_stories_with_reports_and_singletons_of_others():
    gold = _gold({f"e{n}": 12 for n in range(6)} | {f"single{n}": 1 for n in range(8)})
    topics = [story[:2] if story.startswith("e") and int(story[1]) < 2 else story for story in gold]
    for seed in range(20):
        picked = three_events(gold, topics, np.random.default_rng(seed))
        counts: dict[str, int] = {}
        for index in picked:
            counts[gold[index]] = counts.get(gold[index], 0) + 1
        events = [story for story, n in counts.items() if n >= MIN_REPORTS]
        assert len(events) == 3
        assert all(n == 1 for story, n in counts.items() if story not in events)
        assert SMALL_SIZES[0] <= len(picked) <= SMALL_SIZES[1]
        assert len(picked) == len(set(picked))


def test_three_events_hold_both_events_of_one_topic():
    gold = _gold({"a1": 5, "a2": 5, "b1": 5, "b2": 5, "c1": 5, "c2": 5, "d1": 1, "d2": 1})
    topics = [story[0] for story in gold]
    for seed in range(20):
        picked = three_events(gold, topics, np.random.default_rng(seed))
        events = {gold[i] for i in picked if sum(gold[j] == gold[i] for j in picked) >= MIN_REPORTS}
        assert len(events) == 3
        assert any({f"{topic}1", f"{topic}2"} <= events for topic in "abc")


def test_every_story_bilingual_keeps_each_language_of_every_bilingual_story():
    gold = _gold({"x": 6, "y": 4, "z": 3})
    languages = ["en", "en", "en", "id", "id", "id", "en", "id", "id", "id", "en", "en", "en"]
    for seed in range(20):
        picked = every_story_bilingual(gold, languages, np.random.default_rng(seed))
        assert {gold[i] for i in picked} == {"x", "y"}           # z is told in one language only
        for story in ("x", "y"):
            assert {languages[i] for i in picked if gold[i] == story} == {"en", "id"}


def test_subset_joined_and_added_events_keep_labels_apart():
    first = Labeled("one", ["a", "b", "c"], ["s", "s", "t"], languages=["id", "en", "id"])
    second = Labeled("two", [f"text {n}" for n in range(20)], [f"g{n // 4}" for n in range(20)])
    added = subset(second, added_events(second, np.random.default_rng(3)))
    both = joined(first, added, "en")
    assert both.gold[:3] == ["a:s", "a:s", "a:t"] and all(g.startswith("b:") for g in both.gold[3:])
    assert both.languages == ["id", "en", "id"] + ["en"] * len(added.texts)
    assert [r.text for r in both.records] == both.texts


def test_summary_gives_mean_worst_and_each_language():
    line = summary([Scored(20, 5, 0.9, {"en": 1.0}), Scored(22, 6, 0.8, {"en": 0.5, "id": 0.7})])
    assert "F1 mean 0.8500, worst 0.8000" in line and "within 'en' mean 0.7500, worst 0.5000" in line
    assert "within 'id' mean 0.7000" in line
