"""corpus.decode: encodings, binary detection, streams that sniff and decompress."""

import gzip
import io

import pytest
import zstandard

from corpus.decode import (BinaryFile, decode_entities, decompress, normalise_text, plain_text, prepend, sniff_compression,
                           text_encoding)

LEGACY = [
    ("Le président a déclaré que l'économie française était en crise. Les élèves sont allés à l'école.", "latin-1"),
    ("A população de São Paulo não está satisfeita com a gestão. Informações e ações do governo à imprensa.", "latin-1"),
    ("The club agreed a transfer fee for the striker, a £15.8m signing from Italy, after talks on Monday.", "latin-1"),
    ("He said “this is the end” — and left. It’s over, they’re gone.", "cp1252"),
    ("Президент России заявил, что экономика страны находится в хорошем состоянии. Москва и Санкт-Петербург.", "cp1251"),
    ("Prezydent powiedział, że gospodarka kraju jest w dobrej kondycji. Zażółć gęślą jaźń. Łódź i Kraków.", "cp1250"),
    ("Ο πρωθυπουργός της Ελλάδας δήλωσε ότι η οικονομία της χώρας βρίσκεται σε καλή κατάσταση.", "cp1253"),
    ("日本の首相は記者会見で、経済政策について説明した。東京では雨が降っている。", "shift_jis"),
]


@pytest.mark.parametrize("text, codec", LEGACY)
def test_legacy_encodings_decode_to_the_original_text(text, codec):
    data = text.encode(codec)
    assert data.decode(text_encoding(data, True)) == text


def test_utf8_damaged_by_a_few_bytes_stays_utf8():
    data = "Grüße aus Zürich, ça va? Ünïcödé ".encode() + b"\xff\xfe"
    assert text_encoding(data, True) == "utf-8"


def test_a_sample_cut_inside_a_character_is_still_utf8():
    data = "naïve café".encode()[:-1]                 # the last 'é' is cut in half
    assert text_encoding(data, False) == "utf-8"


@pytest.mark.parametrize("data, codec", [(b"\xef\xbb\xbfabc", "utf-8-sig"), ("abc".encode("utf-16"), "utf-16"),
                                         ("abc".encode("utf-32"), "utf-32"), (b"plain ascii", "utf-8")])
def test_byte_order_marks_and_ascii(data, codec):
    assert text_encoding(data, True) == codec


def test_nul_bytes_mean_binary():
    with pytest.raises(BinaryFile):
        text_encoding(b"GIF89a\x00\x01\x02", True)


def test_prepend_serves_the_sniffed_head_then_the_rest():
    stream = io.BytesIO(b"0123456789")
    head = stream.read(4)
    assert prepend(head, stream).read() == b"0123456789"


@pytest.mark.parametrize("compress, kind", [(gzip.compress, "gzip"), (zstandard.ZstdCompressor().compress, "zstd")])
def test_sniffed_compression_decompresses(compress, kind):
    data = compress(b"some text " * 1000)
    assert sniff_compression(data) == kind
    assert decompress(io.BytesIO(data), kind).read() == b"some text " * 1000
    assert sniff_compression(b"some text") is None


def test_truncated_zstd_raises_instead_of_ending_quietly():
    data = zstandard.ZstdCompressor().compress(bytes(range(256)) * 4000)
    with pytest.raises(zstandard.ZstdError, match="middle of a frame"):
        decompress(io.BytesIO(data[: len(data) // 2]), "zstd").read()


def test_normalise_text():
    assert normalise_text("e\u0301\r\na\rb\n") == "é\na\nb\n"


@pytest.mark.parametrize("text, decoded", [
    ("AT&amp;T", "AT&T"), ("a &#124; b", "a | b"), ("&quot;x&quot; &#39;y&#x27;", "\"x\" 'y'"),
    ("Jakarta &ndash; Rabu", "Jakarta – Rabu"), ("&lt;p&gt;", "<p>"),
    ("S&p; 500, Q&A, R & D", "S&p; 500, Q&A, R & D"),            # no references
    ("?id=5&region=us&copy=1", "?id=5&region=us&copy=1"),        # unterminated: an address's parameters
    ("&notit;", "&notit;"), ("&amp;amp;", "&amp;"),              # whole references only, decoded once
])
def test_decode_entities(text, decoded):
    assert decode_entities(text) == decoded


def test_plain_text_decodes_before_the_normal_form():
    assert plain_text("e&#769;&#13;\r\nx") == "é\n\nx"
    text = "no references here"
    assert decode_entities(text) is text
