"""The index in real processes and on larger corpora (slow): `kill -9` during
an add, two adds at once, generated stories added day by day against one-shot
`stories`, stories consistent over many small adds."""

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from benchmarks.generate import generate


def add_command(db, path):
    return [sys.executable, "-m", "cli", "index", "add", str(db), str(path), "--quiet"]


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def state(db):
    """Everything an add decides, without the file's layout."""
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("articles", "band_keys", "stories", "aliases", "links", "terms", "active", "runs", "meta")}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kill")
    rows = [{"id": a["id"], "date": a["date"], "text": a["text"]} for a in generate(2500, seed=11)]
    return write(folder / "first.jsonl", rows[:500]), write(folder / "second.jsonl", rows[500:])


@pytest.mark.slow
def test_kill_during_add_leaves_the_index_as_before_and_a_rerun_is_a_clean_run(tmp_path, batches):
    first, second = batches
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    for db in (clean, killed):
        subprocess.run(add_command(db, first), check=True)
    before = state(killed)
    started = time.perf_counter()
    subprocess.run(add_command(clean, second), check=True)
    full = time.perf_counter() - started
    finished, kills = state(clean), 0
    for share in (0.2, 0.45, 0.7, 0.9):
        process = subprocess.Popen(add_command(killed, second))
        time.sleep(full * share)
        process.send_signal(signal.SIGKILL)
        code = process.wait()
        now = state(killed)
        if code == 0 or now == finished:   # it had committed (the machine was faster this time)
            break
        kills += 1
        assert now == before, f"killed at {share:.0%} of a run"
    else:
        subprocess.run(add_command(killed, second), check=True)
    assert kills >= 2
    assert state(killed) == finished


@pytest.mark.slow
def test_two_adds_at_once_both_land_one_after_the_other(tmp_path, batches):
    first, second = batches
    db = tmp_path / "news.db"
    subprocess.run(add_command(db, first), check=True)
    extra = write(tmp_path / "extra.jsonl", [{"id": f"extra-{n}", "text": f"An extra article number {n} here."}
                                             for n in range(50)])
    runs = [subprocess.Popen(add_command(db, path)) for path in (second, extra)]
    assert [process.wait() for process in runs] == [0, 0]
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == 2550
    assert connection.execute("SELECT count(*) FROM runs").fetchone()[0] == 3
    connection.close()


@pytest.mark.slow
def test_generated_stories_added_day_by_day_agree_with_one_shot_stories(tmp_path):
    from benchmarks.eval_index import daily_labels, generated_corpus
    from benchmarks.evaluate import command_labels
    from corpus.agreement import bcubed

    corpus = generated_corpus(5000, days=30)
    one_shot, _ = command_labels(corpus)
    daily, adds, _ = daily_labels(corpus.records, tmp_path)
    assert adds == 30
    assert bcubed(daily, one_shot)[2] >= 0.95
    assert bcubed(daily, corpus.gold)[2] >= bcubed(one_shot, corpus.gold)[2] - 0.03


@pytest.mark.slow
def test_stories_stay_consistent_over_many_small_adds_out_of_date_order(tmp_path):
    """Young stories linked again, split and merged over some fifty adds of one
    to forty articles, days jittered and some undated: every story's size is its
    kept members, copies stay with their originals, no article is left on an alias."""
    import random

    from benchmarks.eval_index import generated_corpus
    from corpus.index import add_records
    from corpus.index_store import IndexSettings, open_index

    records = generated_corpus(800, days=12).records
    rng = random.Random(7)
    for record in records:
        if rng.random() < 0.15:
            record.date = None
    order = sorted(range(len(records)), key=lambda i: ((records[i].date or "2023-01-10")[:10], rng.random() < 0.5))
    connection, settings = open_index(tmp_path / "news.db", create=IndexSettings())
    start, adds, told = 0, 0, {}
    while start < len(order):
        size = rng.choice([1, 2, 5, 10, 40])
        summary = add_records(connection, settings, [records[i] for i in order[start : start + size]])
        told.update({line.id: int(line.story[1:]) for line in summary.lines})
        start, adds = start + size, adds + 1
    assert adds > 40
    aliases = dict(connection.execute("SELECT alias, story FROM aliases"))
    final = dict(connection.execute("SELECT id, story FROM articles"))
    assert any(aliases.get(story, story) != final[doc_id] for doc_id, story in told.items())   # some moved
    assert connection.execute("SELECT count(*) FROM stories s WHERE size != (SELECT count(*) FROM articles a "
                              "WHERE a.story = s.story AND a.copy_of IS NULL)").fetchone()[0] == 0
    assert connection.execute("SELECT count(*) FROM articles c JOIN articles o ON c.copy_of = o.seq "
                              "WHERE c.story != o.story").fetchone()[0] == 0
    assert connection.execute("SELECT count(*) FROM articles a JOIN aliases x ON x.alias = a.story").fetchone()[0] == 0
    assert connection.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                              "(SELECT 1 FROM stories s WHERE s.story = a.story)").fetchone()[0] == 0
    connection.close()
