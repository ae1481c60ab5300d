"""Where the lines of a batch of texts lie in one UTF-8 buffer, found with numpy over
the whole batch rather than line by line.

Cleaning looks at lines: a text's runs between line breaks, spaces collapsed and
stripped, empty ones left out. Most lines need nothing done to them: their only
spaces are single " " between words, so the line is its raw bytes less a space at
either end. Only the few lines with doubled spaces or other layout characters
(tabs, non-breaking and invisible spaces) are re-spaced in Python and appended to
the buffer, one per segment. A line is then a range of bytes (`starts`, `ends`),
and facts that hang on characters (word starts, colons, characters other than
printable ASCII) are found by position for the whole batch at once. The lines as
strings are made only when asked for (`line_texts`), so the first pass of
cleaning, which counts lines, rarely makes them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from corpus.line_shapes import INVISIBLE
from corpus.utf8 import PADDING, code_points

INVISIBLE_CHARS = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Characters that re.IGNORECASE matches with an ASCII letter although case folding keeps them apart.
IGNORECASE_LOOKALIKES = frozenset("ıİſ\u212a")   # dotless i, dotted capital I, long s, Kelvin sign
_NEWLINE, _SPACE, _TWO_SPACES = 0x0A, 0x20, 0x2020
_ASCII_WORD = np.array([chr(b).isascii() and (chr(b).isalnum() or b == 0x5F) for b in range(256)])
_BYTE_SUM = np.uint64(0x0101010101010101)   # times 8 bytes of 0 or 1: their sum in the top byte


@dataclass
class Layout:
    """A batch's texts in one buffer: segments are the runs between newlines (the texts'
    raw lines, then the re-spaced lines); `starts`/`ends` give each non-empty line's bytes."""

    buffer: bytes              # the texts joined by "\n", UTF-8, then "\n" and the re-spaced lines, then PADDING bytes
    odd: np.ndarray            # where the buffer's bytes other than printable ASCII are (newlines included)
    newlines: np.ndarray       # where its newlines are (segment k ends at newlines[k])
    starts: np.ndarray         # where each line's bytes start in the buffer
    ends: np.ndarray           # where they end
    offsets: np.ndarray        # page p's lines are offsets[p]:offsets[p + 1]
    unusual: frozenset[str]    # the characters of the batch other than printable ASCII
    respaced: bool = False     # whether some lines were re-spaced (their raw segments stay, out of every line)

    @functools.cached_property
    def padded(self) -> np.ndarray:
        """The buffer's bytes with the PADDING bytes after them (read past the end by `corpus.utf8.code_points`)."""
        return np.frombuffer(self.buffer, dtype=np.uint8)

    @functools.cached_property
    def data(self) -> np.ndarray:
        """The buffer's bytes."""
        return self.padded[: len(self.buffer) - PADDING]

    @functools.cached_property
    def line_of_segment(self) -> np.ndarray:
        """The line each segment holds (-1: an empty raw line or one re-spaced elsewhere)."""
        owner = np.full(len(self.newlines) + 1, -1, dtype=np.int64)
        owner[np.searchsorted(self.newlines, self.starts)] = np.arange(len(self.starts))
        return owner

    def lines_at(self, positions: np.ndarray) -> np.ndarray:
        """The line holding each byte position of the buffer (-1 for none)."""
        lines = self.line_of_segment[np.searchsorted(self.newlines, positions)]
        inside = (lines >= 0) & (positions >= self.starts[lines]) & (positions < self.ends[lines])
        return np.where(inside, lines, -1)

    def lines_with(self, needle: bytes) -> np.ndarray:
        """Whether each line holds these bytes (one byte found with `bytes.find`, the quickest
        for a byte that is seldom there; several with `occurrences`)."""
        holds = np.zeros(len(self.starts), dtype=bool)
        found = np.array(find_all(self.buffer, needle), dtype=np.int64) if len(needle) == 1 else occurrences(self.padded, needle)
        if len(found):
            lines = self.lines_at(found)
            holds[lines[lines >= 0]] = True
        return holds

    def lines_holding(self, chars: frozenset[str]) -> list[int]:
        """The lines holding any of these characters (of `unusual`)."""
        lines = self.lines_at(self.char_positions(chars)) if chars else np.zeros(0, dtype=np.int64)
        return np.unique(lines[lines >= 0]).tolist()

    def line_texts(self) -> list[str]:
        """Every line as a string (decoded from the buffer)."""
        return self._decoded(self.starts, self.ends)

    def some_lines(self, at: list[int]) -> list[str]:
        """The lines `at` as strings."""
        return self._decoded(self.starts[at], self.ends[at])

    def _decoded(self, starts: np.ndarray, ends: np.ndarray) -> list[str]:
        """The buffer's pieces starts:ends as strings (strict decoding, the quickest, unless the
        texts hold lone surrogates)."""
        pieces = map(self.buffer.__getitem__, map(slice, starts.tolist(), ends.tolist()))
        if any("\ud800" <= char <= "\udfff" for char in self.unusual):
            return list(map(bytes.decode, pieces, repeat("utf-8"), repeat("surrogatepass")))
        return list(map(bytes.decode, pieces))

    @functools.cached_property
    def non_ascii(self) -> np.ndarray:
        """The lines holding a character other than ASCII."""
        found = np.zeros(len(self.starts), dtype=bool)
        lines = self.lines_at(self.lead_bytes)
        found[lines[lines >= 0]] = True
        return found

    @functools.cached_property
    def high_bytes(self) -> np.ndarray:
        """Where the bytes of the buffer's characters other than ASCII are."""
        return self.odd[self.data[self.odd] >= 0x80]

    @functools.cached_property
    def lead_bytes(self) -> np.ndarray:
        """Where the buffer's characters other than ASCII start."""
        return self.odd[self.data[self.odd] >= 0xC0]

    @functools.cached_property
    def begin_flags(self) -> np.ndarray:
        """1 where a run of ASCII word characters begins in the buffer, else 0, zero-padded to
        whole 8-byte words (and one more)."""
        data = self.data
        flags = np.empty(len(data) // 8 * 8 + 8, dtype=np.uint8)
        flags[len(data) :] = 0
        if len(data):
            word = _ascii_word_bytes(data)
            flags[0] = word[0]
            np.greater(word[1:], word[:-1], out=flags[1 : len(data)].view(bool))
        return flags

    def runs_begun(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """How many runs of ASCII word characters begin in each range of bytes starts:ends (what
        searchsorted over `ascii_begins` would tell, without finding where they begin): the
        8-byte words the range spans summed, less the runs in its first word before it starts,
        plus those in its last word before it ends."""
        words = self.begin_flags.view("<u8")
        first, last = starts >> 3, ends >> 3
        bounds = np.empty(2 * len(starts), dtype=np.int64)
        bounds[0::2], bounds[1::2] = first, last
        spanned = np.add.reduceat((words * _BYTE_SUM) >> np.uint64(56), bounds)[0::2] if len(starts) else bounds
        return np.where(first < last, spanned.view(np.int64), 0) - self._runs_in_word_before(starts) \
            + self._runs_in_word_before(ends)

    @functools.cached_property
    def ascii_runs(self) -> np.ndarray:
        """How many runs of ASCII word characters each line holds."""
        return self.runs_begun(self.starts, self.ends)

    def line_begins(self) -> tuple[np.ndarray, np.ndarray]:
        """Where each line's runs are in `ascii_begins` (first, and past the last): the runs of
        the lines before it added up, where the lines lie in the buffer in order with nothing
        but spaces between them (no re-spaced line), else searched for."""
        if self.respaced:
            return np.searchsorted(self.ascii_begins, self.starts), np.searchsorted(self.ascii_begins, self.ends)
        last = np.cumsum(self.ascii_runs)
        return last - self.ascii_runs, last

    def _runs_in_word_before(self, positions: np.ndarray) -> np.ndarray:
        """How many runs begin in each position's 8-byte word before it."""
        head = self.begin_flags.view("<u8")[positions >> 3] & \
            ((np.uint64(1) << ((positions & 7).astype(np.uint64) * np.uint64(8))) - np.uint64(1))
        return ((head * _BYTE_SUM) >> np.uint64(56)).view(np.int64)

    @functools.cached_property
    def ascii_begins(self) -> np.ndarray:
        """Where each run of ASCII word characters begins in the buffer."""
        return np.flatnonzero(self.begin_flags.view(bool))

    def char_positions(self, chars: frozenset[str]) -> np.ndarray:
        """Where these characters (of `unusual`) are in the buffer (sorted)."""
        return _char_positions(self.padded, self.odd, chars)


def _char_positions(padded: np.ndarray, odd: np.ndarray, chars: frozenset[str]) -> np.ndarray:
    """Where these characters other than printable ASCII are in UTF-8 bytes (`padded` by
    PADDING bytes) whose bytes other than printable ASCII are at `odd` (sorted)."""
    odd_bytes = padded[odd]
    ascii_codes = [ord(char) for char in chars if char.isascii()]
    other = [ord(char) for char in chars if not char.isascii()]
    found = [odd[np.isin(odd_bytes, ascii_codes)]] if ascii_codes else []
    if other:
        lead = odd[odd_bytes >= 0xC0]
        found.append(lead[np.isin(code_points(padded, lead), other)])
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def word_runs(lay: Layout) -> np.ndarray:
    """How many runs of word characters (`\\w`, any script) each line holds: the runs of ASCII
    word characters counted from `Layout.begin_flags`; the bytes of other characters (word
    characters or separators by their code points) change where runs begin only at themselves
    and at the byte after them, so those few positions correct the counts."""
    data = lay.data
    counts = lay.ascii_runs.copy()
    high = lay.high_bytes
    if not len(high):
        return counts
    separators = sorted(ord(char) for char in lay.unusual if not char.isascii() and not (char.isalnum() or char == "_"))
    high_word = np.ones(len(high), dtype=bool)
    if separators:   # a character other than ASCII is a word character or a separator by its code point
        lead = (data[high] & 0xC0) != 0x80
        high_word = ~np.isin(code_points(lay.padded, high[lead]), separators)[np.cumsum(lead) - 1]

    def is_word(at: np.ndarray) -> np.ndarray:
        word = _ASCII_WORD[data[np.clip(at, 0, len(data) - 1)]] & (at >= 0)
        k = np.minimum(np.searchsorted(high, at), len(high) - 1)
        hit = high[k] == at
        word[hit] = high_word[k[hit]]
        return word

    # Where a run may begin otherwise: at such bytes, and at the ASCII byte after a run of them.
    after = high[np.append(high[1:] != high[:-1] + 1, True)] + 1
    changed = np.concatenate([high, after[after < len(data)]])
    change = (is_word(changed) & ~is_word(changed - 1)).astype(np.int64) - lay.begin_flags[changed]
    lines = lay.lines_at(changed)
    counts += np.bincount(lines[lines >= 0], weights=change[lines >= 0], minlength=len(counts)).astype(np.int64)
    return counts


def _ascii_word_bytes(data: np.ndarray) -> np.ndarray:
    """Whether each byte is an ASCII word character (a letter, a digit, "_"), made with one
    scratch array (fewer large temporaries: less memory mapped and faulted in)."""
    scratch = np.bitwise_or(data, np.uint8(0x20))
    scratch -= np.uint8(ord("a"))
    word = np.less(scratch, 26)   # wraps below "a"
    np.subtract(data, np.uint8(ord("0")), out=scratch)
    word |= np.less(scratch, 10, out=scratch.view(bool))
    word |= np.equal(data, ord("_"), out=scratch.view(bool))
    return word


def occurrences(data: np.ndarray, needle: bytes) -> np.ndarray:
    """Where a needle occurs in an array of bytes, overlaps included, ascending: the places of
    its last byte found with one comparison over the array, then narrowed byte by byte (for
    a needle ending in a rare byte, ". (", several times quicker than `bytes.find`)."""
    last = len(needle) - 1
    at = np.flatnonzero(data[last:] == needle[last])
    for k in range(last):
        at = at[data[at + k] == needle[k]]
    return at


def find_all(data: bytes | str, needle: bytes | str) -> list[int]:
    """Where a needle occurs in bytes or a string (fast for a needle that occurs seldom)."""
    found, at = [], data.find(needle)
    while at >= 0:
        found.append(at)
        at = data.find(needle, at + 1)
    return found


@functools.cache
def char_traits(char: str) -> tuple[bool, bool, bool]:
    """For a character other than printable ASCII: whether it changes the layout of a line
    (a space other than " ", an invisible character); whether case folding keeps it a word
    character or a separator, one character for one; and whether it may stand for ASCII
    letters in a case-insensitive match (its case folding holds some, or `re` matches it so)."""
    folded = char.casefold()
    return (
        char.isspace() or char in INVISIBLE_CHARS,
        len(folded) == 1 and folded.isalnum() == char.isalnum() and folded.isascii() == char.isascii(),
        char in IGNORECASE_LOOKALIKES or (not char.isascii() and any(c.isascii() for c in folded)),
    )


def layout(texts: list[str]) -> Layout:
    """The lines of a batch of texts laid out in one buffer."""
    encoded = list(map(str.encode, texts, repeat("utf-8"), repeat("surrogatepass")))   # ASCII texts: copied
    if any(map(bytes.__contains__, encoded, repeat(b"\r"))):   # every line break made "\n"
        encoded = [data.replace(b"\r\n", b"\n").replace(b"\r", b"\n") for data in encoded]
    # the texts, then a newline and zeros to read past the end
    buffer = b"\n".join([*encoded, bytes(PADDING - 1)]) if encoded else bytes(PADDING)
    padded = np.frombuffer(buffer, dtype=np.uint8)
    data = padded[: len(buffer) - PADDING]
    odd = _odd_bytes(buffer, data)
    newlines = odd[data[odd] == _NEWLINE]
    # Every byte of a character other than printable ASCII is odd, so those bytes, in order,
    # decode to those characters.
    unusual = frozenset(data[odd].tobytes().replace(b"\n", b"").decode("utf-8", "surrogatepass"))
    segment_starts = np.concatenate([[0], newlines + 1])
    segment_ends = np.append(newlines, len(data))
    text_ends = np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(texts)) + 1) - 1
    raw_per_page = np.diff(np.searchsorted(newlines, text_ends), prepend=-1)   # newlines inside each text, + 1

    # A segment with doubled spaces or layout characters is re-spaced in Python; any other has
    # at most a single space at either end to strip.
    respace = np.unique(np.searchsorted(newlines, _double_spaces(data))).tolist()
    layout_chars = frozenset(char for char in unusual if char_traits(char)[0])
    if layout_chars:
        found = _char_positions(padded, odd, layout_chars)
        respace = sorted(set(respace) | set(np.searchsorted(newlines, found).tolist()))
    starts = segment_starts + (padded[segment_starts] == _SPACE)   # the padding is read at the end
    trailing = (segment_ends > starts) & (padded[segment_ends - 1] == _SPACE)
    ends = segment_ends - trailing
    non_empty = ends > starts
    respaced = {}
    for k in respace:
        raw = buffer[segment_starts[k] : segment_ends[k]].decode("utf-8", "surrogatepass")
        respaced[k] = " ".join((INVISIBLE.sub("", raw) if not INVISIBLE_CHARS.isdisjoint(layout_chars) else raw).split())
        non_empty[k] = bool(respaced[k])
    kept = np.flatnonzero(non_empty)
    kept_before = np.zeros(len(non_empty) + 1, dtype=np.int64)
    np.cumsum(non_empty, out=kept_before[1:])
    offsets = kept_before[np.concatenate([[0], np.cumsum(raw_per_page)])]

    line_starts, line_ends = starts[kept], ends[kept]
    moved, appended = [], []
    position = len(data) + 1
    for k, text in respaced.items():
        if text:
            line = int(kept_before[k])
            moved.append(line)
            appended.append(text.encode("utf-8", "surrogatepass"))
            line_starts[line], line_ends[line] = position, position + len(appended[-1])
            position += len(appended[-1]) + 1
    if appended:
        tail = b"\n" + b"\n".join(appended)
        odd = np.concatenate([odd, _odd_bytes(tail, np.frombuffer(tail, dtype=np.uint8)) + len(data)])
        newlines = np.concatenate([newlines, [len(data)], line_ends[moved][:-1]])
        buffer = buffer[: len(data)] + tail + bytes(PADDING)
    return Layout(buffer, odd, newlines, line_starts, line_ends, offsets, unusual, bool(respaced))


def _double_spaces(data: np.ndarray) -> np.ndarray:
    """Where two spaces follow one another (the first of them): the bytes read two at a time,
    from an even and from an odd position (half the comparisons of byte against byte)."""
    even = data[: len(data) // 2 * 2].view("<u2") == _TWO_SPACES
    odd = data[1 : 1 + (len(data) - 1) // 2 * 2].view("<u2") == _TWO_SPACES
    if not (even.any() or odd.any()):
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate([np.flatnonzero(even) * 2, np.flatnonzero(odd) * 2 + 1]))


def _odd_bytes(raw: bytes, data: np.ndarray) -> np.ndarray:
    """Where the bytes other than printable ASCII are in `data` (the bytes `raw` starts with):
    control bytes and bytes >= 0x80 (below 0x20 as signed bytes: one comparison), and DEL
    where the bytes hold one."""
    odd = np.flatnonzero(data.view(np.int8) < 0x20)
    if b"\x7f" in raw:
        odd = np.union1d(odd, np.flatnonzero(data == 0x7F))
    return odd
