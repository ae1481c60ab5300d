"""The report stage: a `Report` of stories, their copies, headings and overlap,
assembled from a `Prepared` corpus and its story clusters. Rendering is
`corpus.render`'s job.

prepare (`corpus.pipeline`) -> stories -> headings -> overlap -> Report
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Callable, Iterable, Iterator, Sequence

from corpus import clean, dedup, headings, language, metadata, overlap, sentences, stories
from corpus.blobs import StoredItems
from corpus.pipeline import Prepared, ReportSettings, prepare
from corpus.read import Record
from corpus.workers import Workers, workers_or_own

STORIES_TO_START_WORKERS = 200


@dataclass
class DocumentInfo:
    """What the report says of one input document."""

    id: str
    outlet: str | None
    title: str | None
    date: str | None
    source: str
    removed: list[clean.Removed]
    language: str | None = None       # language code, None when unknown


@dataclass
class DuplicateGroup:
    """Near-duplicates kept as one: `members` includes `kept`; `similarity` is the
    lowest verified Jaccard between a removed member and the kept one."""

    kept: str
    members: list[str]
    similarity: float


@dataclass
class Story:
    """One story cluster: its documents, their copy groups, its most central report
    (`corpus.headings`) and heading, and its overlap (None when not computed: see
    `build_report`'s `detail`)."""

    id: str
    documents: list[str]
    duplicate_groups: list[DuplicateGroup]
    central: str
    heading: str
    overlap: overlap.StoryOverlap | None
    paragraphs: dict[str, list[list[str]]] = field(default_factory=dict)  # with overlap: each report's sentences by paragraph


@dataclass
class Report:
    """What the renderers show. A story's overlap is computed when `detailed` asks
    for it (unless `build_report`'s `detail` computed it up front), so that a report
    that shows a few stories pays for those only, and one that shows every story
    (JSON, HTML) holds only the stories in hand."""

    documents: list[DocumentInfo]
    duplicate_groups: list[DuplicateGroup]
    stories: list[Story]
    settings: ReportSettings
    overlaps: Callable[[list[Story], Callable | None], Iterator] | None = field(default=None, repr=False, compare=False)

    def detailed(self, stories: Iterable[Story], then: Callable[[Story], Any] | None = None) -> Iterator:
        """Each of `stories` in the order given, with its overlap and its reports'
        sentences: the story itself when they are already there, else a copy with them
        computed now (the report does not keep it). With `then` (a module's function:
        it goes to the workers), then(story) instead, worked out beside the story's
        overlap: in a worker when one computes it, so that only what `then` makes of
        the story comes back, not the story's overlap."""
        stories = list(stories)
        missing = [s for s in stories if s.overlap is None]
        if missing and self.overlaps is None:
            raise ValueError(f"story {missing[0].id} has no overlap and the report cannot compute it")
        computed = self.overlaps(missing, then) if missing else iter(())
        for story in stories:
            if story.overlap is None:
                yield next(computed)
            else:
                yield story if then is None else then(story)


def build_report(records: Iterable[Record], settings: ReportSettings = ReportSettings(),
                 detail: int | None = None, workers: Workers | None = None) -> Report:
    """Run every stage over the records and gather what the renderers show: the
    overlap of the first `detail` stories in `by_size` order (None: of every story;
    the others keep `overlap` None, so a report that shows only the largest
    stories does not pay for the rest). The parallel work goes to `workers`,
    if given; the outcome does not depend on them."""
    prepared = prepare(records, settings, workers)
    clustering = stories.story_clusters(prepared.terms, prepared.dates, settings.story, prepared.copy_of, workers,
                                        prepared.languages)
    clusters = clustering.stories()
    central = headings.central_documents(clustering, [members for _, members in clusters])
    return assemble_report(prepared, clusters, central, settings, detail, workers)


def assemble_report(prepared: Prepared, clusters: list[tuple[str, list[int]]], central: list[int],
                    settings: ReportSettings, detail: int | None = None, workers: Workers | None = None) -> Report:
    """The report of prepared records grouped into `clusters` (story id, member
    indices), each with its `central` member (what `build_report` does after
    clustering; the daily index gives its own stories). The overlap of the first
    `detail` stories in `by_size` order (None: every story) is computed now, the
    others' when the report's `detailed` asks: with `workers` (if given), which must
    then stay open until the report is rendered."""
    ids = prepared.ids
    groups = _duplicate_groups(ids, prepared.removals)
    groups_of = {g.kept: [] for g in groups}
    for group in groups:
        groups_of[group.kept].append(group)
    story_list, members_of = [], {}
    readers = [[middle, *(i for i in members if i != middle)] for (_, members), middle in zip(clusters, central)]
    found = headings.story_headings(partial(_offers, prepared, readers), partial(_heading, prepared, readers),
                                    len(clusters))
    for (story_id, members), middle, heading in zip(clusters, central, found):
        story_list.append(Story(
            id=story_id,
            documents=[ids[i] for i in members],
            duplicate_groups=[g for i in members for g in groups_of.get(ids[i], [])],
            central=ids[middle],
            heading=heading,
            overlap=None,
        ))
        members_of[story_id] = members
    documents = [
        DocumentInfo(r.id, m.outlet, m.title, d.isoformat() if d else None, r.source, c.removed, code)
        for (r, c, m), d, code in zip(_documents(prepared), prepared.dates, prepared.languages.codes)
    ]
    report = Report(documents, groups, story_list, settings, partial(_overlaps, prepared, members_of, workers))
    shown = by_size(story_list)[:detail]
    for story, found in zip(shown, report.detailed(shown)):
        story.overlap, story.paragraphs = found.overlap, found.paragraphs
    return report


def _overlaps(prepared: Prepared, members_of: dict[str, list[int]], workers: Workers | None,
              stories: Iterable[Story], then: Callable[[Story], Any] | None = None) -> Iterator:
    """Each story with its overlap (`overlap.story_overlap`, on `workers` if given)
    and its reports' sentences by paragraph, as a copy, or then() of that copy (see
    `Report.detailed`), in the order given: one story at a time, reading only that
    story's texts, with a few stories in flight."""
    in_flight: deque[tuple[Story, dict[str, list[list[str]]]]] = deque()

    def items() -> Iterator[tuple[list[overlap.OverlapDoc], Callable | None, Story | None]]:
        for story in stories:
            paragraphs, docs = _story_docs(prepared, members_of[story.id])
            if then is None:
                in_flight.append((story, paragraphs))
                yield docs, None, None
            else:                     # the sentences go once: the docs' are the paragraphs' strings
                yield docs, then, replace(story, paragraphs=paragraphs)

    with workers_or_own(workers, 1) as workers:
        for found in workers.results(_detail, items(), start_for=STORIES_TO_START_WORKERS):
            if then is not None:
                yield found
            else:
                story, paragraphs = in_flight.popleft()
                yield replace(story, overlap=found, paragraphs=paragraphs)


def _detail(item: tuple[list[overlap.OverlapDoc], Callable | None, Story | None]):
    """The overlap of a story's reports, or with a `then`, then() of the story with it."""
    docs, then, story = item
    found = overlap.story_overlap(docs)
    return found if then is None else then(replace(story, overlap=found))


def by_size(story_list: list[Story]) -> list[Story]:
    """Stories in the order reports show them: those of several reports largest first
    (ties in story order), then the single-report ones in story order."""
    return sorted(story_list, key=lambda s: -len(s.documents) if len(s.documents) > 1 else 0)


def _story_docs(prepared: Prepared, members: list[int]) -> tuple[dict[str, list[list[str]]], list[overlap.OverlapDoc]]:
    """A story's reports' sentences by paragraph (the HTML report's reader shows
    them; a sentence the page's text stops in marked, `sentences.mark_cut_end`), and the
    reports as `overlap.story_overlap` needs them: each report read once from where
    `prepare` stored it."""
    paragraphs, docs = {}, []
    for index in members:
        record, cleaned, meta = _document(prepared, index)
        split = sentences.mark_cut_end(sentences.split_paragraphs(cleaned.text), record.text)
        paragraphs[prepared.ids[index]] = split
        docs.append(_overlap_doc(prepared, index, meta.outlet, split))
    return paragraphs, docs


def _documents(prepared: Prepared) -> Sequence[tuple[Record, clean.Cleaned, metadata.Metadata]]:
    """Each record with its cleaned text and metadata, each read at once from
    where `prepare` stored them (the second of `Prepared.stored`)."""
    return StoredItems(prepared.stored[1])


def _document(prepared: Prepared, index: int) -> tuple[Record, clean.Cleaned, metadata.Metadata]:
    """One record with its cleaned text and metadata."""
    return _documents(prepared)[index]


def _offers(prepared: Prepared, readers: list[list[int]], story: int) -> Iterator[tuple[str, str]]:
    """The headings a story's reports offer (`headings.heading_candidates`): its
    central report's (the first of its `readers`), then each other member's."""
    for index in readers[story]:
        _, cleaned, meta = _document(prepared, index)
        yield from headings.heading_candidates(meta.title, cleaned.text)


def _heading(prepared: Prepared, readers: list[list[int]], story: int) -> str:
    """A story's heading when its reports offer none (`headings.heading`): its
    central report's (the first of its `readers`), else the first other member's
    that has one (the central report's cleaning may leave no words and no title),
    else the central report's id."""
    for index in readers[story]:
        _, cleaned, meta = _document(prepared, index)
        found = headings.heading(meta.title, cleaned.text)
        if found:
            return found
    return prepared.ids[readers[story][0]]


def _overlap_doc(prepared: Prepared, index: int, outlet: str | None,
                 paragraphs: list[list[str]]) -> overlap.OverlapDoc:
    """One report as `overlap.story_overlap` needs it."""
    day = prepared.dates[index]
    return overlap.OverlapDoc(
        id=prepared.ids[index],
        outlet=outlet,
        sentences=[sentence for paragraph in paragraphs for sentence in paragraph],
        shingles=prepared.hash_set(index),
        signature=prepared.spill.signature(index),
        date=day.isoformat() if day else None,
        language=_language(prepared.languages, index),
    )


def _language(languages: language.Languages, index: int) -> str | None:
    """One document's language code (`Languages.codes` lists every document's)."""
    group = int(languages.groups[index])
    return languages.names[group] if group >= 0 else None


def _duplicate_groups(ids: Sequence[str], copies: dict[int, "dedup.Removal"]) -> list[DuplicateGroup]:
    """Group removed documents under the document kept in their place, in input order."""
    by_kept: dict[int, list[int]] = {}
    for removed, removal in sorted(copies.items()):
        by_kept.setdefault(removal.kept, []).append(removed)
    return [
        DuplicateGroup(
            kept=ids[kept],
            members=[ids[i] for i in sorted([kept, *removed])],
            similarity=round(min(copies[i].jaccard for i in removed), 4),
        )
        for kept, removed in sorted(by_kept.items())
    ]
