"""Names and numbers of a text, spelled so that two languages' spellings meet.

Reports of one event in two languages share little wording but the same names,
places, acronyms and numbers. A term counts when it is capitalised inside a
sentence (not as its first word) or holds a digit. It is normalised for case
(case-folded), diacritics (dropped: "Zurich" = "Zürich"), hyphens (parts
apart: "Jean-Luc" = "Jean Luc") and separators inside numbers and abbreviations
(dropped: "3,200" = "3.200", "U.S." = "US"); a closing "'s" is left out
("Putin's" is "Putin", as a language without that possessive writes it).
Nothing else depends on a language.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

TERM = re.compile(r"\w+(?:[-‐‑.,’']\w+)*")
HYPHENS = re.compile(r"[-‐‑]")
SEPARATORS = re.compile(r"[.,’']")
POSSESSIVE = re.compile(r"[’']s$", re.IGNORECASE)


def names_and_numbers(sentences: Iterable[str]) -> dict[str, str]:
    """The normalised names and numbers of a text's sentences, each with the first
    spelling found, in order of appearance."""
    found: dict[str, str] = {}
    for sentence in sentences:
        for position, match in enumerate(TERM.finditer(sentence)):
            term = POSSESSIVE.sub("", match.group())
            has_digit = any(ch.isdigit() for ch in term)
            if not has_digit and (position == 0 or not term[0].isupper()):
                continue
            for part in HYPHENS.split(term):
                key = normalise(part)
                if key:
                    found.setdefault(key, part)
    return found


def normalise(term: str) -> str:
    """A term case-folded, without diacritics or separators."""
    decomposed = unicodedata.normalize("NFKD", SEPARATORS.sub("", term).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def shared_names(first: dict[str, str], second: dict[str, str]) -> list[str]:
    """The names and numbers two texts share (from `names_and_numbers`), as the first
    text spells them, in its order."""
    return [spelling for key, spelling in first.items() if key in second]
