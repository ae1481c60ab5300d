"""`samestory dedup` through click's CliRunner: outputs, summaries, bad input."""

import gzip
import json
import random

import pytest
from click.testing import CliRunner

from benchmarks import generate
from benchmarks.eval_dedup import Outcome, generated_checks
from cli import dedup as cli_dedup
from cli.app import app
from corpus import dedup


def run(*args, stdin=None):
    return CliRunner().invoke(app, ["dedup", *map(str, args)], input=stdin)


def text_of(rng: random.Random, words: int = 80) -> str:
    return " ".join(f"w{rng.randrange(5000)}" for _ in range(words))


def jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path




@pytest.fixture
def corpus(tmp_path):
    """Six articles: b is a light edit of a, d an exact copy of c, e a copy of b only."""
    rng = random.Random(5)
    a, c, f = text_of(rng), text_of(rng), text_of(rng)
    b = a + " plus one"
    rows = [
        {"id": "a", "text": a, "date": "2023-03-02", "source": "x"},
        {"id": "b", "text": b, "date": "2023-03-01"},
        {"id": "c", "text": c},
        {"id": "d", "text": c, "date": "2023-01-01"},
        {"id": "f", "text": f, "n": 1},
    ]
    return jsonl(tmp_path / "in.jsonl", rows)


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_writes_kept_records_and_duplicates(tmp_path, corpus):
    out, dups = tmp_path / "kept.jsonl", tmp_path / "dups.jsonl"
    result = run(corpus, "-o", out, "--duplicates", dups, "--jobs", 1)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert [r["id"] for r in lines(out)] == ["a", "c", "f"]
    assert lines(out)[0] == json.loads(corpus.read_text().splitlines()[0])      # original fields
    assert [(r["id"], r["duplicate_of"]) for r in lines(dups)] == [("b", "a"), ("d", "c")]
    assert lines(dups)[1]["jaccard"] == 1.0
    assert result.stderr.startswith("samestory dedup: 5 read · 3 kept · 2 removed in 2 groups · 0 skipped · ")


def test_kept_records_go_to_stdout_without_output_option(corpus):
    result = run(corpus, "--quiet")
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c", "f"]
    assert result.stderr == ""


def test_reads_standard_input(corpus):
    result = run("--quiet", stdin=corpus.read_bytes())
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c", "f"]


def test_text_files_become_id_and_text_records(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    body = text_of(random.Random(2))
    (folder / "one.txt").write_text(body, encoding="utf-8")
    (folder / "sub" / "two.md").write_text("---\ntitle: Two\n---\n" + body, encoding="utf-8")
    with gzip.open(folder / "three.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(text_of(random.Random(3)))
    result = run(folder, "--quiet", "--keep", "longest")
    assert result.exit_code == 0, result.output
    kept = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], list(r)) for r in kept] == [("one", ["id", "text"]), ("three", ["id", "text"])]


def test_csv_rows_keep_their_columns(tmp_path):
    body = text_of(random.Random(4))
    path = tmp_path / "in.csv"
    path.write_text(f"id,text,section\nr1,{body},world\nr2,{body},sport\n", encoding="utf-8")
    result = run(path, "--quiet")
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [{"id": "r1", "text": body, "section": "world"}]


def test_text_is_compared_with_its_character_references_decoded_and_written_as_given(tmp_path):
    words = text_of(random.Random(6), 30).split()
    escaped = " ".join(f"{w}&amp;{w}" for w in words)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": escaped}) + "\n" + json.dumps({"id": "b", "text": escaped.replace("&amp;", "&")})
                    + "\n", encoding="utf-8")
    result = run(path, "--quiet", "--jobs", 1)
    assert result.exit_code == 0, result.output
    assert result.stdout == path.read_text(encoding="utf-8").splitlines(keepends=True)[0]     # b is a's copy


