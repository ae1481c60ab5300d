"""benchmarks.generate: a deterministic news-like corpus with planted copies."""

import gzip
import itertools
import json
import re

import numpy as np
import pytest

from benchmarks import generate
from corpus import neighbours
from corpus.shingles import shingle_hashes


@pytest.fixture(scope="module")
def sample():
    return list(generate.generate_with_truth(600, seed=4))


def test_same_seed_same_corpus_other_seed_other_corpus(sample):
    assert list(generate.generate(50, seed=4)) == [record for record, _ in sample[:50]]
    assert list(generate.generate(50, seed=5)) != [record for record, _ in sample[:50]]


def test_records_look_like_news(sample):
    records = [record for record, _ in sample]
    assert all(list(r) == ["id", "date", "title", "outlet", "text"] for r in records)
    assert len({r["id"] for r in records}) == len(records)
    sizes = [len(r["text"].encode()) for r in records]
    assert 3_000 <= np.mean(sizes) <= 3_600
    words = [w for r in records[:100] for w in r["text"].split()]
    sentences = [s for r in records[:100] for s in re.split(r'[.?]"?\s+', r["text"])]
    assert 15 <= len(words) / len(sentences) <= 28
    assert any(ch.isdigit() for ch in records[0]["text"])


def test_unrelated_articles_share_few_shingles(sample):
    originals = [r["text"] for r, planted in sample if planted is None][:80]
    hashes = [shingle_hashes(t) for t in originals]
    worst = max(neighbours.exact_jaccard(a, b) for a, b in itertools.combinations(hashes, 2))
    assert worst < 0.1


def test_copies_are_planted_with_their_family(sample):
    ids = [r["id"] for r, _ in sample]
    planted = {p.copy: p for _, p in sample if p}
    assert 0.18 <= len(planted) / len(sample) <= 0.32
    for copy, p in planted.items():
        assert ids.index(p.source) < ids.index(copy)
        assert p.family == planted[p.source].family if p.source in planted else p.family == p.source


def test_write_corpus_truth_and_gzip(tmp_path):
    plain, packed = tmp_path / "c.jsonl", tmp_path / "c2.jsonl.gz"
    truth = generate.write_corpus(plain, 400, seed=1)
    assert generate.write_corpus(packed, 400, seed=1) == truth
    text = plain.read_text(encoding="utf-8")
    assert gzip.decompress(packed.read_bytes()).decode("utf-8") == text
    assert generate.read_truth(generate.truth_path(plain)) == truth
    assert generate.truth_path(packed) == tmp_path / "c2.truth.tsv"
    records = {r["id"]: r["text"] for r in map(json.loads, text.splitlines())}
    for pair in truth[:40]:
        exact = neighbours.exact_jaccard(shingle_hashes(records[pair.copy]), shingle_hashes(records[pair.source]))
        assert pair.jaccard == round(exact, 4)
    first = packed.read_bytes()
    generate.write_corpus(packed, 400, seed=1)
    assert packed.read_bytes() == first


def test_copy_similarity_spans_the_threshold(tmp_path):
    truth = generate.write_corpus(tmp_path / "c.jsonl", 2_000, seed=2)
    jaccards = np.array([p.jaccard for p in truth])
    assert np.mean(jaccards >= 0.9) > 0.2          # clearly above 0.8
    assert np.mean((jaccards >= 0.7) & (jaccards < 0.9)) > 0.15   # near it
    assert np.mean(jaccards < 0.5) > 0.1           # clearly below


def test_command_line(tmp_path, capsys):
    assert generate.main(["30", str(tmp_path / "x.jsonl"), "--seed", "3"]) == 0
    assert len((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 30
    assert (tmp_path / "x.truth.tsv").exists()
    assert "30 articles" in capsys.readouterr().err
