"""The term counts of a corpus prepared in units, without holding every
document's terms in memory at once.

Each unit's counts (`corpus.terms.TermCounts`) are spilled by the process
that made them (`spill_unit_terms`: its vocabulary, per document its
entries, and per entry the term's position in the vocabulary, its
counts, saturated at 65,535, and its occurrences in the document's lead, as
the arrays' raw bytes one after another);
that process hands back only the unit's lengths and vocabulary with
surfaces, which `TermCollector` merges into the corpus's vocabulary as units
come in. Once the near-duplicates are known, two passes over the spilled
units give what story clustering reads (`TermCollector.finish`); each
unit's entries are mapped through its own vocabulary's places in the
corpus's, so a pass costs what the entries do, not units times the corpus's
vocabulary:

1. document frequencies over every document and over those that are not
   near-duplicates;
2. the entries of documents that are not near-duplicates whose term can pass
   the document-frequency cap (`corpus.weights.df_cap`, taken at its largest,
   with a word-frequency prior's pseudo-documents, before the similarity
   product's work lowers it (`corpus.weights.work_cap`): a term above it is
   left out of every vector anyway), into arrays of the size pass 1 found; and
   every document's language profile (`corpus.language.word_profiles`, made
   a unit at a time, so that the whole corpus's presence matrix never is).

The counts come out as `corpus.terms.term_counts` over the story texts
would give them, restricted to those rows and terms (so the vectors, the
weights and the language groups are the same), with the smaller dtypes of
the spill.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from corpus.blobs import BlobPart, blob_writer, read_part
from corpus.language import profile_words, word_profiles
from corpus.prior import pseudo_documents
from corpus.terms import TermCounts, gathered, merged_vocabulary
from corpus.weights import df_cap

SATURATED = np.iinfo(np.uint16).max
MERGE_TERMS = 1 << 22          # unit vocabularies waiting are merged into the corpus's past this many terms


@dataclass
class UnitTerms:
    """What the process running the pipeline keeps of a unit's term counts."""

    lengths: np.ndarray       # int64 per document
    vocabulary: np.ndarray    # uint64, sorted
    surfaces: np.ndarray
    surface_offsets: np.ndarray
    part: BlobPart            # the spilled entries


def spill_unit_terms(counts: TermCounts, folder: str) -> UnitTerms:
    """Spill a unit's entries (in the process that counted them)."""
    arrays = (counts.vocabulary, np.diff(counts.indptr).astype(np.int32), counts.ids.astype(np.int32),
              *(_saturated(values) for values in (counts.counts, counts.entry_inside, counts.entry_capitalised)),
              counts.entry_lead)
    part = blob_writer(folder, "terms").write([b"".join(a.tobytes() for a in arrays)])
    return UnitTerms(counts.lengths, counts.vocabulary, counts.surfaces, counts.surface_offsets, part)


def _saturated(values: np.ndarray) -> np.ndarray:
    return np.minimum(values, SATURATED).astype(np.uint16)


@dataclass
class _Spilled:
    """A unit's spilled entries, read back (views of the blob's bytes)."""

    vocabulary: np.ndarray    # uint64, sorted
    sizes: np.ndarray         # int32 per document: its entries
    ids: np.ndarray           # int32 per entry: its term's position in `vocabulary`
    counts: np.ndarray        # uint16 per entry, and the next two alike
    inside: np.ndarray
    capitalised: np.ndarray
    lead: np.ndarray          # uint8 per entry


def _read_spilled(data: bytes, terms: int, documents: int) -> _Spilled:
    entries = (len(data) - 8 * terms - 4 * documents) // 11
    arrays, at = [], 0
    for dtype, size in ((np.uint64, terms), (np.int32, documents), (np.int32, entries),
                        (np.uint16, entries), (np.uint16, entries), (np.uint16, entries), (np.uint8, entries)):
        arrays.append(np.frombuffer(data, dtype=dtype, count=size, offset=at))
        at += size * np.dtype(dtype).itemsize
    return _Spilled(*arrays)


@dataclass
class _Unit:
    first: int                # its first document
    documents: int
    terms: int                # its vocabulary's size
    part: BlobPart


