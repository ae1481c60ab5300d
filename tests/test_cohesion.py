"""Two tight groups joined loosely are split again after linkage."""

import numpy as np
import scipy.sparse as sp

from corpus.cohesion import COHESION_SHARE, lead_means, loose_merges, split_loose
from corpus.linkage import Merge
from corpus.stories import story_clusters
from tests.stories_corpus import FLOODS, offers

LONG = np.zeros(6, dtype=bool)
TWO_PAIRS = [Merge(0, 1, 0.8, 2), Merge(2, 3, 0.8, 2)]


def test_two_tight_pairs_joined_far_below_their_cohesion_stay_two_stories():
    merges = TWO_PAIRS + [Merge(0, 2, 0.2, 4)]
    assert loose_merges(merges, LONG[:4]).tolist() == [False, False, True]
    clusters, kept = split_loose(4, merges, LONG[:4])
    assert clusters.tolist() == [0, 0, 2, 2]
    assert kept == TWO_PAIRS


def test_a_join_near_the_groups_cohesion_stands():
    merges = TWO_PAIRS + [Merge(0, 2, COHESION_SHARE * 0.8 + 0.01, 4)]
    clusters, kept = split_loose(4, merges, LONG[:4])
    assert clusters.tolist() == [0, 0, 0, 0] and kept == merges


def test_a_single_report_joining_a_group_is_never_judged_by_cohesion():
    merges = [Merge(0, 1, 0.9, 2), Merge(0, 2, 0.2, 3)]
    assert split_loose(3, merges, LONG[:3])[0].tolist() == [0, 0, 0]


def test_groups_of_short_texts_are_left_as_linked():
    merges = TWO_PAIRS + [Merge(0, 2, 0.2, 4)]
    assert split_loose(4, merges, np.ones(4, dtype=bool))[0].tolist() == [0, 0, 0, 0]
    mostly_long = np.array([True, False, False, False])
    assert split_loose(4, merges, mostly_long)[0].tolist() == [0, 0, 2, 2]


def test_groups_in_two_languages_are_left_as_linked_groups_sharing_one_are_judged():
    merges = TWO_PAIRS + [Merge(0, 2, 0.2, 4)]
    assert split_loose(4, merges, LONG[:4], np.array([0, 0, 1, 1]))[0].tolist() == [0, 0, 0, 0]
    assert split_loose(4, merges, LONG[:4], np.array([0, 1, 1, 0]))[0].tolist() == [0, 0, 2, 2]
    assert split_loose(4, merges, LONG[:4], np.array([-1, -1, 1, 1]))[0].tolist() == [0, 0, 2, 2]   # unknown: judged


def test_a_merge_that_stands_keeps_the_groups_below_it_whole():
    # {0,1,2,3} holds a loose merge but has cohesion (0.8 + 0.8 + 4 * 0.2) / 6 = 0.4;
    # it joins the pair {4,5} (0.3) at 0.2 >= 0.55 * 0.3, so everything stays one story
    merges = TWO_PAIRS + [Merge(0, 2, 0.2, 4), Merge(4, 5, 0.3, 2), Merge(0, 4, 0.2, 6)]
    clusters, kept = split_loose(6, merges, LONG)
    assert clusters.tolist() == [0] * 6 and kept == merges


def test_a_split_reviews_each_group_in_turn():
    # the last merge is loose, and so is the one that made its left group
    merges = TWO_PAIRS + [Merge(0, 2, 0.2, 4), Merge(4, 5, 0.9, 2), Merge(0, 4, 0.05, 6)]
    clusters, kept = split_loose(6, merges, LONG)
    assert clusters.tolist() == [0, 0, 2, 2, 4, 4]
    assert kept == TWO_PAIRS + [Merge(4, 5, 0.9, 2)]


def test_no_merges_leave_every_item_alone():
    clusters, kept = split_loose(3, [], LONG[:3])
    assert clusters.tolist() == [0, 1, 2] and kept == []


def test_look_alike_floods_that_linkage_joins_are_two_stories(monkeypatch):
    texts = list(FLOODS.values())
    assert story_clusters(texts).labels == ["s0001"] * 3 + ["s0002"] * 3
    monkeypatch.setattr("corpus.cohesion.COHESION_SHARE", 0.0)
    joined = story_clusters(texts)
    assert joined.labels == ["s0001"] * 6                     # their topic alone passes the threshold
    assert joined.merges[-1].score >= joined.settings.threshold


