"""Candidates and scores: the blocked product finds every pair the dense
cosines give, and with dates exactly those inside the window, whatever the
blocks and the number of processes."""

import numpy as np
import pytest

from corpus import similarity, stage_log
from corpus.similarity import comparison_order, scored_pairs
from corpus.story_links import outside_window
from corpus.weights import term_space
from corpus.workers import Workers
from tests.stories_corpus import QUAKE, TALKS


def random_space(count: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(60)]
    return term_space([" ".join(rng.choice(words, size=12)) for _ in range(count)])


def dense_pairs(vectors, floor, days=None, window=None):
    dense = (vectors @ vectors.T).toarray()
    found = [(i, j) for i in range(len(dense)) for j in range(i + 1, len(dense)) if dense[i, j] >= floor and dense[i, j] > 0]
    if days is not None:
        found = [(i, j) for i, j in found if not outside_window(days[i], days[j], window)]
    return found, [dense[i, j] for i, j in found]


def test_scored_pairs_match_the_dense_cosines():
    space = term_space(list(QUAKE.values()) + list(TALKS.values()))
    pairs, scores = scored_pairs(space.vectors, 0.05)
    expected, cosines = dense_pairs(space.vectors, 0.05)
    assert [tuple(p) for p in pairs.tolist()] == expected
    assert np.allclose(scores, cosines)


@pytest.mark.parametrize("window", [0, 2, 7, None])
def test_with_dates_every_pair_inside_the_window_and_no_other(monkeypatch, window):
    monkeypatch.setattr(similarity, "BLOCK_ROWS", 3)
    monkeypatch.setattr(similarity, "ROWS_PER_TASK", 7)
    space = random_space(90)
    rng = np.random.default_rng(1)
    days = rng.integers(0, 20, 90).astype(float)
    days[rng.random(90) < 0.2] = np.nan                      # unknown dates never block
    pairs, scores = scored_pairs(space.vectors, 0.05, days, window)
    expected, cosines = dense_pairs(space.vectors, 0.05, days, window)
    assert [tuple(p) for p in pairs.tolist()] == expected
    assert np.allclose(scores, cosines)


def test_the_product_tells_how_many_documents_it_has_compared(monkeypatch):
    """Progress for a long product (the command line's spinner): task by task, up to every document."""
    monkeypatch.setattr(similarity, "ROWS_PER_TASK", 8)
    heard = []
    with stage_log.listening(lambda stage, done, total: heard.append((stage, done, total))):
        scored_pairs(random_space(30).vectors, 0.05, np.repeat(np.arange(3.0), 10), 7)
    told = [(done, total) for stage, done, total in heard if stage == similarity.PROGRESS_STAGE]
    assert [done for done, _ in told] == sorted(done for done, _ in told) and told[-1] == (30, 30) and len(told) > 2


def test_scores_do_not_depend_on_the_blocks(monkeypatch):
    space = random_space(60)
    days = np.repeat(np.arange(6.0), 10)
    whole = scored_pairs(space.vectors, 0.0, days, 3)
    monkeypatch.setattr(similarity, "BLOCK_ROWS", 4)
    monkeypatch.setattr(similarity, "ROWS_PER_TASK", 8)
    blocked = scored_pairs(space.vectors, 0.0, days, 3)
    assert np.array_equal(whole[0], blocked[0]) and np.array_equal(whole[1], blocked[1])


def test_a_block_meets_only_the_columns_from_its_first_row_on():
    piece = similarity.sp.csr_matrix(np.arange(1.0, 13.0).reshape(3, 4))     # terms x columns 4..7
    other = similarity.sp.csr_matrix(np.ones((3, 2)))                       # columns 8..9
    later = similarity._columns_from([(0, piece), (4, piece), (8, other)], 6)
    assert [first for first, _ in later] == [6, 8]                         # columns 0..3 and 4..5 left out
    assert np.array_equal(later[0][1].toarray(), piece.toarray()[:, 2:])


