"""`samestory index add|stories|info` through click's CliRunner: copies as
one-shot `dedup` finds them, stories day by day as one-shot `stories`, stable
ids and aliases, and an index that bad files and concurrent runs cannot spoil."""

import hashlib
import json
import sqlite3

import pytest
from click.testing import CliRunner

from benchmarks.generate import generate
from cli.app import app
from corpus import neighbours, shingles
from corpus.agreement import bcubed
from tests.stories_corpus import FLOODS, QUAKE, QUAKE2, TALKS

DAYS = {"quake": "2024-03-05", "talks": "2024-03-12", "quake2": "2024-04-04"}


def run(*args, stdin=None):
    return CliRunner().invoke(app, [*map(str, args)], input=stdin)


def jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def generated():
    """1,200 generated articles with planted copies, in input order."""
    return [{"id": a["id"], "date": a["date"], "text": a["text"]} for a in generate(1200, seed=5)]


def test_copies_in_four_batches_are_those_of_one_shot_dedup(tmp_path, generated):
    whole = jsonl(tmp_path / "whole.jsonl", generated)
    dups = tmp_path / "dups.jsonl"
    assert run("dedup", whole, "-o", tmp_path / "kept.jsonl", "--duplicates", dups, "--jobs", "1", "--quiet"
               ).exit_code == 0
    expected = {d["id"]: d["duplicate_of"] for d in lines(dups)}
    assert len(expected) > 100
    db = tmp_path / "news.db"
    found = {}
    for k in range(4):
        part = jsonl(tmp_path / f"part{k}.jsonl", generated[k * 300 : (k + 1) * 300])
        out = tmp_path / f"out{k}.jsonl"
        result = run("index", "add", db, part, "-o", out)
        assert result.exit_code == 0, result.output
        rows = lines(out)
        assert [r["id"] for r in rows] == [a["id"] for a in generated[k * 300 : (k + 1) * 300]]
        found.update({r["id"]: r["copy_of"] for r in rows if r["copy_of"]})
        assert f"{len(rows)} added · {sum(r['copy_of'] is not None for r in rows)} copies" in result.stderr
    assert found == expected
    texts = {a["id"]: a["text"] for a in generated}
    for copy, kept in found.items():
        a, b = shingles.shingle_hashes(texts[copy]), shingles.shingle_hashes(texts[kept])
        assert neighbours.exact_jaccard(a, b) >= 0.8
    stories = lines_of_command("index", "stories", db)
    assert [s["id"] for s in stories] == [a["id"] for a in generated]
    story = {s["id"]: s["story"] for s in stories}
    assert all(story[copy] == story[kept] for copy, kept in found.items())


