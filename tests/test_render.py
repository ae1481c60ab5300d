"""Renderers only arrange: the same report as JSON, Markdown and plain text."""

import json

import pytest

from corpus import render, render_markdown, render_text
from corpus.overlap import Occurrence, SharedSentence, SimilarSentence
from corpus.pipeline import build_report
from conftest import two_event_records as records


def test_json_has_the_documented_keys_and_is_stable():
    report = build_report(records())
    first, second = render.report_json(report, "0"), render.report_json(build_report(records()), "0")
    assert first == second
    payload = json.loads(first)
    assert list(payload) == ["samestory", "documents", "duplicate_groups", "stories"]
    story = payload["stories"][0]
    assert set(story) >= {"id", "documents", "overlap", "shared_sentences", "unique_sentences"}
    pair = story["overlap"][0]
    assert set(pair) == {"a", "b", "jaccard", "jaccard_estimate", "containment_ab", "containment_ba",
                         "shared_sentences"}


def test_markdown_escapes_table_breaking_text():
    assert render_markdown.md("a | b\nc") == "a \\| b c"
    text = render_markdown.markdown(build_report(records()))
    assert text.startswith("# samestory report\n") and text.endswith("\n")
    assert "## s0001" in text


def test_plain_text_has_no_colour_and_no_trailing_spaces():
    text = render_text.plain_text(render_text.terminal(build_report(records()), show_removed=True), width=80)
    assert "\x1b[" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert "Removed as site chrome" in text and "Share this article" in text


def test_single_report_stories_are_listed_not_shown_in_full():
    report = build_report(records())
    text = render_text.plain_text(render_text.terminal(report), width=100)
    assert "Single-report stories (1)" in text
    assert "s0001 · 3 reports" in text
    markdown = render_markdown.markdown(report)
    assert "## Single-report stories (1)" in markdown and "| s0002 | vote |" in markdown


def test_told_in_other_words_is_listed_in_every_format():
    report = build_report(records())
    told = SimilarSentence([Occurrence("flood-a", "Rain | fell all night."), Occurrence("flood-b", "It rained all night long.")], 72.5)
    report.stories[0].overlap.similar = [told]
    story = json.loads(render.report_json(report, "0"))["stories"][0]
    assert list(story).index("similar_sentences") == list(story).index("shared_sentences") + 1
    assert story["similar_sentences"] == [{
        "occurrences": [{"document": "flood-a", "text": "Rain | fell all night."},
                        {"document": "flood-b", "text": "It rained all night long."}],
        "similarity": 72.5,
        "first_seen": None,
    }]
    text = render_text.plain_text(render_text.terminal(report), width=100)
    assert "Told in other words (1)" in text and "1. content-word similarity 72" in text
    assert "It rained all night long." in text
    markdown = render_markdown.markdown(report)
    assert "### Told in other words (1)" in markdown
    assert "    - **flood-a**: Rain \\| fell all night." in markdown


def test_first_seen_is_in_the_json_and_a_line_of_terminal_and_markdown():
    report = build_report(records())
    docs = {d.id: d for d in report.documents}
    docs["flood-b"].outlet, docs["flood-b"].date = "River | Post", "2024-05-02"
    story = report.stories[0]
    story.overlap.shared = [SharedSentence([Occurrence("flood-a", "It rained."), Occurrence("flood-b", "It rained.")],
                                           100.0, first_seen="flood-b")]
    story.overlap.similar = [SimilarSentence([Occurrence("flood-a", "Rain fell."), Occurrence("flood-b", "It poured.")],
                                             75.0, first_seen=None)]
    payload = json.loads(render.report_json(report, "0"))["stories"][0]
    assert payload["shared_sentences"][0]["first_seen"] == "flood-b"
    assert payload["similar_sentences"][0]["first_seen"] is None
    text = render_text.plain_text(render_text.terminal(report), width=100)
    assert "1. similarity 100 · first seen in flood-b (River | Post, 2024-05-02)" in text
    assert "1. content-word similarity 75\n" in text
    markdown = render_markdown.markdown(report)
    assert "1. similarity 100 · first seen in flood-b (River \\| Post, 2024-05-02)" in markdown
    assert "1. content-word similarity 75\n" in markdown


def test_summary_then_the_top_stories_and_a_line_for_those_left_out():
    report = build_report(records())
    text = render_text.plain_text(render_text.terminal(report, top=1), width=100)
    assert text.startswith("4 documents · 2 stories · 1 multi-report story · 1 near-duplicate group\n")
    assert "Largest stories" in text and "s0001 · 3 reports" in text
    left_out = "1 more story left out (only the 1 largest are shown): see every story with --top all"
    assert text.count(left_out) == 2 and "Single-report stories" not in text
    assert "Told in other words" in text
    markdown = render_markdown.markdown(report, top=1)
    assert "- s0001 · 3 reports · Heavy rain flooded" in markdown
    assert markdown.count(left_out) == 2 and "## Single-report stories" not in markdown
    for everything in (render_text.plain_text(render_text.terminal(report, top=None)),
                       render_text.plain_text(render_text.terminal(report, top=2)), render_markdown.markdown(report)):
        assert "left out" not in everything and "Single-report stories (1)" in everything


def test_stories_are_headed_by_their_central_report():
    report = build_report(records())
    flood = report.stories[0]
    assert flood.central == "flood-a"
    assert flood.heading == "Heavy rain flooded the river town of Marlow Creek on Sunday, forcing …"
    text = render_text.plain_text(render_text.terminal(report), width=120)
    assert f"s0001 · 3 reports · {flood.heading}" in text
    assert f"## s0001: {flood.heading}" in render_markdown.markdown(report)
    payload = json.loads(render.report_json(report, "0"))["stories"]
    assert [(s["heading"], s["central"]) for s in payload] == [(s.heading, s.central) for s in report.stories]


def test_json_needs_the_overlap_of_every_story():
    report = build_report(records(), detail=1)
    assert report.stories[0].overlap is not None and report.stories[1].overlap is None
    with pytest.raises(ValueError, match="s0002"):
        render.report_json(report, "0")
    assert "Heavy rain" in render_text.plain_text(render_text.terminal(report, top=1))
