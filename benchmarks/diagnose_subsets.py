"""Why a stand-in set for the hidden evaluation falls short (`benchmarks.eval_subsets`).

For each set under a B-cubed F1 bound, the gold stories the defaults merged
into one predicted story or split over several, and the evidence the
clustering had:

* merged: the two gold stories' cross mean against each one's cohesion
  (locally scaled scores, unscored pairs 0: what average linkage and the
  cohesion review compare, `corpus.cohesion`), their leads alike, the merges
  that joined them (each with its mean and its share of the looser side's
  cohesion), the terms that carry their cross pairs and their own pairs
  (names, numbers, other words), and the terms held by half or more of one
  story's reports and none of the other's, with how many such terms random
  splits of the two stories' reports into groups of the same sizes have
  (mean, standard deviation, and the gold split's z-score: two events
  written up apart have more of them than chance, one story cut in two
  not); a single report of a story in
  another's predicted story: its mean with the reports there and with its
  own story's, and the terms carrying its pairs there;
* split: the mean link between the parts against the threshold, and each
  part's cohesion.

    python -m benchmarks.diagnose_subsets --data ../shared/data [--kind ecb|dev|bilingual]
        [--below 0.85] [--seeds 24 27 ...]

Reads the corpora in place and prints; changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from benchmarks import eval_subsets as subsets
from benchmarks.eval_stories import Labeled, load_dev_stories, load_ecbplus
from corpus.agreement import bcubed
from corpus.cohesion import lead_means
from corpus.mapped import unparked
from corpus.stories import StoryResult, StorySettings, story_clusters

TOP_TERMS = 12                # terms listed per pair of stories
HALLMARK_SHARE = 0.5          # a term held by this share of one story's reports and none of the other's
RANDOM_SPLITS = 50            # random splits the hallmark count of two stories is measured against


@dataclass
class Scores:
    """A clustered set's scores by input document: scaled pair scores (symmetric),
    unit term vectors and lead vectors (rows of documents not clustered, copies, empty)."""

    pairs: sp.csr_matrix
    vectors: sp.csr_matrix
    leads: sp.csr_matrix | None


def clustered(corpus: Labeled) -> StoryResult:
    """The default stories of a corpus as `eval_subsets.labels` makes them: as
    `samestory stories` reads its records when it has them, else the texts with their dates."""
    if not corpus.records:
        return story_clusters(corpus.texts, corpus.dates, StorySettings())
    from corpus.pipeline import prepare

    prepared = prepare(corpus.records)
    return story_clusters(prepared.terms, corpus.dates or prepared.dates, StorySettings(), prepared.copy_of,
                          languages=prepared.languages)


def scores_of(result: StoryResult) -> Scores:
    """The pair scores and vectors of a result, indexed by input document."""
    count, docs = len(result.labels), result.graph.docs
    pairs, scores = (np.asarray(array) for array in result.linked.at(result.settings.threshold))
    rows, cols = docs[pairs[:, 0]], docs[pairs[:, 1]]
    matrix = sp.csr_matrix((scores, (rows, cols)), shape=(count, count))
    place = sp.csr_matrix((np.ones(len(docs)), (docs, np.arange(len(docs)))), shape=(count, len(docs)))
    leads = result.graph.space.leads
    return Scores(matrix + matrix.T, place @ unparked(result.graph.space.vectors),
                  None if leads is None else place @ leads)


def mean_score(matrix: sp.csr_matrix, first: list[int], second: list[int] | None = None) -> float:
    """Mean over the cross pairs of two groups, or over one group's own pairs (second None)."""
    if second is None:
        return float(matrix[first][:, first].sum()) / max(len(first) * (len(first) - 1), 1)
    return float(matrix[first][:, second].sum()) / (len(first) * len(second))


KIND_MARKS = {"name": "N", "number": "#", "word": "w"}   # after a listed term


def term_kind(space, term: int) -> str:
    """'number' (a digit), 'name' (mostly capitalised mid-sentence) or 'word'."""
    if space.has_digit[term]:
        return "number"
    return "name" if space.capital_share[term] >= 0.5 else "word"


def marked(space, term: int) -> str:
    """A term with the mark of its kind: "2013/#", "microsoft/N", "patch/w"."""
    return f"{space.term(term)}/{KIND_MARKS[term_kind(space, term)]}"


def carried(vectors: sp.csr_matrix, first: list[int], second: list[int] | None = None) -> np.ndarray:
    """Per term, its share of the mean cosine over two groups' cross pairs (or one group's own pairs)."""
    sums = np.asarray(vectors[first].sum(axis=0)).ravel()
    if second is None:
        squares = np.asarray(vectors[first].multiply(vectors[first]).sum(axis=0)).ravel()
        return (sums * sums - squares) / max(len(first) * (len(first) - 1), 1)
    return sums * np.asarray(vectors[second].sum(axis=0)).ravel() / (len(first) * len(second))


