"""corpus.dedup and its stages end to end: the two-pass engine, its outputs, the write stage."""

import gzip
import io
import json
import math
import random

import numpy as np
import pytest
from hypothesis import given, strategies as st

from benchmarks.generate import generate_with_truth
from corpus import dedup, neighbours, read as read_module, record_files, sketch, write
from corpus.decide import Removal
from corpus.dedup import DedupSettings, deduplicate
from corpus.dedup_settings import KEEP_POLICIES
from corpus.sketch_stage import date_seconds
from corpus.read import InputError, Record, read_records, read_unparsed
from corpus.shingles import shingle_hashes

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau".split()


def article(rng: random.Random, words: int = 120) -> str:
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(words))


def edited(text: str, rng: random.Random, changes: int) -> str:
    words = text.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = "changed" + str(rng.randrange(10**6))
    return " ".join(words)


def records_from(texts, dates=None) -> list[Record]:
    dates = dates or [None] * len(texts)
    return [Record(f"d{i:03d}", text, "test.jsonl", i + 1, {"id": f"d{i:03d}", "text": text}, date)
            for i, (text, date) in enumerate(zip(texts, dates))]


def run(records, **options) -> tuple[str, str, dedup.Summary]:
    """Both passes in memory; (kept JSONL, duplicates JSONL, summary)."""
    settings = DedupSettings(**options)
    sketches = dedup.sketch_corpus(iter(records), settings)
    decision = dedup.find_removals(sketches, settings)
    kept, duplicates = io.BytesIO(), io.StringIO()
    write.write_kept(iter(records), sketches, decision, kept)
    write.write_duplicates(sketches, decision, duplicates)
    sketches.spill.close()
    return kept.getvalue().decode("utf-8"), duplicates.getvalue(), decision


@pytest.fixture(scope="module")
def corpus_with_copies() -> list[Record]:
    """60 unrelated articles and 60 copies of them: light edits (J well above
    0.8) and heavy ones (J well below), plus a copy of a copy."""
    rng = random.Random(7)
    texts = [article(rng) for _ in range(60)]
    for source in range(60):
        texts.append(edited(texts[source], rng, 2 if source % 2 else 40))
    texts.append(edited(texts[61], rng, 1))
    return records_from(texts)


def test_date_seconds_of_a_field():
    assert date_seconds("2023-09-13T10:30:00+07:00") == 1694575800.0
    assert date_seconds(1694575800) == 1694575800.0
    assert all(math.isnan(date_seconds(value)) for value in (None, "", "yesterday", "not a date"))


def test_a_large_bucket_of_copies_all_go_to_the_best_one():
    """150 identical sets share every band key; candidate_pairs gives a star and
    a chain, not all pairs. The longest (not the first) must still absorb all."""
    hashes = [np.arange(100, dtype=np.uint64)] * 150
    signatures = sketch.signatures(hashes, 128, 1)
    lengths = [10] * 150
    lengths[75] = 20
    removals = dedup.find_duplicates(hashes, signatures, 0.8, keep="longest", lengths=lengths)
    assert sorted(removals) == [i for i in range(150) if i != 75]
    assert {r.kept for r in removals.values()} == {75}
    assert len(neighbours.candidate_pairs(neighbours.band_keys(signatures, 16, 6))) < 149 * 75


# ---- the engine ----

def test_kept_and_removed_partition_the_input(corpus_with_copies):
    kept, duplicates, decision = run(corpus_with_copies)
    kept_ids = [json.loads(line)["id"] for line in kept.splitlines()]
    removed = [json.loads(line) for line in duplicates.splitlines()]
    removed_ids = [r["id"] for r in removed]
    all_ids = [r.id for r in corpus_with_copies]
    assert sorted(kept_ids + removed_ids) == sorted(all_ids)
    assert len(set(kept_ids + removed_ids)) == len(all_ids)
    assert kept_ids == [i for i in all_ids if i in set(kept_ids)]          # input order
    assert removed_ids == [i for i in all_ids if i in set(removed_ids)]
    assert {r["duplicate_of"] for r in removed} <= set(kept_ids)
    assert 30 <= len(removed) < 60                     # light copies go, heavy ones stay
    assert decision.groups == len({r["duplicate_of"] for r in removed})


def test_every_removal_is_verified_against_its_kept_document(corpus_with_copies):
    _, duplicates, _ = run(corpus_with_copies)
    texts = {r.id: r.text for r in corpus_with_copies}
    for line in duplicates.splitlines():
        row = json.loads(line)
        exact = neighbours.exact_jaccard(shingle_hashes(texts[row["id"]]), shingle_hashes(texts[row["duplicate_of"]]))
        assert row["jaccard"] == round(exact, 4) >= 0.8
        assert abs(row["jaccard_estimate"] - exact) < 0.2
        assert list(row) == ["id", "duplicate_of", "jaccard", "jaccard_estimate"]


