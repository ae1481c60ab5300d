"""What two code trees' cleaning does differently on one corpus.

usage: python -m benchmarks.clean_diff OLD NEW CORPUS.jsonl [--show N] [--keep DIR]

OLD and NEW are code trees (directories holding `corpus/`) or dumps this tool kept
(`--keep DIR` writes each tree's dump there, to be passed again instead of the tree).
Each tree cleans the corpus as the story commands do (the stream counted in units of
500 records, then each unit cleaned against the counts, the title taken as `stories`
takes it), in its own process, the two at once. For each document the dump holds a
hash of its title and cleaned text, the title and the pieces removed with their rules.
The documents whose hashes differ are counted by kind (a piece newly cut, per rule; a
piece newly kept, per the rule that cut it; a title changed; the text alone changed,
e.g. joined differently) and the first N are shown.

Why: rules that look at what repeats across pages ("on two or more pages") fire
differently at a million documents than on the test corpora; a rule that cut real last
paragraphs only at 1,000,000 is seen only by cleaning 1,000,000.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys
import tempfile

UNIT = 500


def dump(tree: str, corpus: str, out: str) -> None:
    """Write one JSON line per document of the corpus as the tree's code cleans it:
    [id, hash of title and text, title, [[piece, rule], ...]]."""
    sys.path.insert(0, os.path.abspath(tree))
    from corpus import clean, metadata
    from corpus.read import read_records

    def units():
        batch = []
        for record in read_records([corpus], on_error=lambda error: None):   # skipped, as the commands skip them
            batch.append(record)
            if len(batch) == UNIT:
                yield batch
                batch = []
        if batch:
            yield batch

    counts, parts = clean.LineCounts.empty(), []
    for unit in units():
        parts.append(clean.line_key_counts([r.text for r in unit]))
        if len(parts) == 64:   # merged as they come: the counts of a large corpus stay one array
            counts, parts = clean.LineCounts.merged([counts, *parts]), []
    counts = clean.LineCounts.merged([counts, *parts]).repeated()
    with open(out, "w", encoding="utf-8") as f:
        for unit in units():
            for record, cleaned in zip(unit, clean.clean_batch([r.text for r in unit], counts)):
                title = metadata.story_metadata(record.text, record.fields, cleaned).title
                digest = hashlib.md5(f"{title}\x01{cleaned.text}".encode("utf-8", "surrogatepass")).hexdigest()
                removed = [[r.text, r.reason] for r in cleaned.removed]
                f.write(json.dumps([record.id, digest, title, removed], ensure_ascii=False) + "\n")


def dumps(trees: list[str], corpus: str, keep: str) -> list[str]:
    """The dump of each tree (a dump given stays as it is), the trees cleaned at once."""
    paths, running = [], []
    for n, tree in enumerate(trees):
        if os.path.isfile(tree):
            paths.append(tree)
            continue
        path = os.path.join(keep, f"{n}-{os.path.basename(os.path.abspath(tree))}.jsonl")
        running.append(subprocess.Popen([sys.executable, os.path.abspath(__file__), "--dump", tree, corpus, path]))
        paths.append(path)
    if any(process.wait() for process in running):
        raise SystemExit("a tree failed to clean the corpus")
    return paths


def differences(old_path: str, new_path: str):
    """(id, what changed) for each document whose title or text differs; what changed:
    pieces newly cut and newly kept (text, rule), and the titles if they differ."""
    with open(old_path, encoding="utf-8") as old, open(new_path, encoding="utf-8") as new:
        for a, b in zip(old, new):
            if a == b:
                continue
            (doc, old_hash, old_title, old_removed), (_, new_hash, new_title, new_removed) = json.loads(a), json.loads(b)
            if old_hash == new_hash:
                continue
            before = collections.Counter(map(tuple, old_removed))
            after = collections.Counter(map(tuple, new_removed))
            yield doc, {"cut": sorted((after - before).elements()), "kept": sorted((before - after).elements()),
                        "title": (old_title, new_title) if old_title != new_title else None}


def report(changes, show: int, out=sys.stdout) -> dict:
    """Print the first `show` documents that differ, then the counts by kind; returns the counts."""
    kinds = collections.Counter()
    documents = 0
    for doc, change in changes:
        documents += 1
        kinds.update(f"newly cut ({rule})" for _, rule in change["cut"])
        kinds.update(f"newly kept ({rule})" for _, rule in change["kept"])
        if change["title"]:
            kinds["title changed"] += 1
        if not (change["cut"] or change["kept"] or change["title"]):
            kinds["text alone changed"] += 1
        if documents <= show:
            print(f"== {doc}", file=out)
            for label, key in (("CUT ", "cut"), ("KEPT", "kept")):
                for text, rule in change[key]:
                    print(f"  {label} [{rule}] {text[:300]!r}", file=out)
            if change["title"]:
                print(f"  TITLE {change['title'][0]!r} -> {change['title'][1]!r}", file=out)
    print(f"documents changed: {documents}", file=out)
    for kind, n in sorted(kinds.items()):
        print(f"  {kind}: {n}", file=out)
    return {"documents": documents, **kinds}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--dump"]:
        dump(*argv[1:4])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("corpus")
    parser.add_argument("--show", type=int, default=30, help="documents shown (default 30)")
    parser.add_argument("--keep", help="directory to keep the dumps in (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        old, new = dumps([args.old, args.new], args.corpus, args.keep or scratch)
        report(differences(old, new), args.show)


if __name__ == "__main__":
    main()
