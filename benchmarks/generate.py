"""A synthetic news-like corpus with planted near-copies, for benchmarks and evaluation.

Everything is synthesized from the seed: a pseudo-word vocabulary drawn with a
Zipf-like law (so unrelated articles share almost no word 5-grams), people,
places and outlets with their own boilerplate lines, and articles of ~3.3 KB
made of sentences of realistic length with names, numbers and dates.

About a quarter of the articles are planted copies of a recent article (which
may itself be a copy): re-posted with another outlet's boilerplate, with words
edited, sentences dropped, reordered or rewritten, boilerplate appended. Edit
strength is drawn so that the copies' exact Jaccard spreads from 1 down to well
below 0.5: clearly above a 0.8 threshold, near it, and below it.

`write_corpus` writes the corpus as JSON Lines (gzip if the name ends in .gz)
and, beside it, a truth file with every planted pair and its exact Jaccard of
word 5-shingles (computed by `corpus.shingles` and `corpus.neighbours`, the
quantity `samestory dedup` thresholds).

    python -m benchmarks.generate 100000 bench-data/generated.jsonl --seed 0
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import gzip
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

import numpy as np

from corpus import neighbours, shingles
from corpus.output import atomic_writer

VOCABULARY_SIZE = 30_000
COPY_SHARE = 0.25          # share of articles that are planted copies
COPY_WINDOW = 2_000        # a copy is made of one of the last COPY_WINDOW articles
MEAN_SENTENCES = 26
EPOCH = datetime.datetime(2023, 1, 1, tzinfo=datetime.timezone.utc)

CONSONANTS = "b c d f g h k l m n p r s t v w z br ch dr gr kr pl sh st tr th".split()
VOWELS = "a e i o u a e i o ai ea ou".split()
ACCENTED = str.maketrans({"a": "á", "e": "é", "o": "ö", "u": "ü"})
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
OUTLET_NOUNS = "Herald Times Post Courier Tribune Gazette Chronicle Observer Daily Report Wire News".split()
BOILERPLATE = [
    "Copyright {year} {outlet}. All rights reserved.",
    "Follow {outlet} for the latest updates on this story.",
    "Sign up for the {outlet} morning newsletter to get the day's top stories.",
    "Read more news from {place} and around the region at {outlet}.",
    "Have a story tip? Contact the {outlet} newsroom.",
    "This article may not be published, broadcast, rewritten or redistributed without permission.",
]
SYNDICATION_LINE = "This story originally appeared in {outlet} and is republished with permission."


@dataclass(frozen=True)
class Planted:
    """A planted copy: `copy` was made from `source`; `family` is the first
    article of the chain; `edits` says what was done, e.g. "words=12 drop=1"."""

    copy: str
    source: str
    family: str
    edits: str


@dataclass(frozen=True)
class PlantedPair:
    """A line of the truth file: a planted pair and its exact Jaccard."""

    copy: str
    source: str
    family: str
    edits: str
    jaccard: float


@dataclass
class Lexicon:
    words: np.ndarray      # object array of pseudo-words, most frequent first
    cdf: np.ndarray        # cumulative Zipf-Mandelbrot probabilities over `words`
    first_names: list[str]
    surnames: list[str]
    places: list[str]
    outlets: list[str]
    boilerplate: list[list[str]]  # per outlet, its chrome lines


@dataclass
class _Article:
    """An article as generated, kept while later copies may be made of it."""

    id: str
    family: str
    title: str
    sentences: list[str]
    outlet: int
    time: datetime.datetime
    place: str


def _pseudo_words(rng: np.random.Generator, count: int, syllables: tuple[int, int], taken: set[str]) -> list[str]:
    """`count` new distinct pseudo-words of `syllables` (low, high inclusive) syllables."""
    out: list[str] = []
    while len(out) < count:
        batch = 2 * (count - len(out))
        consonants = rng.integers(0, len(CONSONANTS), (batch, syllables[1] + 1)).tolist()
        vowels = rng.integers(0, len(VOWELS), (batch, syllables[1])).tolist()
        lengths = rng.integers(syllables[0], syllables[1] + 1, batch).tolist()
        coda = (rng.random(batch) < 0.3).tolist()
        for c, v, length, closed in zip(consonants, vowels, lengths, coda):
            word = "".join(CONSONANTS[c[i]] + VOWELS[v[i]] for i in range(length))
            word += CONSONANTS[c[-1] % 12] if closed else ""
            if word not in taken and len(out) < count:
                taken.add(word)
                out.append(word)
    return out


def lexicon(rng: np.random.Generator) -> Lexicon:
    """Vocabulary, names, places and outlets; frequent words are short, as in real text."""
    taken: set[str] = set()
    words = (
        _pseudo_words(rng, 120, (1, 1), taken)
        + _pseudo_words(rng, 2_000, (1, 2), taken)
        + _pseudo_words(rng, VOCABULARY_SIZE - 2_120, (2, 4), taken)
    )
    weights = 1.0 / (np.arange(VOCABULARY_SIZE) + 2.7) ** 1.05
    cdf = np.cumsum(weights / weights.sum())
    names = lambda k, s: [w.capitalize() for w in _pseudo_words(rng, k, s, taken)]  # noqa: E731
    first_names, surnames, places = names(400, (2, 2)), names(1_500, (2, 3)), names(300, (2, 3))
    first_names[::10] = [name.translate(ACCENTED) for name in first_names[::10]]
    outlets = [f"The {place} {OUTLET_NOUNS[i % len(OUTLET_NOUNS)]}" for i, place in enumerate(names(60, (2, 3)))]
    boilerplate = []
    for outlet in outlets:
        chosen = rng.choice(len(BOILERPLATE), size=int(rng.integers(2, 4)), replace=False)
        home = places[int(rng.integers(0, len(places)))]
        boilerplate.append([BOILERPLATE[i].format(year=2023, outlet=outlet, place=home) for i in sorted(chosen)])
    return Lexicon(np.array(words, dtype=object), cdf, first_names, surnames, places, outlets, boilerplate)


def zipf_words(lex: Lexicon, rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` words of the background vocabulary drawn by its Zipf law (an object array)."""
    return lex.words[np.searchsorted(lex.cdf, rng.random(count))]


