import re

from corpus import stage_log


def test_silent_without_the_variable(monkeypatch, capsys):
    monkeypatch.delenv(stage_log.ENVIRONMENT, raising=False)
    stage_log.stage_done("reading")
    assert capsys.readouterr().err == ""


def test_a_line_per_stage_with_wall_cpu_and_memory(monkeypatch, capsys):
    monkeypatch.setenv(stage_log.ENVIRONMENT, "1")
    stage_log.stage_done("reading")
    sum(range(200_000))
    stage_log.stage_done("counting")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["[stage] reading", "[stage] counting"]
    pattern = r"wall [\d.]+ s \(at [\d.]+\), cpu [\d.]+ s \(at ([\d.]+)\), rss \d+ MB, peak [\d+]+ MB"
    found = [re.search(pattern, line) for line in lines]
    assert all(found)
    assert float(found[1].group(1)) >= float(found[0].group(1))


def test_zero_turns_it_off(monkeypatch, capsys):
    monkeypatch.setenv(stage_log.ENVIRONMENT, "0")
    stage_log.stage_done("reading")
    assert capsys.readouterr().err == ""


def test_listeners_hear_every_stage_whatever_the_variable(monkeypatch, capsys):
    monkeypatch.delenv(stage_log.ENVIRONMENT, raising=False)
    heard = []
    with stage_log.listening(lambda *told: heard.append(told)):
        stage_log.stage_progress("reading", 500)
        stage_log.stage_done("reading")
        stage_log.stage_progress("counting", 500, 1000)
        stage_log.stage_done("counting")
    stage_log.stage_done("after")
    assert heard == [("reading", 500, None), ("reading", None, None), ("counting", 500, 1000),
                     ("counting", None, None)]
    assert capsys.readouterr().err == ""
