"""corpus.dedup: the choice of what to remove, the two-pass engine, its outputs."""

import io
import json
import math
import random

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from benchmarks.generate import generate_with_truth
from corpus import dedup, neighbours, sketch
from corpus.dedup import DedupSettings, choose_kept, deduplicate, parse_date, priority_order
from corpus.read import Record
from corpus.shingles import shingle_hashes

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau".split()


def article(rng: random.Random, words: int = 120) -> str:
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(words))


def edited(text: str, rng: random.Random, changes: int) -> str:
    words = text.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = "changed" + str(rng.randrange(10**6))
    return " ".join(words)


def records_from(texts, dates=None) -> list[Record]:
    dates = dates or [None] * len(texts)
    return [Record(f"d{i:03d}", text, "test.jsonl", i + 1, {"id": f"d{i:03d}", "text": text}, date)
            for i, (text, date) in enumerate(zip(texts, dates))]


def run(records, **options) -> tuple[str, str, dedup.Summary]:
    """Both passes in memory; (kept JSONL, duplicates JSONL, summary)."""
    settings = DedupSettings(**options)
    sketches = dedup.sketch_corpus(iter(records), settings)
    decision = dedup.find_removals(sketches, settings)
    kept, duplicates = io.StringIO(), io.StringIO()
    dedup.write_outputs(iter(records), sketches, decision, kept, duplicates)
    sketches.spill.close()
    return kept.getvalue(), duplicates.getvalue(), decision


@pytest.fixture(scope="module")
def corpus_with_copies() -> list[Record]:
    """60 unrelated articles and 60 copies of them: light edits (J well above
    0.8) and heavy ones (J well below), plus a copy of a copy."""
    rng = random.Random(7)
    texts = [article(rng) for _ in range(60)]
    for source in range(60):
        texts.append(edited(texts[source], rng, 2 if source % 2 else 40))
    texts.append(edited(texts[61], rng, 1))
    return records_from(texts)


# ---- choose_kept: the decision itself ----

def test_chain_keeps_the_end_not_similar_to_the_kept_one():
    pairs = np.array([[0, 1], [1, 2]])
    kept_of, jaccard_of = choose_kept(3, pairs, np.array([0.9, 0.85]), np.arange(3))
    assert kept_of.tolist() == [-1, 0, -1]
    assert jaccard_of[1] == 0.9


def test_policy_order_decides_which_stays():
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    kept_of, _ = choose_kept(3, pairs, np.array([0.9, 0.9, 0.9]), np.array([2, 0, 1]))
    assert kept_of.tolist() == [2, 2, -1]


pair_graphs = st.integers(2, 25).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.floats(0.8, 1.0)), max_size=60),
        st.permutations(range(n)),
        st.randoms(use_true_random=False),
    )
)


@given(pair_graphs)
@settings(max_examples=200, deadline=None)
def test_choice_invariants_and_independence_from_pair_order(graph):
    n, edges, order, rng = graph
    edges = {(min(a, b), max(a, b)): j for a, b, j in edges if a != b}
    pairs = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
    jaccards = np.array(list(edges.values()))
    kept_of, jaccard_of = choose_kept(n, pairs, jaccards, np.array(order))
    for doc in np.flatnonzero(kept_of >= 0).tolist():
        kept = int(kept_of[doc])
        assert kept_of[kept] == -1                                   # points at a kept document
        assert jaccard_of[doc] == edges[(min(doc, kept), max(doc, kept))]   # a verified pair
    kept_docs = set(np.flatnonzero(kept_of < 0).tolist())
    assert not any(a in kept_docs and b in kept_docs for a, b in edges)  # no similar pair survives
    shuffled = list(range(len(pairs)))
    rng.shuffle(shuffled)
    flipped = pairs[shuffled][:, ::-1] if rng.random() < 0.5 else pairs[shuffled]
    again, _ = choose_kept(n, np.ascontiguousarray(flipped), jaccards[shuffled], np.array(order))
    assert again.tolist() == kept_of.tolist()


def test_priority_orders():
    lengths = np.array([5, 9, 9, 1])
    dates = np.array([30.0, math.nan, 10.0, 10.0])
    assert priority_order("first", lengths, dates).tolist() == [0, 1, 2, 3]
    assert priority_order("longest", lengths, dates).tolist() == [1, 2, 0, 3]
    assert priority_order("earliest", lengths, dates).tolist() == [2, 3, 0, 1]
    with pytest.raises(ValueError):
        priority_order("newest", lengths, dates)


@pytest.mark.parametrize("value, expected", [
    ("2023-09-13", "2023-09-13T00:00:00+00:00"),
    ("2023-09-13T10:30:00+07:00", "2023-09-13T03:30:00+00:00"),
    ("2023-09-13T10:30:00Z", "2023-09-13T10:30:00+00:00"),
    ("Wed, 13 Sep 2023 10:30:00 +0000", "2023-09-13T10:30:00+00:00"),
    ("13 September 2023", "2023-09-13T00:00:00+00:00"),
])
def test_parse_date(value, expected):
    import datetime

    assert datetime.datetime.fromtimestamp(parse_date(value), datetime.timezone.utc).isoformat() == expected


@pytest.mark.parametrize("value", [None, "", "yesterday", "3 days ago", "not a date", "September"])
def test_unknown_dates_are_nan(value):
    assert math.isnan(parse_date(value))


