"""The daily index's blob encodings: varints of any size round-trip, concatenated too."""

import numpy as np

from corpus.index_store import pack_varints, unpack_varints


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
