"""Renderers only arrange: the same report as JSON, Markdown and plain text."""

import itertools
import json

import pytest

from corpus import render, render_markdown, render_text
from corpus.overlap import (LanguageGroup, Occurrence, PairOverlap, SharedSentence, SimilarSentence, StoryOverlap,
                            UniqueSentence)
from corpus.assemble import DocumentInfo, Report, Story, build_report
from corpus.pipeline import ReportSettings
from conftest import mixed_language_report, two_event_records as records


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
                         "shared_sentences", "cross_language", "shared_names"}
    assert pair["cross_language"] is False and pair["shared_names"] is None
    assert story["languages"] == [{"language": "en", "documents": story["documents"]}]   # detected
    assert [d["language"] for d in payload["documents"]] == ["en"] * 4


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


def test_overlap_left_for_later_is_computed_as_rendered_and_not_kept():
    report = build_report(records(), detail=1)
    assert report.stories[0].overlap is not None and report.stories[1].overlap is None
    assert render.report_json(report, "0") == render.report_json(build_report(records()), "0")
    assert report.stories[1].overlap is None and report.stories[1].paragraphs == {}
    assert "Heavy rain" in render_text.plain_text(render_text.terminal(report, top=1))
    lazy = build_report(records(), detail=0)
    assert all(s.overlap is None for s in lazy.stories)
    assert render_markdown.markdown(lazy) == render_markdown.markdown(build_report(records()))
    assert all(s.overlap is None for s in lazy.stories)
    lazy.overlaps = None
    with pytest.raises(ValueError, match="s0001"):
        render.report_json(lazy, "0")


def _heading_and_shared(story):
    return story.heading, len(story.overlap.shared), sorted(story.paragraphs)


def test_detailed_gives_what_then_makes_of_each_story_whether_its_overlap_was_kept_or_not():
    report = build_report(records(), detail=1)
    made = list(report.detailed(report.stories, then=_heading_and_shared))
    assert made == [_heading_and_shared(s) for s in build_report(records()).stories]
    assert report.stories[1].overlap is None


def test_mixed_language_stories_say_what_was_compared_and_what_pairs_across_languages_share():
    report = mixed_language_report()
    note = ("Sentences compared within one language (unique = unique among its language's reports) · "
            "en: flood-a · xx: flood-b · language unknown, compared with all: flood-a-repost")
    text = render_text.plain_text(render_text.terminal(report), width=300)
    assert note in text
    assert "Across languages: names and numbers both carry" in text
    cross = [line for line in text.splitlines() if line.startswith("flood-a ") and "flood-b" in line]
    assert len(cross) == 1 and "en/xx" in cross[0] and "Marlow, Creek, 2,400, Tessa, Holbrook, Lanner, River, Monday" in cross[0]
    assert "0.0" not in cross[0]                      # no shingle Jaccard for a cross-language pair
    assert [line.split()[:4] for line in text.splitlines() if line.startswith("flood-b ")][0] == ["flood-b", "│", "—", "│"]
    assert any(line.startswith("flood-b ") and "│ xx " in line for line in text.splitlines())
    assert any(line.startswith("flood-a-repost ") and "│ unknown " in line for line in text.splitlines())
    markdown = render_markdown.markdown(report)
    assert note in markdown and "| flood-a | flood-b | en/xx | Marlow, Creek, 2,400, Tessa, Holbrook" in markdown
    assert "| document | outlet | date | language | title |" in markdown and "| flood-b | — | — | xx |" in markdown
    story = json.loads(render.report_json(report, "0"))["stories"][0]
    assert story["languages"] == [{"language": "en", "documents": ["flood-a"]}, {"language": "xx", "documents": ["flood-b"]},
                                  {"language": None, "documents": ["flood-a-repost"]}]
    pairs = {(p["a"], p["b"]): p for p in story["overlap"]}
    assert pairs[("flood-a", "flood-b")]["cross_language"] and pairs[("flood-a", "flood-b")]["shared_names"][:3] == ["Marlow", "Creek", "2,400"]
    assert not pairs[("flood-a", "flood-a-repost")]["cross_language"]


def test_one_language_adds_no_note():
    text = render_text.plain_text(render_text.terminal(build_report(records())), width=200)
    assert "compared within one language" not in text and "Across languages" not in text and "┃ language" not in text


