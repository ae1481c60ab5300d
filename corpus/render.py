"""Render a `Report`: what every format shows (the summary, which stories are shown
in full, the notes on sentence groups) and the JSON for scripts. The terminal
(`corpus.render_text`) and Markdown (`corpus.render_markdown`) formats arrange the
same selection. Nothing here computes; it only arranges."""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Iterator

import orjson

from corpus.overlap import (LanguageGroup, Occurrence, PairOverlap, SharedSentence, SimilarSentence, StoryOverlap,
                            UniqueSentence)
from corpus.assemble import DocumentInfo, Report, Story, by_size

UNKNOWN = "unknown"
_json_string = json.encoder.encode_basestring    # how json.dumps(ensure_ascii=False) writes a string (C where built)
_ORJSON_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
                   | orjson.OPT_PASSTHROUGH_SUBCLASS)     # only what json writes too; the rest raises TypeError
DEFAULT_TOP = 20           # stories shown in full by the terminal and Markdown formats
SUMMARY_STORIES = 5        # the largest stories named in the summary
NAMES_SHOWN = 12           # names and numbers of a cross-language pair shown in the text formats
REPORTS_SHOWN = 10         # a story's reports listed and paired in the text formats, the most central first
SHARED_SHOWN = 10          # shared sentences shown per story, those carried by the most reports
OCCURRENCES_SHOWN = 4      # occurrences shown per shared sentence
SIMILAR_SHOWN = 5          # sentences told in other words shown per story
UNIQUE_SHOWN = 100         # unique sentences shown per story, shared out among the reports shown
LEFT_OUT = {               # what an excerpt's lines for each kind left out call it (one, many)
    "reports": ("report", "reports"),
    "pairs": ("pair with a report not listed", "pairs with a report not listed"),
    "shared": ("shared sentence", "shared sentences"),
    "similar": ("sentence told in other words", "sentences told in other words"),
    "unique": ("unique sentence of the reports not listed", "unique sentences of the reports not listed"),
}


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


@dataclass
class Excerpt:
    """What the terminal and Markdown formats show of a story in full, bounded
    whatever its size (JSON holds everything): its REPORTS_SHOWN most central reports
    and the pairs among them; the SHARED_SHOWN shared sentences carried by the most
    reports, with OCCURRENCES_SHOWN occurrences each; the first SIMILAR_SHOWN
    sentences told in other words; up to UNIQUE_SHOWN unique sentences of the reports
    shown, shared out evenly among them. The `more_*` counts are what is left out."""

    reports: list[str]                                        # the most central first
    more_reports: int
    pairs: list[PairOverlap]                                  # within one language, among `reports`, in story order
    cross_pairs: list[PairOverlap]                            # across languages, likewise
    more_pairs: int
    shared: list[tuple[int, SharedSentence, list[Occurrence], int]]   # (number, group, occurrences shown, more)
    more_shared: int
    similar: list[tuple[int, SimilarSentence]]
    more_similar: int
    unique: list[tuple[str, list[tuple[str, list[str], int]]]]        # (outlet, [(document, texts shown, more)])
    more_unique: int                                          # unique sentences of the reports not shown

    def note(self, kind: str) -> str:
        """The line saying how much of a kind ("reports", "pairs", "shared", "similar",
        "unique") the excerpt leaves out and where to find it; empty when none."""
        count = getattr(self, f"more_{kind}")
        if count <= 0:
            return ""
        one, many = LEFT_OUT[kind]
        return f"… {count:,} more {one if count == 1 else many} (all of them: --format json)"


def excerpt(story: Story) -> Excerpt:
    """The bounded part of a story (with its overlap) that the text formats show."""
    found = story.overlap
    ranked = ranked_reports(story)
    reports = ranked[:REPORTS_SHOWN]
    chosen = set(reports)
    among = [p for p in found.pairs if p.a in chosen and p.b in chosen]
    carried = sorted(range(len(found.shared)), key=lambda g: -len({o.document for o in found.shared[g].occurrences}))
    shared = [(g + 1, found.shared[g], found.shared[g].occurrences[:OCCURRENCES_SHOWN],
               len(found.shared[g].occurrences) - OCCURRENCES_SHOWN) for g in sorted(carried[:SHARED_SHOWN])]
    unique_of: dict[str, list[UniqueSentence]] = {}
    for u in found.unique:
        unique_of.setdefault(u.document, []).append(u)
    each = _even_share([len(unique_of.get(d, [])) for d in reports], UNIQUE_SHOWN)
    cap = dict(zip(reports, each))
    unique = []
    for outlet, by_outlet in groupby((u for u in found.unique if u.document in chosen), key=lambda u: u.outlet or UNKNOWN):
        documents = [(document, [u.text for u in items]) for document, items in groupby(by_outlet, key=lambda u: u.document)]
        unique.append((outlet, [(d, texts[: cap[d]], len(texts) - cap[d]) for d, texts in documents]))
    return Excerpt(
        reports=reports, more_reports=len(ranked) - len(reports),
        pairs=[p for p in among if not p.cross_language], cross_pairs=[p for p in among if p.cross_language],
        more_pairs=len(found.pairs) - len(among),
        shared=shared, more_shared=len(found.shared) - len(shared),
        similar=list(enumerate(found.similar[:SIMILAR_SHOWN], 1)), more_similar=max(0, len(found.similar) - SIMILAR_SHOWN),
        unique=unique, more_unique=sum(len(v) for d, v in unique_of.items() if d not in chosen),
    )


