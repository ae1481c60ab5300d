"""The daily index's story rows after a run (`corpus.index_ledger`), on an
index made by `corpus.index_store` and rows written by hand."""

from types import SimpleNamespace

from corpus.index_ledger import Assignment, add_links, close_stories, finish_run, resolve
from corpus.index_store import IndexSettings, open_index, set_meta_number


def _index(tmp_path, **settings):
    connection, settings = open_index(tmp_path / "index.db", create=IndexSettings(**settings))
    return connection, settings


def _story(connection, story, first_day, last_day, size):
    connection.execute("INSERT INTO stories VALUES (?, ?, ?, ?, 0, 1, 1)", (story, first_day, last_day, size))


def _article(connection, seq, story, day, copy_of=None):
    connection.execute("INSERT INTO articles VALUES (?, ?, ?, 1, ?, ?, NULL, x'', x'')",
                       (seq, f"a{seq}", day, story, copy_of))


def test_link_sums_add_up_per_pair_of_stories(tmp_path):
    connection, _ = _index(tmp_path)
    add_links(connection, {(1, 2): 0.5, (1, 3): 0.25})
    add_links(connection, {(1, 2): 0.25})
    assert connection.execute("SELECT a, b, total FROM links ORDER BY a, b").fetchall() == [(1, 2, 0.75), (1, 3, 0.25)]


def test_a_merged_story_becomes_an_alias_with_its_members_days_and_links(tmp_path):
    connection, settings = _index(tmp_path, window_days=None)
    _story(connection, 1, 100, 101, 2)
    _story(connection, 2, 99, 103, 1)
    _story(connection, 3, 100, 100, 1)
    for seq, story, day in ((1, 1, 100), (2, 1, 101), (3, 2, 99), (4, 3, 100)):
        _article(connection, seq, story, day)
    add_links(connection, {(1, 3): 0.5, (2, 3): 0.25, (1, 2): 1.0})
    new = SimpleNamespace(days=[])
    finish_run(connection, settings, new, [], Assignment([], [], 0, {2: 1}), run=2)
    assert resolve(connection, 2) == 1 and resolve(connection, 3) == 3
    assert connection.execute("SELECT size, first_day, last_day, touched FROM stories WHERE story = 1").fetchone() \
        == (3, 99, 103, 2)
    assert connection.execute("SELECT count(*) FROM stories WHERE story = 2").fetchone() == (0,)
    assert [row[0] for row in connection.execute("SELECT story FROM articles ORDER BY seq")] == [1, 1, 1, 3]
    assert connection.execute("SELECT a, b, total FROM links ORDER BY a, b").fetchall() == [(1, 3, 0.75)]


def test_stories_past_the_window_and_margin_close_and_give_back_their_term_counts(tmp_path):
    connection, settings = _index(tmp_path, window_days=7, close_margin_days=7)
    _story(connection, 1, 100, 105, 1)
    _story(connection, 2, 110, 120, 1)
    _article(connection, 1, 1, 105)
    _article(connection, 2, 2, 120)
    connection.executemany("INSERT INTO active VALUES (?, x'', x'', x'')", [(1,), (2,)])
    set_meta_number(connection, "stats.newest_day", 120)
    assert close_stories(connection, settings) == 1      # 105 < 120 - 7 - 7
    assert [row[0] for row in connection.execute("SELECT story FROM stories WHERE closed = 1")] == [1]
    assert [row[0] for row in connection.execute("SELECT seq FROM active")] == [2]
