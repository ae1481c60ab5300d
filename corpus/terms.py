"""The term stage of story clustering: every document's terms counted, and
weighed by what the corpus says about them, with array operations only.

A term is what `TERM` matches in a text, case-folded: a run of word characters,
or a number with inner separators ("6.1", "5/3/2024", "14:30"). Terms are
found on the words the shingle stage already finds (`corpus.shingles.chunk_words`,
so a text is tokenised once): a number's parts joined by one separator make
one term, and the rest of a word after such a number ("12.5km": "12.5", "km")
is a term of its own. A term is its 64-bit hash (the shingle stage's word hash
of its case-folded UTF-8); its dense id is its rank among the corpus's hashes.

For each occurrence the stage notes whether it is inside a sentence (not the
text's first term, and no `SENTENCE_OPENERS` character between it and the
term before; `corpus.term_characters`) and, if so, whether it is capitalised
in the original text, and whether it is among the text's first LEAD_TERMS
terms (its lead: who did what where, which reports of one event share and
look-alike events do not). A
text where case folding changes a character's length (German ß, Turkish İ)
is read through a stand-in of the folded length that keeps its first letter's
case; a letter whose folding adds a combining mark (İ) ends a word there, as
it does for shingles.

A batch of documents becomes `TermCounts` (flat arrays: per document its
entries of term hash and count, per distinct term its counts inside and
capitalised and its surface form); batches join (`join_counts`) in input
order, and `corpus.weights.term_space` turns the whole into unit vectors (weights in
`corpus.stories`' notes). Nothing per document is a Python object.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from corpus.hash_order import stable_order
from corpus.shingles import Words, chunk_shingle_hashes, chunk_words, folded, joined_shingle_hashes
from corpus.term_characters import DECIMAL, DIGIT, OPENER, SEPARATOR, UPPER, byte_flags
from corpus.utf8 import PADDING, padded

TERM = re.compile(r"\d+(?:[.,:/]\d+)+|\w+")   # what a term is; found with arrays, not with this pattern
LEAD_TERMS = 50                               # a text's lead: its first this many term occurrences


@dataclass
class TermCounts:
    """The terms of a run of documents, as flat arrays.

    Document d's entries are indptr[d]:indptr[d + 1] (term ascending), each
    with the term (its position in `vocabulary`), its occurrences in d, those
    inside a sentence and those of them capitalised; vocabulary is the sorted
    distinct term hashes, with each term's case-folded UTF-8
    (surfaces[surface_offsets[t]:surface_offsets[t + 1]])."""

    lengths: np.ndarray           # int64 per document: its term occurrences
    indptr: np.ndarray            # int64, documents + 1
    ids: np.ndarray               # int32 per entry: the term's position in the vocabulary
    counts: np.ndarray            # int32 per entry: occurrences in the document
    entry_inside: np.ndarray      # int32 per entry: of those, inside a sentence
    entry_capitalised: np.ndarray  # int32 per entry: of those, capitalised
    vocabulary: np.ndarray        # uint64, sorted, distinct
    surfaces: np.ndarray          # uint8
    surface_offsets: np.ndarray   # int64, vocabulary + 1
    entry_lead: np.ndarray | None = None   # uint8 per entry: occurrences among the document's first LEAD_TERMS (None: not counted)

    @property
    def documents(self) -> int:
        return len(self.lengths)

    @property
    def term_ids(self) -> np.ndarray:
        """Each entry's term as its position in the vocabulary."""
        return self.ids

    @property
    def hashes(self) -> np.ndarray:
        """Each entry's term hash."""
        return self.vocabulary[self.ids]

    @property
    def document_frequency(self) -> np.ndarray:
        """Per vocabulary term: the documents that have it."""
        return np.bincount(self.term_ids, minlength=len(self.vocabulary))

    @property
    def inside(self) -> np.ndarray:
        """Per vocabulary term: its occurrences inside a sentence."""
        return np.bincount(self.term_ids, weights=self.entry_inside, minlength=len(self.vocabulary)).astype(np.int64)

    @property
    def capitalised(self) -> np.ndarray:
        """Per vocabulary term: its occurrences inside a sentence that are capitalised."""
        return np.bincount(self.term_ids, weights=self.entry_capitalised,
                           minlength=len(self.vocabulary)).astype(np.int64)

    @property
    def has_digit(self) -> np.ndarray:
        """Per vocabulary term: whether it has a digit (str.isdigit) in it."""
        digits = (byte_flags(padded(self.surfaces))[:-PADDING]
                  & DIGIT) != 0
        digits_before = np.zeros(len(digits) + 1, dtype=np.int64)
        np.cumsum(digits, out=digits_before[1:])
        return digits_before[self.surface_offsets[1:]] > digits_before[self.surface_offsets[:-1]]

    def presence(self) -> sp.csr_matrix:
        """(documents, vocabulary terms): each document's occurrences of each term."""
        return sp.csr_matrix((self.counts, self.term_ids, self.indptr), shape=(self.documents, len(self.vocabulary)))

    def terms(self) -> list[str]:
        """Every vocabulary term's surface string (case-folded)."""
        data = self.surfaces.tobytes()
        bounds = self.surface_offsets.tolist()
        return [data[start:end].decode("utf-8", "surrogatepass") for start, end in zip(bounds, bounds[1:])]

    def rows(self, documents: np.ndarray) -> "TermCounts":
        """The counts of some documents (indices, ascending); the vocabulary
        stays whole. When the documents left out have no entries (`prepare`'s
        counts leave the copies' rows empty) the entry arrays are shared, not copied."""
        sizes = np.diff(self.indptr)[documents]
        indptr = np.zeros(len(documents) + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        if indptr[-1] == len(self.ids):
            return TermCounts(self.lengths[documents], indptr, self.ids, self.counts, self.entry_inside,
                              self.entry_capitalised, self.vocabulary, self.surfaces, self.surface_offsets,
                              self.entry_lead)
        entries = np.arange(indptr[-1]) + np.repeat(self.indptr[documents] - indptr[:-1], sizes)
        return TermCounts(self.lengths[documents], indptr, self.ids[entries], self.counts[entries],
                          self.entry_inside[entries], self.entry_capitalised[entries], self.vocabulary, self.surfaces,
                          self.surface_offsets, None if self.entry_lead is None else self.entry_lead[entries])


# ---- counting ----

def term_counts(texts: Sequence[str]) -> TermCounts:
    """The terms of a batch of texts."""
    folded_texts, originals = _folded_and_original(texts)
    return join_counts(chunk_term_counts(words, originals[first : first + len(words.text_starts)])
                       for first, words in chunk_words(folded_texts))


def shingles_and_terms(texts: Sequence[str], ngram: int, heading_chars: Sequence[int] | None = None,
                       ) -> tuple[np.ndarray, np.ndarray, TermCounts]:
    """`corpus.shingles.batch_shingle_hashes` and `term_counts` of a batch of
    texts from one tokenisation: (flat shingle hashes, offsets, term counts).
    The first `heading_chars[i]` characters of text i (a title line before
    it) count in its terms, not in its shingles."""
    shingle_parts, term_parts = [], []
    folded_texts, originals = _folded_and_original(texts)
    for first, words in chunk_words(folded_texts):
        chunk = texts[first : first + len(words.text_starts)]
        shingled = words
        if heading_chars is not None:
            shingled = without_headings(words, chunk, heading_chars[first : first + len(chunk)])
        shingle_parts.append(chunk_shingle_hashes(shingled, ngram))
        term_parts.append(chunk_term_counts(words, originals[first : first + len(chunk)]))
    return (*joined_shingle_hashes(shingle_parts, len(texts)), join_counts(term_parts))


def _folded_and_original(texts: Sequence[str]) -> tuple[list[bytes], list[bytes]]:
    """Each text case-folded (`corpus.shingles.folded`) and as it was, in
    UTF-8, each encoded once; as it was through a stand-in (`_stand_in`)
    where folding changes a character's length, so that byte positions match."""
    folded_texts, originals = [], []
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        if data.isascii():
            folded_texts.append(data.lower())
            originals.append(data)
            continue
        casefolded = text.casefold()
        folded_data = casefolded.encode("utf-8", "surrogatepass")
        folded_texts.append(folded_data)
        originals.append(data if len(folded_data) == len(data) and len(casefolded) == len(text) else _stand_in(text))
    return folded_texts, originals


def without_headings(words: Words, texts: Sequence[str], heading_chars: Sequence[int]) -> Words:
    """A chunk's words without those of each text's first `heading_chars`
    characters (only hashes and offsets: what shingling reads)."""
    heading_bytes = np.fromiter((len(folded(text[:chars])) if chars else 0 for text, chars in zip(texts, heading_chars)),
                                dtype=np.int64, count=len(texts))
    if not heading_bytes.any():
        return words
    dropped = np.searchsorted(words.starts, words.text_starts + heading_bytes) - words.offsets[:-1]   # per text
    dropped_before = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(dropped, out=dropped_before[1:])
    kept = np.ones(len(words.hashes), dtype=bool)
    kept[np.arange(dropped_before[-1]) + np.repeat(words.offsets[:-1] - dropped_before[:-1], dropped)] = False
    return dataclasses.replace(words, hashes=words.hashes[kept], offsets=words.offsets - dropped_before)


def chunk_term_counts(words: Words, originals: Sequence[bytes]) -> TermCounts:
    """The terms of a chunk of texts from their words (module notes) and the
    texts as they were (`_folded_and_original`)."""
    folded = words.flags
    starts, ends, hashes, text_of = _term_spans(words, folded)
    lead = _in_lead(text_of, len(words.text_starts))
    same_text = np.zeros(len(starts), dtype=bool)
    same_text[1:] = text_of[1:] == text_of[:-1]
    inside = same_text
    inside[_after_openers(folded, starts, ends)] = False
    original = np.frombuffer(b" " + b" ".join(originals) + b"    ", dtype=np.uint8)   # laid out as words.data
    capitalised = inside & ((byte_flags(original, at=starts) & UPPER) != 0)

    order, hashes = stable_order(hashes)          # by term, then by text
    text_of, inside, capitalised, lead = text_of[order], inside[order], capitalised[order], lead[order]
    new_term = np.ones(len(hashes), dtype=bool)
    new_term[1:] = hashes[1:] != hashes[:-1]
    term_at = np.flatnonzero(new_term)
    term_of = np.cumsum(new_term, dtype=np.int32) - 1
    occurrence = order[term_at]                     # a term's first occurrence, for its surface
    surfaces, surface_offsets = gathered(words.data, starts[occurrence], ends[occurrence])
    new_entry = new_term
    new_entry[1:] |= text_of[1:] != text_of[:-1]
    entry_at = np.flatnonzero(new_entry)
    entry_bounds = np.append(entry_at, len(hashes))          # an entry is a run of occurrences

    def per_entry(flags: np.ndarray, dtype) -> np.ndarray:   # how many occurrences of each entry have the flag
        flagged_before = np.zeros(len(flags) + 1, dtype=np.int32)
        np.cumsum(flags, out=flagged_before[1:])
        return np.diff(flagged_before[entry_bounds]).astype(dtype, copy=False)[by_text]

    documents = len(words.text_starts)
    entry_text = text_of[entry_at]
    by_text = np.argsort(entry_text, kind="stable")
    indptr = np.zeros(documents + 1, dtype=np.int64)
    np.cumsum(np.bincount(entry_text, minlength=documents), out=indptr[1:])
    return TermCounts(np.bincount(text_of, minlength=documents).astype(np.int64), indptr,
                      term_of[entry_at][by_text], np.diff(entry_bounds).astype(np.int32)[by_text],
                      per_entry(inside, np.int32), per_entry(capitalised, np.int32), hashes[term_at], surfaces,
                      surface_offsets, per_entry(lead, np.uint8))


def _in_lead(text_of: np.ndarray, texts: int) -> np.ndarray:
    """Whether each term occurrence (in text order, `text_of` ascending) is
    among its text's first LEAD_TERMS; the work is per text, not per occurrence."""
    bounds = np.searchsorted(text_of, np.arange(texts + 1))
    at = bounds[:-1, None] + np.arange(LEAD_TERMS)
    lead = np.zeros(len(text_of), dtype=bool)
    lead[at[at < bounds[1:, None]]] = True
    return lead


def _after_openers(flags: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The terms (byte spans in text order) with an opener between them and
    the term before; found from the openers, far fewer than the terms."""
    openers = np.flatnonzero((flags & OPENER) != 0)
    after = np.searchsorted(starts, openers, side="right")     # the term after each opener (if any term is)
    between = (after > 0) & (after < len(starts))
    openers, after = openers[between], after[between]
    return after[openers >= ends[after - 1]]                  # not inside the term before (a number's ".")


def _term_spans(words: Words, flags: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Byte spans, hashes and texts (int16, or int64 past 32,767 texts) of a
    chunk's terms, in text order: its words, with numbers joined across
    single separators (`TERM`'s first branch)."""
    starts, ends, hashes = words.starts, words.ends, words.hashes
    texts = len(words.text_starts)
    text_of = np.repeat(np.arange(texts, dtype=np.int16 if texts < 1 << 15 else np.int64), np.diff(words.offsets))
    linked = np.empty(0, dtype=np.int64)         # words k such that word k and k + 1 are one number, ascending
    if len(starts) > 1:                           # first the cheap tests, at the words' edges only
        before = np.flatnonzero((flags[ends[:-1]] & SEPARATOR) != 0)
        before = before[starts[before + 1] == ends[before] + 1]
        linked = before[((flags[starts[before + 1]] & DECIMAL) != 0) & ((flags[ends[before] - 1] & DECIMAL) != 0)]
    if not len(linked):
        return starts, ends, hashes, text_of
    involved = np.column_stack((linked, linked + 1)).ravel()     # ascending; a k + 1 may be the next k: once
    involved = involved[np.append(True, involved[1:] != involved[:-1])]
    all_decimal, digits_end = _leading_digits(flags, starts[involved], ends[involved])
    linked = linked[all_decimal[np.searchsorted(involved, linked)]]
    if not len(linked):
        return starts, ends, hashes, text_of
    run_start = np.ones(len(linked), dtype=bool)  # runs of linked words: one number each
    run_start[1:] = linked[1:] != linked[:-1] + 1
    heads = linked[run_start]
    last = linked[np.append(run_start[1:], True)] + 1     # each number's last word
    at_last = np.searchsorted(involved, last)
    number_end = digits_end[at_last]
    absorbed = linked + 1
    kept = np.ones(len(starts), dtype=bool)      # a mask: most words are kept, and masks take them sooner
    kept[absorbed] = False
    term_starts, term_ends, term_hashes, term_texts = starts[kept], ends[kept], hashes[kept], text_of[kept]
    at_heads = heads - np.searchsorted(absorbed, heads)   # heads are kept: less the words absorbed before them
    term_ends[at_heads] = number_end
    term_hashes[at_heads] = words.span_hashes(starts[heads], number_end)
    rest = ~all_decimal[at_last]                   # a word after the number's last digits: a term right after it
    if rest.any():
        rest_starts, rest_ends, at = number_end[rest], ends[last[rest]], at_heads[rest] + 1
        term_starts, term_ends = np.insert(term_starts, at, rest_starts), np.insert(term_ends, at, rest_ends)
        term_hashes = np.insert(term_hashes, at, words.span_hashes(rest_starts, rest_ends))
        term_texts = np.insert(term_texts, at, text_of[last[rest]])
    return term_starts, term_ends, term_hashes, term_texts


def _leading_digits(flags: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For some words (byte spans): whether every character is a decimal
    digit, and where their leading run of decimal digits ends."""
    lengths = ends - starts
    first = np.zeros(len(starts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=first[1:])
    at = np.arange(int(lengths.sum())) + np.repeat(starts - first, lengths)
    not_decimal = (flags[at] & DECIMAL) == 0
    found = np.minimum.reduceat(np.where(not_decimal, at, np.iinfo(np.int64).max), first)
    return found == np.iinfo(np.int64).max, np.minimum(found, ends)


def _stand_in(text: str) -> bytes:
    """A text with every character whose case folding changes its UTF-8 length
    replaced by as many ASCII letters as the folding has bytes, the first
    capital if the character is: byte positions then match the folded text's."""
    parts = []
    for ch in text:
        size, folded_size = len(ch.encode("utf-8", "surrogatepass")), len(ch.casefold().encode("utf-8", "surrogatepass"))
        parts.append(ch if size == folded_size else ("A" if ch.isupper() else "a") + "a" * (folded_size - 1))
    return "".join(parts).encode("utf-8", "surrogatepass")


def gathered(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """data[starts[k]:ends[k]] for every k, concatenated, with offsets."""
    lengths = ends - starts
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return data[np.arange(offsets[-1]) + np.repeat(starts - offsets[:-1], lengths)], offsets


# ---- joining batches ----

def join_counts(parts: Iterable[TermCounts]) -> TermCounts:
    """Consecutive runs of documents' terms as one run (a term's surface: its first one)."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    lengths = np.concatenate([p.lengths for p in parts]) if parts else np.empty(0, dtype=np.int64)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    if parts:
        np.cumsum(np.concatenate([np.diff(p.indptr) for p in parts]), out=indptr[1:])
    vocabulary, surfaces, surface_offsets, position = merged_vocabulary(
        [(p.vocabulary, p.surfaces, p.surface_offsets) for p in parts])
    term_starts = np.cumsum([0] + [len(p.vocabulary) for p in parts])
    ids = (np.concatenate([position[start:][p.ids] for p, start in zip(parts, term_starts.tolist())]) if parts
           else np.empty(0, dtype=np.int32))

    def joined(name: str, dtype) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts]) if parts else np.empty(0, dtype=dtype)

    leads = (joined("entry_lead", np.uint8) if all(p.entry_lead is not None for p in parts) else None)
    return TermCounts(lengths, indptr, ids, joined("counts", np.int32), joined("entry_inside", np.int32),
                      joined("entry_capitalised", np.int32), vocabulary, surfaces, surface_offsets, leads)


def merged_vocabulary(pieces: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vocabularies (sorted hashes, surfaces, surface offsets) as one, a term's
    surface its first one: (vocabulary, surfaces, surface offsets, the merged
    position of each piece's terms in turn, int32)."""
    if not pieces:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint8), np.zeros(1, dtype=np.int64), np.empty(0, np.int32)
    hashes = np.concatenate([v for v, _, _ in pieces])
    order = np.argsort(hashes, kind="stable")      # sorted runs: merged by timsort in about linear time
    ordered = hashes[order]
    new_term = np.ones(len(ordered), dtype=bool)
    new_term[1:] = ordered[1:] != ordered[:-1]
    vocabulary, first = ordered[new_term], order[new_term]
    position = np.empty(len(ordered), dtype=np.int64)
    position[order] = np.cumsum(new_term) - 1
    shift = np.cumsum([0] + [len(s) for _, s, _ in pieces[:-1]])
    starts = np.concatenate([o[:-1] + at for (_, _, o), at in zip(pieces, shift)])
    ends = np.concatenate([o[1:] + at for (_, _, o), at in zip(pieces, shift)])
    surfaces, surface_offsets = gathered(np.concatenate([s for _, s, _ in pieces]), starts[first], ends[first])
    return vocabulary, surfaces, surface_offsets, position.astype(np.int32)
