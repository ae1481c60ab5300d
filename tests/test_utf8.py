"""Code points read from UTF-8 bytes with arrays, as Python decodes them."""

import numpy as np

from corpus.utf8 import code_points, padded


def test_code_points_of_one_to_four_byte_characters_are_those_python_decodes():
    text = "aß€😀 Zürich ﬁ İ ٣"
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    leads = np.flatnonzero((data & 0xC0) != 0x80)
    assert code_points(padded(data), leads).tolist() == [ord(char) for char in text]


def test_a_character_at_the_very_end_is_read_from_the_padding_without_error():
    data = np.frombuffer("x€".encode("utf-8"), dtype=np.uint8)
    assert code_points(padded(data), np.array([1])).tolist() == [ord("€")]
