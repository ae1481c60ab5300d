"""Render a `Report`: what every format shows (the summary, which stories are shown
in full, the notes on sentence groups) and the JSON for scripts. The terminal
(`corpus.render_text`) and Markdown (`corpus.render_markdown`) formats arrange the
same selection. Nothing here computes; it only arranges."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Iterator

from corpus.overlap import LanguageGroup, PairOverlap, StoryOverlap
from corpus.pipeline import DocumentInfo, Report, Story, by_size

UNKNOWN = "unknown"
DEFAULT_TOP = 20           # stories shown in full by the terminal and Markdown formats
SUMMARY_STORIES = 5        # the largest stories named in the summary
NAMES_SHOWN = 12           # names and numbers of a cross-language pair shown in the text formats
PAIRS_SHOWN = 60           # pairs of one kind (one language, across languages) a story's tables show at most


@dataclass
class Selection:
    """The stories a text report shows in full (several reports: one section each;
    single reports: one table), and how many stories it leaves out."""

    several: list[Story]
    singles: list[Story]
    left_out: int
    top: int | None


def select(report: Report, top: int | None = DEFAULT_TOP) -> Selection:
    """The first `top` stories in `by_size` order (None: all). A corpus of one story
    shows it in full even when it has a single report."""
    ordered = by_size(report.stories)
    shown = ordered if top is None else ordered[:top]
    if len(report.stories) == 1:
        return Selection(shown, [], 0, top)
    return Selection([s for s in shown if len(s.documents) > 1], [s for s in shown if len(s.documents) == 1],
                     len(ordered) - len(shown), top)


def plural(count: int, word: str, many: str | None = None) -> str:
    """"1 story", "2 stories", with thousands separators."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def headline(report: Report) -> str:
    """Documents, stories, stories of several reports, near-duplicate groups."""
    several = sum(len(s.documents) > 1 for s in report.stories)
    return (f"{plural(len(report.documents), 'document')} · {plural(len(report.stories), 'story', 'stories')}"
            f" · {plural(several, 'multi-report story', 'multi-report stories')}"
            f" · {plural(len(report.duplicate_groups), 'near-duplicate group')}")


def largest(report: Report, count: int = SUMMARY_STORIES) -> list[Story]:
    """The largest stories of several reports, for the summary."""
    return [s for s in by_size(report.stories)[:count] if len(s.documents) > 1]


def left_out_note(selection: Selection) -> str:
    """The line saying how many stories are not shown and how to see them; empty when none is left out."""
    if not selection.left_out:
        return ""
    return (f"{plural(selection.left_out, 'more story', 'more stories')} left out (only the {selection.top:,} largest "
            f"are shown): see every story with --top all, or all of them as data with --format json.")


def first_seen_note(first: str | None, docs: dict[str, DocumentInfo]) -> str:
    """The " · first seen in ID (outlet, date)" note of a sentence group, empty when no report has a date."""
    if first is None:
        return ""
    doc = docs[first]
    return f" · first seen in {first} ({', '.join(x for x in (doc.outlet, doc.date) if x)})"


def languages_note(story: Story) -> str:
    """Which reports were compared with which, when a story has more than one language
    (or reports of unknown language beside known ones); empty otherwise."""
    groups = story.overlap.languages
    if len(groups) < 2:
        return ""
    parts = [f"{g.language}: {', '.join(g.documents)}" for g in groups if g.language is not None]
    unknown = [d for g in groups if g.language is None for d in g.documents]
    if unknown:
        parts.append(f"language unknown, compared with all: {', '.join(unknown)}")
    return "Sentences compared within one language (unique = unique among its language's reports) · " + " · ".join(parts)


def pair_languages(story: Story, pair: PairOverlap) -> str:
    """"en/id": the languages of a cross-language pair."""
    language = {d: g.language for g in story.overlap.languages for d in g.documents}
    return f"{language.get(pair.a) or UNKNOWN}/{language.get(pair.b) or UNKNOWN}"


def names_note(pair: PairOverlap) -> str:
    """The names and numbers a cross-language pair shares, the first NAMES_SHOWN of them."""
    names = pair.shared_names or []
    more = f" … (+{len(names) - NAMES_SHOWN})" if len(names) > NAMES_SHOWN else ""
    return ", ".join(names[:NAMES_SHOWN]) + more if names else "none"


