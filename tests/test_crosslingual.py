"""Cross-language pair scores: bridge terms, the fitted scale, no lift for loners."""

import numpy as np
import scipy.sparse as sp

from corpus.crosslingual import bridge_terms, crossing, fitted_scale
from corpus import stories
from corpus.stories import StorySettings, story_clusters, story_graph
from stories_corpus import QUAKE, TALKS
from test_language import ENGLISH, INDONESIAN


def test_bridge_terms_are_found_in_two_languages():
    vectors = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 0.0]]))
    groups = np.array([0, 0, 1, -1])
    assert bridge_terms(vectors, groups, 2).tolist() == [False, False, True, False]


def test_fitted_scale_is_the_least_squares_slope():
    assert fitted_scale(np.array([0.1, 0.2]), np.array([0.2, 0.4])) == 0.5
    assert fitted_scale(np.array([0.1]), np.array([0.0])) == 1.0


def test_crossing_marks_pairs_of_two_known_languages():
    pairs = np.array([[0, 1], [0, 2], [1, 3], [2, 3]])
    assert crossing(np.array([0, 0, 1, -1]), pairs).tolist() == [False, True, False, False]


def test_one_event_in_two_languages_is_one_story_and_two_events_stay_apart():
    texts = list(QUAKE.values()) + list(TALKS.values())
    graph = story_graph(texts)
    assert graph.languages.codes == ["id", "id", "en", "en"] * 2
    labels = story_clusters(texts).labels
    assert len(set(labels[:4])) == 1 and len(set(labels[4:])) == 1 and labels[0] != labels[4]
    pairs = graph.pairs.tolist()
    quake_across = graph.scores[pairs.index([0, 2])]
    assert quake_across >= StorySettings().threshold               # bridge score on the same-language scale
    assert [0, 4] not in pairs or graph.scores[pairs.index([0, 4])] < StorySettings().threshold / 2


def test_pairs_within_one_language_keep_their_scores(monkeypatch):
    texts = list(QUAKE.values()) + list(TALKS.values())
    graph = story_graph(texts)
    monkeypatch.setattr(stories, "cross_language_scores", lambda vectors, groups, count, pairs, scores: (scores, None))
    plain = story_graph(texts)
    assert graph.pairs.tolist() == plain.pairs.tolist()
    within = ~crossing(graph.languages.groups, graph.pairs)
    assert np.array_equal(graph.scores[within], plain.scores[within])
    assert not np.allclose(graph.scores[~within], plain.scores[~within])


def test_two_loners_in_two_languages_sharing_a_name_stay_apart():
    """Unrelated reports that share one name and a number: their bridge part is
    that name alone, and neither is lifted by local scaling."""
    english = ENGLISH[1] + " Minister Haruto Sato visited the valley in 2024."
    indonesian = INDONESIAN[2] + " Menteri Haruto Sato hadir pada 2024."
    texts = ENGLISH[:1] + [english] + INDONESIAN[:2] + [indonesian]
    labels = story_clusters(texts).labels
    assert labels[1] != labels[4]
