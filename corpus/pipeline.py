"""The report pipeline: records in, a `Report` of stories and their overlap out.

read -> clean (+ metadata) -> sentences -> shingles -> sketch -> neighbours
     -> stories -> overlap. Rendering is `corpus.render`'s job.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from corpus import clean, dates, dedup, metadata, overlap, sentences, shingles, sketch, stories
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


@dataclass
class DuplicateGroup:
    """Near-duplicates kept as one: `members` includes `kept`; `similarity` is the
    lowest verified Jaccard between a removed member and the kept one."""

    kept: str
    members: list[str]
    similarity: float


@dataclass
class Story:
    """One story cluster: its documents, their copy groups and their overlap."""

    id: str
    documents: list[str]
    duplicate_groups: list[DuplicateGroup]
    overlap: overlap.StoryOverlap


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
    languages: list[str | None] | None = None  # per record, its language code; set by `cluster_stories`

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cleaned]

    @property
    def story_texts(self) -> list[str]:
        """What story clustering reads: the title (from the record's field, or the
        headline line clean took out) before the cleaned text, unless the text
        opens with it, so that a headline's terms count in the document's vector."""
        return [c.text if not m.title or c.text.startswith(m.title) else f"{m.title}\n{c.text}"
                for c, m in zip(self.cleaned, self.metas)]

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


def cluster_stories(prepared: Prepared, settings: stories.StorySettings = stories.StorySettings()) -> stories.StoryResult:
    """The prepared corpus's stories (titles read with the texts, copies nested);
    notes every record's detected language in `prepared.languages`."""
    result = stories.story_clusters(prepared.story_texts, prepared.dates, settings, prepared.copy_of)
    prepared.languages = result.languages
    return result


def _record_date(record: Record) -> datetime.date | None:
    """The date the --date-field gave, when it reads as one."""
    stated = dates.parse_date_field(record.date, record.text)
    return stated.date() if stated else None


def build_report(records: Iterable[Record], settings: ReportSettings = ReportSettings()) -> Report:
    """Run every stage over the records and gather what the renderers show."""
    prepared = prepare(records, settings)
    records, metas = prepared.records, prepared.metas
    groups = _duplicate_groups(records, prepared.removals)
    clustering = cluster_stories(prepared, settings.story)

    story_list = []
    for story_id, members in clustering.stories():
        docs = [
            overlap.OverlapDoc(
                id=records[i].id,
                outlet=metas[i].outlet,
                sentences=sentences.split_sentences(prepared.cleaned[i].text),
                shingles=prepared.hash_sets[i],
                signature=prepared.signatures[i],
            )
            for i in members
        ]
        member_ids = {records[i].id for i in members}
        story_list.append(
            Story(
                id=story_id,
                documents=[records[i].id for i in members],
                duplicate_groups=[g for g in groups if g.kept in member_ids],
                overlap=overlap.story_overlap(docs),
            )
        )
    documents = [
        DocumentInfo(r.id, m.outlet, m.title, d.isoformat() if d else None, r.source, c.removed)
        for r, m, d, c in zip(records, metas, prepared.dates, prepared.cleaned)
    ]
    return Report(documents, groups, story_list, settings)


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

