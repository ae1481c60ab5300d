"""Blobs spilled by units and read back one at a time, in runs, or as a sequence of items."""

import pickle

import numpy as np

from corpus.blobs import Blobs, StoredItems, blob_writer, forget_writers, pickled, read_part


def test_blobs_come_back_in_the_order_their_parts_were_added(tmp_path):
    folder = str(tmp_path)
    first = blob_writer(folder, "test").write([b"a", b"", b"ccc"])
    second = blob_writer(folder, "other").write([b"dd"])
    third = blob_writer(folder, "test").write([b"eeee", b"f"])
    blobs = Blobs(folder)
    for part in (first, second, third):
        blobs.add(part)
    assert len(blobs) == 6
    assert [blobs.read(i) for i in range(6)] == [b"a", b"", b"ccc", b"dd", b"eeee", b"f"]
    assert blobs.read_run(1, 6) == [b"", b"ccc", b"dd", b"eeee", b"f"]
    assert read_part(folder, third) == [b"eeee", b"f"]
    blobs.close()
    forget_writers(folder)


def test_stored_items_are_a_sequence_of_what_was_pickled(tmp_path):
    folder = str(tmp_path)
    items = [(i, f"text {i}", np.arange(i)) for i in range(600)]
    blobs = Blobs(folder)
    blobs.add(blob_writer(folder, "items").write([pickled(item) for item in items[:250]]))
    blobs.add(blob_writer(folder, "items").write([pickled(item) for item in items[250:]]))
    texts = StoredItems(blobs, lambda data: pickle.loads(data)[1])
    assert len(texts) == 600 and texts[0] == "text 0" and texts[-1] == "text 599" and texts[3:5] == ["text 3", "text 4"]
    assert list(texts) == [text for _, text, _ in items]
    assert np.array_equal(StoredItems(blobs)[7][2], np.arange(7))
    blobs.close()
    forget_writers(folder)
