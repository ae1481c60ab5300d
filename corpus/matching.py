"""Which sentences of a story's reports match: verbatim or lightly edited ("shared"),
or the same content in other words ("similar"). `corpus.overlap` builds the story's
overlap from these matches; the thresholds and the evidence for them are described there.

Sentences are compared as their case-folded words. Candidate pairs share word
bigrams (hashed in one batch per story, `corpus.shingles`); rapidfuzz scores them
in bulk (`process.cpdist`). Sentences of reports in different known languages are
never paired.
"""

from __future__ import annotations

import functools
from collections import Counter
from itertools import chain, combinations
from typing import Iterable, NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from corpus.shingles import chunk_words, folded, tokens, window_hashes

SHARED_THRESHOLD = 80
LINK_THRESHOLD = 70
MIN_FUZZY_WORDS = 5
MIN_SHARED_BIGRAMS = 2       # long sentences compared only if they share this many word bigrams
SHORT_WORDS = 8              # ... or one, when both have at most this many words (headlines reworded)
SIMILAR_THRESHOLD = 70       # token_set_ratio over content words, for "told in other words"
MIN_SIMILAR_BIGRAMS = 4
MIN_CONTENT_WORDS = 3
CARRIED_RUN_WORDS = 10       # a run of words this long, half a sentence, carries it into another (`_carried`)
THREADED_BATCH = 20_000      # sentence pairs from which rapidfuzz scores in several threads


class Item(NamedTuple):
    """One sentence of a story: its report, position in it, text and key (`sentence_key`).
    A named tuple: a story's sentences are many, and a tuple is made in a third of the time."""

    doc: int
    position: int
    text: str
    key: str


def sentence_key(text: str) -> str:
    """A sentence as compared: its case-folded words, single-spaced."""
    return " ".join(tokens(text))


def similar_pairs(
    items: list[Item], apart: np.ndarray | None = None,
) -> tuple[dict[tuple[int, int], float], dict[tuple[int, int], int]]:
    """Every pair (i < j) of sentences at least LINK_THRESHOLD similar, with its ratio,
    and the pairs that share MIN_SIMILAR_BIGRAMS bigrams or are retold (`_retold`):
    candidates for "told in other words", with how many bigrams they share. Sentences of reports `apart` (in different
    languages) are never paired.

    Identical sentences score 100. Distinct long ones are compared when they share
    MIN_SHARED_BIGRAMS word bigrams (on MSRP every pair at ratio >= 80 shares three
    or more), scored together with `process.cpdist`; short ones only match identically.
    """
    by_key: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        if item.key:
            by_key.setdefault(item.key, []).append(i)
    scores: dict[tuple[int, int], float] = {}
    for same in by_key.values():
        for x, y in combinations(same, 2):
            if apart is None or not apart[items[x].doc, items[y].doc]:
                scores[(x, y)] = 100.0

    keys = list(by_key)
    first, second, shared_bigrams = candidate_pairs(keys)
    candidates: dict[tuple[int, int], int] = {}
    if len(first):
        ratios = process.cpdist(
            [keys[k] for k in first.tolist()], [keys[k] for k in second.tolist()],
            scorer=fuzz.ratio, dtype=np.float32, workers=_workers(len(first)), score_cutoff=LINK_THRESHOLD,
        )
        kept = (ratios >= LINK_THRESHOLD) | (shared_bigrams >= MIN_SIMILAR_BIGRAMS)   # most candidates are neither
        kept |= _retold_pairs(keys, first, second, shared_bigrams, kept)
        first, second, ratios, shared_bigrams = first[kept], second[kept], ratios[kept], shared_bigrams[kept]
        for a, b, ratio, bigrams in zip(first.tolist(), second.tolist(), ratios.tolist(), shared_bigrams.tolist()):
            pairs = [(min(i, j), max(i, j)) for i in by_key[keys[a]] for j in by_key[keys[b]]
                     if apart is None or not apart[items[i].doc, items[j].doc]]
            if ratio >= LINK_THRESHOLD:
                scores.update((pair, round(ratio, 1)) for pair in pairs)
            if bigrams >= MIN_SIMILAR_BIGRAMS or ratio < LINK_THRESHOLD:    # the latter kept as retold
                candidates.update(dict.fromkeys(pairs, bigrams))
    return scores, candidates


