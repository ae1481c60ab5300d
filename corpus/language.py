"""The language of every document, found from the corpus's own function words
and named by a language identifier (py3langid, which ships its model).

Identifying every document separately is both slow (~0.3 ms for a 300-character
prefix, far over the story stage's budget at a million articles) and unsteady
on short texts (a headline comes out as Pidgin or German, Indonesian as Malay or
Javanese). A corpus says more about its languages than one text does:

1. Profile. The PROFILE_WORDS terms in the most documents (no digits) are the
   function words of the corpus's main languages; a document's profile is the
   unit vector of which of them it carries.
2. Groups. Up to SAMPLE documents, evenly spread over the corpus, are
   identified one by one (on a prefix); the documents given one label form a
   group. Closeness is relative, as short texts have sparse profiles: a group
   joins a larger one when its documents' mean cosine with that one's centroid
   is at least SAME_LANGUAGE times that of the larger group's own documents
   (two labels of one language share its function words; two languages share
   next to none: English and Indonesian reports of one event 0.05), or
   SHORT_SAME_LANGUAGE times when its texts together are too short to be named
   reliably (OUTLIER_CHARS). Each group is named by the identifier on its
   members' texts together; groups named alike are one.
3. Every document joins the group whose centroid is nearest its profile, and
   groups are joined again by the same rule over all their documents (a
   topic the identifier misnamed, such as a story's headlines, is not a
   language). A document less than SAME_LANGUAGE times as close to its group
   as the group's usual document, with enough text to be identified alone
   (OUTLIER_CHARS), is identified alone: a language too rare to be sampled
   gets its own group. A document without any profile word has no language
   (None): it is compared as before, with everyone.

So one language is never split by an identifier's confusions, and a monolingual
corpus comes out as one group. Nothing depends on which languages they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp

PROFILE_WORDS = 100           # the corpus's most widespread terms: its languages' function words
SAMPLE = 400                  # documents identified one by one to find the groups
PREFIX_CHARS = 300            # what of a sampled document the identifier reads
SAME_LANGUAGE = 0.5           # relative closeness to a group's centroid at which documents are of its language
SHORT_SAME_LANGUAGE = 0.2     # the same for a group of short texts (headlines: 0.45-1.0; two languages: ~0.05)
NAME_CHARS = 6000             # text of a group's members the identifier reads to name it
OUTLIER_CHARS = 400           # a document far from every group is identified alone if it is at least this long


@dataclass
class Languages:
    """Per document its language group (-1: none), and each group's name (an ISO 639 code)."""

    groups: np.ndarray
    names: list[str]

    @property
    def codes(self) -> list[str | None]:
        """The language code of every document, None where unknown."""
        return [self.names[g] if g >= 0 else None for g in self.groups.tolist()]

    @property
    def count(self) -> int:
        return len(self.names)


def identify(text: str) -> str:
    """The language code py3langid gives a text."""
    import py3langid

    return py3langid.classify(text)[0]


def release_identifier() -> None:
    """Let go of py3langid's model (about 100 MB once loaded, by the first
    `identify`): `languages_of_profiles` is done with it, and story
    clustering, which comes next, can use that memory. A later `identify`
    loads it again."""
    import py3langid.langid

    py3langid.langid.IDENTIFIER = None


def profiles(presence: sp.csr_matrix, wordlike: np.ndarray) -> sp.csr_matrix:
    """Documents' unit profile vectors over the PROFILE_WORDS words (`wordlike`
    terms) found in the most documents (`presence`: documents x terms, nonzero
    where a document has a term)."""
    df = np.bincount(presence.indices, minlength=presence.shape[1])
    return word_profiles(presence, profile_words(df, wordlike))


def word_profiles(presence: sp.csr_matrix, chosen: np.ndarray) -> sp.csr_matrix:
    """Documents' unit profile vectors over the `chosen` terms (columns of
    `presence`), in that order; each row depends on that document alone."""
    count, vocabulary = presence.shape
    column = np.full(vocabulary, -1, dtype=np.int64)
    column[chosen] = np.arange(len(chosen))
    mapped = column[presence.indices]
    kept = mapped >= 0
    rows = np.repeat(np.arange(count), np.diff(presence.indptr))[kept]
    profile = sp.csr_matrix((np.ones(int(kept.sum())), (rows, mapped[kept])), shape=(count, len(chosen)))
    profile.sum_duplicates()
    profile.data[:] = 1.0
    norms = np.sqrt(np.diff(profile.indptr).astype(np.float64))
    return sp.csr_matrix(sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ profile)


def profile_words(df: np.ndarray, wordlike: np.ndarray) -> np.ndarray:
    """Indices of the PROFILE_WORDS `wordlike` terms found in the most documents (ties: lowest index)."""
    candidates = np.flatnonzero(wordlike & (df > 0))
    return candidates[np.lexsort((candidates, -df[candidates]))][:PROFILE_WORDS]


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def _closeness(profile: sp.csr_matrix, members: Sequence[int], centroid: np.ndarray) -> float:
    """The mean cosine of the members' profiles with a (unit) centroid (every
    row's product, then the members': no copy of their rows, which for a
    corpus's main language is most of the profiles)."""
    return float(np.mean((profile @ centroid)[np.asarray(members, dtype=np.int64)]))