def merged_evidence(result: StoryResult, scores: Scores, names: tuple[str, str],
                    first: list[int], second: list[int]) -> list[str]:
    """Lines on two gold stories the defaults put in one story (module notes)."""
    space = result.graph.space
    cross, own = mean_score(scores.pairs, first, second), [mean_score(scores.pairs, g) for g in (first, second)]
    lines = [f"{names[0]} ({len(first)}) x {names[1]} ({len(second)}): cross mean {cross:.3f}, cohesion "
             f"{own[0]:.3f} / {own[1]:.3f} ({cross / max(min(own), 1e-9):.2f} of the looser)"]
    if scores.leads is not None and min(len(first), len(second)) >= 2:
        across, lead_a, lead_b = lead_means(scores.leads, first, second, result.languages)   # within each language
        lines.append(f"  leads: cross {across:.3f}, cohesion {lead_a:.3f} / {lead_b:.3f} "
                     f"({across / max(min(lead_a, lead_b), 1e-9):.2f} of the looser)")
    for merge, left, right in joining_merges(result, first, second):
        looser = min(mean_score(scores.pairs, side) if len(side) > 1 else float("inf") for side in (left, right))
        share = f", {merge.score / looser:.2f} of the looser side's cohesion" if np.isfinite(looser) else ""
        lines.append(f"  merge at {merge.score:.3f}: {side_label(left, first, second)} + "
                     f"{side_label(right, first, second)}{share}")
    for label, contributions in (("cross", carried(scores.vectors, first, second)),
                                 (names[0], carried(scores.vectors, first)), (names[1], carried(scores.vectors, second))):
        kinds = Counter()
        for term in np.flatnonzero(contributions).tolist():
            kinds[term_kind(space, term)] += contributions[term]
        top = np.argsort(-contributions)[:TOP_TERMS]
        lines.append(f"  {label} pairs carried by names {kinds['name']:.3f}, numbers {kinds['number']:.3f}, "
                     f"words {kinds['word']:.3f}: " + " ".join(
                         f"{marked(space, t)} {contributions[t]:.3f}" for t in top.tolist()
                         if contributions[t] > 0))
    held = [np.asarray((scores.vectors[group] > 0).mean(axis=0)).ravel() for group in (first, second)]
    for name, mine, theirs in ((names[0], held[0], held[1]), (names[1], held[1], held[0])):
        own_terms = [t for t in np.argsort(-mine).tolist() if mine[t] >= HALLMARK_SHARE and theirs[t] == 0]
        lines.append(f"  only in {name} (>= {HALLMARK_SHARE:g} of its reports): "
                     + (" ".join(marked(space, t) for t in own_terms[:TOP_TERMS])
                        or "none"))
    count, mean, spread = hallmarks_against_chance(scores.vectors, first, second)
    lines.append(f"  hallmark terms {count}; random splits of the same sizes {mean:.1f} +- {spread:.1f} "
                 f"(z {(count - mean) / max(spread, 1e-9):.1f})")
    return lines


def hallmark_count(presence: np.ndarray, first: np.ndarray) -> int:
    """How many terms (columns of a documents x terms presence array) are
    held by HALLMARK_SHARE or more of one side's documents (`first` True, or
    False) and none of the other's."""
    sides = [presence[first], presence[~first]]
    held = [side.sum(axis=0) for side in sides]
    return int(sum(((mine >= HALLMARK_SHARE * len(side)) & (theirs == 0)).sum()
                   for mine, theirs, side in ((held[0], held[1], sides[0]), (held[1], held[0], sides[1]))))


def hallmarks_against_chance(vectors: sp.csr_matrix, first: list[int], second: list[int],
                             splits: int = RANDOM_SPLITS) -> tuple[int, float, float]:
    """The hallmark terms of two groups (`hallmark_count`), and their mean and
    standard deviation over `splits` random splits of the groups' documents
    into two of the same sizes (seeded: the same figures every run)."""
    presence = (vectors[first + second] > 0).toarray()
    side = np.arange(len(first) + len(second)) < len(first)
    rng = np.random.default_rng(0)
    chance = [hallmark_count(presence, rng.permutation(side)) for _ in range(splits)]
    return hallmark_count(presence, side), float(np.mean(chance)), float(np.std(chance))


def lone_evidence(result: StoryResult, scores: Scores, story: str, cluster: list[int], own: list[int]) -> str:
    """A line on the one report of a gold story in another's predicted story:
    its mean score with the others there and with its own story's other reports,
    and the terms carrying its pairs there."""
    (lone,) = set(cluster) & set(own)
    there, home = [i for i in cluster if i != lone], [i for i in own if i != lone]
    space = result.graph.space
    contributions = carried(scores.vectors, [lone], there)
    top = [t for t in np.argsort(-contributions)[:TOP_TERMS].tolist() if contributions[t] > 0]
    own_mean = f"{mean_score(scores.pairs, [lone], home):.3f}" if home else "-"
    return (f"{story}: report {lone} has mean {mean_score(scores.pairs, [lone], there):.3f} with the {len(there)} "
            f"others there, {own_mean} with its own story's {len(home)}; carried by "
            + " ".join(f"{marked(space, t)} {contributions[t]:.3f}" for t in top))


