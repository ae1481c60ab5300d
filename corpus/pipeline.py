"""The report pipeline: records in, a `Report` of stories and their overlap out.

read -> clean (+ metadata) -> sentences -> shingles -> sketch -> neighbours
     -> stories -> headings -> overlap. Rendering is `corpus.render`'s job.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from corpus import clean, dates, dedup, headings, metadata, overlap, sentences, shingles, sketch, stories
from corpus.read import Record


@dataclass(frozen=True)
class ReportSettings:
    """Every knob of a report run; defaults are the CLI's defaults."""

    ngram: int = dedup.DedupSettings.ngram                   # the same defaults as `dedup`
    num_perm: int = dedup.DedupSettings.num_perm
    seed: int = dedup.DedupSettings.seed
    duplicate_threshold: float = dedup.DedupSettings.threshold
    story: stories.StorySettings = field(default_factory=stories.StorySettings)


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
    documents: list[DocumentInfo]
    duplicate_groups: list[DuplicateGroup]
    stories: list[Story]
    settings: ReportSettings


@dataclass
class Prepared:
    """The corpus as clustering and overlap see it, per record in input order."""

    records: list[Record]
    cleaned: list[clean.Cleaned]
    metas: list[metadata.Metadata]
    dates: list[datetime.date | None]        # the --date-field value, else the date the text states
    hash_sets: list[np.ndarray]             # sorted distinct shingle hashes of the cleaned text
    signatures: np.ndarray
    removals: dict[int, dedup.Removal]      # near-duplicates, by index, with the index kept in their place

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cleaned]

    @property
    def copy_of(self) -> list[int | None]:
        return [self.removals[i].kept if i in self.removals else None for i in range(len(self.records))]


def prepare(records: Iterable[Record], settings: ReportSettings = ReportSettings()) -> Prepared:
    """Clean, read metadata, shingle, sketch and find the near-duplicates: what
    `report` and the story commands share before clustering."""
    records = list(records)
    cleaned = clean.clean_corpus([r.text for r in records])
    metas = [metadata.document_metadata(r.text, r.fields, c) for r, c in zip(records, cleaned)]
    days = [_record_date(r) or dates.parse_iso_date(m.date) for r, m in zip(records, metas)]
    hash_sets = [shingles.shingle_hashes(c.text, settings.ngram) for c in cleaned]
    signatures = sketch.signatures(hash_sets, settings.num_perm, settings.seed)
    removals = dedup.find_duplicates(hash_sets, signatures, threshold=settings.duplicate_threshold)
    return Prepared(records, cleaned, metas, days, hash_sets, signatures, removals)


def _record_date(record: Record) -> datetime.date | None:
    """The date the --date-field gave, when it reads as one."""
    stated = dates.parse_date_field(record.date, record.text)
    return stated.date() if stated else None


def build_report(records: Iterable[Record], settings: ReportSettings = ReportSettings(),
                 detail: int | None = None) -> Report:
    """Run every stage over the records and gather what the renderers show: the
    overlap of the first `detail` stories in `by_size` order (None: of every story;
    the others keep `overlap` None, so a report that shows only the largest
    stories does not pay for the rest)."""
    prepared = prepare(records, settings)
    clustering = stories.story_clusters(prepared.texts, prepared.dates, settings.story, copy_of=prepared.copy_of)
    clusters = clustering.stories()
    central = headings.central_documents(clustering, [members for _, members in clusters])
    return assemble_report(prepared, clusters, central, settings, detail)


def assemble_report(prepared: Prepared, clusters: list[tuple[str, list[int]]], central: list[int],
                    settings: ReportSettings, detail: int | None = None) -> Report:
    """The report of prepared records grouped into `clusters` (story id, member
    indices), each with its `central` member (what `build_report` does after
    clustering; the daily index gives its own stories)."""
    records, metas = prepared.records, prepared.metas
    groups = _duplicate_groups(records, prepared.removals)
    groups_of = {g.kept: [] for g in groups}
    for group in groups:
        groups_of[group.kept].append(group)
    story_list, members_of = [], {}
    for (story_id, members), middle in zip(clusters, central):
        story_list.append(Story(
            id=story_id,
            documents=[records[i].id for i in members],
            duplicate_groups=[g for i in members for g in groups_of.get(records[i].id, [])],
            central=records[middle].id,
            heading=headings.heading(metas[middle].title, prepared.cleaned[middle].text),
            overlap=None,
        ))
        members_of[story_id] = members
    for story in by_size(story_list)[:detail]:
        story.paragraphs = {records[i].id: sentences.split_paragraphs(prepared.cleaned[i].text) for i in members_of[story.id]}
        story.overlap = overlap.story_overlap([_overlap_doc(prepared, i, story.paragraphs[records[i].id])
                                               for i in members_of[story.id]])
    documents = [
        DocumentInfo(r.id, m.outlet, m.title, d.isoformat() if d else None, r.source, c.removed)
        for r, m, d, c in zip(records, metas, prepared.dates, prepared.cleaned)
    ]
    return Report(documents, groups, story_list, settings)


def by_size(story_list: list[Story]) -> list[Story]:
    """Stories in the order reports show them: those of several reports largest first
    (ties in story order), then the single-report ones in story order."""
    return sorted(story_list, key=lambda s: -len(s.documents) if len(s.documents) > 1 else 0)


def _overlap_doc(prepared: Prepared, index: int, paragraphs: list[list[str]] | None = None) -> overlap.OverlapDoc:
    """One report as `overlap.story_overlap` needs it (its sentences by paragraph, when already split)."""
    if paragraphs is None:
        paragraphs = sentences.split_paragraphs(prepared.cleaned[index].text)
    day = prepared.dates[index]
    return overlap.OverlapDoc(
        id=prepared.records[index].id,
        outlet=prepared.metas[index].outlet,
        sentences=[sentence for paragraph in paragraphs for sentence in paragraph],
        shingles=prepared.hash_sets[index],
        signature=prepared.signatures[index],
        date=day.isoformat() if day else None,
    )


def _duplicate_groups(records: list[Record], copies: dict[int, "dedup.Removal"]) -> list[DuplicateGroup]:
    """Group removed documents under the document kept in their place, in input order."""
    by_kept: dict[int, list[int]] = {}
    for removed, removal in sorted(copies.items()):
        by_kept.setdefault(removal.kept, []).append(removed)
    return [
        DuplicateGroup(
            kept=records[kept].id,
            members=[records[i].id for i in sorted([kept, *removed])],
            similarity=round(min(copies[i].jaccard for i in removed), 4),
        )
        for kept, removed in sorted(by_kept.items())
    ]

