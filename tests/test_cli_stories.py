"""`samestory stories`, `explain` and `calibrate` through click's CliRunner."""

import csv
import io
import json
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from cli.app import app
from cli.stories import _jsonl_line, cross_language_lines
from corpus.explain import CrossLanguageEvidence
from tests.stories_corpus import FLOODS, QUAKE, QUAKE2, TALKS, offers


def run(*args, stdin=None):
    return CliRunner().invoke(app, [*map(str, args)], input=stdin)


@pytest.fixture
def folder(tmp_path):
    """The earthquake and talks reports as text files, plus a re-post of one of them."""
    root = tmp_path / "news"
    root.mkdir()
    for name, text in {**QUAKE, **TALKS}.items():
        (root / f"{name}.txt").write_text(text, encoding="utf-8")
    (root / "zz-talks-repost.txt").write_text(TALKS["talks-id-1"] + " Baca juga berita lainnya.", encoding="utf-8")
    return root


def jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_stories_gives_every_article_a_story_and_nests_copies(tmp_path, folder):
    out = tmp_path / "stories.jsonl"
    result = run("stories", folder, "-o", out)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == sorted(p.stem for p in folder.glob("*.txt"))
    story = {r["id"]: r["story"] for r in rows}
    copy_of = {r["id"]: r["copy_of"] for r in rows}
    assert rows[0]["story"] == "s0001"
    assert copy_of["zz-talks-repost"] == "talks-id-1"
    assert story["zz-talks-repost"] == story["talks-id-1"]
    assert sum(v is not None for v in copy_of.values()) == 1
    assert story["quake-id-1"] == story["quake-id-2"]
    assert story["quake-id-1"] not in {story[k] for k in TALKS}
    assert result.stderr.startswith("samestory stories: 9 articles · ")
    assert " · 1 near-duplicate · 0 skipped · " in result.stderr
    assert out.read_text(encoding="utf-8").count("\n") == 9


def test_stories_as_csv_on_standard_output(folder):
    result = run("stories", folder, "--format", "csv", "--quiet")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["id", "story", "copy_of"]
    assert len(rows) == 9
    assert {r["copy_of"] for r in rows} == {"", "talks-id-1"}


def test_same_input_same_output(tmp_path, folder):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run("stories", folder, "-o", first, "--quiet").exit_code == 0
    assert run("stories", folder, "-o", second, "--quiet").exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_an_empty_input_gives_no_lines(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = run("stories", empty)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 articles · 0 stories" in result.stderr
    (tmp_path / "one.txt").write_text("Rescue boats searched the levee on Sunday.", encoding="utf-8")
    assert "stories: 1 article · 1 story · 0 near-duplicates" in run("stories", tmp_path / "one.txt").stderr


def test_bad_record_stops_with_the_file_and_line_and_writes_nothing(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "one"}) + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "stories.jsonl"
    result = run("stories", source, "-o", out)
    assert result.exit_code == 2
    assert f"{source}:2" in result.output
    assert not out.exists()


def test_explain_two_reports_of_one_story(folder):
    result = run("explain", "quake-id-1", "quake-id-2", "--in", folder)
    assert result.exit_code == 0, result.output
    assert "verdict: same story" in result.output
    assert "score: " in result.output and "story threshold 0.170" in result.output
    assert "bima" in result.output
    assert "merges that grew their clusters until they joined" in result.output


def test_explain_shows_the_cross_language_evidence(folder):
    result = run("explain", "quake-id-1", "quake-en-1", "--in", folder)
    assert result.exit_code == 0, result.output
    assert "verdict: same story" in result.output
    assert "languages: id and en" in result.output
    assert "cross-language pair" in result.output and "bridge terms" in result.output
    assert "x (the corpus's scale" not in result.output and "score = " in result.output
    assert "wicaksono" in result.output                         # a shared name, listed


