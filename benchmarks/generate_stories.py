"""A synthetic month of news made of stories, with the true story of every article.

Where `benchmarks.generate` plants near-copies among unrelated articles, this
corpus is made of *stories*: events with their own invented people, places,
organisations, numbers, topic words and quotes (names are generated from
syllables, never real ones), each reported by several outlets over a few days.
Every person, place and organisation has a name of its own: two never share
a surname or a name by chance (in real news the names that repeat are the
common ones, which weigh little; a rare name is one person). Every report is written on its own: its sentences are drawn from the
background vocabulary (the Zipf law of `benchmarks.generate`) and a few
sentence frames, and share with the story's other reports only its salient
entities, numbers, topic words and, now and then, a quote. Story sizes follow
a power law (most stories are one report, a few run to hundreds). Some
stories are look-alikes of a recent one: the same place and the same leading
person, another event. About one article in ten is a syndicated near-copy
of its story's first report (another outlet's chrome, a few words edited, at
times the last paragraph cut or a syndication line added); every copy is
checked to keep a Jaccard of word 5-shingles of at least 0.8 with its source,
and one that falls below is replaced by the source as it was.

Records (~3.3 KB of text, in date order): `id`, `date` (ISO 8601), `title`,
`outlet`, `text`, the gold `story` and `copy_of` (the id of the article a
planted copy was made from, else null). Streamed to disk in chunks; memory
holds the plan (a few integers per article) and the stories still running.

With `bilingual`, half of the reports (by a hash of their id; a planted
copy as its source) are in a second, invented vocabulary: every word without
a capital or a digit spelled backwards after a "q", names and numbers kept,
so the corpus has two languages whose reports of one event share what two
languages' reports share (`in_second_language`).

    python -m benchmarks.generate_stories 100000 bench-data/stories-100000.jsonl --seed 0 --days 30 [--bilingual]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from benchmarks.generate import (CONSONANTS, EPOCH, SYNDICATION_LINE, VOWELS, WEEKDAYS, Lexicon,
                                 lexicon, news_number, planted_jaccards, text_stream,
                                 zipf_words)
from corpus.output import atomic_writer

STORY_SIZE_EXPONENT = 2.2   # P(a story has k reports) ~ k^-2.2: ~2 in 3 stories are single reports
MAX_REPORTS = 300           # and at most 1% of the corpus
MAX_SPAN_DAYS = 5           # a story is reported over 1 to 5 days, longer for larger stories
COPY_SHARE = 0.16           # share of follow-up reports that are syndicated copies of the first
LOOKALIKE_SHARE = 0.15      # stories that reuse the place and leading person of a recent story
LOOKALIKE_RECENT = 40       # ... one of the 40 stories that began just before
ARTICLES_PER_PLACE = 200    # the place pool grows with the corpus, so a place recurs in ~40 stories
ARTICLES_PER_ORGANISATION = 100
MIN_SENTENCES = 16
MEAN_SENTENCES = 25         # with the frames and quotes, ~3.3 KB of text like benchmarks.generate
TOPIC_RATE, MENTION_RATE, NUMBER_RATE, COMMA_RATE = 0.04, 0.05, 0.004, 0.06
PARAGRAPH_END = 0.4         # chance that a sentence closes its paragraph
COPY_EDIT_RATE = 0.002      # a copy replaces up to this share of its words
COPY_CUT = 0.2              # chance that a copy loses its last paragraph ...
COPY_CUT_SHARE = 0.04       # ... if that is short
COPY_MIN_JACCARD = 0.8      # a copy further from its source (word 5-shingles) is replaced by the source as it was
CHUNK = 1024                # articles built at once
MINUTES_PER_DAY = 24 * 60
# sentence frames, by the cumulative probability of a sentence's style draw
QUOTE_SLOT, QUESTION, SAID, SUFFIX, PREFIX = 0.05, 0.08, 0.16, 0.26, 0.36
ORGANISATION_NOUNS = "Ministry Council Agency Bank Institute Commission Group Party Union Authority Court Police".split()
SYLLABLES = [c + v for c in CONSONANTS for v in dict.fromkeys(VOWELS)]   # 208, each spelled once
CLOSINGS = ["", *CONSONANTS[:12]]          # a name may end in a consonant
NAME_KINDS = 3                              # people, places, organisations: name codes kind + 3 * number
PERSON, PLACE, ORGANISATION = range(NAME_KINDS)
NAME_CODES = len(CLOSINGS) * len(SYLLABLES) ** 3    # 117M names: three syllables and a closing
NAME_STRIDE = 0x9E3779B97F4A7C15            # coprime with NAME_CODES (2^12 * 13^4): a bijection
ORDINARY_WORD = re.compile(r"\b[a-z][a-z']*\b")   # no capital, no digit: rewritten in the second language


@dataclass
class Plan:
    """Who reports what when, in output (date) order: per article its story
    (numbered by first appearance), minute of the month and whether it is a
    syndicated copy; per story its place and leading person (numbers) and the
    story it is a look-alike of (-1: none)."""

    story: np.ndarray
    minute: np.ndarray
    copy: np.ndarray
    place: np.ndarray
    lead: np.ndarray
    lookalike_of: np.ndarray

    @property
    def stories(self) -> int:
        return len(self.place)


def plan(n: int, days: int, rng: np.random.Generator) -> Plan:
    """Story sizes, start times, report times and copies for `n` articles over `days` days."""
    largest = min(MAX_REPORTS, max(2, n // 100))     # no story is more than 1% of a corpus
    sizes = np.minimum(rng.zipf(STORY_SIZE_EXPONENT, size=max(n, 1)), largest)
    count = int(np.searchsorted(np.cumsum(sizes), n)) + 1 if n else 0
    sizes = sizes[:count]
    sizes[-1:] -= int(sizes.sum()) - n
    start = rng.integers(0, days * MINUTES_PER_DAY, count)
    span = np.minimum(MAX_SPAN_DAYS, 1 + rng.poisson(np.log2(sizes))) * MINUTES_PER_DAY
    story = np.repeat(np.arange(count), sizes)
    rank = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    later = np.minimum(span[story], 1 + (rng.exponential(0.3, n) * span[story]).astype(np.int64))
    minute = np.minimum(start[story] + np.where(rank > 0, later, 0), days * MINUTES_PER_DAY - 1)
    copy = (rank > 0) & (rng.random(n) < COPY_SHARE)
    order = np.lexsort((rank, story, minute))       # a story's first report comes first
    story, minute, copy = story[order], minute[order], copy[order]
    appearance = np.empty(count, dtype=np.int64)
    appearance[story[rank[order] == 0]] = np.arange(count)
    place = rng.integers(0, max(50, n // ARTICLES_PER_PLACE), count)
    lead = 2 * np.arange(count)                     # leading people: even person numbers, the others odd
    lookalike_of = np.full(count, -1)
    chosen = np.flatnonzero(rng.random(count) < LOOKALIKE_SHARE)
    earlier = chosen - rng.integers(1, LOOKALIKE_RECENT + 1, len(chosen))
    for story_index, other in zip(chosen.tolist(), earlier.tolist()):   # in order: chains resolve
        if other >= 0:
            lookalike_of[story_index] = other
            place[story_index], lead[story_index] = place[other], lead[other]
    return Plan(appearance[story], minute, copy, place, lead, lookalike_of)


def coded_name(kind: int, number: int, salt: int = 0) -> str:
    """The capitalised pseudo-name of person, place or organisation `number`: three
    syllables and at times a closing consonant. Distinct (kind, number) give distinct
    names, also case-folded (the syllables and closings are spelled once each, and a
    word splits into them one way), so two people, places or organisations never share
    a name by chance; the salt (from the seed) shuffles which number gets which name."""
    code = kind + NAME_KINDS * number
    if not 0 <= code < NAME_CODES:
        raise ValueError(f"name number {number} out of range: at most {NAME_CODES // NAME_KINDS} per kind")
    code, closing = divmod((code * NAME_STRIDE + salt) % NAME_CODES, len(CLOSINGS))
    word = ""
    for _ in range(3):
        code, syllable = divmod(code, len(SYLLABLES))
        word += SYLLABLES[syllable]
    return (word + CLOSINGS[closing]).capitalize()


def _mix(value: int, salt: int) -> int:
    return ((value * 0x9E3779B97F4A7C15 + salt) & (2**64 - 1)) >> 20


@dataclass
class _Story:
    """A running story: what its reports share, and its first report for the copies."""

    label: str
    people: list[str]
    place: str
    organisations: list[str]
    topic: np.ndarray          # object array of its topic words
    mentions: np.ndarray       # object array of its names, place, organisations and numbers
    quotes: np.ndarray         # object array of complete quoted sentences
    remaining: int
    wire_id: str = ""
    wire_text: str = ""
    wire_title: str = ""
    wire_outlet: int = 0


class _StoryWriter:
    """Draws stories and their reports from one random stream."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.lex: Lexicon = lexicon(self.rng)
        self.salts = [int(s) for s in self.rng.integers(0, 2**62, 2)]
        self.other_people = 0       # people numbered so far besides the leading ones

    def person(self, number: int) -> str:
        """Person `number`'s first name (one of the lexicon's) and surname (theirs alone)."""
        first = self.lex.first_names[_mix(number, self.salts[1]) % len(self.lex.first_names)]
        return f"{first} {coded_name(PERSON, number, self.salts[0])}"

    def story(self, label: str, place: int, lead: int, organisations: int, reports: int) -> _Story:
        rng = self.rng
        others = int(rng.integers(1, 5))
        people = [self.person(lead)] + [self.person(2 * (self.other_people + k) + 1) for k in range(others)]
        self.other_people += others
        where = coded_name(PLACE, place, self.salts[0])
        orgs = [f"{coded_name(ORGANISATION, o, self.salts[0])} {ORGANISATION_NOUNS[o % len(ORGANISATION_NOUNS)]}"
                for o in rng.integers(0, organisations, int(rng.integers(1, 3))).tolist()]
        numbers = [news_number(d) for d in rng.random(int(rng.integers(3, 6))).tolist()]
        topic = self.lex.words[rng.integers(300, len(self.lex.words), 12)]
        mentions = people + [p.split()[-1] for p in people] + [where] * 3 + orgs + numbers
        quotes = []
        for length in rng.integers(10, 22, int(rng.integers(2, 5))).tolist():
            words = zipf_words(self.lex, rng, length)
            topical = rng.random(length) < 0.2
            words[topical] = topic[rng.integers(0, len(topic), int(topical.sum()))]
            text = " ".join(words.tolist())
            quotes.append(f"\"{text[:1].upper()}{text[1:]},\" said {people[int(rng.integers(0, len(people)))]}.")
        return _Story(label, people, where, orgs, topic, np.array(mentions, dtype=object),
                      np.array(quotes, dtype=object), reports)

    def bodies(self, stories: list[_Story]) -> list[str]:
        """One independently worded report for each of `stories`, built for all at once."""
        rng, count = self.rng, len(stories)
        if not count:
            return []
        sentences = np.maximum(MIN_SENTENCES, rng.normal(MEAN_SENTENCES, 5, count).astype(np.int64))
        owner = np.repeat(np.arange(count), sentences)
        style = rng.random(len(owner))
        lengths = np.where(style < QUOTE_SLOT, 1, np.maximum(5, rng.gamma(4.0, 5.0, len(owner)).astype(np.int64)))
        ends = np.cumsum(lengths)
        starts = ends - lengths
        token_owner = np.repeat(owner, lengths)
        words = zipf_words(self.lex, rng, int(ends[-1]))
        draw, pick = rng.random(len(words)), rng.random(len(words))
        for pool, low, high in (("topic", 0, TOPIC_RATE), ("mentions", TOPIC_RATE, TOPIC_RATE + MENTION_RATE)):
            at = np.flatnonzero((draw >= low) & (draw < high))
            words[at] = _pick(stories, pool, token_owner[at], pick[at])
        at = np.flatnonzero((draw >= TOPIC_RATE + MENTION_RATE) & (draw < TOPIC_RATE + MENTION_RATE + NUMBER_RATE))
        words[at] = np.array([news_number(p) for p in pick[at].tolist()], dtype=object)
        inside = np.ones(len(words), dtype=bool)
        inside[ends - 1] = False
        at = np.flatnonzero(inside & (rng.random(len(words)) < COMMA_RATE))
        words[at] = words[at] + ","
        quoted = style < QUOTE_SLOT
        words[starts[quoted]] = _pick(stories, "quotes", owner[quoted], rng.random(int(quoted.sum())))
        self.frame(words, stories, owner, style, starts, ends, rng.random(len(owner)))
        closes = np.flatnonzero(rng.random(len(owner)) < PARAGRAPH_END)
        words[ends[closes] - 1] = words[ends[closes] - 1] + "\n\n"
        bounds = np.concatenate([[0], ends[np.cumsum(sentences) - 1]]).tolist()
        tokens = words.tolist()
        return [" ".join(tokens[a:b]).replace("\n\n ", "\n\n").strip() for a, b in zip(bounds, bounds[1:])]

    def frame(self, words: np.ndarray, stories: list[_Story], owner: np.ndarray, style: np.ndarray,
              starts: np.ndarray, ends: np.ndarray, choice: np.ndarray) -> None:
        """Capitalise and punctuate every sentence that is not a quote, some in a frame
        naming the story's people, place or organisations (in place)."""
        framed = np.flatnonzero(style >= QUOTE_SLOT)
        plain = framed[style[framed] >= PREFIX]
        words[starts[plain]] = [w[:1].upper() + w[1:] for w in words[starts[plain]].tolist()]
        words[ends[plain] - 1] = words[ends[plain] - 1] + "."
        for s in framed[style[framed] < PREFIX].tolist():
            story, first, last, pick = stories[owner[s]], starts[s], ends[s] - 1, choice[s]
            person = story.people[int(pick * 97) % len(story.people)]
            organisation = story.organisations[int(pick * 89) % len(story.organisations)]
            head = words[first][:1].upper() + words[first][1:]
            if style[s] < QUESTION:
                words[first], words[last] = head, words[last] + "?"
            elif style[s] < SAID:
                words[first], words[last] = "\"" + head, f"{words[last]},\" said {person}."
            elif style[s] < SUFFIX:
                tail = (f"{person} said", f"according to {organisation}", f"officials in {story.place} said",
                        f"{organisation} said in a statement")[int(pick * 4)]
                words[first], words[last] = head, f"{words[last]}, {tail}."
            else:
                lead = (f"In {story.place},", f"According to {organisation},", f"On {WEEKDAYS[int(pick * 70) % 7]},",
                        f"{person} said")[int(pick * 4)]
                words[first], words[last] = f"{lead} {words[first]}", words[last] + "."

    def title(self, story: _Story) -> str:
        rng = self.rng
        words = zipf_words(self.lex, rng, int(rng.integers(4, 9))).tolist()
        words[int(rng.integers(0, len(words)))] = story.topic[int(rng.integers(0, len(story.topic)))]
        words.insert(int(rng.integers(0, len(words) + 1)), (story.place, story.people[0].split()[-1])[int(rng.integers(0, 2))])
        return " ".join(w[:1].upper() + w[1:] for w in words)

    def copy_body(self, story: _Story) -> str:
        """The story's first report, lightly edited: a few words replaced, at times the last paragraph cut."""
        rng = self.rng
        paragraphs = story.wire_text.split("\n\n")[: -len(self.lex.boilerplate[story.wire_outlet])]
        if rng.random() < COPY_CUT and len(paragraphs[-1]) < COPY_CUT_SHARE * len(story.wire_text):
            paragraphs = paragraphs[:-1]
        tokens = "\n\n".join(paragraphs).split(" ")
        at = rng.integers(0, len(tokens), int(rng.binomial(len(tokens), rng.uniform(0, COPY_EDIT_RATE))))
        for position, word in zip(at.tolist(), zipf_words(self.lex, rng, len(at)).tolist()):
            if tokens[position].isalpha():
                tokens[position] = word
        return " ".join(tokens)

    def chunk(self, indices: range, stories: list[_Story], schedule: Plan) -> list[dict]:
        """The records of articles `indices` (reports of `stories`): originals built
        together, then the copies, each checked to be a near-duplicate of its source."""
        rng = self.rng
        outlets = rng.integers(0, len(self.lex.outlets), len(indices)).tolist()
        originals = [k for k, i in enumerate(indices) if not schedule.copy[i]]
        bodies = dict(zip(originals, self.bodies([stories[k] for k in originals])))
        records, copies = [], []
        for k, (i, story, outlet) in enumerate(zip(indices, stories, outlets)):
            doc_id, copy_of = f"st-{i:07d}", None
            if k in bodies:
                text, title = bodies[k] + "\n\n" + self.chrome(outlet), self.title(story)
                if not story.wire_id:
                    story.wire_id, story.wire_text, story.wire_title, story.wire_outlet = doc_id, text, title, outlet
            else:
                copy_of, text = story.wire_id, self.copy_body(story)
                if outlet != story.wire_outlet and rng.random() < 0.5:
                    text += "\n\n" + SYNDICATION_LINE.format(outlet=self.lex.outlets[story.wire_outlet])
                text += "\n\n" + self.chrome(outlet)
                title = story.wire_title
                if rng.random() < 0.3:
                    title = " ".join(zipf_words(self.lex, rng, 2)).capitalize() + ": " + title
                copies.append((len(records), story))
            date = (EPOCH + datetime.timedelta(minutes=int(schedule.minute[i]))).isoformat()
            records.append({"id": doc_id, "date": date, "title": title, "outlet": self.lex.outlets[outlet],
                            "text": text, "story": story.label, "copy_of": copy_of})
        jaccards = planted_jaccards([(records[k]["text"], story.wire_text) for k, story in copies])
        for (k, story), jaccard in zip(copies, jaccards):
            if jaccard < COPY_MIN_JACCARD:        # too far for a near-copy: the source re-posted as it was
                records[k]["text"], records[k]["outlet"] = story.wire_text, self.lex.outlets[story.wire_outlet]
        return records

    def chrome(self, outlet: int) -> str:
        return "\n\n".join(self.lex.boilerplate[outlet])


