"""The character classes the shingle and term stages read from UTF-8 bytes:
for every character, whether it is a word character (`\\w`), a decimal
digit, a digit, a sentence opener, upper case or a number separator, looked
up per byte with arrays (ASCII through bytes.translate, other characters
through a table of every code point), once per chunk of texts for both
stages (`corpus.shingles.Words.flags`)."""

from __future__ import annotations

import functools

import numpy as np

from corpus.utf8 import code_points

SENTENCE_OPENERS = ".!?…:;\"“”«»‘’'()[]`\n"   # a word right after one of these may open a sentence
NUMBER_SEPARATORS = ".,:/"

WORD, DECIMAL, DIGIT, OPENER, UPPER, SEPARATOR = 1, 2, 4, 8, 16, 32   # bits of the character table (WORD first:
                                                                      # flags & WORD is a bool array as it is)


def byte_flags(data: np.ndarray, at: np.ndarray | None = None) -> np.ndarray:
    """The character table's flags of the character starting at each byte of
    UTF-8 `data` (or at the bytes `at`); a multi-byte character's other
    bytes get its flags too when all bytes are asked for (ASCII through
    bytes.translate, or a 256-entry table, several times faster than reading
    code points; those only for the non-ASCII characters)."""
    if at is not None:
        lead = data[at]
        flags = _ascii_flag_array()[lead]
        high = np.flatnonzero(lead >= 0x80)
        if len(high):
            flags[high] = _character_table()[code_points(data, at[high])]
        return flags
    raw = data.base if isinstance(data.base, bytes) and len(data.base) == len(data) else data.tobytes()
    flags = np.frombuffer(raw.translate(_ascii_flags()), dtype=np.uint8)
    if not raw.isascii():
        flags = flags.copy()
        high = np.flatnonzero(data >= 0x80)
        lead = (data[high] & 0xC0) != 0x80
        flags[high] = _character_table()[code_points(data, high[lead])][np.cumsum(lead) - 1]
    return flags


@functools.cache
def _ascii_flag_array() -> np.ndarray:
    """`_ascii_flags` as an array, to index with bytes."""
    return np.frombuffer(_ascii_flags(), dtype=np.uint8)


@functools.cache
def _ascii_flags() -> bytes:
    """A bytes.translate table: each ASCII byte's flags (the others are set from their code points)."""
    return bytes(_flags_of(np.arange(128, dtype=np.uint32))[np.minimum(np.arange(256), 127)].tolist())


@functools.cache
def _character_table() -> np.ndarray:
    """The flags of every code point (made when a text holds a character other than ASCII)."""
    return _flags_of(np.arange(0x110000, dtype=np.uint32))


def _flags_of(points: np.ndarray) -> np.ndarray:
    """For each code point, bits: word character (`\\w`: str.isalnum or "_"),
    decimal digit (`\\d`), digit (str.isdigit), sentence opener, upper case,
    number separator."""
    characters = points.view("<U1")
    table = (np.char.isalnum(characters) * WORD | np.char.isdecimal(characters) * DECIMAL
             | np.char.isdigit(characters) * DIGIT | np.char.isupper(characters) * UPPER).astype(np.uint8)
    for chars, flag in (("_", WORD), (SENTENCE_OPENERS, OPENER), (NUMBER_SEPARATORS, SEPARATOR)):
        table[[ord(c) for c in chars if ord(c) < len(table)]] |= flag
    return table