def test_empty_input_gives_empty_outputs(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    out, dups = tmp_path / "kept.jsonl", tmp_path / "dups.jsonl"
    result = run(empty, "-o", out, "--duplicates", dups)
    assert result.exit_code == 0
    assert out.read_text() == dups.read_text() == ""
    assert "0 read · 0 kept · 0 removed" in result.stderr


@pytest.mark.parametrize("keep, survivors", [("first", ["a", "c", "f"]), ("earliest", ["b", "d", "f"]),
                                             ("longest", ["b", "c", "f"])])
def test_keep_policies(corpus, keep, survivors):
    result = run(corpus, "--quiet", "--keep", keep)
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == survivors


def test_same_input_same_bytes(tmp_path, corpus):
    outputs = []
    for jobs in (1, 2, 2):
        out, dups = tmp_path / f"k{len(outputs)}", tmp_path / f"d{len(outputs)}"
        assert run(corpus, "-o", out, "--duplicates", dups, "--jobs", jobs, "--quiet").exit_code == 0
        outputs.append((out.read_bytes(), dups.read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]


def test_large_named_files_start_the_workers_at_once_with_the_same_outcome(tmp_path, corpus, monkeypatch):
    running = []

    def spied(*args, deduplicate=dedup.deduplicate):
        workers = args[-1]
        running.append((workers.jobs, workers.preload, workers._pool is not None))
        return deduplicate(*args)

    monkeypatch.setattr(dedup, "deduplicate", spied)
    monkeypatch.setattr(cli_dedup, "EARLY_START_BYTES", corpus.stat().st_size)
    alone = run(corpus, "--jobs", 1, "--quiet").stdout
    assert run(corpus, "--jobs", 2, "--quiet").stdout == alone
    assert run("-", "--jobs", 2, "--quiet", stdin=corpus.read_bytes()).stdout == alone
    assert run(tmp_path, "--jobs", 2, "--quiet").stdout == alone
    pipeline = (cli_dedup.PIPELINE,)
    # with two jobs and named files this large the worker runs before the pipeline does; the size of
    # standard input or a folder is unknown, and these hold too little work to start it later
    assert running == [(1, pipeline, False), (2, pipeline, True), (2, pipeline, False), (2, pipeline, False)]


def test_named_file_bytes_counts_only_files_named_as_such(tmp_path, corpus):
    (tmp_path / "-").write_bytes(b"12345")
    named = [str(corpus), str(tmp_path), str(tmp_path / "*.jsonl"), str(tmp_path / "missing.jsonl"), "-", "\0"]
    assert cli_dedup.named_file_bytes(named) == corpus.stat().st_size


def bad_inputs(tmp_path):
    good = {"id": "ok", "text": "fine words here"}
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary\x00" * 10)
    unknown = tmp_path / "data.xml"
    unknown.write_text("<a/>", encoding="utf-8")
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text(json.dumps(good) + '\n{"id": "x", "text": \n', encoding="utf-8")
    return {
        "missing path": (tmp_path / "nope.jsonl", "no such file or folder"),
        "bad JSON line": (bad_json, f"{bad_json}:2: bad JSON"),
        "missing text field": (jsonl(tmp_path / "nt.jsonl", [good, {"id": "y", "body": "b"}]), ":2: no field 'text'"),
        "empty text": (jsonl(tmp_path / "et.jsonl", [good, {"id": "z", "text": "  "}]), ":2: empty text"),
        "binary file": (binary, "binary file"),
        "unknown extension": (unknown, "unknown file type '.xml'"),
        "duplicate id": (jsonl(tmp_path / "di.jsonl", [good, good]), ":2: duplicate id 'ok'"),
    }


@pytest.mark.parametrize("case", ["missing path", "bad JSON line", "missing text field", "empty text",
                                  "binary file", "unknown extension", "duplicate id"])
def test_bad_input_stops_with_exit_2_and_writes_nothing(tmp_path, case):
    path, message = bad_inputs(tmp_path)[case]
    out_dir = tmp_path / "out"
    result = run(path, "-o", out_dir / "kept.jsonl", "--duplicates", out_dir / "dups.jsonl")
    assert result.exit_code == 2
    assert result.stderr.startswith("samestory: error: ") and message in result.stderr
    assert str(path) in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


@pytest.mark.parametrize("case", ["bad JSON line", "missing text field", "empty text", "duplicate id"])
def test_skip_mode_goes_on_and_lists_each_skipped_record(tmp_path, case):
    path, _ = bad_inputs(tmp_path)[case]
    out, rejects = tmp_path / "kept.jsonl", tmp_path / "rejects.jsonl"
    result = run(path, "-o", out, "--on-error", "skip", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in lines(out)] == ["ok"]
    skipped = lines(rejects)
    assert len(skipped) == 1 and skipped[0]["line"] == 2 and skipped[0]["source"] == str(path)
    assert "1 kept · 0 removed in 0 groups · 1 skipped" in result.stderr


def test_skip_mode_with_several_inputs_reports_each_once(tmp_path, corpus):
    paths = bad_inputs(tmp_path)
    rejects = tmp_path / "rejects.jsonl"
    result = run(corpus, paths["missing path"][0], paths["unknown extension"][0], paths["empty text"][0],
                 "--on-error", "skip", "--rejects", rejects, "--quiet")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c", "f", "ok"]
    assert len(lines(rejects)) == 3


def test_usage_errors_exit_2(corpus):
    assert run(corpus, "--keep", "newest").exit_code == 2
    assert run(corpus, "--threshold", "0").exit_code == 2
    assert run(corpus, "--jobs", "0").exit_code == 2


def test_unwritable_output_exits_1(tmp_path, corpus):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run(corpus, "-o", blocker / "kept.jsonl", "--quiet")
    assert result.exit_code == 1
    assert result.stderr.startswith("samestory: error: cannot write: ")


@pytest.mark.slow
def test_generated_corpus_end_to_end(tmp_path):
    """2,500 generated articles (two sketch batches, so --jobs 2 really uses
    two processes): identical outputs for 1 and 2 jobs, targets met."""
    corpus = tmp_path / "gen.jsonl.gz"
    truth = generate.write_corpus(corpus, 2_500, seed=11)
    outputs = []
    for jobs in (1, 2):
        out, dups = tmp_path / f"k{jobs}.jsonl", tmp_path / f"d{jobs}.jsonl"
        result = run(corpus, "-o", out, "--duplicates", dups, "--jobs", jobs)
        assert result.exit_code == 0, result.output
        outputs.append((out.read_bytes(), dups.read_bytes()))
    assert outputs[0] == outputs[1]
    removed = {r["id"]: (r["duplicate_of"], r["jaccard"]) for r in lines(tmp_path / "d1.jsonl")}
    checks = generated_checks(Outcome(removed, 2_500), truth, 0.8)
    assert all(check.ok for check in checks), checks
    assert len(lines(tmp_path / "k1.jsonl")) + len(removed) == 2_500


def test_skip_mode_reports_the_same_in_line_order_whatever_the_jobs(tmp_path):
    """4,500 lines (three units of work, so --jobs 2 parses in two worker
    processes) with bad lines and repeated ids here and there: the same
    output, warnings (in line order) and rejects for 1 and 2 jobs."""
    rng = random.Random(9)
    lines = [json.dumps({"id": f"r{i}", "text": text_of(rng, 12)}) for i in range(4_500)]
    bad = {10: "{oops", 1999: json.dumps({"id": "r5", "text": "x"}), 2000: "[]", 2001: '{"id": "z"}',
           4000: json.dumps({"id": "r3999", "text": "  "}), 4499: json.dumps({"id": "r4000", "text": "y"})}
    for number, line in bad.items():
        lines[number - 1] = line
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = []
    for jobs in (1, 2):
        rejects = tmp_path / f"rejects{jobs}.jsonl"
        result = run(path, "--on-error", "skip", "--rejects", rejects, "--jobs", jobs, "--quiet")
        assert result.exit_code == 0, result.output
        warnings = result.stderr.replace(str(rejects), "REJECTS")
        runs.append((result.stdout, warnings, rejects.read_text(encoding="utf-8")))
    assert runs[0] == runs[1]
    warned = [int(line.split(f"{path}:")[1].split(":")[0]) for line in runs[0][1].splitlines() if "skipped " in line]
    assert warned == sorted(bad)
    assert [r["raw"] for r in map(json.loads, runs[0][2].splitlines())] == [bad[n] for n in sorted(bad)]
    assert len(runs[0][0].splitlines()) == 4_500 - len(bad)
    piped = run("-", "--on-error", "skip", "--jobs", 2, "--quiet", stdin=gzip.compress(path.read_bytes()))
    assert piped.stdout == runs[0][0]                   # standard input: the batches carry their bytes
    result = run(path, "--jobs", 2, "--quiet")
    assert (result.exit_code, result.stderr) == (2, f"samestory: error: {path}:10: bad JSON: Expecting property name "
                                                    f"enclosed in double quotes (column 2)\n")


# ---- --engine dask ----

def test_a_scheduler_goes_with_the_dask_engine_only(corpus):
    result = run(corpus, "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 2 and "--scheduler goes with --engine dask" in result.output


def test_the_dask_engine_without_dask_says_what_to_install(corpus, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    result = run(corpus, "--engine", "dask")
    assert result.exit_code == 2
    assert result.stderr == "samestory: error: the dask engine needs dask and distributed: " \
                            "pip install 'samestory[dask]'\n"


def test_an_unreachable_scheduler_exits_2_with_one_line(corpus, tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed not installed (pip install samestory[dask])")
    out = tmp_path / "kept.jsonl"
    result = run(corpus, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--scheduler-timeout", 1, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("samestory: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 1 s")


@pytest.mark.slow
def test_the_dask_engine_on_a_local_cluster_writes_the_local_bytes(tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed not installed (pip install samestory[dask])")
    path = tmp_path / "generated.jsonl"
    generate.write_corpus(path, 400, seed=2)
    outputs = {}
    for engine in ("local", "dask"):
        kept, dups = tmp_path / f"{engine}-kept.jsonl", tmp_path / f"{engine}-dups.jsonl"
        result = run(path, "--engine", engine, "--jobs", 2, "-o", kept, "--duplicates", dups, "--quiet")
        assert result.exit_code == 0, result.output
        outputs[engine] = kept.read_bytes(), dups.read_bytes()
    assert outputs["dask"] == outputs["local"] and outputs["local"][1]
