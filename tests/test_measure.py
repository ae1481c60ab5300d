"""benchmarks.measure: sizes from the environment, and runs measured from outside."""

import sys

import pytest

from benchmarks import measure


def test_sizes_from_environment(monkeypatch):
    monkeypatch.delenv("BENCH_SIZES", raising=False)
    monkeypatch.delenv("BENCH_FULL", raising=False)
    assert measure.sizes_from_environment([100_000]) == [100_000]
    monkeypatch.setenv("BENCH_FULL", "1")
    assert measure.sizes_from_environment([100_000]) == [100_000, 1_000_000]
    monkeypatch.setenv("BENCH_SIZES", "5,7")
    assert measure.sizes_from_environment([100_000]) == [5, 7]


def test_measure_sees_the_peak_memory_of_the_process_tree():
    grow = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'b = bytearray(200 * 2**20); b[::4096] = b\"x\" * len(b[::4096])'])"
    measured = measure.measure([sys.executable, "-c", grow])
    assert measured.peak_bytes >= 200 * 2**20
    assert measured.seconds > 0 and measured.cpu_seconds > 0


def test_a_failed_run_stops_the_benchmark_with_its_errors():
    with pytest.raises(SystemExit, match="boom"):
        measure.measure([sys.executable, "-c", "import sys; sys.exit('boom')"])


def test_round_robin_repeats_and_runs_some_methods_once_above_a_size(tmp_path, monkeypatch):
    monkeypatch.setattr(measure, "RUNS", tmp_path)
    touch = lambda corpus, run: [sys.executable, "-c", f"open({str(run / 'out')!r}, 'w').write('x')"]  # noqa: E731
    methods = [measure.Method("a", "A", "", touch), measure.Method("b", "B", "", touch, repeated=False)]
    small = measure.round_robin(methods, tmp_path, 10, 2, once_above=100)
    large = measure.round_robin(methods, tmp_path, 1_000, 2, once_above=100)
    assert [len(small["a"]), len(small["b"]), len(large["a"]), len(large["b"])] == [2, 2, 2, 1]
    assert (measure.run_folder(1_000, methods[0], 1) / "out").exists()
    assert measure.medians(large["a"]).seconds > 0