def test_a_day_is_compared_with_itself_and_the_days_of_its_window():
    days = np.array([5.0, 1.0, np.nan, 1.0, 3.0, 9.0])
    order, tasks = comparison_order(6, days, 2)
    assert order.tolist() == [1, 3, 4, 0, 5, 2]              # by day, then the undated
    assert [(t.start, t.end, t.columns) for t in tasks] == [
        (0, 2, ((0, 3), (5, 6))),                             # day 1: days 1 to 3, and the undated
        (2, 3, ((2, 4), (5, 6))),                             # day 3: days 3 to 5
        (3, 4, ((3, 4), (5, 6))),                             # day 5
        (4, 5, ((4, 5), (5, 6))),                             # day 9
        (5, 6, ((5, 6),)),                                    # the undated: among themselves
    ]


def test_one_process_reads_each_piece_of_the_index_once_and_keeps_none_after(monkeypatch):
    monkeypatch.setattr(similarity, "ROWS_PER_TASK", 10)
    monkeypatch.setattr(similarity, "INDEX_ROWS", 10)        # a piece a day
    space = random_space(120)
    days = np.repeat(np.arange(12.0), 10)
    read, piece = [], similarity.IndexPlace._piece
    monkeypatch.setattr(similarity.IndexPlace, "_piece", lambda place, number: read.append(number) or piece(place, number))
    pairs, scores = scored_pairs(space.vectors, 0.03, days, 2)
    assert sorted(read) == list(range(12))                   # days 0-2, then one new day per task
    assert similarity._KEPT_PIECES == {}
    expected, cosines = dense_pairs(space.vectors, 0.03, days, 2)
    assert [tuple(p) for p in pairs.tolist()] == expected and np.allclose(scores, cosines)


def test_two_processes_give_the_same_pairs(monkeypatch):
    monkeypatch.setattr(similarity, "ROWS_PER_TASK", 10)
    space = random_space(120)
    days = np.repeat(np.arange(12.0), 10)
    one = scored_pairs(space.vectors, 0.03, days, 2)
    with Workers(2) as workers:
        two = scored_pairs(space.vectors, 0.03, days, 2, workers)
    assert np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])


def test_a_weak_pair_is_kept_when_among_the_best_of_one_of_its_rows(monkeypatch):
    space = random_space(80, seed=3)
    every, cosines = scored_pairs(space.vectors, 0.03)
    kept, kept_scores = scored_pairs(space.vectors, 0.03, strong=0.3, best=3)
    expected = set()
    for row in range(80):          # the 3 best with later rows and with earlier ones (ties: the earlier pair)
        for side in (0, 1):
            mine = sorted(np.flatnonzero(every[:, side] == row).tolist(), key=lambda p: -cosines[p])
            expected.update(mine[:3])
    expected.update(np.flatnonzero(cosines >= 0.3).tolist())
    assert kept.tolist() == every[sorted(expected)].tolist()           # one block: exactly those
    assert np.array_equal(kept_scores, cosines[sorted(expected)])
    monkeypatch.setattr(similarity, "BLOCK_ROWS", 16)                 # a block knows a row's pairs in it only
    blocked = {tuple(p) for p in scored_pairs(space.vectors, 0.03, strong=0.3, best=3)[0].tolist()}
    assert {tuple(p) for p in every[sorted(expected)].tolist()} <= blocked <= {tuple(p) for p in every.tolist()}


@pytest.mark.parametrize("private", [True, False])
@pytest.mark.parametrize("cells", [1, 7, 1 << 22])
def test_the_product_in_pieces_gives_every_entry_at_the_floor(monkeypatch, cells, private):
    monkeypatch.setattr(similarity, "PRODUCT_CELLS", cells)       # 1: a row at a time, past its bound
    if not private:
        monkeypatch.setattr(similarity, "csr_matmat", None)       # a scipy without it: its public product
    space = random_space(50, seed=2)
    left, right = space.vectors[10:30], space.vectors.T.tocsr()
    rows, columns, values = similarity.product_at_floor(left, right, 0.1)
    dense = (left @ right).toarray()
    expected = np.argwhere(dense >= 0.1)
    assert sorted(zip(rows.tolist(), columns.tolist())) == [tuple(p) for p in expected.tolist()]
    assert np.array_equal(values[np.lexsort((columns, rows))], dense[dense >= 0.1])
