"""The report pipeline on a small constructed corpus: two events, one re-post."""

import pytest

from corpus.assemble import Story, build_report, by_size
from conftest import two_event_records

@pytest.fixture(scope="module")
def report():
    return build_report(two_event_records())


def test_repost_is_a_duplicate_of_the_original(report):
    assert [(g.kept, g.members) for g in report.duplicate_groups] == [("flood-a", ["flood-a", "flood-a-repost"])]
    assert report.duplicate_groups[0].similarity >= 0.8


def test_events_are_separate_stories_and_copies_nest_inside(report):
    stories = {tuple(s.documents) for s in report.stories}
    assert stories == {("flood-a", "flood-b", "flood-a-repost"), ("vote",)}
    flood = next(s for s in report.stories if "flood-a" in s.documents)
    assert [g.kept for g in flood.duplicate_groups] == ["flood-a"]


def test_every_document_is_described(report):
    assert [d.id for d in report.documents] == ["flood-a", "flood-b", "vote", "flood-a-repost"]


def test_by_size_puts_several_reports_first_largest_first():
    stories = [Story(f"s{i}", docs, [], docs[0], "", None) for i, docs in
               enumerate([["a"], ["b", "c"], ["d"], ["e", "f", "g"], ["h", "i"]])]
    assert [s.id for s in by_size(stories)] == ["s3", "s1", "s4", "s0", "s2"]


def test_detail_computes_the_overlap_of_the_largest_stories_only():
    partial = build_report(two_event_records(), detail=1)
    assert [s.overlap is not None for s in partial.stories] == [True, False]
    full = build_report(two_event_records())
    assert partial.stories[0] == full.stories[0]
    assert [s.heading for s in partial.stories] == [s.heading for s in full.stories]


def test_story_text_puts_a_title_before_a_text_that_does_not_open_with_it():
    from corpus.pipeline import story_text

    assert story_text("Body of the report.", "Storm hits coast") == "Storm hits coast\nBody of the report."
    assert story_text("Storm hits coast\nBody.", "Storm hits coast") == "Storm hits coast\nBody."
    assert story_text("Body.", None) == "Body."
