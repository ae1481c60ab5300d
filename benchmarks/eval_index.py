"""Stories of the daily index against one-shot `samestory stories`, on dated
labelled corpora: the articles are added to a fresh index one day at a time
(in date order, input order within a day; an undated article with the feed
of the article before it in the input, and again, in a second row, after
every dated day), and the index's stories are scored against the gold
stories next to those of `samestory stories` on the whole corpus, with the
gap between the two and their agreement. Dates are read as `stories` reads
them (the date field, else the text).

    python -m benchmarks.eval_index --data ../shared/data [--generated 20000]

Corpora: dev-stories (real English and Indonesian excerpts, dates where
visible), the UCI headlines (dates from their timestamps) and, with
--generated N, N articles of `benchmarks.generate_stories` (30 days). The
data is read in place; indexes go to a temporary folder. Exit status 1 when
the index's B-cubed F1 is more than TOLERANCE below the one-shot command's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.eval_stories import Labeled, load_dev_stories, load_uci_head
from benchmarks.evaluate import command_labels
from corpus.index import add_records, story_label
from corpus.index_store import IndexSettings, open_index
from corpus.index_terms import describe
from corpus.read import Record
from corpus.agreement import bcubed

TOLERANCE = 0.03


def dated_records(corpus: Labeled) -> list[Record]:
    """The corpus's records, with the dates the loader found as their date field."""
    if corpus.records:
        return corpus.records
    dates = corpus.dates or [None] * len(corpus.texts)
    return [Record(id=str(i), text=text, source=corpus.name, line=i, date=day.isoformat() if day else None)
            for i, (text, day) in enumerate(zip(corpus.texts, dates))]


def feed_days(days: list[int | None], undated_last: bool) -> list[int | None]:
    """The day each record is added on: its own; for an undated one, that of
    the dated record before it in input order (after it, if none is before:
    the feed it came with), or, with `undated_last`, after every dated day."""
    if undated_last:
        return days
    known = [d for d in days if d is not None]
    feed, previous = [], known[0] if known else None
    for day in days:
        previous = day if day is not None else previous
        feed.append(previous)
    return feed


def daily_labels(records: list[Record], folder: Path, undated_last: bool = False) -> tuple[list[str], int, float]:
    """Story labels of the records added day by day to a fresh index; the number of adds; seconds."""
    days = feed_days(describe(records).days, undated_last)
    order = sorted(range(len(records)), key=lambda i: (days[i] is None, days[i] or 0, i))
    connection, settings = open_index(folder / "eval.db", create=IndexSettings())
    label: dict[int, str] = {}
    started, adds = time.perf_counter(), 0
    try:
        batch: list[int] = []
        for position, i in enumerate(order):
            batch.append(i)
            following = order[position + 1] if position + 1 < len(order) else None
            if following is None or days[following] != days[i]:
                summary = add_records(connection, settings, [records[k] for k in batch])
                label.update({k: line.story for k, line in zip(batch, summary.lines)})
                batch, adds = [], adds + 1
        final = {doc_id: story for doc_id, story in connection.execute(
            "SELECT id, story FROM articles ORDER BY seq")}       # merges relabel earlier articles
    finally:
        connection.close()
    return [story_label(final[r.id]) for r in records], adds, time.perf_counter() - started


def generated_corpus(n: int, days: int = 30) -> Labeled:
    from benchmarks.generate_stories import generate_stories

    rows = list(generate_stories(n, seed=0, days=days))
    records = [Record(id=r["id"], text=r["text"], source="generated", line=i, fields={"title": r["title"]},
                      date=r["date"]) for i, r in enumerate(rows)]
    return Labeled(f"generate_stories {n:,} ({days} days)", [r["text"] for r in rows], [r["story"] for r in rows],
                   None, records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--generated", type=int, default=0, help="also N articles of generate_stories")
    args = parser.parse_args(argv)
    corpora = [load_dev_stories(args.data), load_uci_head(args.data)]
    if args.generated:
        corpora.append(generated_corpus(args.generated))
    missed = False
    print(f"{'corpus':<50} {'adds':>5} {'one-shot F1':>11} {'daily F1':>8} {'P':>6} {'R':>6} {'gap':>7} "
          f"{'agreement F1':>12} {'s one-shot':>10} {'s daily':>8}")
    for corpus in corpora:
        records = dated_records(corpus)
        one_shot, one_shot_seconds = command_labels(corpus)
        reference = bcubed(one_shot, corpus.gold)[2]
        undated = any(day is None for day in describe(records).days)
        for undated_last in (False, True) if undated else (False,):
            with tempfile.TemporaryDirectory() as folder:
                daily, adds, seconds = daily_labels(records, Path(folder), undated_last)
            precision, recall, f1 = bcubed(daily, corpus.gold)
            agreement = bcubed(daily, one_shot)[2]
            missed |= f1 < reference - TOLERANCE and not undated_last
            name = corpus.name + (" (undated last)" if undated_last else "")
            print(f"{name:<50} {adds:>5} {reference:>11.4f} {f1:>8.4f} {precision:>6.3f} {recall:>6.3f} "
                  f"{reference - f1:>7.4f} {agreement:>12.4f} {one_shot_seconds:>10.1f} {seconds:>8.1f}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
