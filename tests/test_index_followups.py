"""Follow-ups in the daily index (`corpus.index_followups`): a lone article
weeks after its story closed joins it, as `samestory stories` joins it."""

import json
import sqlite3

from click.testing import CliRunner

from cli.app import app
from corpus.followups import MIN_REPORTS
from tests.stories_corpus import FLOODS, QUAKE, TALKS

THRESHOLD = "0.1"                 # as tests/test_followups.py's month-later follow-up in `stories`
QUAKE_FIRST = ["quake-id-1", "quake-id-2", "quake-en-1"]
FOLLOW_UP = "quake-en-2"


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def add(tmp_path, db, name, rows):
    out = tmp_path / f"{name}.out.jsonl"
    result = run("index", "add", db, jsonl(tmp_path / f"{name}.jsonl", rows), "--story-threshold", THRESHOLD,
                 "-o", out)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in map(json.loads, out.read_text(encoding="utf-8").splitlines())}, result.stderr


def closed_march(tmp_path, db):
    """The quake's first three reports (5 March) and the talks (12 March), closed by floods on 1 April."""
    quake, _ = add(tmp_path, db, "quake", [{"id": i, "date": "2024-03-05", "text": QUAKE[i]} for i in QUAKE_FIRST])
    add(tmp_path, db, "talks", [{"id": i, "date": "2024-03-12", "text": t} for i, t in TALKS.items()])
    add(tmp_path, db, "floods", [{"id": i, "date": "2024-04-01", "text": t} for i, t in FLOODS.items()])
    info = json.loads(run("index", "info", db, "--format", "json").stdout)
    assert info["open_stories"] < info["stories"]          # the quake and the talks have closed
    return quake["quake-id-1"]["story"]


def test_a_report_a_month_after_its_story_closed_joins_it(tmp_path):
    db = tmp_path / "news.db"
    story = closed_march(tmp_path, db)
    added, stderr = add(tmp_path, db, "later", [{"id": FOLLOW_UP, "date": "2024-04-09", "text": QUAKE[FOLLOW_UP]}])
    assert added[FOLLOW_UP]["story"] == story and added[FOLLOW_UP]["new_story"] is False
    assert "1 joined running stories · 0 new stories" in stderr
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT size, closed FROM stories WHERE story = ?", (int(story[1:]),)).fetchone() == (4, 1)
    assert connection.execute("SELECT count(*) FROM active a JOIN articles USING (seq) WHERE id = ?",
                              (FOLLOW_UP,)).fetchone() == (0,)          # its counts are settled with its story's
    connection.close()


def test_an_unrelated_lone_report_and_one_inside_the_window_open_stories_of_their_own(tmp_path):
    db = tmp_path / "news.db"
    closed_march(tmp_path, db)
    unrelated = ("A bakery in an invented harbour town sold its ten thousandth loaf of rye bread on Monday, "
                 "the owner said, thanking customers who had queued since dawn in the cold wind.")
    added, _ = add(tmp_path, db, "other", [{"id": "bakery", "date": "2024-04-09", "text": unrelated}])
    assert added["bakery"]["new_story"] is True
    added, _ = add(tmp_path, db, "straggler", [{"id": FOLLOW_UP, "date": "2024-03-06", "text": QUAKE[FOLLOW_UP]}])
    assert added[FOLLOW_UP]["new_story"] is True       # no report of the story outside its window: linkage's call


def test_only_stories_of_several_reports_are_settled_with_the_terms_two_reports_use(tmp_path):
    db = tmp_path / "news.db"
    closed_march(tmp_path, db)
    connection = sqlite3.connect(db)
    sizes = dict(connection.execute("SELECT story, count(*) FROM settled GROUP BY story"))
    closed = dict(connection.execute("SELECT story, size FROM stories WHERE closed = 1"))
    assert sizes == {story: size for story, size in closed.items() if size >= MIN_REPORTS} and sizes
    held = connection.execute("SELECT count(*) FROM story_terms").fetchone()[0]
    assert 0 < held < connection.execute("SELECT count(*) FROM terms").fetchone()[0]
    connection.close()


def test_an_index_of_schema_5_gets_settled_tables_and_follow_ups_from_then_on(tmp_path):
    db = tmp_path / "news.db"
    add(tmp_path, db, "quake", [{"id": i, "date": "2024-03-05", "text": QUAKE[i]} for i in QUAKE_FIRST])
    connection = sqlite3.connect(db)
    connection.executescript("DROP TABLE settled; DROP TABLE story_terms; "
                             "UPDATE meta SET value = '5' WHERE key = 'schema_version';")
    connection.close()
    add(tmp_path, db, "talks", [{"id": i, "date": "2024-03-12", "text": t} for i, t in TALKS.items()])
    assert json.loads(run("index", "info", db, "--format", "json").stdout)["schema_version"] == 6
    add(tmp_path, db, "floods", [{"id": i, "date": "2024-04-01", "text": t} for i, t in FLOODS.items()])
    added, _ = add(tmp_path, db, "later", [{"id": FOLLOW_UP, "date": "2024-04-09", "text": QUAKE[FOLLOW_UP]}])
    assert added[FOLLOW_UP]["new_story"] is False
