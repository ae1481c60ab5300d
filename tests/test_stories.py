"""Story clustering on small constructed cases: scoring, the chaining guard,
the window, stable ids, copies, explanations."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp

from corpus import scaling, stories
from corpus.language import Languages
from corpus.read import bundled_sample
from cli.stories import local_scaling_line
from corpus.explain import explain_pair
from corpus.stories import StorySettings, average_linkage, story_clusters
from tests.stories_corpus import QUAKE, QUAKE2, TALKS

ROOT = Path(__file__).resolve().parents[1]


def sample_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(bundled_sample().glob("*.txt"))]


def same(labels, indices) -> bool:
    return len({labels[i] for i in indices}) == 1


def apart(labels, first, second) -> bool:
    return not {labels[i] for i in first} & {labels[i] for i in second}


# ---- scoring ----

def quiet_pair_graph(shared_terms: int) -> stories.StoryGraph:
    """Eight documents close to one another (level 0.5) and two loners whose
    cosine, 0.1225, rests on `shared_terms` terms of equal weight."""
    rows = [np.eye(1, 40, 0).ravel() * 0.5 ** 0.5 + np.eye(1, 40, 1 + i).ravel() * 0.5 ** 0.5 for i in range(8)]
    weight = (0.1225 / shared_terms) ** 0.5
    for own in (20, 30):
        row = np.zeros(40)
        row[10:10 + shared_terms] = weight
        row[own] = (1 - shared_terms * weight ** 2) ** 0.5             # a term of its own: a unit vector
        rows.append(row)
    vectors = sp.csr_matrix(np.array(rows))
    pairs = np.array([(i, j) for i in range(8) for j in range(i + 1, 8)] + [(8, 9)])
    scores = (vectors[pairs[:, 0]].multiply(vectors[pairs[:, 1]])).sum(axis=1).A.ravel()
    space = SimpleNamespace(vectors=vectors, leads=None, term=lambda t: f"t{t}", document_frequency=np.ones(40),
                            capital_share=np.zeros(40))
    languages = Languages(np.full(10, -1), [])
    return stories.StoryGraph(np.arange(10), space, pairs, scores, languages, None, np.zeros(10, dtype=bool),
                              scaling.top_terms(vectors))


def test_two_loners_are_lifted_on_several_shared_terms_but_not_on_one():
    days = np.zeros(10)
    one, several = (stories.linked_pairs(quiet_pair_graph(n), days, 7) for n in (1, 4))
    cosine, lift = 0.1225, (1 / scaling.LEVEL_MIN_SHARE) ** scaling.LOCAL_ALPHA
    assert one.scores[-1] == pytest.approx(cosine)                      # one rare name: no lift
    assert several.scores[-1] == pytest.approx(cosine * lift)           # evidence spread: lifted as before
    assert one.scores[-1] < StorySettings.threshold <= several.scores[-1]


def test_loners_on_one_shared_term_stay_apart_and_the_explanation_says_why():
    days = np.zeros(10)
    for shared_terms, joined in ((1, False), (4, True)):
        graph = quiet_pair_graph(shared_terms)
        result = stories._cluster_linked(graph, stories.linked_pairs(graph, days, 7), days, StorySettings(), None)
        explanation = explain_pair(result, 8, 9)
        assert explanation.same_story is joined and explanation.one_term is not joined
        assert ("not lifted" in local_scaling_line(explanation)) is not joined


def test_copies_do_not_raise_the_level_of_their_kept_document():
    texts = list(QUAKE.values()) + list(TALKS.values())
    alone = story_clusters(texts)
    copied = story_clusters(texts + [texts[0]] * 3, copy_of=[None] * len(texts) + [0, 0, 0])
    assert np.allclose(alone.linked.levels, copied.linked.levels)
    assert copied.labels[: len(texts)] == alone.labels


# ---- clusters ----

def test_one_bridging_article_does_not_chain_two_stories():
    # stories {0,1,2} and {3,4,5}; article 6 resembles 2 and 3 more than anything else does
    pairs, scores = [], []
    for group in ((0, 1, 2), (3, 4, 5)):
        for i in group:
            for j in group:
                if i < j:
                    pairs.append((i, j))
                    scores.append(0.6)
    pairs += [(2, 6), (3, 6)]
    scores += [0.9, 0.9]
    clusters, merges = average_linkage(7, np.array(pairs), np.array(scores), threshold=0.2)
    assert clusters[0] == clusters[1] == clusters[2]
    assert clusters[3] == clusters[4] == clusters[5]
    assert clusters[0] != clusters[3]
    assert clusters[6] in (clusters[0], clusters[3])
    assert len(merges) == 5               # single linkage over the same pairs would have made 6, one story


def test_merges_follow_the_mean_over_all_cross_pairs():
    # 0-1 strong; 2 is close to 0 only: mean to {0,1} is (0.5 + 0) / 2 = 0.25
    pairs, scores = np.array([(0, 1), (0, 2)]), np.array([0.9, 0.5])
    assert len(set(average_linkage(3, pairs, scores, 0.3)[0])) == 2
    assert len(set(average_linkage(3, pairs, scores, 0.25)[0])) == 1


def test_bundled_sample_is_one_story():
    labels = story_clusters(sample_texts()).labels
    assert labels == ["s0001"] * 5


def test_two_events_in_two_languages_stay_apart_in_a_small_corpus():
    quake, talks = list(QUAKE.values()), list(TALKS.values())
    labels = story_clusters(quake + talks).labels
    assert apart(labels, range(4), range(4, 8))


def test_small_mixed_corpus_with_the_sample_keeps_every_event_apart():
    texts = sample_texts() + list(QUAKE.values()) + list(TALKS.values())
    labels = story_clusters(texts).labels
    assert same(labels, range(5))
    assert apart(labels, range(5), range(5, 13))
    assert apart(labels, range(5, 9), range(9, 13))
    assert same(labels, [5, 6])           # the two Indonesian earthquake reports
    assert same(labels, [11, 12])         # the two English reports of the talks


def test_window_keeps_look_alike_events_a_month_apart(monkeypatch):
    monkeypatch.setattr("corpus.cohesion.COHESION_SHARE", 0.0)   # the cohesion split alone would part them too
    texts = list(QUAKE.values()) + list(QUAKE2.values())
    march, april = dt.date(2024, 3, 5), dt.date(2024, 4, 4)
    dates = [march, march + dt.timedelta(days=1), march, march + dt.timedelta(days=1), april, april]
    loose = StorySettings(threshold=0.08)                      # at the default the texts alone keep them apart
    undated = story_clusters(texts, settings=loose).labels
    assert not apart(undated, range(4), range(4, 6))          # the text alone joins them (same agency, chief, wording) ...
    dated = story_clusters(texts, dates, loose).labels
    assert apart(dated, range(4), range(4, 6))                # ... the window keeps them apart
    assert same(dated, [0, 1])
    unlimited = story_clusters(texts, dates, StorySettings(threshold=0.08, window_days=None)).labels
    assert unlimited == undated
    assert apart(story_clusters(texts).labels, range(4), range(4, 6))


def test_unknown_dates_never_block():
    texts = list(QUAKE.values())[:2]
    assert same(story_clusters(texts, [dt.date(2024, 3, 5), None]).labels, [0, 1])
    assert not same(story_clusters(texts, [dt.date(2024, 3, 5), dt.date(2024, 6, 1)]).labels, [0, 1])


def test_story_ids_are_numbered_by_first_appearance():
    texts = list(TALKS.values())[:2] + list(QUAKE.values())[:2]
    labels = story_clusters(texts).labels
    assert labels == ["s0001", "s0001", "s0002", "s0002"]
    reordered = story_clusters(texts[2:] + texts[:2]).labels
    assert reordered == ["s0001", "s0001", "s0002", "s0002"]
    assert stories.story_ids([7, 3, 7, 9]) == ["s0001", "s0002", "s0001", "s0003"]


@pytest.mark.slow
def test_stories_do_not_depend_on_the_hash_seed():
    code = (
        "from tests.stories_corpus import QUAKE, TALKS, QUAKE2\n"
        "from corpus.stories import story_clusters\n"
        "r = story_clusters(list(QUAKE.values()) + list(TALKS.values()) + list(QUAKE2.values()))\n"
        "print(r.labels, [(m.left, m.right, m.score) for m in r.merges])\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_copies_join_the_story_of_their_kept_document():
    texts = list(QUAKE.values())[:2] + list(TALKS.values())[:2] + ["an unrelated page that happens to be short"]
    copy_of = [None, None, None, None, 2]                       # text 4 was found to be a copy of text 2
    result = story_clusters(texts, copy_of=copy_of)
    assert result.labels[4] == result.labels[2]
    assert 4 not in result.graph.docs.tolist()                  # copies stay out of the statistics
    chained = story_clusters(texts + ["another copy"], copy_of=copy_of + [4])
    assert chained.labels[5] == chained.labels[2]


def test_copy_cycles_are_refused():
    with pytest.raises(ValueError, match="cycle"):
        story_clusters(["a b c", "a b c", "d e f"], copy_of=[1, 0, None])


def test_threshold_sweep_matches_single_runs():
    texts = sample_texts() + list(QUAKE.values()) + list(TALKS.values())
    for threshold, result in stories.threshold_sweep(texts, [0.1, 0.17, 0.3]):
        assert result.labels == story_clusters(texts, settings=StorySettings(threshold)).labels


# ---- explanations ----

def test_explanation_of_two_reports_in_one_story():
    texts = list(QUAKE.values()) + list(TALKS.values())
    result = story_clusters(texts)
    explanation = explain_pair(result, 0, 1)
    assert explanation.same_story
    assert explanation.score == pytest.approx(result.graph.space.vectors[0].multiply(result.graph.space.vectors[1]).sum())
    assert sum(t.contribution for t in explanation.shared_terms) <= explanation.score + 1e-9
    assert "bima" in [t.term for t in explanation.shared_terms]
    pairs, scores = result.linked.at(result.settings.threshold)
    levels = result.linked.levels
    assert explanation.scaled_score == pytest.approx(scores[pairs.tolist().index([0, 1])])
    assert explanation.levels == pytest.approx((levels[0], levels[1]))
    # replaying the merges, 0 and 1 are first together right after the chain's last merge
    cluster_of = {i: i for i in range(len(texts))}
    joined_at = None
    for step, merge in enumerate(result.merges):
        together_before = cluster_of[0] == cluster_of[1]
        cluster_of = {i: merge.left if c == merge.right else c for i, c in cluster_of.items()}
        if not together_before and cluster_of[0] == cluster_of[1]:
            joined_at = step
    assert explanation.chain and explanation.chain[-1] == result.merges[joined_at]
    assert all(m in result.merges[: joined_at + 1] for m in explanation.chain)


def test_explanation_of_two_stories_apart():
    texts = list(QUAKE.values()) + list(TALKS.values())
    result = story_clusters(texts)
    explanation = explain_pair(result, 0, 5)
    assert not explanation.same_story
    assert explanation.link < explanation.threshold
    assert explanation.days_apart is None and not explanation.blocked_by_window


def test_explanation_names_the_window():
    texts = list(QUAKE.values())[:2]
    result = story_clusters(texts, [dt.date(2024, 3, 5), dt.date(2024, 5, 5)])
    explanation = explain_pair(result, 0, 1)
    assert explanation.blocked_by_window and explanation.days_apart == 61
    assert not explanation.same_story and explanation.link == 0.0


def test_explanation_of_a_copy_goes_through_its_kept_document():
    texts = list(QUAKE.values())[:2] + ["copy"]
    result = story_clusters(texts, copy_of=[None, None, 0])
    explanation = explain_pair(result, 2, 1)
    assert explanation.compared_a == 0 and explanation.same_story


# ---- agreement ----

def test_handed_over_term_counts_cluster_as_the_counts_do_and_are_taken_once():
    texts = list(QUAKE.values()) + list(TALKS.values())
    counts = stories.term_counts(texts)
    handed = stories.HandedTerms(counts)
    assert story_clusters(handed).labels == story_clusters(counts).labels
    with pytest.raises(ValueError):
        handed.take()
