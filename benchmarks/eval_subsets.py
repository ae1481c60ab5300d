"""Stand-ins for evaluation sets we cannot see, drawn from the labeled corpora in place.

The hidden sets are small folders of real reports: three look-alike events
with a few single-report stories (20-30 articles), and bilingual sets in which
every story is told in both languages. The corpora in ../shared/data give
their shape, seeded and repeatable:

* three events + singletons: three stories with at least three reports each
  (of ECB+, the two look-alike events of one topic and an event of another),
  a random share of each (three or more reports), and single reports of other
  stories, 20-30 articles where the corpus has them;
* every story in two languages: the stories of a corpus told in two or more
  languages, each cut to a random subset holding every one of its languages;
* a mixed folder: the whole bilingual corpus with single-language stories of
  another added (random events, 2-6 reports each), about the size of the
  larger hidden sets.

Each subset is clustered as `samestory stories` reads it (records with their
fields, when the corpus has them) with the default settings, and scored with
B-cubed F1 overall and within each language.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Callable

import numpy as np

from benchmarks.eval_stories import Labeled
from corpus.agreement import bcubed
from corpus.stories import StorySettings, story_clusters

SMALL_SIZES = (20, 30)         # articles in a subset of three events and singletons (as many as the corpus has)
SINGLETONS = (2, 6)            # single reports of other stories added to the three events
MIN_REPORTS = 3                # reports of each of the three events, at least
MIXED_EVENTS = 17              # single-language events added to the bilingual corpus ...
MIXED_REPORTS = (2, 6)         # ... with this many reports each


@dataclass
class Scored:
    """B-cubed F1 of one subset, overall and per language label of the corpus."""

    size: int
    stories: int
    f1: float
    by_language: dict[str, float]


def three_events(gold: list[str], topics: list[str] | None, rng: np.random.Generator) -> list[int]:
    """Indices of a subset: three events of MIN_REPORTS or more reports (the events
    of one topic first, filled up from other topics), a random share of each, and
    single reports of other stories; 20-30 articles where the corpus has them."""
    members: dict[str, list[int]] = {}
    for index, story in enumerate(gold):
        members.setdefault(story, []).append(index)
    topic_of = {story: (topics[m[0]] if topics else "") for story, m in members.items()}
    events = sorted(story for story, m in members.items() if len(m) >= MIN_REPORTS)
    anchor = topic_of[events[rng.integers(len(events))]]
    same = [e for e in events if topic_of[e] == anchor]
    others = [e for e in events if topic_of[e] != anchor]
    chosen = list(rng.permutation(same))[:3]
    chosen += list(rng.permutation(others))[: 3 - len(chosen)]
    singles = int(rng.integers(SINGLETONS[0], SINGLETONS[1] + 1))     # more when the events fall short
    budget = int(rng.integers(SMALL_SIZES[0], SMALL_SIZES[1] + 1)) - singles
    picked: list[int] = []
    for position, event in enumerate(chosen):
        share = budget // (len(chosen) - position)
        reports = list(rng.permutation(members[event]))
        take = min(len(reports), max(MIN_REPORTS, share))
        picked += reports[:take]
        budget -= take
    rest = [story for story in sorted(members) if story not in chosen]
    for story in list(rng.permutation(rest))[: singles + max(budget, 0)]:
        picked.append(int(rng.choice(members[story])))
    return sorted(int(i) for i in picked)


def every_story_bilingual(gold: list[str], languages: list[str], rng: np.random.Generator) -> list[int]:
    """Indices of a subset of the stories told in two or more languages, each cut
    to a random subset (two or more reports) holding every one of its languages."""
    members: dict[str, list[int]] = {}
    for index, story in enumerate(gold):
        members.setdefault(story, []).append(index)
    picked: list[int] = []
    for story in sorted(members):
        by_language: dict[str, list[int]] = {}
        for index in members[story]:
            by_language.setdefault(languages[index], []).append(index)
        if len(by_language) < 2:
            continue
        chosen = [int(rng.choice(group)) for _, group in sorted(by_language.items())]
        rest = [i for i in members[story] if i not in chosen]
        chosen += [int(i) for i in rng.permutation(rest)[: int(rng.integers(0, len(rest) + 1))]]
        picked += chosen
    return sorted(picked)


def added_events(other: Labeled, rng: np.random.Generator) -> list[int]:
    """Indices into `other` of MIXED_EVENTS random events with 2-6 reports each."""
    members: dict[str, list[int]] = {}
    for index, story in enumerate(other.gold):
        members.setdefault(story, []).append(index)
    picked: list[int] = []
    for story in rng.permutation(sorted(members))[:MIXED_EVENTS]:
        take = int(rng.integers(MIXED_REPORTS[0], MIXED_REPORTS[1] + 1))
        picked += [int(i) for i in rng.permutation(members[story])[:take]]
    return sorted(picked)


def subset(corpus: Labeled, indices: list[int]) -> Labeled:
    """The corpus cut to `indices` (records, dates, languages and topics alike)."""
    def cut(values):
        return None if values is None else [values[i] for i in indices]
    return Labeled(corpus.name, cut(corpus.texts), cut(corpus.gold), cut(corpus.dates), cut(corpus.records),
                   cut(corpus.languages), cut(corpus.topics))


def joined(first: Labeled, second: Labeled, second_language: str) -> Labeled:
    """Two corpora as one: records made for texts that have none, gold labels kept
    apart, `second_language` the language label of every text of the second."""
    from corpus.records import Record

    def records(corpus: Labeled) -> list:
        return corpus.records or [Record(id=f"{corpus.name}:{i}", text=t, source=corpus.name)
                                  for i, t in enumerate(corpus.texts)]
    languages = (first.languages or [second_language] * len(first.texts)) + [second_language] * len(second.texts)
    return Labeled(f"{first.name} + {second.name}", first.texts + second.texts,
                   [f"a:{g}" for g in first.gold] + [f"b:{g}" for g in second.gold], None,
                   records(first) + records(second), languages)


def labels(corpus: Labeled) -> list[str]:
    """The stories of a corpus with the defaults: as `samestory stories` reads its
    records when it has them, else the texts as given (with their dates)."""
    if corpus.records:
        from benchmarks.evaluate import command_labels

        return command_labels(corpus)[0]
    return story_clusters(corpus.texts, corpus.dates, StorySettings()).labels


def scored(corpus: Labeled) -> Scored:
    """B-cubed F1 of the default stories of a corpus, overall and within each of its language labels."""
    predicted = labels(corpus)
    by_language = {}
    for language in sorted(set(corpus.languages or [])):
        members = [i for i, code in enumerate(corpus.languages) if code == language]
        by_language[language] = bcubed([predicted[i] for i in members], [corpus.gold[i] for i in members])[2]
    return Scored(len(corpus.texts), len(set(corpus.gold)), bcubed(predicted, corpus.gold)[2], by_language)


def scored_subsets(draw: Callable[[np.random.Generator], Labeled], count: int) -> list[Scored]:
    """Scores of `count` subsets, subset s drawn with seed s."""
    return [scored(draw(np.random.default_rng(seed))) for seed in range(count)]


def summary(results: list[Scored]) -> str:
    """Mean and worst F1, overall and per language, with the sizes drawn."""
    sizes = [r.size for r in results]
    stories = [r.stories for r in results]
    parts = [f"{len(results)} sets of {min(sizes)}-{max(sizes)} articles, {min(stories)}-{max(stories)} stories: "
             f"F1 mean {statistics.mean(r.f1 for r in results):.4f}, worst {min(r.f1 for r in results):.4f}"]
    for language in sorted({code for r in results for code in r.by_language}):
        figures = [r.by_language[language] for r in results if language in r.by_language]
        parts.append(f"within {language!r} mean {statistics.mean(figures):.4f}, worst {min(figures):.4f}")
    return "; ".join(parts)