def _retold_pairs(keys: list[str], first: np.ndarray, second: np.ndarray, bigrams: np.ndarray,
                  kept: np.ndarray) -> np.ndarray:
    """Which candidate pairs not `kept` otherwise are retold (`_retold`): sharing too few
    bigrams to be candidates for "told in other words", yet one is the other's words in
    order. Only pairs sharing half the shorter one's bigrams are looked at."""
    words = np.array([key.count(" ") + 1 for key in keys], dtype=np.int64)
    look = np.flatnonzero(~kept & (2 * bigrams >= np.minimum(words[first], words[second]) - 1))
    retold = np.zeros(len(kept), dtype=bool)
    for at in look.tolist():
        retold[at] = _retold(keys[first[at]], keys[second[at]], int(bigrams[at]))
    return retold


def _workers(pairs: int) -> int:
    """rapidfuzz threads for a batch: all cores for a large one; one for a small one,
    where starting threads costs more than the scoring (the scores are the same)."""
    return -1 if pairs >= THREADED_BATCH else 1


def candidate_pairs(keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of distinct long sentences sharing at least MIN_SHARED_BIGRAMS word
    bigrams (one, when both have at most SHORT_WORDS words: a reworded headline keeps
    few bigrams of a handful), and how many they share. Bigrams are hashed in one batch
    (`_bigrams`); each bigram's postings give their pairs, postings of one size at a time."""
    empty = np.empty(0, np.int64)
    flat, sentence_of, words = _bigrams(keys)
    long = words[sentence_of] >= MIN_FUZZY_WORDS
    if not long.any():
        return empty, empty, empty
    flat, sentence_of = flat[long], sentence_of[long]
    order = np.lexsort((sentence_of, flat))
    grams, sentences = flat[order], sentence_of[order]
    fresh = np.r_[True, (grams[1:] != grams[:-1]) | (sentences[1:] != sentences[:-1])]   # a bigram once a sentence
    grams, sentences = grams[fresh], sentences[fresh]
    starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]])
    sizes = np.diff(np.r_[starts, len(grams)])
    codes = []
    for size in np.unique(sizes[sizes > 1]).tolist():
        postings = sentences[starts[sizes == size][:, None] + np.arange(size)]
        rows, cols = _upper_triangle(size)
        codes.append((postings[:, rows] * len(keys) + postings[:, cols]).ravel())
    if not codes:
        return empty, empty, empty
    pairs, counts = np.unique(np.concatenate(codes), return_counts=True)
    first, second = pairs // len(keys), pairs % len(keys)
    keep = (counts >= MIN_SHARED_BIGRAMS) | ((words[first] <= SHORT_WORDS) & (words[second] <= SHORT_WORDS))
    return first[keep], second[keep], counts[keep]