def test_a_large_bucket_of_copies_all_go_to_the_best_one():
    """150 identical sets share every band key; candidate_pairs gives a star and
    a chain, not all pairs. The longest (not the first) must still absorb all."""
    hashes = [np.arange(100, dtype=np.uint64)] * 150
    signatures = sketch.signatures(hashes, 128, 1)
    lengths = [10] * 150
    lengths[75] = 20
    removals = dedup.find_duplicates(hashes, signatures, 0.8, keep="longest", lengths=lengths)
    assert sorted(removals) == [i for i in range(150) if i != 75]
    assert {r.kept for r in removals.values()} == {75}
    assert len(neighbours.candidate_pairs(neighbours.band_keys(signatures, 16, 6))) < 149 * 75


# ---- the engine ----

def test_kept_and_removed_partition_the_input(corpus_with_copies):
    kept, duplicates, decision = run(corpus_with_copies)
    kept_ids = [json.loads(line)["id"] for line in kept.splitlines()]
    removed = [json.loads(line) for line in duplicates.splitlines()]
    removed_ids = [r["id"] for r in removed]
    all_ids = [r.id for r in corpus_with_copies]
    assert sorted(kept_ids + removed_ids) == sorted(all_ids)
    assert len(set(kept_ids + removed_ids)) == len(all_ids)
    assert kept_ids == [i for i in all_ids if i in set(kept_ids)]          # input order
    assert removed_ids == [i for i in all_ids if i in set(removed_ids)]
    assert {r["duplicate_of"] for r in removed} <= set(kept_ids)
    assert 30 <= len(removed) < 60                     # light copies go, heavy ones stay
    assert decision.groups == len({r["duplicate_of"] for r in removed})


def test_every_removal_is_verified_against_its_kept_document(corpus_with_copies):
    _, duplicates, _ = run(corpus_with_copies)
    texts = {r.id: r.text for r in corpus_with_copies}
    for line in duplicates.splitlines():
        row = json.loads(line)
        exact = neighbours.exact_jaccard(shingle_hashes(texts[row["id"]]), shingle_hashes(texts[row["duplicate_of"]]))
        assert row["jaccard"] == round(exact, 4) >= 0.8
        assert abs(row["jaccard_estimate"] - exact) < 0.2
        assert list(row) == ["id", "duplicate_of", "jaccard", "jaccard_estimate"]


def test_kept_records_keep_their_original_fields():
    records = records_from(["one two three four five six", "one two three four five six"])
    records[0].fields = {"text": records[0].text, "id": "d000", "extra": [1, {"x": None}]}
    kept, _, _ = run(records)
    assert kept == json.dumps(records[0].fields) + "\n"


def test_whole_file_documents_are_written_with_id_and_text_first():
    record = Record("folder/a", "some text here", "folder/a.txt", None, {"title": "T", "id": "ignored"})
    assert dedup.output_object(record) == {"id": "folder/a", "text": "some text here", "title": "T"}
    assert list(dedup.output_object(record)) == ["id", "text", "title"]


def test_same_input_same_bytes_whatever_the_jobs():
    records = [Record(r["id"], r["text"], "gen.jsonl", i + 1, r, r["date"])
               for i, (r, _) in enumerate(generate_with_truth(300, seed=3))]
    one = run(records, jobs=1, batch_size=40)
    two = run(records, jobs=2, batch_size=40)
    again = run(records, jobs=2, batch_size=40)
    assert one[:2] == two[:2] == again[:2]
    assert one[1]                                     # something was removed


def test_keep_policies(corpus_with_copies):
    rng = random.Random(3)
    base = article(rng)
    texts = [base, base + " extra words at the end", base + " a", base]
    dates = ["2023-05-02", "2023-05-03", "2023-05-01T12:00:00Z", "garbage"]
    records = records_from(texts, dates)
    survivors = {}
    for keep in dedup.KEEP_POLICIES:
        kept, duplicates, _ = run(records, keep=keep)
        survivors[keep] = [json.loads(line)["id"] for line in kept.splitlines()]
        assert {json.loads(line)["duplicate_of"] for line in duplicates.splitlines()} == set(survivors[keep])
    assert survivors == {"first": ["d000"], "longest": ["d001"], "earliest": ["d002"]}


def test_changed_input_between_passes_is_an_error():
    rng = random.Random(1)
    records = records_from([article(rng), article(rng)])
    settings = DedupSettings()
    sketches = dedup.sketch_corpus(iter(records), settings)
    decision = dedup.find_removals(sketches, settings)
    with pytest.raises(dedup.InputError, match="input changed"):
        dedup.write_outputs(iter(records[:1]), sketches, decision, io.StringIO(), None)
    with pytest.raises(dedup.InputError, match="input changed"):
        dedup.write_outputs(iter(records[::-1]), sketches, decision, io.StringIO(), None)
    sketches.spill.close()


def test_spill_reads_back_what_was_sketched():
    texts = ["a b c d e f g", "", "h i j k l m n o p q r"]
    batch = sketch.sketch_batch(texts, ngram=3, num_perm=32, seed=1, bands=8, rows=4)
    spill = dedup.Spill(32)
    spill.append(batch)
    spill.append(batch)
    for doc in range(6):
        assert spill.hashes(doc).tolist() == batch.hashes_of(doc % 3).tolist()
        assert spill.signature(doc).tolist() == batch.signatures[doc % 3].tolist()
    spill.close()


def test_deduplicate_writes_nothing_when_the_first_pass_fails(tmp_path):
    def broken():
        yield records_from(["x y z"])[0]
        raise dedup.InputError("in.jsonl", "bad JSON", 2)

    with pytest.raises(dedup.InputError):
        deduplicate(broken, DedupSettings(), str(tmp_path / "kept.jsonl"), str(tmp_path / "dups.jsonl"))
    assert list(tmp_path.iterdir()) == []
