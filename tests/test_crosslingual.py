"""Cross-language pair scores: bridge terms, the fitted scale, no lift for loners."""

import numpy as np
import scipy.sparse as sp

from corpus.crosslingual import (MIN_SHARED_TERMS, bridge_cosines, bridge_terms, cross_language_scores, crossing,
                                 fitted_scale, grouped_shared, partner_matrix, shared_weight, spelled_alike,
                                 Spellings)
from corpus import crosslingual, stories
from corpus.explain import explain_pair
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


def test_fewer_shared_bridge_terms_weigh_a_pair_down_past_a_name_and_a_year():
    assert shared_weight(np.arange(MIN_SHARED_TERMS + 3)).tolist() == [0, 0, 0, 1 / 8, 1, 1, 1]


def test_a_pair_partnered_in_its_own_language_keeps_more_of_a_thin_bridge():
    assert shared_weight(np.arange(6), False).tolist() == [0, 1 / 16, 1 / 4, 9 / 16, 1, 1]
    assert shared_weight(np.array([3, 3]), np.array([True, False])).tolist() == [1 / 8, 9 / 16]


def test_documents_with_a_pair_of_their_language_at_the_threshold_are_partnered():
    pairs = np.array([[0, 1], [2, 3], [3, 4]])
    partners = partner_matrix(6, pairs, np.array([0.3, 0.1, 0.17]), 0.17)
    assert (np.diff(partners.indptr) > 1).tolist() == [True, True, False, True, True, False]
    assert partners[3].indices.tolist() == [3, 4] and partners[2].indices.tolist() == [2]


def test_a_pair_sharing_three_bridge_terms_keeps_part_of_its_score():
    """Terms 0-3 are found in both languages (bridge terms), 4-6 in one each.
    Pair (0, 2) shares three bridge terms, (1, 3) four: the first keeps 1/8 of
    its calibrated bridge score, the second all of it."""
    vectors = sp.csr_matrix(np.array([
        [1, 1, 1, 0, 0, 2, 0],
        [1, 1, 1, 1, 0, 2, 0],
        [1, 1, 1, 0, 1, 0, 2],
        [1, 1, 1, 1, 0, 0, 2.0],
    ]))
    vectors = sp.csr_matrix(vectors.multiply(1 / np.sqrt(vectors.multiply(vectors).sum(axis=1))))
    groups = np.array([0, 0, 1, 1])
    pairs = np.array([[0, 1], [0, 2], [1, 3], [2, 3]])
    scores = np.asarray(vectors[pairs[:, 0]].multiply(vectors[pairs[:, 1]]).sum(axis=1)).ravel()
    rescored, bridge = cross_language_scores(vectors, groups, 2, pairs, scores)
    plain, shared = bridge_cosines(vectors, bridge.terms, pairs)
    assert shared[1:3].tolist() == [3, 4]
    assert rescored[1] == bridge.scale * plain[1] / 8 > 0
    assert rescored[2] == bridge.scale * plain[2]
    assert rescored[[0, 3]].tolist() == scores[[0, 3]].tolist()          # within one language: as scored


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
    monkeypatch.setattr(stories, "cross_language_scores",
                        lambda vectors, groups, count, pairs, scores, names=None, **_: (scores, None))
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


LONERS = [ENGLISH[1] + " Minister Haruto Sato visited the valley in 2024.",
          INDONESIAN[2] + " Menteri Haruto Sato hadir pada 2024."]


def test_two_loners_alone_in_a_folder_sharing_a_name_and_a_year_stay_apart():
    """Alone, their bridge parts are the three terms they share (bridge cosine
    ~1, the scale 1 with nothing to fit on): the count of shared terms keeps them apart."""
    graph = story_graph(LONERS)
    bridge, shared = bridge_cosines(graph.bridge.columns(graph.space.vectors), graph.bridge.terms, graph.pairs)
    assert shared.tolist() == [3] and bridge[0] > 0.9 and graph.bridge.scale == 1.0
    assert graph.scores[0] < StorySettings().threshold
    assert len(set(story_clusters(LONERS).labels)) == 2


def test_one_report_in_each_language_alone_in_a_folder_is_one_story():
    """Two reports of one event sharing names and numbers (Bima, BMKG, Rahmat
    Wicaksono, 6,1 / 6.1, 3.200 / 3,200, 14) join with nothing else to go by."""
    for texts in ([QUAKE["quake-id-1"], QUAKE["quake-en-1"]], [TALKS["talks-id-1"], TALKS["talks-en-1"]]):
        labels = story_clusters(texts).labels
        assert labels[0] == labels[1]


def test_two_loners_sharing_a_name_and_a_year_stay_apart_beside_a_story_in_two_languages():
    """With a story in both languages, the scale is fitted (not 1): the loners still stay apart."""
    texts = list(QUAKE.values()) + LONERS
    graph = story_graph(texts)
    assert 0 < graph.bridge.scale < 1
    labels = story_clusters(texts).labels
    assert len(set(labels[:4])) == 1 and len(set(labels)) == 3