def news_number(draw: float) -> str:
    """A number as news prints them, chosen by a uniform draw in [0, 1)."""
    value = int(draw * 5_000_000)
    return [
        f"{value // 50:,}",
        f"{value % 100}.{value % 10} percent",
        f"${value % 900 + 1} million",
        f"{value % 28 + 1} {MONTHS[value % 12]}",
        f"{value % 90 + 10}",
    ][value % 5]


class _Writer:
    """Draws sentences, articles and copies from one random stream."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.lex = lexicon(self.rng)

    def words(self, count: int) -> list[str]:
        return zipf_words(self.lex, self.rng, count).tolist()

    def sentences(self, count: int, cast: list[str], place: str) -> list[str]:
        """`count` sentences; about one token in twenty is a name, place or number."""
        rng = self.rng
        lengths = np.maximum(5, rng.gamma(4.0, 5.0, size=count).astype(int))
        tokens = self.words(int(lengths.sum()))
        entity_at = np.flatnonzero(rng.random(len(tokens)) < 0.05)
        for at, pick in zip(entity_at.tolist(), rng.random(len(entity_at)).tolist()):
            tokens[at] = cast[int(pick * 10) % len(cast)] if pick < 0.5 else place if pick < 0.6 else news_number(pick)
        comma_at = np.flatnonzero(rng.random(len(tokens)) < 0.06)
        for at in comma_at.tolist():
            tokens[at] += ","
        out = []
        start = 0
        for length, style in zip(lengths.tolist(), rng.random(count).tolist()):
            words = tokens[start : start + length]
            start += length
            words[-1] = words[-1].rstrip(",")
            words[0] = words[0][:1].upper() + words[0][1:]
            if style < 0.12:
                out.append(f"\"{' '.join(words)},\" said {cast[int(style * 100) % len(cast)]}.")
            elif style < 0.15:
                out.append(f"{' '.join(words)} on {WEEKDAYS[int(style * 1000) % 7]}?")
            else:
                out.append(" ".join(words) + ".")
        return out

    def cast(self) -> list[str]:
        lex, rng = self.lex, self.rng
        people = int(rng.integers(2, 5))
        firsts = rng.integers(0, len(lex.first_names), people).tolist()
        lasts = rng.integers(0, len(lex.surnames), people).tolist()
        return [f"{lex.first_names[f]} {lex.surnames[s]}" for f, s in zip(firsts, lasts)]

    def original(self, doc_id: str) -> _Article:
        rng, lex = self.rng, self.lex
        place = lex.places[int(rng.integers(0, len(lex.places)))]
        cast = self.cast()
        count = max(8, int(rng.normal(MEAN_SENTENCES, 5)))
        title_words = self.words(int(rng.integers(5, 10)))
        title_words[int(rng.integers(0, len(title_words)))] = cast[0].split()[-1]
        title = " ".join(w.capitalize() for w in title_words)
        time = EPOCH + datetime.timedelta(minutes=int(rng.integers(0, 365 * 24 * 60)))
        outlet = int(rng.integers(0, len(lex.outlets)))
        return _Article(doc_id, doc_id, title, self.sentences(count, cast, place), outlet, time, place)

    def copy(self, doc_id: str, source: _Article) -> tuple[_Article, str]:
        """A copy of `source` with edits of a randomly drawn strength, and what was done."""
        rng = self.rng
        strength = rng.random()
        if strength < 0.12:
            word_rate, drop_share, rewrite_share = 0.0, 0.0, 0.0
        elif strength < 0.55:
            word_rate, drop_share, rewrite_share = rng.uniform(0, 0.006), rng.uniform(0, 0.04), 0.0
        elif strength < 0.8:
            word_rate, drop_share, rewrite_share = rng.uniform(0.006, 0.03), rng.uniform(0, 0.08), rng.uniform(0, 0.05)
        else:
            word_rate, drop_share, rewrite_share = rng.uniform(0.03, 0.2), rng.uniform(0, 0.3), rng.uniform(0.05, 0.4)
        sentences = list(source.sentences)
        edits = []
        drop = int(round(drop_share * len(sentences)))
        if drop:
            keep = np.sort(rng.choice(len(sentences), size=len(sentences) - drop, replace=False))
            sentences = [sentences[i] for i in keep.tolist()]
            edits.append(f"drop={drop}")
        rewrite = int(round(rewrite_share * len(sentences)))
        if rewrite:
            fresh = self.sentences(rewrite, self.cast(), source.place)
            for at, sentence in zip(rng.choice(len(sentences), size=rewrite, replace=False).tolist(), fresh):
                sentences[at] = sentence
            edits.append(f"rewrite={rewrite}")
        changed = self.edit_words(sentences, word_rate)
        if changed:
            edits.append(f"words={changed}")
        if rng.random() < 0.3 and len(sentences) > 3:
            swaps = int(rng.integers(1, 4))
            for _ in range(swaps):
                a, b = rng.choice(len(sentences), size=2, replace=False).tolist()
                sentences[a], sentences[b] = sentences[b], sentences[a]
            edits.append(f"reorder={swaps}")
        outlet = source.outlet if rng.random() < 0.5 else int(rng.integers(0, len(self.lex.outlets)))
        if outlet != source.outlet:
            edits.append("outlet")
            if rng.random() < 0.5:
                sentences.append(SYNDICATION_LINE.format(outlet=self.lex.outlets[source.outlet]))
                edits.append("appended")
        time = source.time + datetime.timedelta(minutes=int(rng.integers(0, 72 * 60)))
        title = source.title if rng.random() < 0.7 else " ".join(self.words(3)).capitalize() + ": " + source.title
        article = _Article(doc_id, source.family, title, sentences, outlet, time, source.place)
        return article, " ".join(edits) or "none"

    def edit_words(self, sentences: list[str], rate: float) -> int:
        """Replace, insert or delete about `rate` of the words, in place; the count changed."""
        total = sum(s.count(" ") + 1 for s in sentences)
        count = int(self.rng.binomial(total, rate)) if rate else 0
        for _ in range(count):
            at = int(self.rng.integers(0, len(sentences)))
            words = sentences[at].split(" ")
            pos = int(self.rng.integers(0, len(words)))
            action = self.rng.random()
            if action < 0.6 or len(words) < 4:
                words[pos] = self.words(1)[0]
            elif action < 0.8:
                words.insert(pos, self.words(1)[0])
            else:
                del words[pos]
            sentences[at] = " ".join(words)
        return count

    def render(self, article: _Article) -> dict:
        """The article as a corpus record: paragraphs of 1-4 sentences, then its outlet's chrome."""
        rng = self.rng
        paragraphs, start = [], 0
        sizes = rng.integers(1, 5, size=len(article.sentences)).tolist()
        for size in sizes:
            if start >= len(article.sentences):
                break
            paragraphs.append(" ".join(article.sentences[start : start + size]))
            start += size
        paragraphs += self.lex.boilerplate[article.outlet]
        return {
            "id": article.id,
            "date": article.time.isoformat(),
            "title": article.title,
            "outlet": self.lex.outlets[article.outlet],
            "text": "\n\n".join(paragraphs),
        }


