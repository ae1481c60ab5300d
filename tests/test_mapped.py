import os
import sys

import numpy as np
import pytest
import scipy.sparse as sp

from corpus.mapped import ParkedPlace, let_go, let_go_matrix, mapped, parked, unparked


def _resident_mb() -> float:
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:")) / 1024


def test_a_file_of_rows_read_as_an_array(tmp_path):
    pairs = np.arange(20, dtype=np.int32).reshape(-1, 2)
    pairs.tofile(tmp_path / "pairs")
    found = mapped(str(tmp_path / "pairs"), np.int32, 2)
    assert found.shape == (10, 2) and np.array_equal(found, pairs)
    os.remove(tmp_path / "pairs")                   # the mapping keeps the data
    assert np.array_equal(found[3:7], pairs[3:7])


def test_an_empty_file_is_an_empty_array(tmp_path):
    (tmp_path / "scores").write_bytes(b"")
    assert mapped(str(tmp_path / "scores"), np.float64).shape == (0,)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="resident memory read from Linux's /proc")
def test_parts_let_go_leave_the_process_and_read_the_same_again(tmp_path):
    values = np.random.default_rng(0).random(16 << 20 // 8 * 8)     # 128 MB
    values.tofile(tmp_path / "scores")
    found = mapped(str(tmp_path / "scores"), np.float64)
    before = _resident_mb()
    total = 0.0
    for start in range(0, len(found), 1 << 20):
        total += float(found[start : start + (1 << 20)].sum())
        let_go(found, start, start + (1 << 20))
    assert _resident_mb() - before < 32                # one part at a time, not the file
    assert total == pytest.approx(values.sum())
    assert np.array_equal(found[12345:67890], values[12345:67890])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="resident memory read from Linux's /proc")
def test_a_parked_matrix_let_go_leaves_the_process_and_reads_the_same_again():
    data = np.random.default_rng(0).random(4 << 20)     # 32 MB
    matrix = sp.csr_matrix((data, np.zeros(len(data), dtype=np.int32), np.array([0, len(data)])), shape=(1, 1))
    held = parked(matrix, least_bytes=1 << 20)
    total = float(held.data.sum())                 # every page read
    before = _resident_mb()
    let_go_matrix(held)
    assert before - _resident_mb() > 24
    assert float(held.data.sum()) == total


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="resident memory read from Linux's /proc")
def test_a_view_of_a_mapped_array_lets_go_its_own_rows(tmp_path):
    values = np.random.default_rng(1).random(8 << 20)     # 64 MB
    values.tofile(tmp_path / "scores")
    view = mapped(str(tmp_path / "scores"), np.float64)[1 << 20 :].view(np.ndarray)  # as scipy keeps it
    total = float(view.sum())
    before = _resident_mb()
    let_go(view, 0, 4 << 20)                       # 32 MB of the view's first rows
    assert before - _resident_mb() > 24
    assert float(view.sum()) == total


def test_arrays_in_memory_are_left_alone():
    values = np.arange(10.0)
    let_go(values, 0, 10)
    assert values.sum() == 45.0


def test_a_parked_matrix_is_the_same_matrix_read_from_disk():
    matrix = sp.random(300, 40, density=0.2, random_state=0, format="csr")
    held = parked(matrix, least_bytes=0)
    assert not any(np.shares_memory(a, b) for a, b in zip((held.data, held.indices, held.indptr),
                                                          (matrix.data, matrix.indices, matrix.indptr)))
    assert held.shape == matrix.shape and held.nnz == matrix.nnz
    assert (held != matrix).nnz == 0
    assert np.array_equal((held @ matrix.T).toarray(), (matrix @ matrix.T).toarray())
    assert np.array_equal(held[[3, 7, 250]].toarray(), matrix[[3, 7, 250]].toarray())
    let_go_matrix(held)
    assert (held != matrix).nnz == 0
    back = unparked(held, part_bytes=100)
    assert (back != matrix).nnz == 0
    assert not any(np.shares_memory(a, b) for a, b in zip((back.data, back.indices, back.indptr),
                                                          (held.data, held.indices, held.indptr)))


def test_arrays_under_the_size_malloc_gives_back_stay_in_memory():
    matrix = sp.random(300, 40, density=0.2, random_state=0, format="csr")
    held = parked(matrix, least_bytes=matrix.indices.nbytes)
    assert np.shares_memory(held.indptr, matrix.indptr) and not np.shares_memory(held.data, matrix.data)
    assert np.shares_memory(parked(matrix).data, matrix.data)


def test_a_matrix_parked_in_a_kept_folder_is_mapped_again_from_its_place(tmp_path):
    matrix = sp.csr_matrix(np.random.default_rng(1).random((50, 20)) * (np.arange(20) % 3 == 0))
    place = ParkedPlace.of(matrix, str(tmp_path))
    held = parked(matrix, least_bytes=1 << 10, folder=str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == ["data", "indices", "indptr"]      # every array, for other processes
    again = place.matrix()
    assert (again != matrix).nnz == 0 and (held != matrix).nnz == 0