def test_kept_records_keep_their_original_fields():
    records = records_from(["one two three four five six", "one two three four five six"])
    records[0].fields = {"text": records[0].text, "id": "d000", "extra": [1, {"x": None}]}
    kept, _, _ = run(records)
    assert kept == json.dumps(records[0].fields) + "\n"


def test_whole_file_documents_are_written_with_id_and_text_first():
    record = Record("folder/a", "some text here", "folder/a.txt", None, {"title": "T", "id": "ignored"})
    assert write.output_object(record) == {"id": "folder/a", "text": "some text here", "title": "T"}
    assert list(write.output_object(record)) == ["id", "text", "title"]


def test_same_input_same_bytes_whatever_the_jobs():
    records = [Record(r["id"], r["text"], "gen.jsonl", i + 1, r, r["date"])
               for i, (r, _) in enumerate(generate_with_truth(300, seed=3))]
    one = run(records, jobs=1, batch_size=40)
    two = run(records, jobs=2, batch_size=40)
    again = run(records, jobs=2, batch_size=40)
    assert one[:2] == two[:2] == again[:2]
    assert one[1]                                     # something was removed


def test_keep_policies(corpus_with_copies):
    rng = random.Random(3)
    base = article(rng)
    texts = [base, base + " extra words at the end", base + " a", base]
    dates = ["2023-05-02", "2023-05-03", "2023-05-01T12:00:00Z", "garbage"]
    records = records_from(texts, dates)
    survivors = {}
    for keep in KEEP_POLICIES:
        kept, duplicates, _ = run(records, keep=keep)
        survivors[keep] = [json.loads(line)["id"] for line in kept.splitlines()]
        assert {json.loads(line)["duplicate_of"] for line in duplicates.splitlines()} == set(survivors[keep])
    assert survivors == {"first": ["d000"], "longest": ["d001"], "earliest": ["d002"]}


def test_changed_input_between_passes_is_an_error():
    rng = random.Random(1)
    records = records_from([article(rng), article(rng)])
    settings = DedupSettings()
    sketches = dedup.sketch_corpus(iter(records), settings)
    decision = dedup.find_removals(sketches, settings)
    with pytest.raises(InputError, match="input changed"):
        write.write_kept(iter(records[:1]), sketches, decision, io.BytesIO())
    with pytest.raises(InputError, match="input changed"):
        write.write_kept(iter(records[::-1]), sketches, decision, io.BytesIO())
    sketches.spill.close()


def test_deduplicate_writes_nothing_when_the_first_pass_fails(tmp_path):
    def broken(known):
        yield records_from(["x y z"])[0]
        raise InputError("in.jsonl", "bad JSON", 2)

    with pytest.raises(InputError):
        deduplicate(broken, DedupSettings(), str(tmp_path / "kept.jsonl"), str(tmp_path / "dups.jsonl"))
    assert list(tmp_path.iterdir()) == []


# ---- the input as `samestory dedup` reads it: unparsed JSON Lines, parsed in workers ----

def dedup_files(paths, tmp_path, name="run", **options) -> tuple[bytes, str]:
    """deduplicate over read_unparsed, as the command runs it: (kept bytes, duplicates text)."""
    kept, duplicates = tmp_path / f"{name}-kept.jsonl", tmp_path / f"{name}-dups.jsonl"
    deduplicate(lambda known: read_unparsed(paths, known=known), DedupSettings(**options), str(kept), str(duplicates))
    return kept.read_bytes(), duplicates.read_text(encoding="utf-8")


