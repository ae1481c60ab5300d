import numpy as np

from corpus.language_review import reviewed
from corpus.linkage import Merge, average_linkage


def lander_folder():
    """0 (language 0) and 5 (language 1) of one story paired across languages;
    1, 2 (language 0) and 3, 4 (language 1) of another, which 5's own language agrees with
    and 0's does not (0.12, 0.14), nor the story as a whole (0.1 with 3 and 4)."""
    pairs = np.array([(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4), (0, 5), (0, 1), (0, 2), (0, 3), (0, 4),
                      (1, 5), (2, 5), (3, 5), (4, 5)])
    scores = np.array([0.3, 0.33, 0.33, 0.32, 0.32, 0.54, 0.38, 0.12, 0.14, 0.1, 0.1, 0.14, 0.29, 0.28, 0.28])
    return pairs, scores, np.array([0, 0, 0, 1, 1, 1])


def test_a_report_its_own_language_disagrees_with_leaves_the_story():
    pairs, scores, languages = lander_folder()
    local, merges = average_linkage(6, pairs, scores, 0.17, languages=languages)
    assert set(local.tolist()) == {0}                           # 0 came in on 5's word
    local, merges = reviewed(local, merges, pairs, scores, languages, 0.17)
    assert local.tolist() == [0, 1, 1, 1, 1, 1]                 # its English pairs: 0.12-0.14
    assert all(0 not in (m.left, m.right) for m in merges)
    assert merges[-1].size == 5 and {(m.left, m.right) for m in merges} >= {(1, 5)}


def test_a_report_its_whole_story_holds_at_the_threshold_stays_though_its_own_language_is_lukewarm():
    # 0's pairs in its language 0.15-0.16, across 0.24-0.38: a mean of 0.242 with its story's others
    # (a report of the story told mostly in the other language; pseudo-translated ECB+ had 14 such, all of its story)
    pairs, scores, languages = lander_folder()
    for other, score in ((1, 0.15), (2, 0.16), (3, 0.24), (4, 0.28)):
        scores[(pairs[:, 0] == 0) & (pairs[:, 1] == other)] = score
    local, merges = average_linkage(6, pairs, scores, 0.17, languages=languages)
    assert set(local.tolist()) == {0}
    assert reviewed(local, merges, pairs, scores, languages, 0.17)[0].tolist() == local.tolist()


def test_reports_their_own_language_agrees_with_stay():
    pairs, scores, languages = lander_folder()
    scores = np.where((pairs == 0).any(axis=1) & (languages[pairs].min(axis=1) == 0) & (pairs.max(axis=1) < 3),
                      0.3, scores)                               # 0's pairs with 1 and 2 now 0.3
    local, merges = average_linkage(6, pairs, scores, 0.17, languages=languages)
    assert reviewed(local, merges, pairs, scores, languages, 0.17) == (local, merges)


def test_merges_are_rewritten_without_the_reports_that_leave():
    from corpus.language_review import _without
    merges = [Merge(0, 3, 0.5, 2), Merge(1, 2, 0.4, 2), Merge(0, 1, 0.3, 4)]
    local, rewritten = _without(np.array([0, 0, 0, 0]), merges, [0])
    assert local.tolist() == [0, 1, 1, 1]
    assert rewritten == [Merge(1, 2, 0.4, 2), Merge(1, 3, 0.3, 3)]


def test_a_report_moves_to_the_story_its_own_language_prefers():
    # 5 (language 1) was linked to 3 (language 1) and 4 (language 0): 0.32 with 3, its own language's;
    # with the story of 0, 1 (language 0) and 2 (language 1): 0.36 with 2, 0.2 and 0.32 with 0 and 1
    pairs = np.array([(0, 1), (0, 2), (1, 2), (0, 5), (1, 5), (2, 5), (3, 4), (3, 5), (4, 5), (0, 3), (1, 3)])
    scores = np.array([0.34, 0.39, 0.34, 0.2, 0.32, 0.36, 0.48, 0.32, 0.26, 0.21, 0.19])
    languages = np.array([0, 0, 1, 1, 0, 1])
    local = np.array([0, 0, 0, 3, 3, 3])                         # 5 joined 3 and 4
    merges = [Merge(0, 1, 0.34, 2), Merge(0, 2, 0.36, 3), Merge(3, 4, 0.48, 2), Merge(3, 5, 0.29, 3)]
    moved, rewritten = reviewed(local, merges, pairs, scores, languages, 0.17)
    assert moved.tolist() == [0, 0, 0, 3, 3, 0]                 # 0.36 + 0.293 there, 0.32 + 0.29 at home
    assert rewritten[-1] == Merge(0, 5, float(np.mean([0.2, 0.32, 0.36])), 4)


def test_a_report_its_whole_story_holds_close_stays():
    # 0 (language 0) with 1 (language 0) and 2, 3 (language 1); 4 (language 0) and 5 (language 1): another story
    pairs = np.array([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3), (0, 4), (0, 5), (4, 5), (1, 4)])
    scores = np.array([0.3, 0.41, 0.53, 0.58, 0.42, 0.31, 0.36, 0.12, 0.71, 0.19])
    languages = np.array([0, 0, 1, 1, 0, 1])
    local = np.array([0, 0, 0, 0, 4, 4])
    merges = [Merge(1, 2, 0.58, 2), Merge(0, 3, 0.53, 2), Merge(0, 1, 0.39, 4), Merge(4, 5, 0.71, 2)]
    assert reviewed(local, merges, pairs, scores, languages, 0.17)[0].tolist() == local.tolist()