def lines_of_command(*args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def story_articles():
    """The three hand-written events, each article dated, in date order."""
    rows = []
    for event, texts in (("quake", QUAKE), ("talks", TALKS), ("quake2", QUAKE2)):
        rows += [{"id": name, "date": DAYS[event], "text": text, "gold": event} for name, text in texts.items()]
    return rows


def test_day_by_day_stories_agree_with_one_shot_stories(tmp_path):
    rows = story_articles()
    whole = jsonl(tmp_path / "whole.jsonl", rows)
    one_shot = {r["id"]: r["story"] for r in lines_of_command("stories", whole, "--quiet")}
    db = tmp_path / "news.db"
    for event in DAYS:
        day = jsonl(tmp_path / f"{event}.jsonl", [r for r in rows if r["gold"] == event])
        assert run("index", "add", db, day, "--quiet").exit_code == 0
    daily = {r["id"]: r["story"] for r in lines_of_command("index", "stories", db)}
    # English and Indonesian reports of one event are one story, day by day as in one shot (corpus.crosslingual)
    ids = [r["id"] for r in rows]
    assert bcubed([daily[i] for i in ids], [one_shot[i] for i in ids])[2] >= 0.95
    gold = [r["gold"] for r in rows]
    assert bcubed([daily[i] for i in ids], gold)[2] >= bcubed([one_shot[i] for i in ids], gold)[2] - 0.03
    assert daily["quake-en-1"] == daily["quake-id-1"] != daily["talks-en-1"] == daily["talks-id-1"]


def test_a_later_report_joins_its_running_story_with_the_same_id(tmp_path):
    rows = story_articles()
    db = tmp_path / "news.db"
    late = ("quake-en-2", "talks-en-2")
    first = jsonl(tmp_path / "first.jsonl", [r for r in rows if r["id"] not in late and r["gold"] != "quake2"])
    assert run("index", "add", db, first, "--quiet").exit_code == 0
    before = {r["id"]: r["story"] for r in lines_of_command("index", "stories", db)}
    out = tmp_path / "out.jsonl"
    later = jsonl(tmp_path / "later.jsonl", [r for r in rows if r["id"] in ("quake-en-2", "talks-en-2")])
    result = run("index", "add", db, later, "-o", out)
    assert result.exit_code == 0, result.output
    added = {r["id"]: r for r in lines(out)}
    assert added["quake-en-2"]["story"] == before["quake-en-1"]
    assert added["talks-en-2"]["story"] == before["talks-en-1"]
    assert not any(r["new_story"] for r in added.values())
    assert "2 joined running stories · 0 new stories" in result.stderr
    after = {r["id"]: r["story"] for r in lines_of_command("index", "stories", db)}
    assert all(after[i] == before[i] for i in before)


def test_stories_older_than_window_and_margin_close(tmp_path):
    rows = story_articles()
    db = tmp_path / "news.db"
    march = jsonl(tmp_path / "march.jsonl", [r for r in rows if r["gold"] != "quake2" and r["id"] != "quake-en-2"])
    assert run("index", "add", db, march, "--quiet").exit_code == 0
    assert json.loads(run("index", "info", db, "--format", "json").stdout)["open_stories"] == 2   # quake, talks
    april = jsonl(tmp_path / "april.jsonl", [r for r in rows if r["gold"] == "quake2"])
    assert run("index", "add", db, april, "--quiet").exit_code == 0
    info = json.loads(run("index", "info", db, "--format", "json").stdout)
    assert (info["stories"], info["open_stories"], info["newest_day"]) == (3, 1, "2024-04-04")
    connection = sqlite3.connect(db)                # the pages of the closed stories' term counts given back
    assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
    assert connection.execute("PRAGMA freelist_count").fetchone()[0] == 0
    connection.close()
    out = tmp_path / "out.jsonl"
    straggler = jsonl(tmp_path / "late.jsonl", [r for r in rows if r["id"] == "quake-en-2"])
    assert run("index", "add", db, straggler, "-o", out, "--quiet").exit_code == 0
    assert lines(out)[0]["new_story"] is True


def words(prefix, count, start=0):
    return " ".join(f"{prefix}{n}word" for n in range(start, start + count))


def test_an_article_linking_two_stories_merges_them_and_the_younger_id_stays_an_alias(tmp_path):
    filler = [{"id": f"other-{n}", "date": "2024-05-01", "text": words(f"x{n}q", 40) + "."} for n in range(20)]
    db = tmp_path / "news.db"
    first = [{"id": "left", "date": "2024-05-01", "text": words("left", 30) + "."},
             {"id": "right", "date": "2024-05-01", "text": words("right", 30) + "."}]
    assert run("index", "add", db, jsonl(tmp_path / "a.jsonl", filler + first), "--quiet").exit_code == 0
    before = {r["id"]: r["story"] for r in lines_of_command("index", "stories", db)}
    assert before["left"] != before["right"]
    bridge = [{"id": "bridge", "date": "2024-05-02", "text": words("left", 30) + " " + words("right", 30) + "."}]
    out = tmp_path / "out.jsonl"
    assert run("index", "add", db, jsonl(tmp_path / "b.jsonl", bridge), "-o", out, "--quiet").exit_code == 0
    older, younger = sorted([before["left"], before["right"]])
    assert lines(out)[0]["story"] == older
    after = {r["id"]: r["story"] for r in lines_of_command("index", "stories", db)}
    assert after["left"] == after["right"] == older
    info = json.loads(run("index", "info", db, "--format", "json").stdout)
    assert info["aliases"] == 1
    by_alias = json.loads(run("index", "report", db, "--story", younger, "--format", "json").stdout)
    assert [s["id"] for s in by_alias["stories"]] == [older]
    assert set(by_alias["stories"][0]["documents"]) == {"left", "right", "bridge"}


def test_a_young_story_is_linked_again_and_splits_when_its_own_reports_arrive(tmp_path):
    """A lone report is joined by reports of a look-alike event two days later
    (its level, with no neighbours yet, lifts their pairs); when its own
    sister reports arrive the young story is linked again and the look-alikes
    leave it for a story of their own, as one-shot `stories` has them (with their copies)."""
    filler = [{"id": f"other-{n}", "date": "2024-05-01", "text": words(f"x{n}q", 40) + "."} for n in range(20)]
    lone = [{"id": "lone", "date": "2024-05-01",
             "text": " ".join([words("moon", 6), words("alpha", 20), words("lone", 30)]) + "."}]
    looks = [{"id": f"look-{k}", "date": "2024-05-03",
              "text": " ".join([words("moon", 6), words("beta", 18, k), words(f"look{k}u", 30)]) + "."} for k in range(4)]
    looks.append({"id": "look-0-copy", "date": "2024-05-03", "text": looks[0]["text"]})
    sisters = [{"id": f"sister-{k}", "date": "2024-05-05",
                "text": " ".join([words("moon", 6), words("alpha", 18, k), words(f"sis{k}u", 30)]) + "."}
               for k in range(4)]
    db = tmp_path / "news.db"
    days = []
    for name, rows in (("a", filler + lone), ("b", looks), ("c", sisters)):
        out = tmp_path / f"{name}.out"
        assert run("index", "add", db, jsonl(tmp_path / f"{name}.jsonl", rows), "-o", out, "--quiet").exit_code == 0
        days.append({r["id"]: r for r in lines(out)})
    assert {days[1][f"look-{k}"]["story"] for k in range(4)} == {days[0]["lone"]["story"]}
    final = {r["id"]: r["story"] for r in lines_of_command("index", "stories", db)}
    assert final["lone"] == days[0]["lone"]["story"] == final["sister-0"]
    assert len({final[f"look-{k}"] for k in range(4)}) == 1 and final["look-0"] != final["lone"]
    assert final["look-0-copy"] == final["look-0"]             # a copy follows its original
    one_shot = {r["id"]: r["story"] for r in lines_of_command(
        "stories", jsonl(tmp_path / "whole.jsonl", filler + lone + looks + sisters), "--quiet")}
    ids = list(one_shot)
    assert bcubed([final[i] for i in ids], [one_shot[i] for i in ids])[2] == 1.0


@pytest.mark.parametrize("share, towns", [(None, 2), (0.0, 1)])
def test_look_alike_floods_a_day_apart_are_parted_by_the_cohesion_review_as_in_one_shot(tmp_path, monkeypatch,
                                                                                        share, towns):
    """Two look-alike floods, one town's reports a day after the other's: the
    second day's linkage joins them to the first town's young story on their
    shared topic (share 0: no review), the review parts them, as one-shot `stories` does."""
    if share is not None:
        monkeypatch.setattr("corpus.cohesion.COHESION_SHARE", share)
    rows = [{"id": name, "date": "2024-06-03" if "varnholt" in name else "2024-06-04", "text": text}
            for name, text in FLOODS.items()]
    db = tmp_path / "news.db"
    for day in ("2024-06-03", "2024-06-04"):
        part = jsonl(tmp_path / f"{day}.jsonl", [r for r in rows if r["date"] == day])
        assert run("index", "add", db, part, "--quiet").exit_code == 0
    daily = {r["id"]: r["story"] for r in lines_of_command("index", "stories", db)}
    assert len({daily[r["id"]] for r in rows}) == towns
    assert len({daily[r["id"]] for r in rows if "varnholt" in r["id"]}) == 1
    one_shot = {r["id"]: r["story"] for r in lines_of_command("stories", jsonl(tmp_path / "whole.jsonl", rows),
                                                              "--quiet")}
    ids = list(one_shot)
    assert bcubed([daily[i] for i in ids], [one_shot[i] for i in ids])[2] == 1.0


def test_foreign_sqlite_and_text_files_are_refused_and_left_unchanged(tmp_path):
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.execute("INSERT INTO notes VALUES ('mine')")
    connection.commit()
    connection.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n", encoding="utf-8")
    articles = jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "Some text of an article."}])
    for target in (other, text):
        before = digest(target)
        for command in (("index", "add", target, articles), ("index", "info", target),
                        ("index", "stories", target)):
            result = run(*command)
            assert result.exit_code == 2, (command, result.output)
            assert result.stderr.count("\n") == 1 and "not a samestory index" in result.stderr
            assert digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "notes.txt", "other.db"]