def spelled(capital_share, spellings):
    """`Spellings` of terms, those with a digit among them found from their spelling."""
    return Spellings(np.asarray(capital_share), np.array([any(c.isdigit() for c in w) for w in spellings]),
                     spellings.__getitem__)


SPELLINGS = ["russia", "rusia", "moscow", "moskow", "bank", "bang", "luna", "pesawat", "perang", "orang"]
NAMES = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0.9, 0.9])   # per term: its capitalised share ("pesawat" is no name)


def test_names_one_letter_apart_in_two_languages_count_as_one_term():
    """Terms 0, 2, 4 in English documents only, 1, 3, 5, 7-9 in Indonesian
    ones, 6 in both: Rusia and Moskow count as Russia and Moscow; bank and
    bang are too short, pesawat no name, perang and orang of one language."""
    vectors = sp.csr_matrix(np.array([
        [1, 0, 1, 0, 1, 0, 1, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 1, 0, 0, 0],
        [0, 1, 0, 1, 0, 1, 1, 1, 1, 1.0],
        [0, 1, 0, 0, 0, 0, 0, 1, 0, 0],
    ]))
    groups = np.array([0, 0, 1, 1])
    alike = spelled_alike(vectors, groups, 2, spelled(NAMES, SPELLINGS))
    assert alike.tolist() == [0, 0, 2, 2, 4, 5, 6, 7, 8, 9]
    assert spelled_alike(vectors[:, 4:], groups, 2, spelled(NAMES[4:], SPELLINGS[4:])) is None


def test_a_name_is_matched_to_its_other_spelling_found_in_both_languages():
    """Rusia in an English and an Indonesian report, Russia in English ones only:
    one term; India in both and Indian in English only as well."""
    vectors = sp.csr_matrix(np.array([[1, 1, 1, 1], [0, 1, 0, 1], [1, 0, 1, 0.0]]))
    spellings = ["rusia", "russia", "india", "indian"]
    alike = spelled_alike(vectors, np.array([0, 0, 1]), 2, spelled(np.ones(4), spellings))
    assert alike.tolist() == [0, 0, 2, 2]


def test_names_two_letters_apart_stay_two_terms():
    """Saint and Spain, Reuters and Rutgers: one letter dropped from each gives
    one spelling, yet they are two changes apart; Medan and medal share four
    letters only."""
    vectors = sp.csr_matrix(np.array([[1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 0, 1.0]]))
    spellings = ["saint", "spain", "reuters", "rutgers", "medal", "medan"]
    assert spelled_alike(vectors, np.array([0, 1]), 2, spelled(np.ones(6), spellings)) is None


def test_a_pair_naming_its_places_in_two_spellings_shares_them_as_bridge_terms():
    """An English and an Indonesian report of one event share Luna alone as
    written; with Russia / Rusia and Moscow / Moskow they share three bridge
    terms, and their score is no longer 0 (one shared term is no evidence)."""
    vectors = sp.csr_matrix(np.array([
        [1, 0, 1, 0, 0, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 1, 0, 0, 0],
        [0, 1, 0, 1, 0, 0, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 1, 0, 1, 1, 0.0],
    ]))
    vectors = sp.csr_matrix(vectors.multiply(1 / np.sqrt(vectors.multiply(vectors).sum(axis=1))))
    groups = np.array([0, 0, 1, 1])
    pairs = np.array([[0, 1], [0, 2], [2, 3]])
    scores = np.asarray(vectors[pairs[:, 0]].multiply(vectors[pairs[:, 1]]).sum(axis=1)).ravel()
    plain, _ = cross_language_scores(vectors, groups, 2, pairs, scores)
    rescored, bridge = cross_language_scores(vectors, groups, 2, pairs, scores, spelled(NAMES, SPELLINGS))
    assert bridge_cosines(bridge.columns(vectors), bridge.terms, pairs[1:2])[1].tolist() == [3]
    assert rescored[1] > 0 == plain[1]
    assert rescored[[0, 2]].tolist() == scores[[0, 2]].tolist()


def test_the_story_graph_counts_names_spelled_alike_as_one_bridge_term():
    english = ENGLISH[1] + " Officials in Moscow said Russia would send the probe again."
    indonesian = INDONESIAN[1] + " Pejabat di Moskow mengatakan Rusia akan mengirim wahana itu lagi."
    graph = story_graph(ENGLISH[:1] + [english] + INDONESIAN[:1] + [indonesian])
    alike = graph.bridge.alike
    term = graph.space.index
    assert alike[term("rusia")] == alike[term("russia")] and alike[term("moskow")] == alike[term("moscow")]


def test_numbers_with_their_separators_swapped_in_two_languages_count_as_one_term():
    """6,1 and 3.200 in Indonesian reports are 6.1 and 3,200 in English ones;
    2024 has no separator, and 7,5 and 7.5 both in English stay two terms."""
    vectors = sp.csr_matrix(np.array([[1, 0, 1, 0, 1, 1, 1], [0, 1, 0, 1, 1, 0, 0.0]]))
    spellings = ["6.1", "6,1", "3,200", "3.200", "2024", "7,5", "7.5"]
    alike = spelled_alike(vectors, np.array([0, 1]), 2, spelled(np.zeros(7), spellings))
    assert alike.tolist() == [0, 0, 2, 2, 4, 5, 6]


