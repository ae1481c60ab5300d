"""A bilingual stand-in made from an English corpus: half of every story "pseudo-translated".

The only bilingual labelled data is dev-stories (31 articles), which the
cross-language scoring was tuned on. This makes a harder, general one from
ECB+ (43 topics of two look-alike events): a seeded random half of each
event's documents is rewritten into a pseudo-language that keeps what a
real translation keeps and loses what it loses:

* kept as written: names (capitalised words not opening a sentence, and a
  capitalised opener the document also writes capitalised mid-sentence or
  that is no word of the source language's list), acronyms (two or more
  capitals, no small letters: NBA, U.S.), initials, tokens with digits
  (numbers, dates, F-16) and URLs;
* every other word becomes the word of the same frequency rank in another
  language's wordfreq list (English rank r -> the r-th Indonesian word that
  is not an English one), so a language identifier sees that language, the
  word-frequency prior weighs it alike, and no ordinary word is shared
  across the two; a word off the list becomes a hashed pseudo-word; a
  seeded LOANWORDS share of the word types past the LOAN_RANK most common
  stays as it is (loanwords);
* for a source that writes names in lower case (`lowercased`: Multi-News),
  a word off the source list and one the two lists rank alike
  (`shared_words`: obama, london, film) stay as they are instead.

Limits: the pseudo-language keeps the source's word order and one word per
word, and real translations also keep some ordinary words (cognates) and
respell names (Rusia / Russia), which this does not; so it tests what the
bridge of names, numbers and acronyms carries, no more.

    python -m benchmarks.pseudo_language --data ../shared/data [--below 0.85] [--draws 40]

prints the figures of `measured` and, for the sets under --below, which
stories merged or split and the scores involved (`benchmarks.diagnose_subsets`).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import statistics
import sys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from benchmarks import eval_subsets as subsets
from benchmarks.eval_stories import Labeled, load_ecbplus

LIST_WORDS = 30_000           # words of each language's wordfreq list mapped rank to rank
LOANWORDS = 0.05              # share of the word types past LOAN_RANK kept as they are
LOAN_RANK = 1_000             # the most common words are never loanwords
SHARED_RATIO = 6              # lower-cased source: a word the target list ranks within this many times its source rank is a name
TARGET = "id"                 # the pseudo-language's word list
SYLLABLES = [c + v for c in "bdgjklmnprstw" for v in "aiu"]   # of the hashed pseudo-words
WORD = re.compile(r"[^\W\d_]+")
ENDS_SENTENCE = re.compile(r"[.!?][\"'`)\]]*$")


@lru_cache(maxsize=4)
def rank_map(source: str, target: str) -> dict[str, str]:
    """Source word -> the target word of the same rank among the target words that are no source words."""
    from wordfreq import top_n_list

    own = [w for w in top_n_list(source, LIST_WORDS) if w.isalpha()]
    known = set(top_n_list(source, LIST_WORDS))
    other = [w for w in top_n_list(target, LIST_WORDS) if w.isalpha() and w not in known]
    return dict(zip(own, other))


@lru_cache(maxsize=4)
def shared_words(source: str, target: str) -> frozenset[str]:
    """The words of the source list the target list ranks within SHARED_RATIO
    times their source rank: mostly names and loanwords both languages write
    alike (obama, china, london, google, film), for a source that writes names
    in lower case (Multi-News), where capitals cannot tell them. English words
    that merely turn up in the target's web text rank far lower there (police,
    president, court) and are translated."""
    from wordfreq import top_n_list

    ranks = {word: rank for rank, word in enumerate(top_n_list(target, LIST_WORDS))}
    return frozenset(word for rank, word in enumerate(top_n_list(source, LIST_WORDS))
                     if word.isalpha() and ranks.get(word, LIST_WORDS * SHARED_RATIO) <= SHARED_RATIO * max(rank, 1))


def _hash(seed: int, word: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{seed}:{word}".encode(), digest_size=8).digest(), "big")


class PseudoLanguage:
    """A deterministic word-for-word rewriting of `source` text into `target`'s words (module notes)."""

    def __init__(self, seed: int = 0, source: str = "en", target: str = TARGET, loanwords: float = LOANWORDS,
                 lowercased: bool = False):
        self.seed, self.loanwords = seed, loanwords
        self.words = rank_map(source, target)
        self.ranks = {word: rank for rank, word in enumerate(self.words)}
        self.shared = shared_words(source, target) if lowercased else None

    def word(self, lower: str) -> str:
        """The pseudo-language's word for a lower-case source word (kept as it is when
        `lowercased` and it is a name by the word lists, `shared_words`)."""
        rank = self.ranks.get(lower)
        if self.shared is not None and (lower in self.shared or rank is None):
            return lower
        if (rank is None or rank >= LOAN_RANK) and _hash(self.seed, lower) % 10_000 < self.loanwords * 10_000:
            return lower
        if rank is not None:
            return self.words[lower]
        code = _hash(self.seed + 1, lower)
        syllables = []
        for _ in range(max(2, (len(lower) + 1) // 2)):
            code, at = divmod(code, len(SYLLABLES))
            syllables.append(SYLLABLES[at])
        return "".join(syllables)

    def translate(self, text: str) -> str:
        """The text with every ordinary word replaced (module notes); whitespace and punctuation kept."""
        tokens = text.split(" ")
        opening = self._openings(tokens)
        names = {m.group() for token, opens in zip(tokens, opening) if not opens
                 for m in WORD.finditer(token) if m.group()[0].isupper()}
        capitalised = [bool(WORD.match(token)) and token[0].isupper() for token in tokens[1:]] + [False]
        return " ".join(self._token(*entry, names) for entry in zip(tokens, opening, capitalised))

    @staticmethod
    def _openings(tokens: list[str]) -> list[bool]:
        """Per token whether its first word opens a sentence."""
        opening, found = True, []
        for token in tokens:
            found.append(opening)
            if ENDS_SENTENCE.search(token):
                opening = True
            elif WORD.search(token) or any(ch.isdigit() for ch in token):
                opening = False
        return found

    def _token(self, token: str, opens: bool, before_capital: bool, names: set[str]) -> str:
        """A name, number, acronym or URL as it is, else its words replaced. A
        capitalised sentence opener is a name when the document writes it so
        mid-sentence, when it is no listed word, or when a capitalised word
        follows it and it is not among the LOAN_RANK most common words (Jack Ketsoyan)."""
        letters = "".join(m.group() for m in WORD.finditer(token))
        if (not letters or any(ch.isdigit() for ch in token) or "://" in token or token.startswith("www.")
                or (len(letters) >= 2 and letters.isupper()) or re.fullmatch(r"[A-Z]\.", token)):
            return token
        first = WORD.search(token).group()
        if token[0].isupper() and len(letters) >= 2 and (
                not opens or first in names or self.ranks.get(first.lower(), LOAN_RANK) >= LOAN_RANK and (
                    before_capital or first.lower() not in self.ranks)):
            return token                             # a name (and the rest of the token: Jean-Luc)
        return WORD.sub(lambda m: self._cased(m.group()), token)

    def _cased(self, word: str) -> str:
        if len(word) >= 2 and word.isupper():
            return word                              # an acronym inside a token (made-for-TV)
        new = self.word(word.lower())
        return new.capitalize() if word[0].isupper() else new


def pseudo_bilingual(corpus: Labeled, seed: int = 0, target: str = TARGET) -> Labeled:
    """The corpus with a seeded random half of each gold story's documents (the
    odd one by a coin) pseudo-translated into `target`, every document labelled
    with its language; records and dates dropped (texts only)."""
    rng = np.random.default_rng(seed)
    language = PseudoLanguage(seed, target=target)
    members: dict[str, list[int]] = {}
    for index, story in enumerate(corpus.gold):
        members.setdefault(story, []).append(index)
    translated = set()
    for story in sorted(members):
        reports = members[story]
        half = len(reports) // 2 + (int(rng.integers(2)) if len(reports) % 2 else 0)
        translated.update(int(i) for i in rng.permutation(reports)[:half])
    texts = [language.translate(t) if i in translated else t for i, t in enumerate(corpus.texts)]
    languages = [target if i in translated else "en" for i in range(len(texts))]
    return Labeled(f"{corpus.name} pseudo-bilingual", texts, list(corpus.gold), None, None, languages, corpus.topics)


@dataclass
class Figures:
    """The stand-in's figures: per topic (bilingual, and the same documents untranslated), three-event draws, whole."""

    topics: list[tuple[str, subsets.Scored, subsets.Scored | None]]
    draws: list[subsets.Scored]
    whole: subsets.Scored | None


def topic_corpora(original: Labeled, bilingual: Labeled) -> list[tuple[str, Labeled, Labeled]]:
    """Each topic's documents, bilingual and untranslated (labelled with the same halves)."""
    labelled = Labeled(original.name, original.texts, original.gold, None, None, bilingual.languages, original.topics)
    found = []
    for topic in sorted(set(original.topics), key=lambda t: (len(t), t)):
        members = [i for i, t in enumerate(original.topics) if t == topic]
        found.append((topic, subsets.subset(bilingual, members), subsets.subset(labelled, members)))
    return found


def three_event_draw(bilingual: Labeled, rng: np.random.Generator) -> Labeled:
    """Three events (two look-alike) and singletons, as `eval_subsets.three_events` draws them."""
    return subsets.subset(bilingual, subsets.three_events(bilingual.gold, bilingual.topics, rng))


def measured(original: Labeled, draws: int = 40, whole: bool = True, seed: int = 0,
             untranslated: bool = True) -> Figures:
    """The default stories (`eval_subsets.scored`) of every topic (and of it untranslated), of
    `draws` three-event draws and of the whole."""
    bilingual = pseudo_bilingual(original, seed)
    topics = [(topic, subsets.scored(mixed), subsets.scored(plain) if untranslated else None)
              for topic, mixed, plain in topic_corpora(original, bilingual)]
    picked = subsets.scored_subsets(lambda rng: three_event_draw(bilingual, rng), draws)
    return Figures(topics, picked, subsets.scored(bilingual) if whole else None)


def _mean_worst(values: list[float]) -> str:
    return f"mean {statistics.mean(values):.4f}, worst {min(values):.4f}"


def summary(figures: Figures) -> list[str]:
    """Lines of mean and worst B-cubed F1, overall and within each language."""
    lines = []
    for name, index in (("bilingual", 1), ("untranslated", 2)):
        runs = [entry[index] for entry in figures.topics if entry[index] is not None]
        if not runs:
            continue
        codes = sorted({code for run in runs for code in run.by_language})
        within = "; ".join(f"within {code!r} {_mean_worst([r.by_language[code] for r in runs])}" for code in codes)
        lines.append(f"one topic at a time, {name}: F1 {_mean_worst([r.f1 for r in runs])}; {within}")
    lines.append(f"three events + singletons, bilingual: {subsets.summary(figures.draws)}")
    if figures.whole:
        within = ", ".join(f"{code!r} {f1:.4f}" for code, f1 in figures.whole.by_language.items())
        lines.append(f"whole, bilingual: F1 {figures.whole.f1:.4f} (within {within})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pseudo_language", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data", help="the folder holding ecbplus/")
    parser.add_argument("--below", type=float, default=0.85, help="diagnose the topics and draws under this F1")
    parser.add_argument("--draws", type=int, default=40, help="three-event draws")
    parser.add_argument("--seed", type=int, default=0, help="of the translated halves and the pseudo-words")
    args = parser.parse_args(argv)
    from benchmarks.diagnose_subsets import diagnosis

    original = load_ecbplus(args.data)
    figures = measured(original, args.draws, seed=args.seed)
    print("\n".join(summary(figures)))
    bilingual = pseudo_bilingual(original, args.seed)
    for (topic, mixed, _), (_, run, plain) in zip(topic_corpora(original, bilingual), figures.topics):
        if run.f1 < args.below:
            print(f"\ntopic {topic}: F1 {run.f1:.4f} (untranslated {plain.f1:.4f}), "
                  f"within {', '.join(f'{c} {f:.3f}' for c, f in run.by_language.items())}")
            print("\n".join("  " + line for line in diagnosis(mixed)[1]))
    for draw, run in enumerate(figures.draws):
        if run.f1 < args.below:
            corpus = three_event_draw(bilingual, np.random.default_rng(draw))
            print(f"\ndraw {draw}: F1 {run.f1:.4f}")
            print("\n".join("  " + line for line in diagnosis(corpus)[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
