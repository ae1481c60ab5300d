"""The prepare stage of the story commands: records in, a `Prepared` corpus out
(cleaned, dated, shingled, sketched, near-duplicates found, story terms counted),
streamed a unit at a time with what grows with the texts kept on disk.

read -> clean (+ metadata) -> shingles -> sketch -> neighbours -> terms; then
`corpus.stories` clusters and `corpus.assemble` builds the report.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import os
import pickle
import weakref
from dataclasses import dataclass, field
from functools import partial
from typing import Iterable, Iterator, Sequence

import numpy as np

from corpus import clean, dates, dedup, language, metadata, neighbours, sketch, stories
from corpus.decide import decide
from corpus.read import Record
from corpus.blobs import BlobPart, Blobs, StoredItems, blob_writer, forget_writers, pickled, read_part
from corpus.spill import Spill, SpillPart, spill_writer
from corpus.stage_log import stage_done, stage_progress
from corpus.story_terms import TermCollector, UnitTerms, spill_unit_terms
from corpus.terms import TermCounts, shingles_and_terms
from corpus.verify import verified_spilled
from corpus.workers import Workers, workers_or_own

UNIT_RECORDS = 500            # records prepared as one piece of work
UNITS_TO_START_WORKERS = 8    # about 4,000 records: less does not repay starting the workers
LINE_COUNTS_MERGED = 64       # units' line counts merged into the corpus's at a time
LINE_COUNTS = "lines.npz"     # the corpus's recurring lines, in the spill folder, for pass 2


@dataclass(frozen=True)
class ReportSettings:
    """Every knob of a report run; defaults are the CLI's defaults."""

    ngram: int = dedup.DedupSettings.ngram                   # the same defaults as `dedup`
    num_perm: int = dedup.DedupSettings.num_perm
    seed: int = dedup.DedupSettings.seed
    duplicate_threshold: float = dedup.DedupSettings.threshold
    story: stories.StorySettings = field(default_factory=stories.StorySettings)


@dataclass
class Prepared:
    """The corpus as clustering and overlap see it, per record in input order.
    What grows with the texts stays on disk: shingle hashes and signatures in
    a spill (`corpus.spill`, as dedup's), and each cleaned text, and record
    with its cleaned text and metadata, as blobs beside them (`corpus.blobs`),
    read back when asked for (`texts`, and `records`, `cleaned` and `metas`
    are sequences that read them; None when `prepare` was not asked to keep
    the documents); everything is deleted with this object."""

    ids: list[str]
    records: Sequence[Record] | None
    cleaned: Sequence[clean.Cleaned] | None
    metas: Sequence[metadata.Metadata] | None
    dates: list[datetime.date | None]        # the --date-field value, else the date the text states
    spill: Spill                            # sorted distinct shingle hashes and signature of each cleaned text
    terms: TermCounts                       # the story texts' terms, as the story stage reads them (`prepare`)
    removals: dict[int, dedup.Removal]      # near-duplicates, by index, with the index kept in their place
    languages: language.Languages           # every record's language (`corpus.language`), for stories and reports
    stored: list[Blobs] = field(default_factory=list)      # the cleaned texts, and documents if kept

    def __post_init__(self):
        weakref.finalize(self, _close, self.spill, self.stored)

    @property
    def texts(self) -> Sequence[str]:
        return StoredItems(self.stored[0], _decoded) if self.stored else [c.text for c in self.cleaned]

    def hash_set(self, index: int) -> np.ndarray:
        return self.spill.hashes(index)

    @property
    def signatures(self) -> np.ndarray:
        return self.spill.signatures(np.arange(len(self.ids)))

    @property
    def copy_of(self) -> list[int | None]:
        return [self.removals[i].kept if i in self.removals else None for i in range(len(self.ids))]


def _close(spill: Spill, stored: list[Blobs]) -> None:
    for blobs in stored:
        blobs.close()
    forget_writers(spill.folder)
    spill.close()


def _record(data: bytes) -> Record:
    return pickle.loads(data)[0]