def generate_with_truth(n: int, seed: int = 0) -> Iterator[tuple[dict, Planted | None]]:
    """Yield `n` articles in corpus order, each with its `Planted` record if it
    is a copy. A smaller `n` gives a prefix of a larger one (same seed)."""
    writer = _Writer(seed)
    recent: list[_Article] = []
    for index in range(n):
        doc_id = f"art-{index:07d}"
        if recent and writer.rng.random() < COPY_SHARE:
            source = recent[int(writer.rng.integers(max(0, len(recent) - COPY_WINDOW), len(recent)))]
            article, edits = writer.copy(doc_id, source)
            planted = Planted(doc_id, source.id, source.family, edits)
        else:
            article, planted = writer.original(doc_id), None
        recent.append(article)
        if len(recent) > 2 * COPY_WINDOW:
            del recent[:COPY_WINDOW]
        yield writer.render(article), planted


def generate(n: int, seed: int = 0) -> Iterator[dict]:
    """`n` news-like articles (id, date, title, outlet, text), copies planted among them."""
    return (record for record, _ in generate_with_truth(n, seed))


def truth_path(corpus_path: str | Path) -> Path:
    """Where `write_corpus` puts the planted pairs: NAME.truth.tsv beside NAME.jsonl[.gz]."""
    path = Path(corpus_path)
    stem = path.name.removesuffix(".gz").removesuffix(".jsonl")
    return path.with_name(stem + ".truth.tsv")


