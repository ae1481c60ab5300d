"""corpus.spill: shingle hashes, signatures and band keys written by any process,
read back by document, in blocks or by unit, and the spill closed while other
work goes on."""

import os
from functools import partial

import numpy as np

from corpus import sketch, sketch_stage, spill as spill_module
from corpus.read import Record
from corpus.spill import Spill
from corpus.workers import Workers


def test_spill_reads_back_what_was_sketched():
    texts = ["a b c d e f g", "", "h i j k l m n o p q r"]
    batch = sketch.sketch_batch(texts, ngram=3, num_perm=32, seed=1, bands=8, rows=4)
    spill = Spill(32)
    spill.append(batch)
    spill.append(batch)
    for doc in range(6):
        assert spill.hashes(doc).tolist() == batch.hashes_of(doc % 3).tolist()
        assert spill.signature(doc).tolist() == batch.signatures[doc % 3].tolist()
    assert spill.places([4]).read()[4].tolist() == batch.hashes_of(1).tolist()
    spill.close()
    assert not os.path.exists(spill.folder)


def test_units_spilled_by_worker_processes_are_read_back_in_any_order():
    """Each worker writes its own files; documents are taken in the order the
    results are taken, some left out, and read back from either file."""
    texts = [" ".join(f"w{i * 7 + k}" for k in range(12)) for i in range(40)]
    units = [[Record(f"d{i}", text, "t.jsonl", i + 1) for i, text in enumerate(texts[start:start + 8], start)]
             for start in range(0, 40, 8)]
    sketcher = partial(sketch.sketch_batch, ngram=3, num_perm=16, seed=1, bands=4, rows=4)
    spill = Spill(16)
    work = partial(sketch_stage.sketch_and_spill, folder=spill.folder, sketcher=sketcher, wants_dates=False)
    with Workers(2) as workers:
        for unit, done in workers.map(work, units):
            keep = [i % 3 != 0 for i in range(len(done.ids))]
            spill.add(done.spilled, done.offsets, keep)
            keys = sketcher([record.text for record in unit]).band_keys
            assert spill.band_keys(done.spilled, len(done.ids), 4).tolist() == keys.tolist()
    assert len({name.split(".")[0] for name in os.listdir(spill.folder)}) == 2
    kept = [i for i in range(40) if (i % 8) % 3 != 0]
    expected = sketch.sketch_batch([texts[i] for i in kept], ngram=3, num_perm=16, seed=1, bands=4, rows=4)
    for doc in range(len(kept)):
        assert spill.hashes(doc).tolist() == expected.hashes_of(doc).tolist()
        assert spill.signature(doc).tolist() == expected.signatures[doc].tolist()
    spill.close()


def test_signatures_of_any_documents_in_any_order_across_blocks(monkeypatch):
    monkeypatch.setattr(spill_module, "SIGNATURE_BLOCK_BYTES", 3 * 24 * 4)     # 3 rows a block
    texts = [" ".join(f"w{i}x{k}" for k in range(i % 9 + 1)) for i in range(20)]
    batch = sketch.sketch_batch(texts, ngram=2, num_perm=24, seed=3, bands=6, rows=4)
    spill = Spill(24)
    spill.append(batch)
    spill.append(batch)
    docs = np.array([39, 0, 5, 5, 22, 3, 21, 20, 17, 38, 2], dtype=np.int64)
    assert spill.signatures(docs).tolist() == batch.signatures[docs % 20].tolist()
    assert spill.signatures(np.empty(0, dtype=np.int64)).shape == (0, 24)
    assert [spill.signature(int(doc)).tolist() for doc in docs] == batch.signatures[docs % 20].tolist()
    spill.close()


def test_closing_in_background_is_done_by_the_end_of_the_block_and_close_may_follow():
    spill = Spill(16)
    spill.append(sketch.sketch_batch(["a b c d"], ngram=2, num_perm=16, seed=1, bands=4, rows=4))
    with spill.closing_in_background():
        pass
    assert not os.path.exists(spill.folder)
    spill.close()