def shown_pairs(story: Story, cross_language: bool) -> tuple[list[PairOverlap], int]:
    """The pairs of a kind (within one language or across) that a text report lists, in
    story order, and how many it leaves out: past PAIRS_SHOWN, the pairs sharing the
    most (sentences, then containment; across languages: names) are kept."""
    pairs = [p for p in story.overlap.pairs if p.cross_language == cross_language]
    if len(pairs) <= PAIRS_SHOWN:
        return pairs, 0
    weight = (lambda p: len(p.shared_names or [])) if cross_language else (
        lambda p: (p.shared_sentences, max(p.containment_ab, p.containment_ba)))
    kept = set(sorted(range(len(pairs)), key=lambda i: weight(pairs[i]), reverse=True)[:PAIRS_SHOWN])
    return [p for i, p in enumerate(pairs) if i in kept], len(pairs) - PAIRS_SHOWN


def pairs_left_out_note(count: int) -> str:
    """The line under a pair table that leaves pairs out; empty when it leaves none."""
    if not count:
        return ""
    return f"{plural(count, 'more pair')} sharing less are left out (every pair is in --format json)."


def unique_by_outlet(story: Story) -> Iterator[tuple[str, Iterator[tuple[str, list[str]]]]]:
    """Unique sentences as (outlet, [(document, [texts])]), outlets in the order given."""
    for outlet, by_outlet in groupby(story.overlap.unique, key=lambda u: u.outlet or UNKNOWN):
        yield outlet, (
            (document, [u.text for u in items]) for document, items in groupby(by_outlet, key=lambda u: u.document)
        )


# ---- JSON ----

def report_json(report: Report, version: str) -> str:
    """The report as a JSON document (keys in a fixed order, ends with a newline).
    Every story is in it with its overlap, so `report` must have been built for all."""
    return "".join(report_json_chunks(report, version))


def report_json_chunks(report: Report, version: str) -> Iterator[str]:
    """`report_json` piece by piece, one document or story at a time, so that a large
    report is written without holding its whole JSON (the same bytes as
    `json.dumps(..., indent=2)` of the whole)."""
    members = {
        "samestory": [{"version": version, "settings": asdict(report.settings)}],
        "documents": (_document_json(d) for d in report.documents),
        "duplicate_groups": (_group_json(g) for g in report.duplicate_groups),
        "stories": (_story_json(s) for s in report.stories),
    }
    yield "{"
    for number, (key, values) in enumerate(members.items()):
        yield f'{"," if number else ""}\n  {json.dumps(key)}: '
        if key == "samestory":
            yield _indented(next(iter(values)), 2)
            continue
        empty = True
        for value in values:
            yield ("[" if empty else ",") + "\n    " + _indented(value, 4)
            empty = False
        yield "[]" if empty else "\n  ]"
    yield "\n}\n"


def _indented(value, depth: int) -> str:
    """A value as json.dumps(indent=2) writes it `depth` spaces deep."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * depth)


def _document_json(d: DocumentInfo) -> dict:
    return {
        "id": d.id,
        "outlet": d.outlet,
        "title": d.title,
        "date": d.date,
        "source": d.source,
        "language": d.language,
        "removed": [{"text": r.text, "reason": r.reason} for r in d.removed],
    }


def _group_json(group) -> dict:
    return {"kept": group.kept, "members": group.members, "similarity": group.similarity}


def _story_json(story: Story) -> dict:
    if story.overlap is None:
        raise ValueError(f"story {story.id} has no overlap: build the report with detail=None for JSON")
    found: StoryOverlap = story.overlap
    return {
        "id": story.id,
        "heading": story.heading,
        "central": story.central,
        "documents": story.documents,
        "languages": [_language_json(g) for g in found.languages],
        "duplicate_groups": [_group_json(g) for g in story.duplicate_groups],
        "overlap": [_pair_json(p) for p in found.pairs],
        "shared_sentences": [_sentences_json(s) for s in found.shared],
        "similar_sentences": [_sentences_json(s) for s in found.similar],
        "unique_sentences": [{"document": u.document, "outlet": u.outlet, "text": u.text} for u in found.unique],
    }


def _pair_json(pair: PairOverlap) -> dict:
    return {
        "a": pair.a, "b": pair.b, "jaccard": pair.jaccard, "jaccard_estimate": pair.jaccard_estimate,
        "containment_ab": pair.containment_ab, "containment_ba": pair.containment_ba,
        "shared_sentences": pair.shared_sentences, "cross_language": pair.cross_language,
        "shared_names": pair.shared_names,
    }


def _language_json(group: LanguageGroup) -> dict:
    return {"language": group.language, "documents": group.documents}


def _sentences_json(group) -> dict:
    """A shared or similar sentence group."""
    return {
        "occurrences": [{"document": o.document, "text": o.text} for o in group.occurrences],
        "similarity": group.similarity,
        "first_seen": group.first_seen,
    }
