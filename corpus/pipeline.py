"""The report pipeline: records in, a `Report` of stories and their overlap out.

read -> clean (+ metadata) -> sentences -> shingles -> sketch -> neighbours
     -> stories -> headings -> overlap. Rendering is `corpus.render`'s job.
"""

from __future__ import annotations

import datetime
import weakref
from dataclasses import dataclass, field
from functools import partial
from typing import Iterable

import numpy as np

from corpus import clean, dates, dedup, headings, language, metadata, neighbours, overlap, sentences, sketch, stories
from corpus.decide import decide
from corpus.read import Record
from corpus.spill import Spill, SpillPart, spill_writer
from corpus.terms import TermCounts, join_counts, shingles_and_terms, term_counts
from corpus.verify import verified_spilled
from corpus.workers import Workers, workers_or_own

UNIT_RECORDS = 500            # records prepared as one piece of work
UNITS_TO_START_WORKERS = 8    # about 4,000 records: less does not repay starting the workers
STORIES_TO_START_WORKERS = 200


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
    """The corpus as clustering and overlap see it, per record in input order.
    Shingle hashes and signatures stay in a spill (`corpus.spill`, as dedup's),
    read back for the documents that need them; it is deleted with this object."""

    records: list[Record]
    cleaned: list[clean.Cleaned]
    metas: list[metadata.Metadata]
    dates: list[datetime.date | None]        # the --date-field value, else the date the text states
    spill: Spill                            # sorted distinct shingle hashes and signature of each cleaned text
    terms: TermCounts                       # the cleaned texts' terms, for the story stage
    removals: dict[int, dedup.Removal]      # near-duplicates, by index, with the index kept in their place
    languages: language.Languages           # every record's language (`corpus.language`), for stories and reports

    def __post_init__(self):
        weakref.finalize(self, self.spill.close)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cleaned]

    def hash_set(self, index: int) -> np.ndarray:
        return self.spill.hashes(index)

    @property
    def signatures(self) -> np.ndarray:
        return self.spill.signatures(np.arange(len(self.records)))

    @property
    def copy_of(self) -> list[int | None]:
        return [self.removals[i].kept if i in self.removals else None for i in range(len(self.records))]


@dataclass
class _PreparedUnit:
    """What `_prepare_unit` finds for a run of records; their sketches are spilled."""

    metas: list[metadata.Metadata]
    dates: list[datetime.date | None]
    offsets: np.ndarray
    spilled: SpillPart
    terms: TermCounts


def prepare(records: Iterable[Record], settings: ReportSettings = ReportSettings(),
            workers: Workers | None = None) -> Prepared:
    """Clean, read metadata, shingle, sketch, count terms and find the
    near-duplicates (verified, as `dedup` does, from the spill): what `report`
    and the story commands share before clustering. The work on each run of
    UNIT_RECORDS records goes to `workers` (if given); the outcome does not
    depend on them."""
    records = list(records)
    cleaned = clean.clean_corpus([r.text for r in records])
    bands, rows = neighbours.lsh_parameters(settings.duplicate_threshold, settings.num_perm)
    spill = Spill(settings.num_perm)
    units = (list(zip(records[i : i + UNIT_RECORDS], cleaned[i : i + UNIT_RECORDS]))
             for i in range(0, len(records), UNIT_RECORDS))
    work = partial(_prepare_unit, ngram=settings.ngram, num_perm=settings.num_perm, seed=settings.seed,
                   bands=bands, rows=rows, folder=spill.folder)
    metas, days, keys, term_parts = [], [], [np.empty((0, bands), dtype=np.uint64)], []
    try:
        with workers_or_own(workers, 1) as workers:
            for unit in workers.results(work, units, start_for=UNITS_TO_START_WORKERS):
                spill.add(unit.spilled, unit.offsets)
                keys.append(spill.band_keys(unit.spilled, len(unit.metas), bands))
                metas += unit.metas
                days += unit.dates
                term_parts.append(unit.terms)
            removals = _near_duplicates(len(records), np.concatenate(keys), spill, settings.duplicate_threshold,
                                        workers)
    except BaseException:
        spill.close()
        raise
    terms = join_counts(term_parts) if term_parts else term_counts([])
    languages = language.detect_languages(terms.presence(), ~terms.has_digit, [c.text for c in cleaned])
    return Prepared(records, cleaned, metas, days, spill, terms, removals, languages)