def lead_rows(*rows):
    """Unit lead vectors, one per row of term weights."""
    leads = np.array(rows, dtype=np.float64)
    return sp.csr_matrix(leads / np.linalg.norm(leads, axis=1, keepdims=True))


FOURS = [Merge(0, 1, 0.8, 2), Merge(2, 3, 0.8, 2), Merge(0, 2, 0.8, 4),
         Merge(4, 5, 0.8, 2), Merge(6, 7, 0.8, 2), Merge(4, 6, 0.8, 4)]


def test_two_groups_whose_leads_tell_different_events_stay_two_stories():
    # the bodies join at their cohesion; the leads of each group name one actor, the other group's another
    merges = FOURS + [Merge(0, 4, 0.7, 8)]
    leads = lead_rows(*[[1, 0, 0.2]] * 4, *[[0, 1, 0.2]] * 4)
    assert loose_merges(merges, LONG[:1].repeat(8)).tolist() == [False] * 7
    assert loose_merges(merges, LONG[:1].repeat(8), None, leads).tolist() == [False] * 6 + [True]
    assert split_loose(8, merges, LONG[:1].repeat(8), None, leads)[0].tolist() == [0] * 4 + [4] * 4
    alike = lead_rows(*[[1, 0.3, 0.2]] * 4, *[[0.8, 1, 0.2]] * 4)
    assert split_loose(8, merges, LONG[:1].repeat(8), None, alike)[0].tolist() == [0] * 8


def test_leads_in_two_languages_are_compared_within_each_language():
    """One story: four reports in one language (terms 0-1), and one in that
    language with three in another (terms 2-3, a name, term 4, in all). Leads
    across languages share only the name, so over all pairs the second group
    looks far from the first; within each language the leads are alike."""
    merges = FOURS + [Merge(0, 4, 0.7, 8)]
    leads = lead_rows(*[[1, 1, 0, 0, 0.3]] * 5, *[[0, 0, 1, 1, 0.3]] * 3)
    languages = np.array([0] * 5 + [1] * 3)
    across, *within = lead_means(leads, [0, 1, 2, 3], [4, 5, 6, 7])
    assert across < COHESION_SHARE * min(within)                   # all pairs: the cross-language ones drag it down
    assert np.allclose(lead_means(leads, [0, 1, 2, 3], [4, 5, 6, 7], languages.tolist()), 1.0)
    assert split_loose(8, merges, LONG[:1].repeat(8), None, leads)[0].tolist() == [0] * 4 + [4] * 4
    assert split_loose(8, merges, LONG[:1].repeat(8), languages, leads)[0].tolist() == [0] * 8
    other = lead_rows(*[[1, 1, 0, 0, 0.3]] * 4, [0.2, 0, 0, 0, 1], *[[0, 0, 1, 1, 0.3]] * 3)
    assert split_loose(8, merges, LONG[:1].repeat(8), languages, other)[0].tolist() == [0] * 4 + [4] * 4


def test_leads_without_a_pair_in_one_language_are_not_judged():
    merges = FOURS + [Merge(0, 4, 0.7, 8)]
    leads = lead_rows(*[[1, 0]] * 4, *[[0, 1]] * 4)
    languages = [0, 1, 2, 3, 0, 1, 2, 3]                           # no two items of one group share a language
    assert np.isnan(lead_means(leads, [0, 1, 2, 3], [4, 5, 6, 7], languages)[1:]).all()
    assert split_loose(8, merges, LONG[:1].repeat(8), np.array(languages), leads)[0].tolist() == [0] * 8


def test_groups_under_four_reports_are_not_judged_by_their_leads():
    merges = [Merge(0, 1, 0.8, 2), Merge(0, 2, 0.8, 3), Merge(3, 4, 0.8, 2), Merge(3, 5, 0.8, 3), Merge(0, 3, 0.7, 6)]
    leads = lead_rows(*[[1, 0]] * 3, *[[0, 1]] * 3)
    assert split_loose(6, merges, LONG, None, leads)[0].tolist() == [0] * 6


def test_two_offers_told_alike_but_led_by_different_clubs_are_two_stories(monkeypatch):
    texts = list(offers().values())
    assert story_clusters(texts).labels == ["s0001"] * 4 + ["s0002"] * 4
    monkeypatch.setattr("corpus.cohesion.LEAD_MIN_SIZE", 9)       # judged by their bodies alone they are one story
    assert story_clusters(texts).labels == ["s0001"] * 8