def _centroid(profile: sp.csr_matrix, members: Sequence[int]) -> np.ndarray:
    """The unit mean of the members' profiles. Ascending members (a whole
    group) are weighed in place, not copied: the same products added in the
    same order as the mean of their rows, so the same numbers."""
    members = np.asarray(members, dtype=np.int64)
    if len(members) > 1 and np.all(members[1:] > members[:-1]):
        weights = np.zeros(profile.shape[0])
        weights[members] = 1.0 / len(members)
        return _unit(profile.T @ weights)
    return _unit(np.asarray(profile[members].mean(axis=0)).ravel())


def _sample_groups(profile: sp.csr_matrix, texts: Sequence[str]) -> list[list[int]]:
    """Sampled documents grouped by language: by their identified labels, the
    largest first; a group joins an earlier one when its documents are at
    least SAME_LANGUAGE times as close to that one's centroid as its own
    documents are (short texts have sparse profiles, so closeness is relative),
    or, when their texts together are too short (OUTLIER_CHARS) to be named
    reliably, SHORT_SAME_LANGUAGE times as close."""
    present = np.flatnonzero(np.diff(profile.indptr) > 0)
    sample = present[np.unique(np.linspace(0, len(present) - 1, min(SAMPLE, len(present))).astype(np.int64))]
    by_label: dict[str, list[int]] = {}
    for index in sample.tolist():
        by_label.setdefault(identify(texts[index][:PREFIX_CHARS]), []).append(index)
    merged: list[list[int]] = []
    for members in sorted(by_label.values(), key=lambda members: (-len(members), members[0])):
        relative = []
        for group in merged:
            centroid = _centroid(profile, group)
            relative.append(_closeness(profile, members, centroid) / max(_closeness(profile, group, centroid), 1e-9))
        best = int(np.argmax(relative)) if relative else -1
        too_short = sum(min(len(texts[i]), PREFIX_CHARS) for i in members) < OUTLIER_CHARS
        if best >= 0 and (relative[best] >= SAME_LANGUAGE or too_short and relative[best] >= SHORT_SAME_LANGUAGE):
            merged[best].extend(members)
        else:
            merged.append(list(members))
    return merged


def _group_text(members: Sequence[int], texts: Sequence[str]) -> str:
    """Up to NAME_CHARS of the members' texts, a share of each."""
    share = max(PREFIX_CHARS, NAME_CHARS // max(len(members), 1))
    return "\n".join(texts[i][:share] for i in members)[:NAME_CHARS]


def detect_languages(presence: sp.csr_matrix, wordlike: np.ndarray, texts: Sequence[str]) -> Languages:
    """Every document's language group (module notes); `presence` is the
    documents x terms count matrix of the texts, `wordlike` marks the terms
    that are words (not numbers)."""
    if len(texts) == 0:
        return Languages(np.zeros(0, dtype=np.int64), [])
    return languages_of_profiles(profiles(presence, wordlike), texts)


def languages_of_profiles(profile: sp.csr_matrix, texts: Sequence[str]) -> Languages:
    """`detect_languages` from the documents' `profiles` (made in parts by a
    caller that never holds every document's terms)."""
    count = len(texts)
    if count == 0:
        return Languages(np.zeros(0, dtype=np.int64), [])
    sampled = _sample_groups(profile, texts)
    names: list[str] = []
    centroids = []
    for members in sampled:
        name = identify(_group_text(members, texts))
        if name in names:                          # two groups the identifier names alike are one language
            centroid_index = names.index(name)
            centroids[centroid_index] = centroids[centroid_index] + np.asarray(profile[members].sum(axis=0)).ravel()
            continue
        names.append(name)
        centroids.append(np.asarray(profile[members].sum(axis=0)).ravel())
    groups = np.full(count, -1, dtype=np.int64)
    closeness = np.zeros(count)
    if names:
        similarity = np.asarray(profile @ _unit(np.array(centroids)).T)
        groups = np.argmax(similarity, axis=1).astype(np.int64)
        groups[similarity[np.arange(count), groups] <= 0] = -1
        groups, names = _consolidated(profile, groups, names)
        centroids = [_centroid(profile, np.flatnonzero(groups == g)) for g in range(len(names))]
        closeness = np.where(groups >= 0, np.asarray(profile @ np.array(centroids).T)[np.arange(count), groups], 0.0)
    usual = np.array([np.median(closeness[groups == g]) for g in range(len(names))] or [1.0])
    for index in np.flatnonzero(closeness < SAME_LANGUAGE * usual[np.maximum(groups, 0)]).tolist():
        if len(texts[index]) >= OUTLIER_CHARS:
            name = identify(texts[index][:NAME_CHARS])
            if name not in names:
                names.append(name)
            groups[index] = names.index(name)
    release_identifier()
    return Languages(groups, names)


def _consolidated(profile: sp.csr_matrix, groups: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[str]]:
    """The groups every document was assigned to, a group joined into a larger
    one whose centroid its documents are SAME_LANGUAGE as close to as that
    one's own (a topic the identifier misnamed, not a language); empty groups dropped."""
    sizes = np.bincount(groups[groups >= 0], minlength=len(names))
    order = sorted(range(len(names)), key=lambda g: (-sizes[g], g))
    kept: list[int] = []
    for group in order:
        members = np.flatnonzero(groups == group)
        if not len(members):
            continue
        for larger in kept:
            own = np.flatnonzero(groups == larger)
            centroid = _centroid(profile, own)
            if _closeness(profile, members, centroid) >= SAME_LANGUAGE * _closeness(profile, own, centroid):
                groups[members] = larger
                break
        else:
            kept.append(group)
    kept.sort()
    renumber = np.full(len(names) + 1, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    return renumber[groups], [names[g] for g in kept]