def _prepare_unit(unit: list[tuple[Record, clean.Cleaned]], ngram: int, num_perm: int, seed: int, bands: int,
                  rows: int, folder: str) -> _PreparedUnit:
    """Metadata, dates, shingle hashes, signatures, band keys and terms of a run
    of cleaned records (in any process); the sketches go to the spill in `folder`."""
    metas = [metadata.document_metadata(r.text, r.fields, c) for r, c in unit]
    days = [document_date(r, m) for (r, _), m in zip(unit, metas)]
    texts = [c.text for _, c in unit]
    titled = [story_text(text, m.title) for text, m in zip(texts, metas)]
    heading_chars = [len(story) - len(text) for story, text in zip(titled, texts)]   # titles: terms, not shingles
    hashes, offsets, terms = shingles_and_terms(titled, ngram, heading_chars)       # one tokenisation for both
    signatures = sketch.signatures_flat(hashes, offsets, num_perm, seed)
    keys = neighbours.band_keys(signatures, bands, rows)
    keys[offsets[1:] == offsets[:-1]] = neighbours.EMPTY_KEY
    spilled = spill_writer(folder).write(sketch.SketchBatch(hashes, offsets, signatures, keys))
    return _PreparedUnit(metas, days, offsets, spilled, terms)


def _near_duplicates(count: int, keys: np.ndarray, spill: Spill, threshold: float,
                     workers: Workers) -> dict[int, dedup.Removal]:
    """Removals by document index, keeping the first of each group (dedup's
    candidates, verification from the spill and decision)."""
    candidates = neighbours.candidate_pairs(keys)
    pairs, jaccards = verified_spilled(candidates, spill, threshold, workers)
    kept_of, jaccard_of, _ = decide(count, pairs, jaccards, np.arange(count), spill.hashes, threshold)
    removed = np.flatnonzero(kept_of >= 0)
    signatures = spill.signatures(np.concatenate([removed, kept_of[removed]]))
    estimates = sketch.estimate_jaccards(signatures[: len(removed)], signatures[len(removed) :])
    return {doc: dedup.Removal(kept, jaccard, estimate)
            for doc, kept, jaccard, estimate in zip(removed.tolist(), kept_of[removed].tolist(),
                                                    jaccard_of[removed].tolist(), estimates.tolist())}


def story_text(text: str, title: str | None) -> str:
    """What the story stage reads of a document: its title (from the record's
    field, or the headline line clean took out) on a line before its text,
    unless the text opens with it, so that a headline's terms weigh in."""
    return text if not title or text.startswith(title) else f"{title}\n{text}"


def document_date(record: Record, meta: metadata.Metadata) -> datetime.date | None:
    """A document's date: the --date-field value when it reads as one, else the date its text states."""
    return _record_date(record) or dates.parse_iso_date(meta.date)


def _record_date(record: Record) -> datetime.date | None:
    """The date the --date-field gave, when it reads as one."""
    stated = dates.parse_date_field(record.date, record.text)
    return stated.date() if stated else None


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
    shown = by_size(story_list)[:detail]
    with workers_or_own(workers, 1) as workers:
        overlaps = workers.results(overlap.story_overlap,
                                   (_story_docs(prepared, story, members_of[story.id]) for story in shown),
                                   start_for=STORIES_TO_START_WORKERS)
        for story, story_overlap in zip(shown, overlaps):
            story.overlap = story_overlap
    documents = [
        DocumentInfo(r.id, m.outlet, m.title, d.isoformat() if d else None, r.source, c.removed, code)
        for r, m, d, c, code in zip(records, metas, prepared.dates, prepared.cleaned, prepared.languages.codes)
    ]
    return Report(documents, groups, story_list, settings)


def by_size(story_list: list[Story]) -> list[Story]:
    """Stories in the order reports show them: those of several reports largest first
    (ties in story order), then the single-report ones in story order."""
    return sorted(story_list, key=lambda s: -len(s.documents) if len(s.documents) > 1 else 0)


def _story_docs(prepared: Prepared, story: Story, members: list[int]) -> list[overlap.OverlapDoc]:
    """A story's reports as `overlap.story_overlap` needs them; their sentences by
    paragraph are kept on the story too (the HTML report's reader shows them)."""
    story.paragraphs = {prepared.records[i].id: sentences.split_paragraphs(prepared.cleaned[i].text) for i in members}
    return [_overlap_doc(prepared, i, story.paragraphs[prepared.records[i].id]) for i in members]


def _overlap_doc(prepared: Prepared, index: int, paragraphs: list[list[str]] | None = None) -> overlap.OverlapDoc:
    """One report as `overlap.story_overlap` needs it (its sentences by paragraph, when already split)."""
    if paragraphs is None:
        paragraphs = sentences.split_paragraphs(prepared.cleaned[index].text)
    day = prepared.dates[index]
    return overlap.OverlapDoc(
        id=prepared.records[index].id,
        outlet=prepared.metas[index].outlet,
        sentences=[sentence for paragraph in paragraphs for sentence in paragraph],
        shingles=prepared.hash_set(index),
        signature=prepared.spill.signature(index),
        date=day.isoformat() if day else None,
        language=prepared.languages.codes[index],
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

