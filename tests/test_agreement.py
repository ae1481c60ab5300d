import pytest

from corpus.agreement import bcubed


def test_bcubed():
    assert bcubed(["x", "x", "y"], [1, 1, 2]) == (1.0, 1.0, 1.0)
    precision, recall, f1 = bcubed(["x", "x", "x", "x"], ["a", "a", "b", "b"])
    assert precision == 0.5 and recall == 1.0 and f1 == pytest.approx(2 / 3)
    precision, recall, _ = bcubed(["a", "b", "c"], ["g", "g", "g"])
    assert precision == 1.0 and recall == pytest.approx(1 / 3)
