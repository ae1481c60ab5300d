"""The daily index's blob encodings: varints of any size round-trip, concatenated too."""

import pickle

import numpy as np

from corpus.index import _stored_fields
from corpus.index_store import pack_text, pack_varints, stored_record, unpack_varints
from corpus.records import Record


def test_varints_round_trip_every_size_and_take_one_byte_below_128():
    values = np.array([0, 1, 127, 128, 300, 16383, 16384, 2**32 + 5, 2**63 - 1, 2**64 - 1], dtype=np.uint64)
    packed = pack_varints(values)
    assert len(pack_varints(np.array([0, 1, 127], dtype=np.uint64))) == 3
    assert len(pack_varints(np.array([128], dtype=np.uint64))) == 2
    assert unpack_varints(packed).tolist() == values.tolist()
    assert unpack_varints(packed + pack_varints(values[:3])).tolist() == values.tolist() + values[:3].tolist()
    assert pack_varints(np.empty(0, dtype=np.uint64)) == b"" and len(unpack_varints(b"")) == 0
    runs = pack_varints(values, np.array([0, 3, 3, 10]))
    assert runs == [packed[:3], b"", packed[3:]]


def test_a_stored_record_keeps_the_fields_its_page_parser_decoded():
    page = Record("p", "Text.", "a.html", None, {"title": "Q&amp;A"}, None, False, ("title",))
    plain = Record("r", "Text.", "d.jsonl", 1, {"id": "r", "title": "Q&amp;A"})
    for record in (page, plain):
        assert stored_record(record.id, pack_text(record.text), _stored_fields(record, "text")) == record
        assert pickle.loads(pickle.dumps(record)) == record