def _bigrams(keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The hash of every word bigram of sentence keys (`shingles.window_hashes`, n = 2, as
    `shingles.batch_shingle_hashes` hashes them; repeats kept, none for a key of one word),
    the key it is in, and each key's number of words: the keys' words found and hashed as one
    text (`shingles.chunk_words`), a line a key (a key holds words and single spaces), so that
    thousands of keys cost one pass, not one each."""
    _, found = next(chunk_words([folded("\n".join(keys))]))
    words = np.bincount(np.cumsum(found.data == ord("\n"))[found.starts], minlength=len(keys))
    bigrams, per_key = window_hashes(found.hashes, np.r_[0, np.cumsum(words)], 2)
    pairs = np.repeat(words >= 2, per_key)              # a key of one word has no bigram
    return bigrams[pairs], np.repeat(np.arange(len(keys)), per_key)[pairs], words


@functools.lru_cache(maxsize=256)
def _upper_triangle(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the pairs (i < j) of `size` items."""
    return np.triu_indices(size, 1)


def story_common_words(doc_keys: list[list[str]]) -> set[str]:
    """Words running through a story: carried by most of its reports (at least three),
    and by more of its distinct sentences than reports, that is, by two distinct
    sentences of one report. Names and function words recur so; the words of one
    fact, told once in each of several reports, do not."""
    if len(doc_keys) < 3:
        return set()
    distinct = [list(dict.fromkeys(keys)) for keys in doc_keys]
    counts = [Counter(" ".join(keys).split()) for keys in distinct]     # repeats within a sentence count too
    reports = Counter(chain.from_iterable(counts))
    lines = [" " + " \n ".join(keys) + " " for keys in distinct]      # a sentence a line, every word spaced
    return {
        word for word, count in reports.items()
        if count >= 3 and 2 * count > len(doc_keys)
        and any(c[word] > 1 and _in_two_lines(text, f" {word} ") for c, text in zip(counts, lines))
    }


def _in_two_lines(text: str, spaced: str) -> bool:
    """Whether `spaced` (a word with a space each side) is in two lines of `text`."""
    at = text.find(spaced)
    if at < 0:
        return False
    end = text.find("\n", at)
    return end >= 0 and text.find(spaced, end) >= 0


def content_words(key: str, common: set[str]) -> str:
    """A sentence key without the story's common words."""
    return " ".join(word for word in key.split() if word not in common)


def told_elsewhere(
    items: list[Item], candidates: dict[tuple[int, int], int], in_shared: set[int], n_docs: int,
    matches: Iterable[tuple[int, int]] = (),
) -> tuple[list[tuple[int, int, float]], set[int]]:
    """The sentences in no shared group whose content another report tells in other
    words: (sentence, best counterpart (ties: first in order), score), one per two
    texts in the order of the sentence, and the set of all such sentences.
    Two sentences the content words cannot tie (too few once the story's common words
    are set aside: a quote the whole story is about) are compared on all their words
    when the other report carries the sentence all the same: a pair of `matches` (at
    SHARED_THRESHOLD or above) that a shared group kept apart (its other members are
    too unlike one of them), or a sentence of MIN_FUZZY_WORDS words or more retold
    inside the other (`_retold`), or half of it found there in one long run (`_carried`)."""
    across = [(i, j) for i, j in candidates
              if items[i].doc != items[j].doc and not (i in in_shared and j in in_shared)]
    kept_out = sorted((i, j) for i, j in matches
                      if items[i].doc != items[j].doc and not (i in in_shared and j in in_shared))
    if not across and not kept_out:
        return [], set()
    doc_keys: list[list[str]] = [[] for _ in range(n_docs)]
    for item in items:
        doc_keys[item.doc].append(item.key)
    common = story_common_words(doc_keys)
    of_key = functools.lru_cache(maxsize=None)(lambda key: content_words(key, common) if common else key)
    content = {i: of_key(items[i].key) for i in {i for pair in across for i in pair}}
    pairs = sorted(
        (i, j) for i, j in across
        if min(content[i].count(" "), content[j].count(" ")) + 1 >= MIN_CONTENT_WORDS
    )
    scored = dict(zip(pairs, process.cpdist(
        [content[i] for i, _ in pairs], [content[j] for _, j in pairs],
        scorer=fuzz.token_set_ratio, dtype=np.float32, workers=_workers(len(pairs)),
    ).tolist())) if pairs else {}
    carried = kept_out + [(i, j) for i, j in across if _carried(items[i].key, items[j].key, candidates[(i, j)])]
    for i, j in carried:
        if scored.get((i, j), 0.0) < SIMILAR_THRESHOLD:
            scored[(i, j)] = float(np.float32(fuzz.token_set_ratio(items[i].key, items[j].key)))
    best: dict[int, tuple[float, int]] = {}
    for (i, j), score in scored.items():
        if score < SIMILAR_THRESHOLD:
            continue
        for x, y in ((i, j), (j, i)):
            if x not in in_shared and (x not in best or (-score, y) < (-best[x][0], best[x][1])):
                best[x] = (score, y)
    told, seen = [], set()
    for x in sorted(best):
        score, y = best[x]
        texts = frozenset({(items[x].doc, items[x].key), (items[y].doc, items[y].key)})
        if texts not in seen:
            seen.add(texts)
            told.append((x, y, round(score, 1)))
    return told, set(best)


def _carried(key: str, other: str, bigrams: int | None = None) -> bool:
    """Whether the shorter of two sentence keys, of MIN_FUZZY_WORDS words or more, is retold
    in the longer (`_retold`), or at least half of it is found there, in one run of CARRIED_RUN_WORDS
    words or more: a quote carried with another attribution ('…," said X at the launch') or
    inside a longer quote; a protagonist's title and name rarely run so long. On 300
    Multi-News stories no two sentences of different stories share such a run but for
    boilerplate found whole inside the other. `bigrams`: how many word bigrams they share, if
    known (a run of n words shares n - 1: fewer, and the words are not looked at)."""
    short, long = sorted((key, other), key=len)
    n = short.count(" ") + 1
    if n < MIN_FUZZY_WORDS:
        return False
    if _retold(short, long, bigrams):
        return True
    long = f" {long} "
    run = max(CARRIED_RUN_WORDS, -(-n // 2))
    if run >= n or (bigrams is not None and bigrams < run - 1):
        return False
    words = short.split()
    return any(f" {' '.join(words[at : at + run])} " in long for at in range(n - run + 1))


def _retold(key: str, other: str, bigrams: int | None = None) -> bool:
    """Whether every word of the shorter of two sentence keys, of MIN_FUZZY_WORDS words or
    more, is in the longer, in the same order but for one phrase of two words or more,
    fewer than the rest, found word for word elsewhere in it (a name moved: 'the opening
    was held at the X station' in 'the opening was held at the station of X'), the words
    in order within a stretch of the longer (`_in_order`), and they share half the
    shorter one's word bigrams: the shorter told inside the longer, its additions left
    out. A single word out of order is not allowed, nor half the sentence ('it was not
    the first time' is not 'it was the first time … did not'). `bigrams`: how many
    they share, if known."""
    short, long = sorted((key, other), key=len)
    words, others = short.split(), long.split()
    n = len(words)
    if n < MIN_FUZZY_WORDS or (bigrams is not None and 2 * bigrams < n - 1) or not set(words) <= set(others):
        return False
    if _in_order(words, others, n):
        return True
    spaced = f" {long} "
    return any(
        f" {' '.join(words[at:end])} " in spaced and _in_order(words[:at] + words[end:], others, n)
        for at in range(n - 1) for end in range(at + 2, min(n, at + (n - 1) // 2) + 1)
    )


def _in_order(words: list[str], others: list[str], n: int) -> bool:
    """Whether `words` occur in `others` in their order within a stretch of at most
    2n + CARRIED_RUN_WORDS words (a sentence of n words, as many added, and an
    attribution): words scattered through a long passage do not tell it."""
    limit = 2 * n + CARRIED_RUN_WORDS
    for start in (at for at, word in enumerate(others) if word == words[0]):
        rest = iter(others[start : start + limit])
        if all(word in rest for word in words):
            return True
    return False


def match_groups(items: list[Item], scores: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Groups of matching sentences (sorted member lists), joined best match first.

    A match is a pair from different documents at `threshold` or above; two groups
    join only if all their cross pairs are at least LINK_THRESHOLD similar.
    """
    group_of = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    matches = sorted(
        ((s, i, j) for (i, j), s in scores.items() if s >= threshold and items[i].doc != items[j].doc),
        key=lambda m: (-m[0], m[1], m[2]),
    )
    for _, i, j in matches:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if all(scores.get((min(x, y), max(x, y)), 0.0) >= LINK_THRESHOLD for x in members[gi] for y in members[gj]):
            keep, gone = min(gi, gj), max(gi, gj)
            members[keep] = sorted(members[keep] + members.pop(gone))
            for x in members[keep]:
                group_of[x] = keep
    return list(members.values())
