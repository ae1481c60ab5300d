import numpy as np

from corpus.linkage_rounds import large_steps
from tests.test_linkage import by_definition, random_graph


def test_rounds_make_the_merges_of_the_definition_in_its_order():
    rng = np.random.default_rng(5)
    pairs, scores = random_graph(rng, 40)
    component = np.zeros(40, dtype=np.int64)              # taken as one component: the rounds need no more
    found = large_steps(component, np.ones(40), pairs[:, 0].astype(np.int32), pairs[:, 1].astype(np.int32),
                        scores.copy(), 0.3)
    _, expected = by_definition(40, pairs, scores, 0.3)
    assert np.array_equal(found["step"], np.arange(len(expected)))
    assert [(a, b, s, int(z)) for a, b, s, z in zip(found["left"].tolist(), found["right"].tolist(),
                                                   found["score"].tolist(), found["size"].tolist())] == expected
    assert len(expected) > 5


def test_repeated_pairs_are_summed_and_nothing_at_the_threshold_is_nothing_merged():
    pairs = np.array([(0, 1), (0, 1), (1, 2)], dtype=np.int32)
    found = large_steps(np.zeros(3, dtype=np.int64), np.ones(3), pairs[:, 0].copy(), pairs[:, 1].copy(),
                        np.array([0.2, 0.2, 0.1]), 0.3)
    assert found["left"].tolist() == [0] and found["right"].tolist() == [1] and found["score"][0] == 0.4
    nothing = large_steps(np.zeros(3, dtype=np.int64), np.ones(3), pairs[:, 0].copy(), pairs[:, 1].copy(),
                          np.array([0.1, 0.1, 0.1]), 0.3)
    assert len(nothing["left"]) == 0