def _cleaned(data: bytes) -> clean.Cleaned:
    return pickle.loads(data)[1]


def _metas(data: bytes) -> metadata.Metadata:
    return pickle.loads(data)[2]


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


@dataclass
class _PreparedUnit:
    """What `_prepare_unit` finds for a run of records; their sketches,
    documents and term entries are spilled."""

    ids: list[str]
    dates: list[datetime.date | None]
    offsets: np.ndarray
    spilled: SpillPart
    texts: BlobPart
    documents: BlobPart | None
    terms: UnitTerms


def prepare(records: Iterable[Record], settings: ReportSettings = ReportSettings(),
            workers: Workers | None = None, terms_of_copies: bool = False, documents: bool = True) -> Prepared:
    """Clean, read metadata, shingle, sketch, count terms and find the
    near-duplicates (verified, as `dedup` does, from the spill): what `report`
    and the story commands share before clustering. Records are read once
    and spilled a unit (UNIT_RECORDS) at a time while the lines that recur
    across documents are counted (`corpus.clean`'s first pass); then each
    unit is cleaned against those counts and worked through. The work on
    each unit goes to `workers` (if given); the outcome does not depend on
    them. `Prepared.terms` holds the rows of the documents that are not
    near-duplicates and the terms that can pass the document-frequency cap
    (`corpus.story_terms`), unless `terms_of_copies` (a caller that decides
    the copies itself): then every row and term. Without `documents`, only
    the cleaned texts are kept (`Prepared.texts`), not the records, cleaned
    documents and metadata (what the story commands do not read)."""
    bands, rows = neighbours.lsh_parameters(settings.duplicate_threshold, settings.num_perm)
    spill = Spill(settings.num_perm)
    texts, stored = Blobs(spill.folder), Blobs(spill.folder)
    collector = TermCollector(spill.folder)
    work = partial(_prepare_unit, folder=spill.folder, ngram=settings.ngram, num_perm=settings.num_perm,
                   seed=settings.seed, bands=bands, rows=rows, documents=documents)
    ids, days, keys = [], [], [np.empty((0, bands), dtype=np.uint64)]
    try:
        with workers_or_own(workers, 1) as workers:
            read = [0]
            raw = _spilled_records(_counted(records, read), spill.folder, workers)
            stage_done("prepare: read, spill, line counts")
            for unit in workers.results(work, raw, start_for=UNITS_TO_START_WORKERS):
                spill.add(unit.spilled, unit.offsets)
                keys.append(spill.band_keys(unit.spilled, len(unit.ids), bands))
                texts.add(unit.texts)
                if unit.documents is not None:
                    stored.add(unit.documents)
                collector.add(unit.terms)
                ids += unit.ids
                days += unit.dates
                stage_progress("prepare: clean, shingles, sketches, terms", len(ids), read[0])
            stage_done("prepare: clean, shingles, sketches, terms")
            for path in {os.path.join(spill.folder, part.writer) for part in raw}:
                os.remove(path)                      # the records as read: each is in `texts` and `stored` now
            removals = _near_duplicates(len(ids), np.concatenate(keys), spill, settings.duplicate_threshold,
                                        workers)
            stage_done("prepare: near-duplicates")
        copies = None
        if not terms_of_copies:
            copies = np.zeros(len(ids), dtype=bool)
            copies[list(removals)] = True
        terms, profiles = collector.finish(copies)
        stage_done("prepare: term entries joined")
        languages = language.languages_of_profiles(profiles, StoredItems(texts, _decoded))
        del profiles
        stage_done("prepare: languages")
    except BaseException:
        _close(spill, [texts, stored])
        raise
    views = [StoredItems(stored, pick) for pick in (_record, _cleaned, _metas)] if documents else [None] * 3
    return Prepared(ids, *views, _shared_dates(days), spill, terms, removals, languages, [texts, stored])


def _counted(records: Iterable[Record], read: list[int]) -> Iterator[Record]:
    """The records, counted in `read[0]` as they are read (told as progress a unit at a time)."""
    for record in records:
        read[0] += 1
        if read[0] % UNIT_RECORDS == 0:
            stage_progress("prepare: read", read[0])
        yield record