def _pick(stories: list[_Story], pool: str, owners: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """For each owner (an index into `stories`), a uniformly drawn item of its story's `pool`."""
    pools = [getattr(story, pool) for story in stories]
    sizes = np.array([len(p) for p in pools])
    offsets = np.cumsum(sizes) - sizes
    flat = np.concatenate(pools) if pools else np.empty(0, dtype=object)
    return flat[offsets[owners] + (draws * sizes[owners]).astype(np.int64)]


def generate_stories(n: int, seed: int = 0, days: int = 30, bilingual: bool = False) -> Iterator[dict]:
    """`n` articles of stories over `days` days, in date order (see the module docstring)."""
    if bilingual:
        yield from map(in_second_language, generate_stories(n, seed, days))
        return
    writer = _StoryWriter(seed)
    schedule = plan(n, days, writer.rng)
    organisations = max(50, n // ARTICLES_PER_ORGANISATION)
    reports = np.bincount(schedule.story, minlength=schedule.stories)
    running: dict[int, _Story] = {}
    for first in range(0, n, CHUNK):
        indices = range(first, min(n, first + CHUNK))
        for s in schedule.story[first : first + CHUNK].tolist():
            if s not in running:
                running[s] = writer.story(f"story-{s:06d}", int(schedule.place[s]), int(schedule.lead[s]),
                                          organisations, int(reports[s]))
        stories = [running[s] for s in schedule.story[first : first + CHUNK].tolist()]
        yield from writer.chunk(indices, stories, schedule)
        for s, story in zip(schedule.story[first : first + CHUNK].tolist(), stories):
            story.remaining -= 1
            if not story.remaining:
                del running[s]


def in_second_language(record: dict) -> dict:
    """The record as it is in a bilingual corpus: unchanged, or (for half of the ids, a copy
    as its source) its title and text in the second vocabulary (module notes)."""
    source = record["copy_of"] or record["id"]
    if hashlib.blake2b(source.encode(), digest_size=8).digest()[0] % 2 == 0:
        return record
    second = lambda text: ORDINARY_WORD.sub(lambda word: "q" + word.group(0)[::-1], text)  # noqa: E731
    return {**record, "title": second(record["title"]), "text": second(record["text"])}


def write_stories(path: str | Path, n: int, seed: int = 0, days: int = 30, bilingual: bool = False) -> None:
    """Write `n` articles to `path` as JSON Lines (gzip if it ends in .gz), atomically."""
    with atomic_writer(path, "wb") as raw:
        with text_stream(raw, gzipped=str(path).endswith(".gz")) as stream:
            lines = []
            for record in generate_stories(n, seed, days, bilingual):
                lines.append(json.dumps(record, ensure_ascii=False) + "\n")
                if len(lines) == CHUNK:
                    stream.write("".join(lines))
                    lines = []
            stream.write("".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate_stories", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", help="output .jsonl or .jsonl.gz")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--days", type=int, default=30, help="days the articles are spread over")
    parser.add_argument("--bilingual", action="store_true", help="half of the reports in a second vocabulary")
    args = parser.parse_args(argv)
    if args.n < 0 or args.days < 1:
        parser.error("n must be >= 0 and --days >= 1")
    write_stories(args.out, args.n, args.seed, args.days, args.bilingual)
    print(f"{args.n} articles over {args.days} days -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
