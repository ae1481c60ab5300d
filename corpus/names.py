"""Names and numbers of a text, spelled so that two languages' spellings meet.

Reports of one event in two languages share little wording but the same names,
places, acronyms and numbers. A term counts when it is capitalised inside a
sentence (not as its first word) or holds a digit; a capitalised first word
counts too when the text never writes it in lower case and the other text has
it inside a sentence. It is normalised for case
(case-folded), diacritics (dropped: "Zurich" = "Zürich"), hyphens (parts
apart: "Jean-Luc" = "Jean Luc") and separators inside numbers and abbreviations
(dropped: "3,200" = "3.200", "U.S." = "US"); a closing "'s" is left out
("Merkel's" is "Merkel", as a language without that possessive writes it).
Nothing else depends on a language.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, NamedTuple

TERM = re.compile(r"\w+(?:[-‐‑.,’']\w+)*")
HYPHENS = re.compile(r"[-‐‑]")
SEPARATORS = re.compile(r"[.,’']")
POSSESSIVE = re.compile(r"[’']s$", re.IGNORECASE)


class Names(NamedTuple):
    """A text's names and numbers (normalised: first spelling, in order of appearance),
    and those of them seen only where a sentence opens (`opening`): a name to the text
    that never writes it in lower case, counted when the other text has it inside a
    sentence ("Wagner said ..." against "... bos Wagner")."""

    spellings: dict[str, str]
    opening: frozenset[str]


def names_and_numbers(sentences: Iterable[str]) -> Names:
    """The normalised names and numbers of a text's sentences."""
    found: dict[str, str] = {}
    inside: set[str] = set()
    lower: set[str] = set()
    for sentence in sentences:
        for position, match in enumerate(TERM.finditer(sentence)):
            term = POSSESSIVE.sub("", match.group())
            named = any(ch.isdigit() for ch in term) or (position > 0 and term[0].isupper())
            if not named and not term[0].isupper():
                lower.update(normalise(part) for part in HYPHENS.split(term))
                continue
            for part in HYPHENS.split(term):
                key = normalise(part)
                if key:
                    found.setdefault(key, part)
                    if named:
                        inside.add(key)
    spellings = {key: spelling for key, spelling in found.items() if key in inside or key not in lower}
    return Names(spellings, frozenset(spellings.keys() - inside))


def normalise(term: str) -> str:
    """A term case-folded, without diacritics or separators."""
    decomposed = unicodedata.normalize("NFKD", SEPARATORS.sub("", term).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def shared_names(first: Names, second: Names) -> list[str]:
    """The names and numbers two texts share (from `names_and_numbers`; not a term both
    have only where a sentence opens), as the first text spells them, in its order."""
    return [spelling for key, spelling in first.spellings.items()
            if key in second.spellings and not (key in first.opening and key in second.opening)]
