"""Bytes to text: decompression, sniffing, encodings, normal form, character references.

Kept apart from `corpus.read` (which knows formats, records and ids) because
none of it depends on what the text is; everything here streams.
"""

from __future__ import annotations

import codecs
import html
import html.entities
import io
import re
import sys
import unicodedata
from typing import BinaryIO

COMPRESSIONS = {".gz": "gzip", ".zst": "zstd"}        # file suffix -> kind
MAGIC = {"gzip": b"\x1f\x8b", "zstd": b"\x28\xb5\x2f\xfd"}
CHUNK_BYTES = 1 << 16


class BinaryFile(ValueError):
    """The bytes are not text (NUL bytes near the start)."""


def sniff_compression(head: bytes) -> str | None:
    """The compression a stream starting with `head` uses, by its magic bytes."""
    return next((kind for kind, magic in MAGIC.items() if head.startswith(magic)), None)


def corrupt_stream_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged gzip/zstd stream (or a failing disk) raises."""
    import zlib
    errors: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
    if "zstandard" in sys.modules:
        errors += (sys.modules["zstandard"].ZstdError,)
    return errors


def decompress(stream: BinaryIO, compression: str) -> BinaryIO:
    """A streaming reader of the decompressed bytes ("gzip" or "zstd")."""
    if compression == "gzip":
        import gzip
        return gzip.GzipFile(fileobj=stream)
    return io.BufferedReader(_ZstdReader(stream), CHUNK_BYTES)


class _ZstdReader(io.RawIOBase):
    """Every frame of a zstd stream. Unlike zstandard's own reader it raises
    when the stream ends in the middle of a frame (a truncated file)."""

    def __init__(self, raw: BinaryIO):
        import zstandard
        self._zstd, self._raw = zstandard, raw
        self._frame, self._fed = zstandard.ZstdDecompressor().decompressobj(), False
        self._out, self._pos = b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._pos == len(self._out):
            if self._frame.eof:
                rest = self._frame.unused_data
                self._frame, self._fed = self._zstd.ZstdDecompressor().decompressobj(), False
                if rest:
                    self._feed(rest)
                continue
            chunk = self._raw.read(CHUNK_BYTES)
            if not chunk:
                if self._fed:
                    raise self._zstd.ZstdError("stream ends in the middle of a frame (truncated file?)")
                return 0
            self._feed(chunk)
        size = min(len(buffer), len(self._out) - self._pos)
        buffer[:size] = self._out[self._pos:self._pos + size]
        self._pos += size
        return size

    def _feed(self, data: bytes) -> None:
        self._out, self._pos, self._fed = self._frame.decompress(data), 0, True


class _Prepended(io.RawIOBase):
    """Bytes already read from a stream (to sniff it), then the rest of it."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._head:
            return self._rest.readinto(buffer)
        size = min(len(buffer), len(self._head))
        buffer[:size], self._head = self._head[:size], self._head[size:]
        return size


def prepend(head: bytes, rest: BinaryIO) -> BinaryIO:
    """`rest` as if `head`, already read from it, had not been."""
    return io.BufferedReader(_Prepended(head, rest), CHUNK_BYTES)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def text_encoding(head: bytes, complete: bool) -> str:
    """The codec to read a text file with, judged by its first bytes `head`
    (`complete` if that is the whole file).

    A byte-order mark decides; NUL bytes in the first 8 KB mean a binary file
    (`BinaryFile`). UTF-8 is taken unless invalid sequences outnumber valid
    non-ASCII characters (then it is damaged UTF-8, read with replacement
    characters). Otherwise charset-normalizer guesses; among its plausible
    decodings windows-1252 (the web's default legacy encoding) is preferred,
    because a few accented letters or a '£' give it too little evidence to
    tell Western code pages apart, and its first pick can then be Central
    European or even Japanese. Texts in other scripts never decode plausibly
    as windows-1252, so they keep the detector's pick.
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    if b"\0" in head[:8000]:
        raise BinaryFile("binary file (NUL bytes); not text")
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(head, final=complete)
    invalid = text.count("\ufffd") - head.count("\ufffd".encode())
    if invalid == 0 or len(re.findall(r"[^\x00-\x7f\ufffd]", text)) >= invalid:
        return "utf-8"
    import charset_normalizer
    candidates = list(charset_normalizer.from_bytes(head))
    if not candidates:
        return "utf-8"
    if any("cp1252" in match.could_be_from_charset for match in candidates):
        return "cp1252"
    return candidates[0].encoding


def normalise_text(text: str) -> str:
    """NFC and "\\n" line ends, so equal texts compare equal however they were saved."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def plain_text(text: str) -> str:
    """A record's text as read from a text field or a plain file: its character
    references decoded (`decode_entities`), then `normalise_text`."""
    return normalise_text(decode_entities(text))


_REFERENCE = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """HTML character references left in plain text (`AT&amp;T`, `&#124;`,
    `&quot;`) as the characters a reader of the page saw: scraped corpora keep
    them, and they would otherwise be words in headings, sentences and shingles.
    Only whole references ending in ";" that `html.unescape` knows are decoded
    (a bare `&`, `Q&A` and `&region=1` in an address stay), once (`&amp;amp;`
    is the `&amp;` the page showed)."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(_decoded, text)


def _decoded(match: re.Match) -> str:
    reference = match.group()
    if reference[1] != "#" and reference[1:] not in html.entities.html5:
        return reference             # `&p;` in a corpus's `S&p;` is no reference (`&notit;` would be read as `&not`)
    return html.unescape(reference)