def test_newer_schema_and_other_settings_are_refused(tmp_path):
    db = tmp_path / "news.db"
    articles = jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "Some text of an article, long enough."}])
    assert run("index", "add", db, articles, "--quiet").exit_code == 0
    more = jsonl(tmp_path / "b.jsonl", [{"id": "b", "text": "Another text of an article, long enough."}])
    result = run("index", "add", db, more, "--threshold", "0.7")
    assert result.exit_code == 2 and "threshold" in result.stderr and result.stderr.count("\n") == 1
    assert run("index", "add", db, more, "--threshold", "0.8", "--quiet").exit_code == 0
    connection = sqlite3.connect(db)
    connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()
    result = run("index", "info", db)
    assert result.exit_code == 2 and "newer" in result.stderr


def test_a_known_id_is_an_error_unless_skipped_or_replaced(tmp_path):
    db = tmp_path / "news.db"
    first = jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "The first version of the article, with words."}])
    assert run("index", "add", db, first, "--quiet").exit_code == 0
    again = jsonl(tmp_path / "b.jsonl", [{"id": "a", "text": "The second version of the article, other words."},
                                         {"id": "b", "text": "A new article on something else entirely."}])
    before = digest(db)
    result = run("index", "add", db, again)
    assert result.exit_code == 2 and "'a' is already in the index" in result.stderr
    assert digest(db) == before
    result = run("index", "add", db, again, "--on-duplicate-id", "skip")
    assert result.exit_code == 0 and "1 added" in result.stderr and "1 skipped" in result.stderr
    again2 = jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": "The third version of the article."}])
    result = run("index", "add", db, again2, "--on-duplicate-id", "replace")
    assert result.exit_code == 0 and "1 replaced" in result.stderr
    assert [r["id"] for r in lines_of_command("index", "stories", db)] == ["a", "b"]