def test_the_story_graph_counts_a_toll_written_both_ways_as_one_bridge_term():
    graph = story_graph(list(QUAKE.values()) + list(TALKS.values()))
    alike, term = graph.bridge.alike, graph.space.index
    assert alike[term("6,1")] == alike[term("6.1")] and alike[term("3.200")] == alike[term("3,200")]


def test_explain_lists_names_spelled_alike_as_one_shared_bridge_term():
    """The count of shared bridge terms explain gives is the count it lists: 'moskow ~ moscow' one of them."""
    english = ENGLISH[1] + " Officials in Moscow said Russia would send the probe again."
    indonesian = INDONESIAN[1] + " Pejabat di Moskow mengatakan Rusia akan mengirim wahana itu lagi."
    texts = ENGLISH[:1] + [english] + INDONESIAN[:1] + [indonesian]
    explanation = explain_pair(story_clusters(texts), 1, 3, top_terms=100)
    listed = [t.term for t in explanation.shared_terms]
    assert {"rusia ~ russia", "russia ~ rusia"} & set(listed) and {"moskow ~ moscow", "moscow ~ moskow"} & set(listed)
    assert len(listed) == explanation.cross_language.shared_bridge_terms


def test_a_thin_pair_counts_the_terms_its_partners_share():
    """Terms 0-5 are bridge terms. Documents 0, 1 (one language) are partners,
    2 is alone in the other: pair (0, 2) shares terms 0, 1 itself and 2, 3
    through 0's partner 1; (1, 2) shares 2, 3 itself and 0, 1 through 0."""
    vectors = sp.csr_matrix(np.array([
        [1, 1, 0, 0, 0, 1, 0.0],
        [0, 0, 1, 1, 0, 1, 0],
        [1, 1, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 1, 1, 1],
    ]))
    terms = np.array([True] * 6 + [False])
    partners = partner_matrix(4, np.array([[0, 1]]), np.array([0.5]), 0.17)
    pairs = np.array([[0, 2], [1, 2], [2, 3]])
    assert bridge_cosines(vectors, terms, pairs)[1].tolist() == [2, 2, 1]
    assert grouped_shared(vectors, terms, pairs, partners).tolist() == [4, 4, 1]


def test_partnered_pairs_of_one_story_keep_their_scores_through_their_partners():
    """In the story graph a cross pair's weight counts its partners' terms; loners' do not."""
    texts = list(QUAKE.values()) + LONERS
    graph = story_graph(texts, lowest_threshold=StorySettings().threshold)
    cross = crossing(graph.languages.groups, graph.pairs)
    own = bridge_cosines(graph.bridge.columns(graph.space.vectors), graph.bridge.terms, graph.pairs[cross])[1]
    grouped = grouped_shared(graph.bridge.columns(graph.space.vectors), graph.bridge.terms, graph.pairs[cross],
                             graph.bridge.partners)
    assert (grouped >= own).all()
    loners = np.isin(graph.pairs[cross], [len(texts) - 2, len(texts) - 1]).all(axis=1)
    assert (grouped[loners] == own[loners]).all()


def test_pair_products_in_small_blocks_give_the_same_cosines_and_counts(monkeypatch):
    rng = np.random.default_rng(3)
    vectors = sp.random(40, 30, density=0.3, random_state=rng, format="csr")
    terms = rng.random(30) < 0.5
    pairs = np.array([(a, b) for a in range(40) for b in range(a + 1, 40) if (a + b) % 3 == 0])
    whole = crosslingual.bridge_cosines(vectors, terms, pairs)
    partners = crosslingual.partner_matrix(40, pairs[:25], np.ones(25), 0.5)
    grouped = crosslingual.grouped_shared(vectors, terms, pairs, partners)
    monkeypatch.setattr(crosslingual, "GATHERED_ENTRIES", 5)
    blocks = list(crosslingual.pairwise_products(vectors, pairs))
    assert len(blocks) > 10 and blocks[-1][1] == len(pairs)
    assert np.array_equal(crosslingual.bridge_cosines(vectors, terms, pairs)[0], whole[0])
    assert np.array_equal(crosslingual.bridge_cosines(vectors, terms, pairs)[1], whole[1])
    assert np.array_equal(crosslingual.grouped_shared(vectors, terms, pairs, partners), grouped)
    assert (grouped >= whole[1]).all() and (grouped > whole[1]).any()


def test_a_document_counts_the_terms_of_its_best_partners_only():
    pairs = np.array([(0, k) for k in range(1, 8)] + [(8, 9)])
    scores = np.array([0.9, 0.2, 0.8, 0.3, 0.7, 0.6, 0.5, 0.1])
    partners = crosslingual.partner_matrix(10, pairs, scores, threshold=0.15)
    assert partners[0].indices.tolist() == [0, 1, 3, 5, 6, 7][: crosslingual.PARTNERS + 1]
    assert partners[2].indices.tolist() == [0, 2] and partners[8].indices.tolist() == [8]   # (8, 9) under the threshold