def ranked_reports(story: Story) -> list[str]:
    """A story's reports, the most central first: its central report, then the kept
    reports by the sentences they share with the others and then their summed
    Jaccard, near-duplicates kept in another's place last (ties: story order)."""
    shared, jaccard = Counter(), Counter()
    for p in story.overlap.pairs:
        for doc in (p.a, p.b):
            shared[doc] += p.shared_sentences
            jaccard[doc] += p.jaccard
    copies = {m for g in story.duplicate_groups for m in g.members if m != g.kept}
    order = {doc: number for number, doc in enumerate(story.documents)}
    return sorted(story.documents, key=lambda d: (d != story.central, d in copies, -shared[d], -jaccard[d], order[d]))


def _even_share(counts: list[int], budget: int) -> list[int]:
    """How many of each count to take so that together they take at most `budget` (at
    least one each), as evenly as they allow: the largest cap c with sum(min(n, c)) <=
    budget, each taking min(n, c)."""
    cap = max(counts, default=0)
    while cap > 1 and sum(min(n, cap) for n in counts) > budget:
        cap -= 1
    return [min(n, cap) for n in counts]


# ---- JSON ----

def report_json(report: Report, version: str) -> str:
    """The report as a JSON document (keys in a fixed order, ends with a newline),
    every story with its overlap."""
    return "".join(report_json_chunks(report, version))


def report_json_chunks(report: Report, version: str) -> Iterator[str]:
    """`report_json` piece by piece, one document or story at a time, so that a large
    report is written without holding its whole JSON nor every story's overlap (the
    same bytes as `json.dumps(..., indent=2)` of the whole)."""
    members = {
        "samestory": [{"version": version, "settings": asdict(report.settings)}],
        "documents": (_value_json(_document_json(d)) for d in report.documents),
        "duplicate_groups": (_value_json(_group_json(g)) for g in report.duplicate_groups),
        "stories": report.detailed(report.stories, then=_story_text),
    }
    yield "{"
    for number, (key, values) in enumerate(members.items()):
        yield f'{"," if number else ""}\n  {json.dumps(key)}: '
        if key == "samestory":
            yield _indented(next(iter(values)), 2)
            continue
        empty = True
        for text in values:
            yield ("[" if empty else ",") + "\n    " + text
            empty = False
        yield "[]" if empty else "\n  ]"
    yield "\n}\n"


def _value_json(value: dict) -> str:
    """A document, group or story as the JSON report writes it in its list."""
    # finite: these floats are ratios of counts (rounded) and rapidfuzz scores
    return _indented(value, 4, finite=True)


def _story_text(story: Story) -> str:
    """A story with its overlap as the JSON report writes it: where its overlap is
    computed (`Report.detailed`), so that the text comes back from a worker, not the
    overlap's many objects."""
    return _value_json(_story_json(story))


def _indented(value, depth: int, finite: bool = False) -> str:
    """A value as json.dumps(value, ensure_ascii=False, indent=2) writes it `depth`
    spaces deep: the same bytes, several times faster (json's indenting encoder is
    pure Python). With `finite` (the caller knows every float in it is finite:
    orjson writes NaN as null), orjson writes it, ten times faster again, unless it
    cannot (a lone surrogate, an int beyond 64 bits, a type json does not write) or
    writes a float unlike repr (below 1e-4); else, as without, strings go through
    json's C escaper and the rest is joins."""
    if finite:
        try:
            written = orjson.dumps(value, option=_ORJSON_OPTIONS)
        except TypeError:
            written = None
        if written is not None and _floats_as_repr(written):
            return written.replace(b"\n", b"\n" + b" " * depth).decode()
    return _pretty(value, " " * depth)


def _floats_as_repr(written: bytes) -> bool:
    """Whether orjson's floats in `written` are as repr writes them: it writes those
    below 1e-4 otherwise (0.00001, 1e-7), so False for any "0.0000" or "e-" after a
    digit, even in a string (a search for those alone is several times faster than a
    regular expression)."""
    at = written.find(b"e-")
    while at != -1:
        if at and written[at - 1] in b"0123456789":
            return False
        at = written.find(b"e-", at + 2)
    return b"0.0000" not in written


def _pretty(value, indent: str) -> str:
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        return ("{\n" + ",\n".join(f"{inner}{_json_string(key)}: {_pretty(item, inner)}" for key, item in value.items())
                + "\n" + indent + "}")
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _pretty(item, inner) for item in value) + "\n" + indent + "]"
    if value is None or isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)     # anything else: as json writes it, or its error


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
