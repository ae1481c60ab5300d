"""`samestory report` end to end on the bundled sample corpus (issue: end to end)."""

import json
import re

import pytest
from click.testing import CliRunner

from cli.app import app
from corpus.read import bundled_sample

pytestmark = pytest.mark.slow

CHROME_PHRASES = [
    "Advertisement", "Baca Juga", "Berita Lainnya", "Terpopuler", "Komentar", "Gunakan Google",
    "Gunakan Facebook", "Rekomendasi untuk Anda", "Ikuti kami di", "Berita Terkini", "All Right Reserved",
    "My post content", "1 min read",
]
CHROME_LABELS = ["Rep:", "Red:", "Penulis:", "Editor:", "Foto:", "Nama Penulis", "Nama Penyunting", "©"]


def is_chrome(text: str) -> bool:
    """A sentence that is (or starts with, or is little more than) a chrome phrase, or carries a credit label."""
    folded, words = text.casefold(), text.split()
    for phrase in CHROME_PHRASES:
        p = phrase.casefold()
        if folded.startswith(p) or (p in folded and len(words) <= len(phrase.split()) + 3):
            return True
    return any(label.casefold() in folded for label in CHROME_LABELS)


def run(*args, input=None):
    result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def sample_json():
    result = run("report", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ids():
    return sorted(p.stem for p in bundled_sample().glob("*.txt"))


def test_one_story_with_all_five_reports(sample_json):
    assert [sorted(s["documents"]) for s in sample_json["stories"]] == [ids()]


def test_no_report_is_a_copy_of_another(sample_json):
    assert [g for g in sample_json["duplicate_groups"] if len(g["members"]) >= 2] == []


def test_documents_have_their_metadata(sample_json):
    docs = {d["id"]: d for d in sample_json["documents"]}
    assert set(docs) == set(ids())
    outlets = [docs[i]["outlet"] for i in ids()]
    assert outlets[:3] == ["Republika"] * 3
    assert outlets[3] and re.search("serambinews|tribun", outlets[3], re.I)
    for doc in docs.values():
        assert set(doc) >= {"id", "outlet", "title", "date", "source"}


def test_the_quote_two_outlets_carry_is_shared_not_unique(sample_json):
    story = sample_json["stories"][0]
    quote = "Putin menerima undangan tersebut dengan senang hati"
    shared = [s for s in story["shared_sentences"] if all(quote in o["text"] for o in s["occurrences"])]
    assert len(shared) == 1
    assert {o["document"][:3] for o in shared[0]["occurrences"]} == {"000", "002"}
    assert not [u for u in story["unique_sentences"] if quote in u["text"]]


def test_no_unique_sentence_is_site_chrome(sample_json):
    unique = [u["text"] for u in sample_json["stories"][0]["unique_sentences"]]
    assert unique
    assert [text for text in unique if is_chrome(text)] == []


@pytest.mark.parametrize("doc, content", [
    ("001", "RIA"), ("001", "Artyom"), ("003", "peluru artileri"), ("004", "KTT ASEAN"), ("004", "Jakarta"),
])
def test_each_reports_own_content_is_unique_to_it(sample_json, doc, content):
    unique = sample_json["stories"][0]["unique_sentences"]
    assert any(u["document"].startswith(doc) and content in u["text"] for u in unique)
    assert not any(not u["document"].startswith(doc) and content in u["text"] for u in unique if content != "Jakarta")


def test_pairwise_overlap_table_covers_every_pair(sample_json):
    pairs = sample_json["stories"][0]["overlap"]
    assert len(pairs) == 10
    for p in pairs:
        assert 0 <= p["jaccard"] <= 0.03
        assert set(p) >= {"a", "b", "jaccard", "jaccard_estimate", "containment_ab", "containment_ba",
                          "shared_sentences"}


def test_same_command_twice_gives_identical_json():
    first, second = run("report", "--format", "json"), run("report", "--format", "json")
    assert first.stdout == second.stdout


def test_terminal_and_markdown_show_the_story(tmp_path):
    result = run("report")
    assert result.exit_code == 0
    assert "1 story" in result.stdout and "Unique sentences" in result.stdout
    out = tmp_path / "report.md"
    assert run("report", "--format", "markdown", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# samestory report") and "### Shared sentences" in text


def test_html_report_is_written_to_the_output_file(tmp_path):
    out = tmp_path / "report.html"
    result = run("report", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert 'data-story="s0001"' in html and html.count("data-heatmap") == 1


def test_show_removed_lists_the_chrome():
    result = run("report", "--show-removed")
    assert "Removed as site chrome" in result.stdout and "Baca Juga" in result.stdout


def test_report_reads_jsonl_from_standard_input():
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) for p in sorted(bundled_sample().glob("*.txt"))]
    result = run("report", "-", "--format", "json", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["stories"]) == 1


def test_bad_input_fails_with_one_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "fine text here"}\n{not json\n', encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("report", str(bad), "--format", "json", "-o", str(out))
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_an_empty_input_gives_an_empty_report(tmp_path, content):
    empty = tmp_path / "empty.jsonl"
    empty.write_text(content, encoding="utf-8")
    result = run("report", str(empty), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stories"] == []
    assert run("report", str(empty)).stdout.startswith("0 documents · 0 stories")


def test_first_seen_is_the_earliest_dated_carrier_of_each_group(sample_json):
    dates = {d["id"]: d["date"] for d in sample_json["documents"]}
    story = sample_json["stories"][0]
    groups = story["shared_sentences"] + story["similar_sentences"]
    assert groups and all("first_seen" in g for g in groups)
    for group in groups:
        dated = sorted((dates[o["document"]], story["documents"].index(o["document"]), o["document"])
                       for o in group["occurrences"] if dates[o["document"]])
        assert group["first_seen"] == (dated[0][2] if dated else None)


def small_corpus(tmp_path):
    from conftest import two_event_records

    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps({"id": r.id, "text": r.text}) + "\n" for r in two_event_records()),
                    encoding="utf-8")
    return str(path)


