"""corpus.workers: an ordered map over worker processes."""

import gc
import math
import os
import sys
import time

import pytest

from corpus.workers import AHEAD_PER_JOB, GARBAGE_CHECK_ALLOCATIONS, IN_HAND_PER_WORKER, Workers, collect_garbage_seldom


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


def test_workers_start_only_for_enough_work_and_then_take_any():
    with Workers(2) as workers:
        assert list(workers.results(abs, [-1, -2, -3], start_for=4)) == [1, 2, 3]
        assert list(workers.results(abs, range(-9, 0), start_for=None)) == list(range(9, 0, -1))
        assert workers._pool is None
        assert list(workers.results(abs, range(-4, 0), start_for=4)) == [4, 3, 2, 1]
        assert workers._pool is not None
        assert len(set(workers.results(_pid_after_a_while, range(8), start_for=None))) == 2


def test_workers_started_at_once_have_loaded_what_they_were_told_and_take_any_work():
    with Workers(2, preload=("xml.dom.minidom",)) as workers:
        workers.start()
        assert workers._pool is not None
        loaded = dict(workers.results(_pid_and_minidom_after_a_while, range(8), start_for=None))
    (worker,) = set(loaded) - {os.getpid()}
    assert loaded[worker]
    with Workers(1, preload=("xml.dom.minidom",)) as alone:
        alone.start()
        assert alone._pool is None


def _pid_and_minidom_after_a_while(_) -> tuple[int, bool]:
    time.sleep(0.05)
    return os.getpid(), "xml.dom.minidom" in sys.modules


def _pid_after_a_while(_) -> int:
    time.sleep(0.05)
    return os.getpid()


def test_an_error_in_a_worker_is_raised_here():
    with Workers(2) as workers, pytest.raises(ValueError):
        list(workers.map(math.sqrt, [4, 9, -1, 16]))


def test_results_is_the_builtin_map():
    with Workers(2) as workers:
        assert list(workers.results(abs, range(-30, 30))) == list(map(abs, range(-30, 30)))


def test_items_drawn_ahead_of_the_results_stay_bounded():
    """However slow the workers, no more than `most` items are drawn and not
    yet given back, so memory stays bounded on any input length."""
    drawn = []

    def items():
        for i in range(200):
            drawn.append(i)
            yield i

    jobs = 2
    most = IN_HAND_PER_WORKER * (jobs - 1) + AHEAD_PER_JOB * jobs
    given = 0
    with Workers(jobs) as workers:
        for item, result in workers.map(_slow_square, items()):
            assert result == item * item and item == given
            given += 1
            assert len(drawn) - given <= most
    assert given == 200


def _slow_square(x: int) -> int:
    time.sleep(0.001)
    return x * x


def _marked_around_a_while(path: str) -> int:
    open(f"{path}.start", "w").close()
    time.sleep(0.2)
    open(f"{path}.end", "w").close()
    return os.getpid()


def test_leaving_a_run_on_an_error_lets_the_workers_finish_what_they_hold(tmp_path):
    paths = [str(tmp_path / f"{i}") for i in range(40)]
    workers = Workers(2)
    with pytest.raises(ValueError):
        with workers:
            for done, (_, pid) in enumerate(workers.map(_marked_around_a_while, paths)):
                if pid != os.getpid():
                    raise ValueError("a consumer's error while the worker holds items")
    started = [p for p in paths if os.path.exists(f"{p}.start")]
    assert len(started) > done + 1                            # items were in the worker's hands ...
    assert all(os.path.exists(f"{p}.end") for p in started)  # ... and each was finished, none cut off
    assert workers._pool is None and not workers._away


def test_garbage_is_collected_seldom_and_never_again_over_what_was_loaded():
    collect_garbage_seldom()
    assert gc.get_threshold()[0] == GARBAGE_CHECK_ALLOCATIONS
    assert gc.get_freeze_count() > 0
    cycle = []
    cycle.append(cycle)
    alive = len(gc.get_objects())
    del cycle
    gc.collect()                          # cycles made since are still freed
    assert len(gc.get_objects()) < alive
