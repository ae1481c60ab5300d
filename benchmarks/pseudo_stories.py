"""Bilingual folders of many multi-report stories, made from Multi-News with part of each story pseudo-translated.

The hidden bilingual sets are folders of real reports: ~120 articles of 25
stories each told in both languages, ~90 of 23 stories of which some are told
in one language only and some by one report, and small folders of 20-30.
ECB+ (`benchmarks.pseudo_language`) has two look-alike events per topic but
few stories per folder; Multi-News has thousands of stories of 2-9 reports
by different outlets. This draws, seeded, folders of its cleaned test split
(`benchmarks.eval_stories.load_multinews`) in those shapes:

* every story in both languages: BILINGUAL_STORIES stories of 3-8 reports
  (stories of 9 cut to 8; ~85 articles, as most Multi-News stories have 3);
* some stories in one language: MIXED_SHAPE's bilingual stories, stories in
  one language (2-8 reports, the language by a coin) and single reports;
* small: SMALL_STORIES bilingual stories and 2-6 single reports (20-30
  articles, stories not look-alike: ECB+'s draws cover those).

In a bilingual story a seeded 1 to n-1 of its n reports are pseudo-translated
(`benchmarks.pseudo_language`, `lowercased`: Multi-News writes names in lower
case, so words both languages' lists rank alike stand for them). Each folder
is clustered from its texts with the defaults (`eval_subsets.scored`) and
scored overall and within each language, and so is the same folder
untranslated: what the translation costs is the difference. Multi-News
truncates a story's reports to ~500 words in all, so its stories of 4 or
more reports are snippets that split even in one language (B-cubed recall
0.56 for them in the whole corpus, 0.83 overall); drawing them more often
(for ~120 articles) measured that, not the languages, and they are drawn
no more often than the others.

    python -m benchmarks.pseudo_stories --data ../shared/data [--draws 20] [--below 0.85]

prints the figures and, for folders under --below, the diagnosis of
`benchmarks.diagnose_subsets`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable

import numpy as np

from benchmarks import eval_subsets as subsets
from benchmarks.eval_stories import Labeled, load_multinews
from benchmarks.pseudo_language import TARGET, PseudoLanguage

REPORTS = (3, 8)              # reports of a bilingual story drawn (more are cut)
BILINGUAL_STORIES = 25        # the every-story-bilingual folder
MIXED_SHAPE = (14, 5, 4)      # bilingual stories, one-language stories, single reports
SMALL_STORIES = 5             # bilingual stories of a small folder ...
SINGLETONS = (2, 6)           # ... with this many single reports
DRAWS = 20                    # folders of each kind


def story_members(gold: list[str]) -> dict[str, list[int]]:
    """Per gold story its document indices."""
    members: dict[str, list[int]] = {}
    for index, story in enumerate(gold):
        members.setdefault(story, []).append(index)
    return members


def drawn_stories(members: dict[str, list[int]], smallest: int, count: int, rng: np.random.Generator,
                  taken: set[str]) -> list[str]:
    """`count` random stories of `smallest` or more reports not in `taken`."""
    pool = [story for story in sorted(members) if len(members[story]) >= smallest and story not in taken]
    return [pool[i] for i in rng.choice(len(pool), size=count, replace=False)]


def folder(corpus: Labeled, language: PseudoLanguage | None, rng: np.random.Generator, bilingual: int,
           one_language: int = 0, singles: int = 0) -> Labeled:
    """A folder of `bilingual` stories told in both languages (a seeded 1 to n-1
    of each one's n reports translated), `one_language` stories told in one
    (the language by a coin) and `singles` single reports (likewise). With
    no `language`, the same folder untranslated (languages labelled alike)."""
    members = story_members(corpus.gold)
    taken: set[str] = set()
    chosen = []                                       # (story, reports, how many translated)
    for kind, count, smallest in (("both", bilingual, REPORTS[0]), ("one", one_language, 2), ("single", singles, 1)):
        for story in drawn_stories(members, smallest, count, rng, taken) if count else []:
            taken.add(story)
            size = 1 if kind == "single" else min(len(members[story]), REPORTS[1])
            reports = [int(i) for i in rng.permutation(members[story])[:size]]
            translated = int(rng.integers(1, size)) if kind == "both" else size * int(rng.integers(2))
            chosen.append((reports, translated))
    texts, gold, languages = [], [], []
    for reports, translated in chosen:
        for at, index in enumerate(reports):
            foreign = at < translated
            texts.append(language.translate(corpus.texts[index]) if foreign and language else corpus.texts[index])
            gold.append(corpus.gold[index])
            languages.append(TARGET if foreign else "en")
    order = rng.permutation(len(texts)).tolist()     # stories interleaved, as in a folder
    return Labeled(f"{corpus.name} pseudo-bilingual folder", [texts[i] for i in order], [gold[i] for i in order],
                   None, None, [languages[i] for i in order])


def kinds(corpus: Labeled, seed: int = 0, translated: bool = True) -> list[tuple[str, Callable]]:
    """(name, draw) of the three kinds of folder; a draw takes a seeded generator."""
    language = PseudoLanguage(seed, lowercased=True) if translated else None
    return [
        ("every story in both languages", lambda rng: folder(corpus, language, rng, BILINGUAL_STORIES)),
        ("some stories in one language, some single reports",
         lambda rng: folder(corpus, language, rng, *MIXED_SHAPE)),
        ("small: bilingual stories and single reports",
         lambda rng: folder(corpus, language, rng, SMALL_STORIES, 0, int(rng.integers(SINGLETONS[0], SINGLETONS[1] + 1)))),
    ]


def measured(corpus: Labeled, draws: int = DRAWS, seed: int = 0,
             translated: bool = True) -> list[tuple[str, list[subsets.Scored]]]:
    """Per kind its name and the scores of `draws` folders (folder s drawn with seed s)."""
    return [(name, subsets.scored_subsets(draw, draws)) for name, draw in kinds(corpus, seed, translated)]


def summary(figures: list[tuple[str, list[subsets.Scored]]], untranslated: list[tuple[str, list[subsets.Scored]]]
            ) -> list[str]:
    """Per kind a line of mean and worst F1, overall and within each language,
    and a line of the same folders untranslated."""
    return [line for (name, results), (_, plain) in zip(figures, untranslated)
            for line in (f"{name}: {subsets.summary(results)}", f"  untranslated: {subsets.summary(plain)}")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pseudo_stories", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data", help="the folder holding multi-news/")
    parser.add_argument("--below", type=float, default=0.85, help="diagnose the folders under this F1")
    parser.add_argument("--draws", type=int, default=DRAWS, help="folders of each kind")
    parser.add_argument("--seed", type=int, default=0, help="of the pseudo-words")
    args = parser.parse_args(argv)
    from benchmarks.diagnose_subsets import diagnosis

    corpus = load_multinews(args.data)
    figures = measured(corpus, args.draws, args.seed)
    print("\n".join(summary(figures, measured(corpus, args.draws, args.seed, translated=False))))
    for (name, draw), (_, results) in zip(kinds(corpus, args.seed), figures):
        for seed, run in enumerate(results):
            if run.f1 < args.below:
                print(f"\n{name}, folder {seed}: F1 {run.f1:.4f}, "
                      f"within {', '.join(f'{c} {f:.3f}' for c, f in run.by_language.items())}")
                print("\n".join("  " + line for line in diagnosis(draw(np.random.default_rng(seed)))[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