def side_label(side: list[int], first: list[int], second: list[int]) -> str:
    """How many of a merge side's documents are of each of the two stories (and of others)."""
    a, b = len(set(side) & set(first)), len(set(side) & set(second))
    return f"[{a}+{b}" + (f"+{len(side) - a - b} other" if len(side) > a + b else "") + "]"


def joining_merges(result: StoryResult, first: list[int], second: list[int]):
    """(merge, left members, right members) of the result's merges that joined
    documents of `first` with documents of `second` (either side may hold both)."""
    members = {i: [i] for i in range(len(result.labels))}
    a, b = set(first), set(second)
    for merge in result.merges:
        left, right = members.pop(merge.left, [merge.left]), members.pop(merge.right, [merge.right])
        sides = [(bool(a & set(side)), bool(b & set(side))) for side in (left, right)]
        if (sides[0][0] and sides[1][1]) or (sides[0][1] and sides[1][0]):
            yield merge, left, right
        members[min(merge.left, merge.right)] = left + right


def diagnosis(corpus: Labeled, result: StoryResult | None = None) -> tuple[float, list[str]]:
    """B-cubed F1 of the default stories of a labeled set, and lines on every gold
    story of two or more reports merged with another or split (module notes)."""
    result = result or clustered(corpus)
    scores, gold, predicted = scores_of(result), corpus.gold, result.labels
    lines = []
    stories: dict[str, list[int]] = {}
    for index, story in enumerate(gold):
        stories.setdefault(story, []).append(index)
    clusters: dict[str, list[int]] = {}
    for index, label in enumerate(predicted):
        clusters.setdefault(label, []).append(index)
    for label, members in clusters.items():
        held = Counter(gold[i] for i in members)
        if len(held) < 2:
            continue
        lines.append(f"merged: {label} holds " + ", ".join(f"{story} ({n}/{len(stories[story])})"
                                                            for story, n in held.most_common()))
        for story in (story for story, n in held.items() if n == 1):
            lines.append("  " + lone_evidence(result, scores, story, members, stories[story]))
        big = [story for story, n in held.most_common() if n >= 2]
        for position, one in enumerate(big):
            for other in big[position + 1:]:
                part = [[i for i in members if gold[i] == story] for story in (one, other)]
                lines += ["  " + line for line in merged_evidence(result, scores, (one, other), *part)]
    for story, members in stories.items():
        parts: dict[str, list[int]] = {}
        for index in members:
            parts.setdefault(predicted[index], []).append(index)
        if len(parts) < 2:
            continue
        lines.append(f"split: {story} ({len(members)}) over " + ", ".join(f"{label} ({len(part)})"
                                                                        for label, part in parts.items()))
        groups = list(parts.values())
        for position, one in enumerate(groups):
            for other in groups[position + 1:]:
                own = [f"{mean_score(scores.pairs, g):.3f}" if len(g) > 1 else "-" for g in (one, other)]
                lines.append(f"  parts of {len(one)} and {len(other)}: mean link {mean_score(scores.pairs, one, other):.3f}"
                             f" (threshold {result.settings.threshold:g}), cohesion {own[0]} / {own[1]}")
    return bcubed(predicted, gold)[2], lines


DRAWS = {
    "ecb": lambda dev, ecb, rng: subsets.subset(ecb, subsets.three_events(ecb.gold, ecb.topics, rng)),
    "dev": lambda dev, ecb, rng: subsets.subset(dev, subsets.three_events(dev.gold, None, rng)),
    "bilingual": lambda dev, ecb, rng: subsets.subset(dev, subsets.every_story_bilingual(dev.gold, dev.languages,
                                                                                          rng)),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.diagnose_subsets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data", help="the folder holding ecbplus/ and dev-stories/")
    parser.add_argument("--kind", choices=sorted(DRAWS), default="ecb", help="which stand-in (as `make eval` draws it)")
    parser.add_argument("--below", type=float, default=0.85, help="diagnose the sets under this B-cubed F1")
    parser.add_argument("--seeds", type=int, nargs="*", help="these sets (default: the SUBSETS of `make eval`)")
    args = parser.parse_args(argv)
    from benchmarks.evaluate import SUBSETS

    dev, ecb = load_dev_stories(args.data), load_ecbplus(args.data)
    for seed in args.seeds if args.seeds else range(SUBSETS):
        corpus = DRAWS[args.kind](dev, ecb, np.random.default_rng(seed))
        f1, lines = diagnosis(corpus)
        if f1 < args.below or args.seeds:
            print(f"set {seed} ({len(corpus.texts)} articles, {len(set(corpus.gold))} stories): B-cubed F1 {f1:.4f}")
            print("\n".join("  " + line for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