def test_a_second_add_waits_then_stops_with_one_line(tmp_path):
    db = tmp_path / "news.db"
    articles = jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "Some text of an article, long enough."}])
    assert run("index", "add", db, articles, "--quiet").exit_code == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    more = jsonl(tmp_path / "b.jsonl", [{"id": "b", "text": "Another text of an article, long enough."}])
    result = run("index", "add", db, more, "--wait", "0.2")
    holder.execute("ROLLBACK")
    holder.close()
    assert result.exit_code == 2 and "in use" in result.stderr and result.stderr.count("\n") == 1
    assert run("index", "add", db, more, "--quiet").exit_code == 0
    assert len(lines_of_command("index", "stories", db)) == 2


def test_report_of_the_last_add_of_a_date_and_of_named_stories(tmp_path):
    rows = story_articles()
    db = tmp_path / "news.db"
    march = jsonl(tmp_path / "march.jsonl", [r for r in rows if r["gold"] != "quake2"] +
                  [{"id": "quake-en-1-repost", "date": DAYS["quake"], "text": QUAKE["quake-en-1"] + " Share it."}])
    assert run("index", "add", db, march, "--quiet").exit_code == 0
    april = jsonl(tmp_path / "april.jsonl", [r for r in rows if r["gold"] == "quake2"])
    assert run("index", "add", db, april, "--quiet").exit_code == 0
    story = {r["id"]: r["story"] for r in lines_of_command("index", "stories", db)}

    def reported(*args):
        result = run("index", "report", db, "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    last = reported()
    assert {s["id"] for s in last["stories"]} == {story["quake2-id-1"]}
    since = reported("--since", "2024-03-12")
    assert {s["id"] for s in since["stories"]} == {story["talks-id-1"], story["talks-en-1"], story["quake2-id-1"]}
    named = reported("--story", story["quake-en-1"])
    assert named["stories"][0]["documents"] == ["quake-id-1", "quake-id-2", "quake-en-1", "quake-en-2",
                                                "quake-en-1-repost"]
    assert named["duplicate_groups"] == [{"kept": "quake-en-1", "members": ["quake-en-1", "quake-en-1-repost"],
                                          "similarity": named["duplicate_groups"][0]["similarity"]}]
    markdown = run("index", "report", db, "--story", story["quake-en-1"], "--format", "markdown")
    assert markdown.exit_code == 0 and "quake-en-1-repost" in markdown.stdout
    page = run("index", "report", db, "--story", story["quake-en-1"], "--format", "html")
    assert page.exit_code == 0 and page.stdout.lstrip().lower().startswith("<!doctype html")
    missing = run("index", "report", db, "--story", "s0999")
    assert missing.exit_code == 2 and "no story 's0999'" in missing.stderr


def two_days_and_a_copy(tmp_path):
    """An index of the first two events (news.db) and a copy of it (old.db) to make old; the articles."""
    rows = story_articles()
    db, old = tmp_path / "news.db", tmp_path / "old.db"
    for event in ("quake", "talks"):
        day = jsonl(tmp_path / f"{event}.jsonl", [r for r in rows if r["gold"] == event])
        assert run("index", "add", db, day, "--quiet").exit_code == 0
    source = sqlite3.connect(db)
    target = sqlite3.connect(old)
    source.backup(target)
    source.close()
    return db, old, target, rows


def test_an_index_of_schema_1_is_migrated_to_what_the_current_schema_would_hold(tmp_path):
    db, old, target, rows = two_days_and_a_copy(tmp_path)
    # schema 1 kept terms by their text and active term ids as int32 (contents are recounted, so any will do)
    target.executescript("""
        DROP TABLE terms;
        DROP TABLE links;
        DROP TABLE settled;
        DROP TABLE story_terms;
        CREATE TABLE terms (term_id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL,
                            inside INTEGER NOT NULL, capitalised INTEGER NOT NULL);
        INSERT INTO terms VALUES (1, 'bima', 2, 2, 2);
        UPDATE active SET terms = x'01000000', counts = x'0100';
        UPDATE meta SET value = '1' WHERE key = 'schema_version';
        UPDATE meta SET value = '0.0' WHERE key LIKE 'stats.%';
    """)
    target.commit()
    target.close()
    assert json.loads(run("index", "info", old, "--format", "json").stdout)["schema_version"] == 1
    later = jsonl(tmp_path / "quake2.jsonl", [r for r in rows if r["gold"] == "quake2"])
    for path in (db, old):
        assert run("index", "add", path, later, "--quiet").exit_code == 0
    assert json.loads(run("index", "info", old, "--format", "json").stdout)["schema_version"] == 6
    assert lines_of_command("index", "stories", old) == lines_of_command("index", "stories", db)
    tables = {}
    for path in (db, old):
        connection = sqlite3.connect(path)
        tables[path] = [connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                        for t in ("terms", "active", "stories", "links", "meta", "settled", "story_terms")]
        connection.close()
    assert tables[db] == tables[old]


def _counts_by_hash(connection):
    """Every open article's term counts as {term hash: count}, and the term statistics by hash."""
    from corpus.index_terms import TermRows

    hash_of = dict(connection.execute("SELECT id, hash FROM terms"))
    stored = connection.execute("SELECT seq, terms, counts FROM active ORDER BY seq").fetchall()
    rows = TermRows.from_blobs([r[1] for r in stored], [r[2] for r in stored])
    active = {seq: {hash_of[i]: c for i, c in zip(rows.ids[a:b].tolist(), rows.counts[a:b].tolist())}
              for (seq, _, _), a, b in zip(stored, rows.indptr[:-1].tolist(), rows.indptr[1:].tolist())}
    stats = sorted(connection.execute("SELECT hash, df, inside, capitalised, has_digit FROM terms"))
    return active, stats


def test_an_index_of_schema_3_is_migrated_to_term_ids_with_the_same_contents(tmp_path):
    import numpy as np

    db, old, target, rows = two_days_and_a_copy(tmp_path)
    active, _ = _counts_by_hash(target)
    # schema 3 kept terms by hash and each open article's term hashes (uint64) and counts (uint16) as raw blobs
    target.executescript("""
        CREATE TABLE terms3 (term INTEGER PRIMARY KEY, df INTEGER NOT NULL, inside INTEGER NOT NULL,
                             capitalised INTEGER NOT NULL, has_digit INTEGER NOT NULL);
        INSERT INTO terms3 SELECT hash, df, inside, capitalised, has_digit FROM terms;
        DROP TABLE terms;
        ALTER TABLE terms3 RENAME TO terms;
        DROP TABLE settled;
        DROP TABLE story_terms;
        UPDATE meta SET value = '3' WHERE key = 'schema_version';
    """)
    for seq, counted in active.items():
        hashes = sorted(counted)
        target.execute("UPDATE active SET terms = ?, counts = ? WHERE seq = ?",
                       (np.array(hashes, dtype=np.int64).tobytes(),
                        np.array([counted[h] for h in hashes], dtype=np.uint16).tobytes(), seq))
    target.commit()
    target.close()
    later = jsonl(tmp_path / "quake2.jsonl", [r for r in rows if r["gold"] == "quake2"])
    for path in (db, old):
        assert run("index", "add", path, later, "--quiet").exit_code == 0
    assert json.loads(run("index", "info", old, "--format", "json").stdout)["schema_version"] == 6
    assert lines_of_command("index", "stories", old) == lines_of_command("index", "stories", db)
    contents = []
    for path in (db, old):
        connection = sqlite3.connect(path)
        contents.append((_counts_by_hash(connection), connection.execute("SELECT * FROM links ORDER BY 1, 2").fetchall()))
        connection.close()
    assert contents[0] == contents[1]


def test_an_index_of_schema_4_gets_term_surfaces_for_the_terms_it_meets_from_then_on(tmp_path):
    rows = story_articles()
    db = tmp_path / "news.db"
    assert run("index", "add", db, jsonl(tmp_path / "quake.jsonl", [r for r in rows if r["gold"] == "quake"]),
               "--quiet").exit_code == 0
    connection = sqlite3.connect(db)
    connection.executescript("ALTER TABLE terms DROP COLUMN surface; DROP TABLE settled; DROP TABLE story_terms; "
                             "UPDATE meta SET value = '4' WHERE key = 'schema_version';")
    connection.close()
    later = jsonl(tmp_path / "talks.jsonl", [r for r in rows if r["gold"] == "talks"])
    assert run("index", "add", db, later, "--quiet").exit_code == 0
    assert json.loads(run("index", "info", db, "--format", "json").stdout)["schema_version"] == 6
    connection = sqlite3.connect(db)
    known, unknown = connection.execute("SELECT count(surface), count(*) - count(surface) FROM terms").fetchone()
    connection.close()
    assert known > 0 and unknown > 0


def test_an_index_run_counts_a_magnitude_written_both_ways_as_one_bridge_term(tmp_path, monkeypatch):
    """Indonesian 6,1 and English 6.1 of one quake: one bridge term in the
    index's scores too (`corpus.crosslingual.spelled_alike`), as in `stories`."""
    from corpus import crosslingual, index_scores
    bridges = []

    def kept(*args, **options):
        scores, bridge = crosslingual.cross_language_scores(*args, **options)
        bridges.append((args[-1], bridge))
        return scores, bridge
    monkeypatch.setattr(index_scores, "cross_language_scores", kept)
    rows = [r for r in story_articles() if r["gold"] == "quake"]
    assert run("index", "add", tmp_path / "news.db", jsonl(tmp_path / "quake.jsonl", rows), "--quiet").exit_code == 0
    spellings, bridge = bridges[0]
    term = {spellings.spelling(t): t for t in range(len(spellings.has_digit))}
    assert bridge.alike[term["6,1"]] == bridge.alike[term["6.1"]]
