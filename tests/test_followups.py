"""Lone reports the date window kept from their story join it on the evidence of all its reports."""

import datetime as dt

import numpy as np
import scipy.sparse as sp

from corpus.explain import explain_pair
from corpus import followups
from corpus.followups import follow_up_joins
from corpus.stories import StorySettings, story_clusters
from tests.stories_corpus import QUAKE, QUAKE2

NAN = np.nan


def _unit(rows: list[list[float]]) -> sp.csr_matrix:
    matrix = np.array(rows, dtype=np.float64)
    return sp.csr_matrix(matrix / np.linalg.norm(matrix, axis=1, keepdims=True))


# three reports of a story (documents 0-2, cluster 0), a lone follow-up like them (3), a lone unrelated one (4)
VECTORS = _unit([[1, 1, 0, 0], [1, 0.8, 0.2, 0], [0.9, 1, 0, 0.1], [1, 0.9, 0, 0], [0, 0, 0, 1]])
CLUSTERS = np.array([0, 0, 0, 3, 4])


def test_a_lone_report_beyond_the_window_joins_the_story_it_resembles_as_a_whole():
    days = np.array([100, 101, 103, 133, 133], dtype=np.float64)
    joins = follow_up_joins(VECTORS, CLUSTERS, days, 7, threshold=0.5)
    assert [(document, cluster) for document, cluster, _ in joins] == [(3, 0)]
    expected = float(np.mean((VECTORS[:3] @ VECTORS[3].T).toarray()))
    assert np.isclose(joins[0][2], expected)


def test_the_mean_must_reach_the_threshold():
    days = np.array([100, 101, 103, 133, 133], dtype=np.float64)
    assert follow_up_joins(VECTORS, CLUSTERS, days, 7, threshold=0.999) == []


def test_nothing_joins_inside_the_window_without_dates_or_without_a_window():
    inside = np.array([100, 101, 103, 105, 133], dtype=np.float64)
    assert follow_up_joins(VECTORS, CLUSTERS, inside, 7, 0.5) == []          # the linkage saw every pair
    undated = np.array([100, 101, 103, NAN, 133])
    assert follow_up_joins(VECTORS, CLUSTERS, undated, 7, 0.5) == []          # unknown dates never block anyway
    assert follow_up_joins(VECTORS, CLUSTERS, np.array([100, 101, 103, 133, 133.0]), None, 0.5) == []


def test_a_story_of_two_reports_takes_no_follow_up():
    days = np.array([100, 101, 103, 133, 133], dtype=np.float64)
    assert follow_up_joins(VECTORS, np.array([0, 0, 2, 3, 4]), days, 7, threshold=0.5) == []


def test_stories_of_several_reports_stay_apart():
    days = np.array([100, 101, 103, 133, 134], dtype=np.float64)
    both = _unit([[1, 1, 0, 0], [1, 0.8, 0.2, 0], [0.9, 1, 0, 0.1], [1, 0.9, 0, 0], [1, 1, 0, 0]])
    assert follow_up_joins(both, np.array([0, 0, 0, 3, 3]), days, 7, 0.5) == []


def test_a_follow_up_a_month_later_joins_its_story_and_explain_says_so():
    texts = list(QUAKE.values())[:3] + [list(QUAKE.values())[3]]
    march = dt.date(2024, 3, 5)
    dates = [march, march, march + dt.timedelta(days=1), march + dt.timedelta(days=35)]
    result = story_clusters(texts, dates, StorySettings(threshold=0.1))
    assert len(set(result.labels)) == 1
    assert any(merge.follow_up and 3 in (merge.left, merge.right) for merge in result.merges)
    explanation = explain_pair(result, 3, 0)
    assert explanation.blocked_by_window and explanation.same_story
    assert any(merge.follow_up for merge in explanation.chain)


def test_a_look_alike_event_of_several_reports_a_month_later_stays_apart():
    texts = list(QUAKE.values()) + list(QUAKE2.values())
    march, april = dt.date(2024, 3, 5), dt.date(2024, 4, 4)
    dates = [march] * 4 + [april] * 2
    labels = story_clusters(texts, dates, StorySettings(threshold=0.08)).labels
    assert not {labels[i] for i in range(4)} & {labels[i] for i in (4, 5)}


def test_a_follow_up_listed_first_gives_its_id_to_the_story():
    texts = [list(QUAKE.values())[3]] + list(QUAKE.values())[:3]
    march = dt.date(2024, 3, 5)
    dates = [march + dt.timedelta(days=35), march, march, march + dt.timedelta(days=1)]
    result = story_clusters(texts, dates, StorySettings(threshold=0.1))
    assert len(set(result.labels)) == 1 and set(result.clusters.tolist()) == {0}
    assert explain_pair(result, 0, 3).same_story


def test_a_term_of_many_stories_does_not_tell_them_apart(monkeypatch):
    monkeypatch.setattr(followups, "STORY_CAP_MIN", 1)
    monkeypatch.setattr(followups, "STORY_CAP_SHARE", 0.0)
    # two stories (0-2, 3-5) share term 0; term 1 is the first's alone; a lone report (6) a month later
    vectors = _unit([[1, 1, 0], [1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1], [1, 0, 1], [1, 0.2, 0]])
    clusters = np.array([0, 0, 0, 3, 3, 3, 6])
    days = np.array([100, 100, 101, 100, 100, 101, 140], dtype=np.float64)
    indicator = sp.csr_matrix(np.c_[np.kron(np.eye(2), np.ones(3)), [0, 0]])
    assert followups.telling_terms([sp.csr_matrix(indicator @ vectors)], 3, 2).tolist() == [False, True, True]
    joins = follow_up_joins(vectors, clusters, days, 7, threshold=0.5)
    assert [(document, cluster) for document, cluster, _ in joins] == [(6, 0)]      # found through term 1
    only_shared = _unit([[1, 1, 0], [1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1], [1, 0, 1], [1, 0, 0]])
    assert follow_up_joins(only_shared, clusters, days, 7, threshold=0.5) == []     # term 0 alone tells nothing


def test_the_means_are_the_floats_of_the_whole_product(monkeypatch):
    rng = np.random.default_rng(3)
    rows = sp.random(40, 30, density=0.3, random_state=4, format="csr")
    sums = sp.random(12, 30, density=0.4, random_state=5, format="csr")
    row, story = rng.integers(0, 40, 200), rng.integers(0, 12, 200)
    whole = (rows @ sums.T).toarray()
    assert followups._dots(rows, row, sums, story).tolist() == whole[row, story].tolist()
    monkeypatch.setattr(followups, "GATHERED_ENTRIES", 20)                         # a few stories' rows at a time
    assert followups._dots(rows, row, sums, story).tolist() == whole[row, story].tolist()
    monkeypatch.setattr(followups, "csr_matvec", None)                             # scipy's public product instead
    assert followups._dots(rows, row, sums, story).tolist() == whole[row, story].tolist()
    assert followups._dots(rows, row[:0], sums, story[:0]).tolist() == []