def _spilled_records(records: Iterable[Record], folder: str, workers: Workers) -> list[BlobPart]:
    """Pass 1: the records spilled a unit at a time, and the counts of the
    lines recurring across documents (`corpus.clean`) saved beside them for
    pass 2 (`_prepare_unit`); returns where each unit went."""
    units = (list(itertools.islice(iterator, UNIT_RECORDS)) for iterator in itertools.repeat(iter(records)))
    units = itertools.takewhile(bool, units)
    parts, counts, waiting = [], clean.LineCounts.empty(), []
    for part, unit_counts in workers.results(partial(_spill_unit, folder=folder), units,
                                            start_for=UNITS_TO_START_WORKERS):
        parts.append(part)
        waiting.append(unit_counts)
        if len(waiting) >= LINE_COUNTS_MERGED:
            counts, waiting = clean.LineCounts.merged([counts, *waiting]), []
    counts = clean.LineCounts.merged([counts, *waiting]).repeated()
    np.savez(os.path.join(folder, LINE_COUNTS), hashes=counts.hashes, documents=counts.documents)
    return parts


def _spill_unit(records: list[Record], folder: str) -> tuple[BlobPart, clean.LineCounts]:
    """A unit of records spilled as read, with the hashes of its line keys (pass 2 cleans
    with them: hashing them again cost more than storing them), and the counts of its
    lines (in any process)."""
    counts, key_hashes = clean.counted_keys([r.text for r in records])
    return blob_writer(folder, "raw").write([pickled(records), pickled(key_hashes)]), counts


@functools.lru_cache(maxsize=2)
def _line_counts(folder: str) -> clean.LineCounts:
    with np.load(os.path.join(folder, LINE_COUNTS)) as saved:
        return clean.LineCounts(saved["hashes"], saved["documents"])


def _shared_dates(days: list[datetime.date | None]) -> list[datetime.date | None]:
    """The dates with one object per distinct date (a month of news has ~30)."""
    seen: dict[datetime.date, datetime.date] = {}
    return [None if day is None else seen.setdefault(day, day) for day in days]


def _prepare_unit(part: BlobPart, folder: str, ngram: int, num_perm: int, seed: int, bands: int,
                  rows: int, documents: bool) -> _PreparedUnit:
    """Pass 2 on a unit of spilled records (in any process): clean them
    against the corpus's line counts; metadata, dates, shingle hashes,
    signatures, band keys and terms; the sketches, the documents and their
    term entries spilled in `folder`."""
    unit, key_hashes = map(pickle.loads, read_part(folder, part))
    cleaned = clean.clean_batch([r.text for r in unit], _line_counts(folder), key_hashes)
    described = metadata.document_metadata if documents else metadata.story_metadata
    metas = [described(r.text, r.fields, c, r.decoded) for r, c in zip(unit, cleaned)]
    days = [document_date(r, m) for r, m in zip(unit, metas)]
    texts = [c.text for c in cleaned]
    titled = [story_text(text, m.title) for text, m in zip(texts, metas)]
    heading_chars = [len(story) - len(text) for story, text in zip(titled, texts)]   # titles: terms, not shingles
    hashes, offsets, terms = shingles_and_terms(titled, ngram, heading_chars)       # one tokenisation for both
    signatures = sketch.signatures_flat(hashes, offsets, num_perm, seed)
    keys = neighbours.band_keys(signatures, bands, rows)
    keys[offsets[1:] == offsets[:-1]] = neighbours.EMPTY_KEY
    spilled = spill_writer(folder).write(sketch.SketchBatch(hashes, offsets, signatures, keys))
    stored = blob_writer(folder, "texts").write([text.encode("utf-8", "surrogatepass") for text in texts])
    kept = blob_writer(folder, "documents").write([pickled(item) for item in zip(unit, cleaned, metas)]) if documents else None
    return _PreparedUnit([r.id for r in unit], days, offsets, spilled, stored, kept, spill_unit_terms(terms, folder))


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
