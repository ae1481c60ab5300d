"""The cleaning diff between two code trees (`benchmarks.clean_diff`), on a tiny corpus in two languages."""

import io
import json
from pathlib import Path

from benchmarks.clean_diff import differences, dumps, report

ROOT = str(Path(__file__).resolve().parents[1])
PAGES = [
    "Warga mengungsi setelah banjir merendam desa pada Senin pagi.\nBaca juga: Harga beras naik lagi",
    "The council closed the old bridge after engineers found cracks in its piers.\nRead more: Road plan approved",
    "Petugas memadamkan api di pasar sejak pagi hari.\nBaca juga: Harga beras naik lagi",
]


def _corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{n}", "text": text}) + "\n" for n, text in enumerate(PAGES)))
    return str(path)


def test_one_tree_twice_differs_nowhere(tmp_path):
    old, new = dumps([ROOT, ROOT], _corpus(tmp_path), str(tmp_path))
    rows = [json.loads(line) for line in open(old)]
    assert [row[0] for row in rows] == ["d0", "d1", "d2"]
    assert rows[0][3] == [["Baca juga: Harga beras naik lagi", "related link"]]   # repeated on two pages
    assert all(len(row[1]) == 32 for row in rows)
    out = io.StringIO()
    assert report(differences(old, new), 5, out) == {"documents": 0}
    assert "documents changed: 0" in out.getvalue()


def test_pieces_newly_cut_and_kept_are_counted_by_rule(tmp_path):
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old.write_text("\n".join(json.dumps(row) for row in [
        ["a", "h1", "Judul", [["Baca juga: Harga beras", "related link"]]],
        ["b", "h2", "Title", []],
        ["c", "h3", None, []]]) + "\n")
    new.write_text("\n".join(json.dumps(row) for row in [
        ["a", "h1", "Judul", [["Baca juga: Harga beras", "related link"]]],
        ["b", "h4", "Title", [["Follow us for more news.", "repeated across documents"]]],
        ["c", "h5", "Headline", []]]) + "\n")
    out = io.StringIO()
    counts = report(differences(str(old), str(new)), 1, out)
    assert counts == {"documents": 2, "newly cut (repeated across documents)": 1, "title changed": 1}
    assert "== b" in out.getvalue() and "== c" not in out.getvalue()   # the first one shown


def test_records_the_commands_skip_are_skipped(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"id": "a", "text": PAGES[0]}) + "\n" + json.dumps({"id": "b", "text": ""}) + "\n")
    old, _ = dumps([ROOT, ROOT], str(path), str(tmp_path))
    assert [json.loads(line)[0] for line in open(old)] == ["a"]