def test_explain_says_how_few_shared_bridge_terms_weigh_a_pair_down():
    evidence = CrossLanguageEvidence(cosine=0.08, bridge_cosine=0.4, scale=0.5, shared_bridge_terms=3,
                                     shared_with_partners=3, bridge_terms=30, alone=True)
    lines = cross_language_lines(SimpleNamespace(cross_language=evidence, score=0.5 * 0.4 / 8))
    assert "share 3 of them" in lines[0]
    assert "x 0.125 (fewer than 4 shared bridge terms: ((shared - 2) / 2)^3, as neither" in lines[1]
    assert "= 0.025" in lines[1]
    partnered = CrossLanguageEvidence(cosine=0.08, bridge_cosine=0.4, scale=0.5, shared_bridge_terms=3,
                                      shared_with_partners=3, bridge_terms=30, alone=False)
    lines = cross_language_lines(SimpleNamespace(cross_language=partnered, score=0.5 * 0.4 * 9 / 16))
    assert "x 0.562 (fewer than 4 shared bridge terms: (shared / 4)^2)" in lines[1]
    faint = CrossLanguageEvidence(cosine=0.01, bridge_cosine=0.4, scale=0.5, shared_bridge_terms=5,
                                  shared_with_partners=5, bridge_terms=30, alone=True)
    assert "scores 0" in cross_language_lines(SimpleNamespace(cross_language=faint, score=0.0))[1]


def test_explain_counts_the_terms_a_pair_shares_with_its_partners():
    grouped = CrossLanguageEvidence(cosine=0.08, bridge_cosine=0.4, scale=0.5, shared_bridge_terms=2,
                                    shared_with_partners=5, bridge_terms=30, alone=False)
    lines = cross_language_lines(SimpleNamespace(cross_language=grouped, score=0.5 * 0.4))
    assert "share 2 of them" in lines[0] and "5 counting the reports of each one's language" in lines[1]
    assert "fewer than" not in lines[2] and "= 0.200" in lines[2]


def test_explain_two_stories_and_a_copy(folder):
    result = run("explain", "zz-talks-repost", "quake-en-1", folder)
    assert result.exit_code == 0, result.output
    assert "verdict: different stories" in result.output
    assert "zz-talks-repost is a near-duplicate of talks-id-1" in result.output
    assert "below the threshold" in result.output


def test_explain_says_when_a_loose_join_of_two_tight_groups_was_undone(tmp_path):
    path = jsonl(tmp_path / "floods.jsonl", [{"id": key, "text": text} for key, text in FLOODS.items()])
    result = run("explain", "flood-varnholt-1", "flood-torrevella-1", "--in", path)
    assert result.exit_code == 0, result.output
    assert "verdict: different stories" in result.output
    assert "far tighter within itself" in result.output and "two stories" in result.output


def test_explain_says_when_two_groups_were_parted_by_their_leads(tmp_path):
    path = jsonl(tmp_path / "offers.jsonl", [{"id": key, "text": text} for key, text in offers().items()])
    result = run("explain", "offer-kestrel-1", "offer-ardent-1", "--in", path)
    assert result.exit_code == 0, result.output
    assert "verdict: different stories" in result.output
    assert "their leads (each report's first terms) are far apart" in result.output


@pytest.fixture
def quakes_46_days_apart(tmp_path):
    """Two reports of one quake, dated 46 days apart, as JSON Lines."""
    rows = [
        {"id": "a", "text": QUAKE["quake-id-1"], "date": "2024-03-05"},
        {"id": "b", "text": QUAKE["quake-id-2"], "date": "2024-04-20"},
    ]
    return jsonl(tmp_path / "in.jsonl", rows)


def test_explain_names_the_window(quakes_46_days_apart):
    result = run("explain", "a", "b", quakes_46_days_apart)
    assert result.exit_code == 0, result.output
    assert "46 days apart, window 7 days: outside the window" in result.output
    assert "verdict: different stories" in result.output


def test_window_none_lifts_the_limit_and_bad_values_are_usage_errors(quakes_46_days_apart):
    path = quakes_46_days_apart
    result = run("explain", "a", "b", path, "--window", "none")
    assert result.exit_code == 0, result.output
    assert "46 days apart, window none: within the window" in result.output
    for bad in ("-1", "soon"):
        result = run("stories", path, "--window", bad)
        assert result.exit_code == 2 and "--window" in result.output


