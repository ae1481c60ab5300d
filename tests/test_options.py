"""cli.options: the shared input options, through a throwaway click command."""

import gzip
import json

import click
import pytest
from click.testing import CliRunner

from cli.options import InputSession, input_options
from corpus.output import atomic_writer


@click.command()
@input_options
@click.option("-o", "--output", default=None)
@click.option("--passes", default=1)
def echo_records(inputs: InputSession, output, passes):
    """Write 'pass id source:line text' per record, reading the input `passes` times."""
    inputs.paths = inputs.paths or ("-",)
    with atomic_writer(output) as out:
        for number in range(passes):
            for record in inputs.records():
                out.write(f"{number} {record.id} {record.source}:{record.line} {record.date} {record.text}\n")


def run(args, stdin=None):
    return CliRunner().invoke(echo_records, args, input=stdin)


@pytest.fixture
def bad_jsonl(tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_text('{"id": "a", "text": "A"}\n{"id": "b", "text": \n{"id": "c", "text": "C"}\n', encoding="utf-8")
    return path




def test_stop_mode_fails_with_exit_code_2_and_writes_nothing(tmp_path, bad_jsonl):
    out = tmp_path / "out.txt"
    result = run([str(bad_jsonl), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"samestory: error: {bad_jsonl}:2: bad JSON: Expecting value (column 21)\n"
    assert not out.exists() and list(tmp_path.glob(".out.txt*")) == []


def test_missing_path_fails_with_exit_code_2(tmp_path):
    result = run([str(tmp_path / "nope.jsonl")])
    assert (result.exit_code, result.stderr) == (2, f"samestory: error: {tmp_path / 'nope.jsonl'}: no such file or folder\n")


def test_skip_mode_warns_goes_on_and_writes_rejects(tmp_path, bad_jsonl):
    rejects = tmp_path / "rejects.jsonl"
    result = run([str(bad_jsonl), "--on-error", "skip", "--rejects", str(rejects)])
    assert result.exit_code == 0
    assert result.stdout == f"0 a {bad_jsonl}:1 None A\n0 c {bad_jsonl}:3 None C\n"
    assert result.stderr == (f"samestory: skipped {bad_jsonl}:2: bad JSON: Expecting value (column 21)\n"
                             f"samestory: 1 unreadable record(s) skipped; see {rejects}\n")
    assert [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()] == [
        {"source": str(bad_jsonl), "line": 2, "id": None, "reason": "bad JSON: Expecting value (column 21)",
         "raw": '{"id": "b", "text": '}]


def test_rejects_is_empty_without_errors(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("fine", encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    assert run([str(good), "--rejects", str(rejects)]).exit_code == 0
    assert rejects.read_text(encoding="utf-8") == ""


def test_rejects_implies_skip_mode(tmp_path, bad_jsonl):
    rejects = tmp_path / "rejects.jsonl"
    result = run([str(bad_jsonl), "--rejects", str(rejects)])
    assert result.exit_code == 0
    assert "samestory: skipped" in result.stderr
    assert [json.loads(line)["line"] for line in rejects.read_text(encoding="utf-8").splitlines()] == [2]


def test_rejects_with_stop_mode_is_a_usage_error(tmp_path, bad_jsonl):
    rejects = tmp_path / "rejects.jsonl"
    result = run([str(bad_jsonl), "--on-error", "stop", "--rejects", str(rejects)])
    assert result.exit_code == 2
    assert "--rejects" in result.stderr and "--on-error stop" in result.stderr
    assert not rejects.exists()


def test_two_passes_over_stdin_read_the_same_records_and_report_errors_once(private_tempdir):
    stdin = '{"id": "a", "text": "A"}\nnot json\n{"id": "b", "text": "B"}\n'
    result = run(["--passes", "2", "--on-error", "skip"], stdin=stdin)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["0 a <stdin>:1 None A", "0 b <stdin>:3 None B",
                                          "1 a <stdin>:1 None A", "1 b <stdin>:3 None B"]
    assert result.stderr.count("samestory: skipped <stdin>:2: bad JSON") == 1
    assert "1 unreadable record(s) skipped" in result.stderr
    assert list(private_tempdir.iterdir()) == []            # the spooled copy is gone


def test_spool_is_removed_when_the_command_fails(private_tempdir):
    result = run(["--passes", "2"], stdin='{"id": "a", "text": "A"}\n[1]\n')
    assert result.exit_code == 2 and "samestory: error: <stdin>:2: a JSON array, not an object" in result.stderr
    assert list(private_tempdir.iterdir()) == []


def test_field_and_format_options_reach_the_reader(tmp_path):
    stdin = gzip.compress(b"key\tbody\twhen\nk1\tSome text\t2024-04-01\n")
    result = run(["-", "--input-format", "tsv", "--id-field", "key", "--text-field", "body", "--date-field", "when"],
                 stdin=stdin)
    assert (result.exit_code, result.stdout) == (0, "0 k1 <stdin>:2 2024-04-01 Some text\n")


def test_help_lists_the_input_options():
    text = run(["--help"]).stdout
    for option in ("[PATHS]...", "--id-field", "--text-field", "--date-field", "--input-format", "--on-error", "--rejects"):
        assert option in text