def test_kept_json_lines_are_written_as_their_original_lines(tmp_path):
    rng = random.Random(11)
    a, c, d, e, f = (article(rng) for _ in range(5))
    lines = [
        '{"text":"%s","id":"a","score":1.50,"tags":[ ]}' % a,           # compact, a float json.dumps would rewrite
        json.dumps({"id": "b", "text": a + " copy"}),                    # removed: a near-copy of a
        '  {"id": "c", "text": "caf\\u00e9 %s"}\t' % c,               # escapes and spaces stay as given
        '{"id": "d", "text": "%s — déjà"}\r' % d,                      # a CRLF line end becomes LF
        '{"id": "e", "text": "%s \xff"}' % e,                           # invalid UTF-8 becomes U+FFFD
        '{"id": "f", "text": "%s"}' % f,                                 # the last line, without a line end
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8").replace("\xff".encode(), b"\xff"))
    expected = "".join(line.rstrip("\r") + "\n" for i, line in enumerate(lines) if i != 1).replace("\xff", "\ufffd")
    kept, duplicates = dedup_files([path], tmp_path)
    assert kept == expected.encode("utf-8")
    assert [json.loads(line)["id"] for line in duplicates.splitlines()] == ["b"]
    assert dedup_files([path], tmp_path, "two", jobs=2, batch_size=2) == (kept, duplicates)


def test_plain_files_copied_by_the_kernel_some_wholly_removed(tmp_path):
    """Files pass 2 copies as spans: kept lines joined, one file all copies of the other."""
    rng = random.Random(12)
    texts = [article(rng) for _ in range(9)]
    first = [json.dumps({"id": f"a{i}", "text": text}) for i, text in enumerate(texts)]
    copies = [json.dumps({"id": f"b{i}", "text": text + " again"}) for i, text in enumerate(texts)]
    mixed = [json.dumps({"id": f"c{i}", "text": texts[i] if i % 3 else article(rng)}) for i in range(9)]
    paths = [tmp_path / name for name in ("1.jsonl", "2.jsonl", "3.jsonl")]
    for path, lines in zip(paths, (first, copies, mixed)):
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    kept, duplicates = dedup_files(paths, tmp_path, jobs=1, batch_size=4)
    assert kept == "".join(line + "\n" for line in first + mixed[::3]).encode("utf-8")
    assert len(duplicates.splitlines()) == 9 + 6
    assert dedup_files(paths, tmp_path, "two", jobs=2, batch_size=4) == (kept, duplicates)


def lines_with_errors(rng: random.Random) -> tuple[list[str], set[int]]:
    """60 JSON lines with bad ones (and near-copies) spread over them; the bad line numbers."""
    texts = [article(rng, 60) for _ in range(50)]
    lines = [json.dumps({"id": f"r{i}", "text": texts[i % 50] if i < 50 else edited(texts[i % 50], rng, 1)})
             for i in range(60)]
    bad = {7: '{"id": "x", "text": ', 19: json.dumps({"id": "r3", "text": "another text"}), 20: '{"id": "y"',
           24: '{"id": "e", "text": " "}',
           33: "[1, 2]", 41: json.dumps({"id": "r40", "body": "no text"}),
           55: json.dumps({"id": "r51", "text": texts[2]})}
    for number, line in bad.items():
        lines[number - 1] = line
    return lines, set(bad)


@pytest.mark.parametrize("jobs", [1, 2])
def test_errors_of_batches_parsed_in_workers_come_in_input_order(tmp_path, monkeypatch, jobs):
    """Bad JSON, bad records and duplicate ids (also within one unit and
    across units): the same errors, in the same order, as read_records gives,
    whichever process parsed them; in stop mode the first one is raised."""
    lines, bad = lines_with_errors(random.Random(4))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(record_files, "BLOCK_BYTES", 700)         # a few lines a batch, several batches a unit
    expected: list[InputError] = []
    records = list(read_records([path], expected.append))
    settings = DedupSettings(jobs=jobs, batch_size=7)
    reported: list[InputError] = []
    sketches = dedup.sketch_corpus(read_unparsed([path]), settings, on_error=reported.append)
    sketches.spill.close()
    assert [(str(e), e.record_id, e.raw) for e in reported] == [(str(e), e.record_id, e.raw) for e in expected]
    assert sorted(e.line for e in reported) == sorted(bad) and len(bad) == 7
    assert sketches.ids == [r.id for r in records] and sketches.lines == [r.line for r in records]
    with pytest.raises(InputError) as first:
        dedup.sketch_corpus(read_unparsed([path]), settings)
    assert str(first.value) == str(expected[0]) == f"{path}:7: bad JSON: Expecting value (column 21)"


def test_jobs_change_nothing_in_the_outputs_of_mixed_input(tmp_path):
    rng = random.Random(8)
    texts = [article(rng) for _ in range(40)]
    folder = tmp_path / "in"
    folder.mkdir()
    write = lambda name, rows: (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    write("a.jsonl", [{"id": f"a{i}", "text": texts[i]} for i in range(20)])
    (folder / "b.jsonl.gz").write_bytes(gzip.compress("".join(
        json.dumps({"id": f"b{i}", "text": edited(texts[i], rng, 1)}) + "\n" for i in range(0, 40, 2)).encode()))
    (folder / "c.csv").write_text("id,text,section\n" + "".join(f"c{i},{texts[i]},s{i}\n" for i in range(15, 30)),
                                  encoding="utf-8")
    (folder / "d.txt").write_text(texts[35], encoding="utf-8")
    one = dedup_files([folder], tmp_path, "one", jobs=1, batch_size=6)
    two = dedup_files([folder], tmp_path, "two", jobs=2, batch_size=6)
    assert one == two
    kept = [json.loads(line) for line in one[0].decode().splitlines()]
    assert {r["id"] for r in kept} >= {"c21", "d"} and {"b0", "c15", "c20"}.isdisjoint(r["id"] for r in kept)
    assert kept[-1] == {"id": "d", "text": texts[35]} and next(r for r in kept if r["id"] == "c21")["section"] == "s21"


def test_a_line_changed_between_the_passes_is_an_error(tmp_path):
    rng = random.Random(2)
    path = tmp_path / "in.jsonl"
    rows = [{"id": f"r{i}", "text": article(rng)} for i in range(5)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    settings = DedupSettings()
    sketches = dedup.sketch_corpus(read_unparsed([path]), settings)
    decision = dedup.find_removals(sketches, settings)
    rows[2]["text"] += " edited"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(InputError, match=r"in.jsonl:3: input changed"):
        write.write_kept(read_unparsed([path]), sketches, decision, io.BytesIO())
    sketches.spill.close()


@given(st.text() | st.integers(), st.text() | st.integers(), st.floats(0, 1), st.floats(0, 1))
def test_a_duplicate_line_is_the_json_of_its_fields(doc_id, kept_id, jaccard, estimate):
    line = write.duplicate_line(doc_id, kept_id, Removal(0, jaccard, estimate))
    assert line == json.dumps({"id": doc_id, "duplicate_of": kept_id, "jaccard": round(jaccard, 4),
                               "jaccard_estimate": round(estimate, 4)}, ensure_ascii=False) + "\n"


def test_integer_ids_stay_integers_in_both_outputs(tmp_path):
    """Ids as the input gave them: 7 and "7" are one id (a duplicate), but each is written back as it came."""
    rng = random.Random(4)
    texts = [article(rng) for _ in range(3)]
    rows = [{"id": 7, "text": texts[0]}, {"id": "x", "text": texts[0]}, {"id": 12, "text": texts[1]},
            {"id": 30, "text": edited(texts[1], rng, 1)}, {"id": "7", "text": texts[2]}]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    kept, duplicates = tmp_path / "kept.jsonl", tmp_path / "dups.jsonl"
    errors = []
    deduplicate(lambda known: read_unparsed([path], known=known), DedupSettings(), str(kept), str(duplicates),
                on_error=errors.append)
    assert [json.loads(line)["id"] for line in kept.read_text().splitlines()] == [7, 12]
    assert [(row["id"], row["duplicate_of"]) for row in map(json.loads, duplicates.read_text().splitlines())] == \
        [("x", 7), (30, 12)]
    assert [error.record_id for error in errors] == ["7"]


def test_input_changed_before_pass_2_writes_neither_output(tmp_path):
    """When pass 2 fails, no temporary file is left and earlier outputs stay."""
    rng = random.Random(3)
    path = tmp_path / "in.jsonl"
    texts = [article(rng) for _ in range(4)]
    rows = [{"id": f"r{i}", "text": texts[i % 4]} for i in range(6)]       # r4, r5 copies of r0, r1
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    kept, duplicates = tmp_path / "kept.jsonl", tmp_path / "dups.jsonl"
    kept.write_text("earlier\n")
    passes = []

    def read(known):
        passes.append(known)
        if len(passes) == 2:
            path.write_text(path.read_text(encoding="utf-8").replace("r3", "r33"), encoding="utf-8")
        return read_unparsed([path], known=known)

    with pytest.raises(InputError, match="input changed"):
        deduplicate(read, DedupSettings(), str(kept), str(duplicates))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "kept.jsonl"]
    assert kept.read_text() == "earlier\n"


def test_a_known_plain_file_is_copied_in_pass_2_without_being_read(tmp_path, monkeypatch):
    rng = random.Random(6)
    texts = [article(rng) for _ in range(30)]
    rows = [{"id": f"r{i}", "text": texts[i % 20] if i < 20 else edited(texts[i % 20], rng, 1)} for i in range(30)]
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines[:12] + ["", "[1]"] + lines[12:]).encode() + b"\n")
    settings = DedupSettings(batch_size=7)
    sketches = dedup.sketch_corpus(read_unparsed([path]), settings, on_error=lambda error: None)
    decision = dedup.find_removals(sketches, settings)
    known = write.known_files(sketches)
    assert known == {str(path.resolve())} and len(decision.removals) == 10
    streamed, copied = io.BytesIO(), io.BytesIO()
    write.write_kept(read_unparsed([path]), sketches, decision, streamed)
    monkeypatch.setattr(read_module, "_read_file", None)            # a known file is not opened by the reader
    write.write_kept(read_unparsed([path], known=known), sketches, decision, copied)
    assert copied.getvalue() == streamed.getvalue() == "".join(line + "\n" for line in lines[:20]).encode()
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(InputError, match="input changed"):
        write.write_kept(read_unparsed([path], known=known), sketches, decision, io.BytesIO())
    sketches.spill.close()

