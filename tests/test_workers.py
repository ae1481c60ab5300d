"""corpus.workers: an ordered map over worker processes."""

import math

import pytest

from corpus.workers import Workers


def test_results_come_in_input_order_with_their_items():
    with Workers(2) as workers:
        assert list(workers.map(abs, range(-20, 20))) == [(i, abs(i)) for i in range(-20, 20)]
        assert workers._pool is not None


def test_one_job_or_one_item_needs_no_processes():
    with Workers(1) as workers:
        assert list(workers.map(abs, [-1, -2, -3])) == [(-1, 1), (-2, 2), (-3, 3)]
        assert workers._pool is None
    with Workers(2) as workers:
        assert list(workers.map(abs, [-4])) == [(-4, 4)]
        assert workers._pool is None


def test_an_error_in_a_worker_is_raised_here():
    with Workers(2) as workers, pytest.raises(ValueError):
        list(workers.map(math.sqrt, [4, 9, -1, 16]))