class TermCollector:
    """The corpus's vocabulary and document lengths as units come in, and
    where each unit's entries were spilled."""

    def __init__(self, folder: str):
        self.folder = folder
        self._lengths: list[np.ndarray] = []
        self._units: list[_Unit] = []
        self._vocabulary = (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint8), np.zeros(1, dtype=np.int64))
        self._waiting: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._documents = 0

    def add(self, unit: UnitTerms) -> None:
        self._lengths.append(unit.lengths)
        self._units.append(_Unit(self._documents, len(unit.lengths), len(unit.vocabulary), unit.part))
        self._documents += len(unit.lengths)
        self._waiting.append((unit.vocabulary, unit.surfaces, unit.surface_offsets))
        if sum(len(v) for v, _, _ in self._waiting) > MERGE_TERMS:
            self._merge()

    def _merge(self) -> None:
        if self._waiting:
            self._vocabulary = merged_vocabulary([self._vocabulary, *self._waiting])[:3]
            self._waiting = []

    def _entries(self, vocabulary: np.ndarray):
        """Per unit: (the unit, its entries read back, its vocabulary's places in `vocabulary`)."""
        for unit in self._units:
            spilled = _read_spilled(read_part(self.folder, unit.part)[0], unit.terms, unit.documents)
            yield unit, spilled, np.searchsorted(vocabulary, spilled.vocabulary)

    def finish(self, copies: np.ndarray | None) -> tuple[TermCounts, sp.csr_matrix]:
        """(the counts story clustering reads, every document's language
        profile (`corpus.language.profiles`)): with `copies` (bool per
        document) only the rows and terms clustering can use (module notes);
        None: every row and term."""
        self._merge()
        vocabulary, surfaces, surface_offsets = self._vocabulary
        count = self._documents
        clustered = np.ones(count, dtype=bool) if copies is None else ~copies
        df, clustered_df = np.zeros(len(vocabulary), dtype=np.int64), np.zeros(len(vocabulary), dtype=np.int64)
        for unit, spilled, places in self._entries(vocabulary):
            df[places] += np.bincount(spilled.ids, minlength=unit.terms)
            entry_clustered = np.repeat(clustered[unit.first : unit.first + unit.documents], spilled.sizes)
            clustered_df[places] += np.bincount(spilled.ids[entry_clustered], minlength=unit.terms)
        kept_terms = clustered_df > 0
        if copies is not None:
            documents = int(clustered.sum())
            kept_terms &= clustered_df <= df_cap(documents + pseudo_documents(documents))
        rank = (np.cumsum(kept_terms, dtype=np.int64) - 1).astype(np.int32)
        wordlike = ~TermCounts(np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.int32),
                               *(np.empty(0, dtype=np.uint16),) * 3, vocabulary, surfaces, surface_offsets).has_digit
        chosen = profile_words(df, wordlike)
        column = np.full(len(vocabulary), -1, dtype=np.int32)
        column[chosen] = np.arange(len(chosen))

        entries = int(clustered_df[kept_terms].sum())
        sizes = np.zeros(count, dtype=np.int64)
        ids = np.empty(entries, dtype=np.int32)
        counts, inside, capitalised = (np.empty(entries, dtype=np.uint16) for _ in range(3))
        lead = np.empty(entries, dtype=np.uint8)
        profile_entries = int(df[chosen].sum())
        profile_sizes = np.zeros(count, dtype=np.int64)
        profile_columns, profile_data = np.empty(profile_entries, dtype=np.int32), np.empty(profile_entries)
        at = profile_at = 0
        for unit, spilled, places in self._entries(vocabulary):
            document = np.repeat(np.arange(unit.documents, dtype=np.int32), spilled.sizes)
            kept = kept_terms[places][spilled.ids] & clustered[unit.first : unit.first + unit.documents][document]
            taken = np.flatnonzero(kept)         # indices: one mask pass, then a cheaper take per array
            ids[at : at + len(taken)] = rank[places][spilled.ids.take(taken)]
            for values, unit_values in ((counts, spilled.counts), (inside, spilled.inside),
                                        (capitalised, spilled.capitalised), (lead, spilled.lead)):
                values[at : at + len(taken)] = unit_values.take(taken)
            at += len(taken)
            sizes[unit.first : unit.first + unit.documents] = np.bincount(document.take(taken), minlength=unit.documents)
            profile_column = column[places][spilled.ids]
            profiled = np.flatnonzero(profile_column >= 0)
            local = sp.csr_matrix((np.ones(len(profiled)), profile_column.take(profiled),
                                   _offsets(np.bincount(document.take(profiled), minlength=unit.documents))),
                                  shape=(unit.documents, len(chosen)))
            profile = word_profiles(local, np.arange(len(chosen)))
            profile_columns[profile_at : profile_at + profile.nnz] = profile.indices
            profile_data[profile_at : profile_at + profile.nnz] = profile.data
            profile_at += profile.nnz
            profile_sizes[unit.first : unit.first + unit.documents] = np.diff(profile.indptr)
        kept_surfaces, kept_offsets = gathered(surfaces, surface_offsets[:-1][kept_terms], surface_offsets[1:][kept_terms])
        lengths = np.concatenate(self._lengths) if self._lengths else np.zeros(0, dtype=np.int64)
        counted = TermCounts(lengths, _offsets(sizes), ids, counts, inside, capitalised, vocabulary[kept_terms],
                             kept_surfaces, kept_offsets, lead)
        profiles = sp.csr_matrix((profile_data[:profile_at], profile_columns[:profile_at], _offsets(profile_sizes)),
                                 shape=(count, len(chosen)))
        return counted, profiles

    def close(self) -> None:
        self._units = []


def _offsets(sizes: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return offsets