def large_story_report(reports: int = 15, unique_each: int = 30) -> Report:
    """One story of many reports, each with many unique sentences; report d07 is the
    central one, d03 shares the most sentences, and shared sentence k is carried by
    k + 2 reports."""
    ids = [f"d{i:02d}" for i in range(reports)]
    pairs = [PairOverlap(a, b, 0.01, 0.01, 0.02, 0.02, 3 if "d03" in (a, b) else 0)
             for n, a in enumerate(ids) for b in ids[n + 1 :]]
    shared = [SharedSentence([Occurrence(d, f"Shared {k} in {d}.") for d in ids[: k + 2]], 90.0) for k in range(12)]
    similar = [SimilarSentence([Occurrence("d00", f"Told {k}."), Occurrence("d01", f"Retold {k}.")], 75.0)
               for k in range(7)]
    unique = [UniqueSentence(d, f"Outlet {d}", f"Only {d} says {k}.") for d in ids for k in range(unique_each)]
    story = Story("s0001", ids, [], "d07", "A big story",
                  StoryOverlap(pairs, shared, similar, unique, [LanguageGroup("en", ids)]))
    documents = [DocumentInfo(d, f"Outlet {d}", None, None, "x", []) for d in ids]
    return Report(documents, [], [story], ReportSettings())


def test_a_large_story_shows_its_most_central_reports_and_says_what_it_leaves_out():
    report = large_story_report()
    shown = render.excerpt(report.stories[0])
    assert shown.reports[:2] == ["d07", "d03"] and len(shown.reports) == render.REPORTS_SHOWN
    assert shown.more_reports == 5 and shown.more_pairs == 105 - 45
    assert {(p.a, p.b) for p in shown.pairs} == {(a, b) for a in shown.reports for b in shown.reports if a < b}
    assert [number for number, *_ in shown.shared] == list(range(3, 13))         # carried by the most reports
    assert all(len(occurrences) <= render.OCCURRENCES_SHOWN for _, _, occurrences, _ in shown.shared)
    assert shown.shared[-1][3] == 13 - render.OCCURRENCES_SHOWN and shown.more_shared == 2
    assert len(shown.similar) == render.SIMILAR_SHOWN and shown.more_similar == 2
    per_report = [(d, len(texts), more) for _, documents in shown.unique for d, texts, more in documents]
    assert [n for _, n, _ in per_report] == [10] * 10 and all(more == 20 for *_, more in per_report)
    assert shown.more_unique == 5 * 30
    for text in (render_text.plain_text(render_text.terminal(report), width=100), render_markdown.markdown(report)):
        assert "… 5 more reports (all of them: --format json)" in text
        assert "… 60 more pairs with a report not listed (all of them: --format json)" in text
        assert "… 2 more shared sentences" in text and "… 2 more sentences told in other words" in text
        assert "… 150 more unique sentences of the reports not listed" in text
        assert "9 more occurrences" in text and "… 20 more" in text
        assert "Only d07 says 9." in text and "Only d07 says 10." not in text
        assert "Told 4." in text and "Told 5." not in text
        assert "Shared 1 in d00." not in text and "Shared 2 in d00." in text
    payload = json.loads(render.report_json(report, "0"))["stories"][0]
    assert len(payload["overlap"]) == 105 and len(payload["unique_sentences"]) == 15 * 30


def test_a_story_within_bounds_is_shown_whole():
    report = large_story_report(reports=4, unique_each=5)
    shown = render.excerpt(report.stories[0])
    assert shown.more_reports == shown.more_pairs == shown.more_unique == 0
    assert all(more == 0 for _, documents in shown.unique for _, _, more in documents)
    assert "all of them: --format json" not in render_markdown.markdown(report).split("### Shared")[0]


def test_unique_sentences_are_shared_out_evenly():
    assert render._even_share([3, 50, 50], 20) == [3, 8, 8]
    assert render._even_share([3, 5], 100) == [3, 5]
    assert render._even_share([40] * 30, 10) == [1] * 30


@pytest.mark.parametrize("value", [
    {"a": [], "b": {}, "c": [1, 2.5, -0.0, 1e-7, 1e22, 0.1 + 0.2, True, False, None],
     "d": {"e": [{"f": []}], "g": 12345678901234567890}, "h": "x\n\"y\\\u2028é\U0001F600\x00\ud800\t"},
    [], {}, "s", 3, [[[]]], {"k": [{}]}, float("nan"), [0.0001, 9.5e-05, -2e-5, 1e16, 1e300], {"x": 0.00001, "y": ": 0.0000"},
    (1, "tuple"), "\x1f\x7f\u2029 \\n",
])
def test_json_is_written_as_json_dumps_with_indent_writes_it(value):
    finite = [False] if value != value else [False, True]     # NaN only without `finite`
    for depth, fast in itertools.product((0, 4), finite):
        assert render._indented(value, depth, fast) == json.dumps(value, ensure_ascii=False, indent=2).replace(
            "\n", "\n" + " " * depth)


def test_json_written_piece_by_piece_is_json_dumps_of_the_whole():
    for report in (build_report(records()), build_report(records()[2:3])):
        text = render.report_json(report, "0")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    empty = build_report(records()[2:3])
    assert json.loads(render.report_json(empty, "0"))["duplicate_groups"] == []