def test_top_shows_the_largest_stories_and_says_what_is_left_out(tmp_path):
    corpus = small_corpus(tmp_path)
    shown = run("report", corpus, "--top", "1")
    assert shown.exit_code == 0
    assert "1 more story left out" in shown.stdout and "--top all" in shown.stdout
    assert "s0001 · 3 reports · Heavy rain flooded the river town" in shown.stdout
    assert "Voters in the northern province" not in shown.stdout.split("left out")[1]
    everything = run("report", corpus, "--top", "all")
    assert "left out" not in everything.stdout and "Voters in the northern province" in everything.stdout
    markdown = run("report", corpus, "--top", "1", "--format", "markdown")
    assert "1 more story left out" in markdown.stdout
    data = json.loads(run("report", corpus, "--top", "1", "--format", "json").stdout)
    assert [s["id"] for s in data["stories"]] == ["s0001", "s0002"]
    assert all(s["unique_sentences"] for s in data["stories"])


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_bad_top_is_a_usage_error(value):
    result = run("report", "--top", value)
    assert result.exit_code == 2 and "--top" in result.output


def test_jobs_give_the_same_report(tmp_path, monkeypatch):
    from corpus import assemble, pipeline, similarity

    monkeypatch.setattr(pipeline, "UNIT_RECORDS", 2)
    monkeypatch.setattr(pipeline, "UNITS_TO_START_WORKERS", 1)
    monkeypatch.setattr(assemble, "STORIES_TO_START_WORKERS", 1)
    monkeypatch.setattr(similarity, "ROWS_PER_TASK", 2)
    monkeypatch.setattr(similarity, "TASKS_TO_START_WORKERS", 1)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        assert run("report", "--format", "json", "-o", str(out), "--jobs", jobs).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_a_story_whose_report_has_no_words_is_headed_by_its_id(tmp_path):
    """Every story gets a heading: when nothing of the central report reads as words
    (no title, no lead), its id stands in."""
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "rule", "text": "* * *\\n---"}\n'
                    '{"id": "news", "text": "The council approved the budget on Monday after a long debate."}\n')
    result = run("report", str(path), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    headings = {s["documents"][0]: s["heading"] for s in json.loads(result.output)["stories"]}
    assert headings == {"rule": "rule", "news": "The council approved the budget on Monday after a long debate."}