def test_explain_unknown_id(folder):
    result = run("explain", "quake-id-1", "nope", folder)
    assert result.exit_code == 2
    assert "no article with id 'nope'" in result.output


def test_explain_one_id_twice_is_a_usage_error(folder):
    result = run("explain", "quake-id-1", "quake-id-1", folder)
    assert result.exit_code == 2
    assert "one id, 'quake-id-1'" in result.output


def test_calibrate_on_an_empty_input_says_so(tmp_path):
    empty = tmp_path / "labeled.jsonl"
    empty.write_text("", encoding="utf-8")
    result = run("calibrate", empty)
    assert result.exit_code == 2 and result.stdout == ""
    assert "no articles in the input" in result.stderr


def test_calibrate_sweeps_and_names_the_best(tmp_path):
    rows = [{"id": k, "text": v, "story": "quake"} for k, v in QUAKE.items()]
    rows += [{"id": k, "text": v, "story": "talks"} for k, v in TALKS.items()]
    result = run("calibrate", jsonl(tmp_path / "labeled.jsonl", rows), "--from", 0.05, "--to", 0.3, "--step", 0.05)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "8 articles, 2 labelled stories"
    table = [line.split() for line in lines[2:-1]]
    assert [float(row[0]) for row in table] == [0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
    best = [row for row in table if row[-1] == "best"]
    assert len(best) == 1
    assert float(best[0][4]) == max(float(row[4]) for row in table)
    assert lines[-1].startswith(f"best: --story-threshold {float(best[0][0]):g} ")


def test_calibrate_needs_the_story_field(tmp_path):
    rows = [{"id": "a", "text": "x", "story": "s"}, {"id": "b", "text": "y"}]
    source = jsonl(tmp_path / "labeled.jsonl", rows)
    result = run("calibrate", source)
    assert result.exit_code == 2
    assert f"{source}:2" in result.output and "'story'" in result.output


@pytest.fixture
def small_pieces(monkeypatch):
    """Work cut into pieces so small that a handful of articles starts the workers."""
    from corpus import assemble, pipeline, similarity

    monkeypatch.setattr(pipeline, "UNIT_RECORDS", 2)
    monkeypatch.setattr(pipeline, "UNITS_TO_START_WORKERS", 1)
    monkeypatch.setattr(assemble, "STORIES_TO_START_WORKERS", 1)
    monkeypatch.setattr(similarity, "ROWS_PER_TASK", 2)
    monkeypatch.setattr(similarity, "TASKS_TO_START_WORKERS", 1)


def dated_with_copies(tmp_path):
    """The reports over three weeks, some undated, with copies: JSON Lines."""
    texts = list({**QUAKE, **TALKS, **QUAKE2}.items())
    rows = []
    for i, (name, text) in enumerate(texts):
        rows.append({"id": name, "text": text, "date": None if i % 4 == 3 else f"2024-03-{1 + 2 * i:02d}"})
        if i % 3 == 0:
            rows.append({"id": f"{name}-copy", "text": text + " Read more.", "date": f"2024-03-{2 + 2 * i:02d}"})
    return jsonl(tmp_path / "dated.jsonl", rows)


def test_jobs_give_the_same_bytes(tmp_path, small_pieces):
    source = dated_with_copies(tmp_path)
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"stories-{jobs}.jsonl"
        result = run("stories", source, "-o", out, "--jobs", jobs, "--quiet", "--window", 5)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    rows = [json.loads(line) for line in outputs[0].splitlines()]
    assert sum(row["copy_of"] is not None for row in rows) >= 3


@pytest.mark.parametrize("doc_id", ["plain", 'a "quoted" \\ id', "ümlaut · 東京", "tab\there\nnewline\x01", "\u2028"])
def test_a_jsonl_line_is_what_json_dumps_writes(doc_id):
    for copy_of in (None, doc_id):
        expected = json.dumps({"id": doc_id, "story": "s0001", "copy_of": copy_of}, ensure_ascii=False) + "\n"
        assert _jsonl_line(doc_id, "s0001", copy_of) == expected