def planted_jaccards(pairs: Iterable[tuple[str, str]], ngram: int = 5) -> list[float]:
    """Exact Jaccard of word n-gram shingles for each (text_a, text_b)."""
    pairs = list(pairs)
    if not pairs:
        return []
    flat, offsets = shingles.batch_shingle_hashes([text for pair in pairs for text in pair], ngram)
    sets = [flat[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
    return [neighbours.exact_jaccard(sets[2 * i], sets[2 * i + 1]) for i in range(len(pairs))]


def write_corpus(path: str | Path, n: int, seed: int = 0, ngram: int = 5) -> list[PlantedPair]:
    """Write `n` articles to `path` (JSON Lines, gzip if it ends in .gz) and the
    planted pairs to `truth_path(path)`; return the planted pairs."""
    texts: dict[str, str] = {}
    pending: list[Planted] = []
    truth: list[PlantedPair] = []
    with atomic_writer(path, "wb") as raw:
        with text_stream(raw, gzipped=str(path).endswith(".gz")) as stream:
            for record, planted in generate_with_truth(n, seed):
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
                texts[record["id"]] = record["text"]
                if planted:
                    pending.append(planted)
                if len(texts) > 4 * COPY_WINDOW:
                    truth += _score(pending, texts, ngram)
                    pending = []
                    texts = dict(list(texts.items())[-2 * COPY_WINDOW :])
        truth += _score(pending, texts, ngram)
    write_truth(truth_path(path), truth)
    return truth


def _score(planted: list[Planted], texts: dict[str, str], ngram: int) -> list[PlantedPair]:
    jaccards = planted_jaccards([(texts[p.copy], texts[p.source]) for p in planted], ngram)
    return [PlantedPair(p.copy, p.source, p.family, p.edits, round(j, 4)) for p, j in zip(planted, jaccards)]


@contextlib.contextmanager
def text_stream(raw: IO[bytes], gzipped: bool) -> Iterator[io.TextIOWrapper]:
    """A UTF-8 text stream over `raw`, left open for the atomic writer to close;
    gzip without a timestamp, so the output is byte-identical run to run."""
    inner = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if gzipped else raw
    stream = io.TextIOWrapper(inner, encoding="utf-8", newline="\n")
    yield stream
    stream.flush()
    stream.detach()
    if gzipped:
        inner.close()  # writes the gzip trailer; `raw` stays open


def write_truth(path: str | Path, pairs: list[PlantedPair]) -> None:
    with atomic_writer(path) as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["copy", "source", "family", "edits", "jaccard"])
        writer.writerows([p.copy, p.source, p.family, p.edits, f"{p.jaccard:.4f}"] for p in pairs)


def read_truth(path: str | Path) -> list[PlantedPair]:
    """The planted pairs of a truth file written by `write_corpus`."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            PlantedPair(row["copy"], row["source"], row["family"], row["edits"], float(row["jaccard"]))
            for row in csv.DictReader(handle, delimiter="\t")
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", help="output .jsonl or .jsonl.gz; the truth file goes beside it")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    truth = write_corpus(args.out, args.n, args.seed)
    print(f"{args.n} articles -> {args.out}; {len(truth)} planted pairs -> {truth_path(args.out)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
