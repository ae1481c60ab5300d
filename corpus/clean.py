"""Separate a news page's content from its site chrome.

Crawled news text carries the page around the article: dates, bylines, photo
credits, "read more" links, advertisement slots, share and comment prompts,
"most read" lists, copyright footers. None of it is what the outlet reported,
so none of it may count when reports are compared.

The rules look at structure only, never at a list of phrases, so they hold for
any language written with spaces between words:

* a paragraph (one line) is content when it reads as prose: it ends with
  sentence punctuation, or it is long, mostly lower-case and not a title;
* a line that is not prose is chrome: navigation, buttons, labels, numbers,
  section names, names alone on a line; the first such line of some length
  at the top is the headline, kept apart as metadata;
* lines shaped like chrome are named for what they are: date lines, credits
  ("Label: Proper Names", all-capitals agency credits), copyright lines, links;
* a line that also occurs in other documents of the corpus is boilerplate
  unless it is prose or a list item of more than a few words (a quote two
  outlets share is content, and so is every paragraph of a wire copy); an
  unpunctuated phrase that three or more documents carry is boilerplate;
* a sentence repeated inside one document (a caption repeating the lede) is
  kept once, where the body has it;
* parts of content paragraphs are trimmed, never the paragraph: a dateline
  opening one of the first paragraphs ("SITE.COM, CITY --"), a credit in
  brackets after a paragraph's last sentence ("(Site.com/Name)"), a byline
  glued to the last sentence, the headline and its photo credit glued to the
  start of a paragraph.

Everything removed is kept, with its reason, in `Cleaned.removed`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

# Reasons, as shown to users and read back by `corpus.metadata`.
HEADLINE = "headline"
DATE = "date"
DATELINE = "dateline"
CREDIT = "credit"
COPYRIGHT = "copyright"
LINK = "link"
REPEATED = "repeated in the document"
BOILERPLATE = "repeated across documents"
TRUNCATED = "truncated teaser"
NOT_A_SENTENCE = "not a sentence"
ALWAYS_CHROME = frozenset({COPYRIGHT, LINK})   # removed even when nothing else would be left

MIN_SENTENCE_WORDS = 3       # fewer words than this is never a sentence on its own line
LONG_LINE_WORDS = 10         # an unpunctuated line this long may still be prose
SHORT_SENTENCE_WORDS = 6     # a punctuated line this short that other documents carry is boilerplate
MAX_HEADLINE_WORDS = 30
MAX_CHROME_WORDS = 20        # copyright, link and date lines are short

WORD = re.compile(r"\w+")
SPACES = re.compile(r"[^\S\n]+")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
CLOSERS = "\"'”’»)]"
TERMINAL_MARKS = frozenset(".!?…。！？।؟")
SENTENCE_BREAK = re.compile(rf"[.!?…。！？।][{re.escape(CLOSERS)}]*\s+[\"'“‘«(]*(\w)")
URL = re.compile(r"https?://|www\.\w", re.IGNORECASE)
COPYRIGHT_MARK = re.compile(r"©|(?:\(c\)|\bcopyright\b)\s*(?:19|20)\d\d", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d")
NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2}(?!\d))")
DAY_NUMBER = re.compile(r"(?<![\d:.])(?:[1-9]|[12]\d|3[01])(?![\d:%]|[.,]\d)")
LABEL = re.compile(r"^(?P<label>[^\W\d_][\w.'’-]*(?:[ \t]+[\w.'’-]+){0,2})[ \t]*:[ \t]*(?P<value>.*)$")
LIST_ITEM = re.compile(r"^(?:[-•*–·▪]|\d{1,2}[.)])\s+\S")
DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b")
# "SITE.CO.ID, CITY --", "WASHINGTON (Agency) -", "City, Site.com –": capitalised words up to a dash.
DATELINE_PREFIX = re.compile(r"^(?P<prefix>[^\s\"“‘'][^\n]{0,80}?)\s+(?P<dash>--|[-–—])\s+(?=\S)")
TRAILING_BRACKET_CREDIT = re.compile(rf"(?<=[.!?…{re.escape(CLOSERS)}])\s*\((?P<credit>[^()]{{2,80}})\)\s*$")


@dataclass
class Removed:
    """A piece of a document that is not content, and why."""

    text: str
    reason: str


@dataclass
class Cleaned:
    """A document's content (paragraphs separated by blank lines) and what was removed, in order."""

    text: str
    removed: list[Removed] = field(default_factory=list)


def clean_corpus(texts: list[str]) -> list[Cleaned]:
    """Clean every document; lines are compared across the whole corpus."""
    documents = [_lines(text) for text in texts]
    keys = [[_key(line) for line in lines] for lines in documents]
    in_several = _documents_per_key(keys)
    seen_lowercase = _words_seen_lowercase(documents)  # only needed if a headline is echoed
    return [_clean_document(lines, k, in_several, seen_lowercase) for lines, k in zip(documents, keys)]


def clean_text(text: str) -> Cleaned:
    """Clean one document on its own (no corpus to compare lines with)."""
    return clean_corpus([text])[0]


# --- line shapes ---------------------------------------------------------------


def _lines(text: str) -> list[str]:
    """The non-empty lines of a text, with invisible characters dropped and spaces collapsed."""
    text = INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [line for line in (SPACES.sub(" ", raw).strip() for raw in text.split("\n")) if line]


@functools.lru_cache(maxsize=4096)
def _words(line: str) -> tuple[str, ...]:
    """The words of a line (asked for again and again while one document is classified)."""
    return tuple(WORD.findall(line))


def _ends_like_sentence(text: str) -> bool:
    """Sentence punctuation at the end, before any closing quotes or brackets."""
    return text.rstrip().rstrip(CLOSERS)[-1:] in TERMINAL_MARKS


def _key(line: str) -> str:
    """A line as compared with others: its case-folded words."""
    return " ".join(WORD.findall(line.casefold()))


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit()


def _cased(words: list[str]) -> list[str]:
    return [w for w in words if w[0].isupper() or w[0].islower()]


def _lowercase_share(words: list[str]) -> float:
    """The share of cased words that start in lower case (1.0 in scripts without case)."""
    cased = _cased(words)
    return sum(w[0].islower() for w in cased) / len(cased) if cased else 1.0


def _is_punctuated(line: str) -> bool:
    """A line that ends like a sentence and is not shouted in capitals."""
    words = _words(line)
    if len(words) < MIN_SENTENCE_WORDS or not _ends_like_sentence(line):
        return False
    return not (line.isupper() and len(words) < LONG_LINE_WORDS)


def _is_prose(line: str) -> bool:
    """Punctuated, or long and mostly lower case (a paragraph whose last stop was lost)."""
    if _is_punctuated(line):
        return True
    words = _words(line)
    if len(words) < LONG_LINE_WORDS:
        return False
    return _lowercase_share(words) >= 0.5 or any(m[1][0].isupper() for m in SENTENCE_BREAK.finditer(line))


def _is_date_line(line: str) -> bool:
    """A short line that states a date: a numeric date, or a year with a day number."""
    words = _words(line)
    if len(words) > MAX_CHROME_WORDS // 2 or (_is_punctuated(line) and _lowercase_share(words) > 0.5):
        return False
    return bool(NUMERIC_DATE.search(line) or (YEAR.search(line) and DAY_NUMBER.search(YEAR.sub(" ", line))))


def _is_name_list(text: str) -> bool:
    """Proper names only: every word capitalised (names, agencies, roles, site domains in a credit)."""
    words = WORD.findall(DOMAIN.sub(" ", text))
    return len(words) <= 12 and all(_is_capitalised(w) for w in words) and bool(_cased(words) or not words)


def _is_credit(line: str) -> bool:
    """'Label: Proper Names' (bylines, photo and source credits) or an all-capitals agency credit."""
    match = LABEL.match(line)
    if match and len(match["label"]) <= 30 and _is_name_list(match["value"]):
        return True
    words = _words(line)
    return line.isupper() and len(words) <= 8 and bool(re.search(r"[/|]", line)) and not _ends_like_sentence(line)


def _line_reason(line: str, key: str, index: int, keys: list[str], prose: list[bool], in_several: dict[str, int]) -> str | None:
    """Why a line is chrome, or None for a content paragraph."""
    n_words = len(key.split())
    if n_words <= MAX_CHROME_WORDS and COPYRIGHT_MARK.search(line):
        return COPYRIGHT
    if n_words <= MAX_CHROME_WORDS and URL.search(line):
        return LINK
    if _is_date_line(line):
        return DATE
    if _is_credit(line):
        return CREDIT
    if prose[index] and _is_punctuated(line) and n_words > MIN_SENTENCE_WORDS and _repeated_in_document(index, keys, prose):
        return REPEATED
    if key in in_several and _is_boilerplate_shaped(line, prose[index], n_words, in_several[key]):
        return BOILERPLATE
    if prose[index] and line.endswith(("...", "…")) and n_words < 2 * LONG_LINE_WORDS and not SENTENCE_BREAK.search(line):
        return TRUNCATED
    if _is_label_line(line):
        return NOT_A_SENTENCE
    if not prose[index] and not _is_list_item(line):
        return NOT_A_SENTENCE
    return None


def _is_label_line(line: str) -> bool:
    """'Label: words', headline-long, without a sentence after it: a related link, a heading, a prompt."""
    match = LABEL.match(line)
    if not match or len(_words(line)) > MAX_HEADLINE_WORDS:
        return False
    return not _ends_like_sentence(line) and not SENTENCE_BREAK.search(match["value"])


def _is_boilerplate_shaped(line: str, prose: bool, n_words: int, documents: int) -> bool:
    """Whether a line found in `documents` (>= 2) documents is boilerplate rather than shared content.

    Shared lines that are neither prose nor list items are, and so are short ones. An
    unpunctuated single phrase of moderate length ("sign up … every day") is when three or
    more documents carry it; two may be copies of one report that lost a full stop.
    """
    if not (prose or _is_list_item(line)) or n_words <= SHORT_SENTENCE_WORDS:
        return True
    phrase = not _is_punctuated(line) and not SENTENCE_BREAK.search(line) and n_words < 2 * LONG_LINE_WORDS
    return phrase and documents >= 3


def _is_list_item(line: str) -> bool:
    """A bulleted or numbered line of running words (a list inside an article)."""
    words = _words(line)
    return bool(LIST_ITEM.match(line)) and len(words) >= MIN_SENTENCE_WORDS and _lowercase_share(words) >= 0.5


def _repeated_in_document(index: int, keys: list[str], prose: list[bool]) -> bool:
    """The same words again later in the document, or inside a longer prose paragraph of it."""
    key = keys[index]
    for other, other_key in enumerate(keys):
        if other == index:
            continue
        if other_key == key and other > index:
            return True
        if prose[other] and len(other_key) > len(key) and f" {key} " in f" {other_key} ":
            return True
    return False


# --- corpus-level evidence -------------------------------------------------------


def _documents_per_key(keys: list[list[str]]) -> dict[str, int]:
    """How many documents have each line, for the lines found in two or more."""
    counts = Counter(k for doc_keys in keys for k in set(doc_keys) if k)
    return {k: n for k, n in counts.items() if n >= 2}


def _words_seen_lowercase(documents: list[list[str]]) -> Callable[[str], bool]:
    """Whether the corpus writes a word in lower case somewhere (a common word, not a name).

    The word list is built on the first question: most corpora never ask.
    """

    @functools.cache
    def lowercase_words() -> frozenset[str]:
        return frozenset(w.casefold() for lines in documents for line in lines for w in WORD.findall(line) if w[0].islower())

    return lambda word: word.casefold() in lowercase_words()


# --- one document ------------------------------------------------------------------


def _clean_document(lines: list[str], keys: list[str], in_several: dict[str, int], seen_lowercase: Callable[[str], bool]) -> Cleaned:
    trimmed = [_strip_trailing_credits(line) for line in lines]  # a credit after the last sentence
    cores = [core for core, _ in trimmed]                          # does not make a line chrome
    prose = [_is_prose(core) for core in cores]
    reasons = [_line_reason(core, keys[i], i, keys, prose, in_several) for i, core in enumerate(cores)]
    _demote_outside_punctuated(cores, reasons)
    headline = _mark_headline(cores, reasons)
    if all(reason is not None for reason in reasons):
        # Nothing would be left: a headline-only or one-line document is its own content.
        reasons = [reason if reason in ALWAYS_CHROME else None for reason in reasons]
        headline = None

    removed: list[tuple[int, int, Removed]] = []  # (line, position in line, what)
    kept: dict[int, str] = {}
    for i, reason in enumerate(reasons):
        if reason is None:
            kept[i] = cores[i]
            removed.extend((i, 1, piece) for piece in trimmed[i][1])
        else:
            removed.append((i, 0, Removed(lines[i], reason)))

    for i in list(kept)[:3]:
        rest = _strip_dateline(kept[i])
        if rest is not None:
            removed.append((i, 0, Removed(kept[i][: len(kept[i]) - len(rest)].strip(), DATELINE)))
            kept[i] = rest
            break
    if headline is not None:
        for i in kept:
            echo = _strip_headline_echo(kept[i], headline, seen_lowercase)
            if echo is not None:
                rest, pieces = echo
                removed.extend((i, 0, piece) for piece in pieces)
                kept[i] = rest

    removed.sort(key=lambda item: (item[0], item[1]))
    text = "\n\n".join(line for line in kept.values() if line)
    return Cleaned(text=text, removed=[r for _, _, r in removed])


def _demote_outside_punctuated(lines: list[str], reasons: list[str | None]) -> None:
    """Before the first punctuated paragraph, unpunctuated lines are titles and decks; after
    the last one, list items are navigation ("most read" lists)."""
    punctuated = [i for i, r in enumerate(reasons) if r is None and _is_punctuated(lines[i])]
    if not punctuated:
        return
    for i, reason in enumerate(reasons):
        if reason is None and (i < punctuated[0] or (i > punctuated[-1] and LIST_ITEM.match(lines[i]))):
            reasons[i] = NOT_A_SENTENCE


def _mark_headline(lines: list[str], reasons: list[str | None]) -> str | None:
    """Mark the headline: the first title-shaped line above the content (not a date, link or
    copyright; a credit-shaped line only as the very first line), or a first line that ends
    in a question, an exclamation or an ellipsis.

    Only a document with line structure has one: the headline must be followed by content.
    """
    content = [i for i, r in enumerate(reasons) if r is None]
    if not content:
        return None
    for i in range(content[0]):
        n_words = len(_words(lines[i]))
        shaped = (
            reasons[i] == NOT_A_SENTENCE
            or (reasons[i] == BOILERPLATE and n_words > MIN_SENTENCE_WORDS)
            or (reasons[i] == CREDIT and i == 0)  # "Profile: Name" opening the page is a title, not a byline
        )
        if shaped and MIN_SENTENCE_WORDS <= n_words <= MAX_HEADLINE_WORDS and not lines[i].endswith(":"):
            reasons[i] = HEADLINE
            return lines[i]
    first = next(i for i, r in enumerate(reasons) if r not in (DATE, CREDIT, COPYRIGHT, LINK))
    questioning = re.search(rf"(?:[?!]|\.{{3}}|…)[{re.escape(CLOSERS)}]*$", lines[first])
    if reasons[first] in (None, TRUNCATED) and questioning and any(i > first for i in content):
        if len(_words(lines[first])) <= MAX_HEADLINE_WORDS:
            reasons[first] = HEADLINE
            return lines[first]
    return None


# --- trimming inside content paragraphs ------------------------------------------------


def _strip_dateline(paragraph: str) -> str | None:
    """The paragraph without its leading dateline, or None if it has none.

    A dateline is a few capitalised words before a dash that name a place and an
    outlet: it has a domain, an all-capitals word with a comma or brackets,
    several all-capitals words, or one all-capitals place before a long dash.
    """
    match = DATELINE_PREFIX.match(paragraph)
    if not match:
        return None
    prefix = match["prefix"]
    words = WORD.findall(re.sub(r"\([^)]*\)", " ", prefix))
    if not words or len(words) > 8 or not all(_is_capitalised(w) for w in words):
        return None
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    long_dash = match["dash"] in ("--", "—") and len(words) == 1 and len(capitals) == 1 and len(words[0]) >= 3
    if not (DOMAIN.search(prefix) or (capitals and re.search(r"[,(]", prefix)) or len(capitals) >= 2 or long_dash):
        return None
    rest = paragraph[match.end() :]
    return rest if _is_prose(rest) else None


def _strip_headline_echo(paragraph: str, headline: str, seen_lowercase: Callable[[str], bool]) -> tuple[str, list[Removed]] | None:
    """A paragraph that starts with the headline again (and its photo credit): the rest, and the pieces."""
    head_words = WORD.findall(headline.casefold())
    first = WORD.search(paragraph)
    if not head_words or first is None or first[0].casefold() != head_words[0]:
        return None
    spans = list(WORD.finditer(paragraph))
    if len(spans) <= len(head_words) or [m[0].casefold() for m in spans[: len(head_words)]] != head_words:
        return None
    cut = spans[len(head_words) - 1].end()
    pieces = [Removed(paragraph[:cut].strip(), REPEATED)]
    rest = paragraph[cut:].strip()
    credit = _leading_credit(rest, seen_lowercase)
    if credit:
        pieces.append(Removed(rest[: len(credit)].strip(), CREDIT))
        rest = rest[len(credit) :].strip()
    return rest, pieces


def _leading_credit(text: str, seen_lowercase: Callable[[str], bool]) -> str | None:
    """'Label: Name' at the start of a text: the label (up to three words), a colon and the
    names after it. A name is a capitalised word the corpus never writes in lower case;
    the text after the credit must start a capitalised sentence."""
    match = re.match(r"^([^\W\d_][\w'’-]*(?: [\w'’-]+){0,2}) ?: ?", text)
    if not match or not all(_is_capitalised(w) for w in WORD.findall(match[1])):
        return None
    end = match.end()
    names = 0
    for word in WORD.finditer(text, end):
        gap = text[end : word.start()]
        if gap.strip(" /|,") or not _is_capitalised(word[0]) or seen_lowercase(word[0]) or names == 4:
            break
        end, names = word.end(), names + 1
    rest = text[end:].lstrip(" /|,")
    if names == 0 or not rest or not _is_capitalised(rest[0]) or not _is_prose(rest):
        return None
    return text[:end]


def _strip_trailing_credits(paragraph: str) -> tuple[str, list[Removed]]:
    """Remove credits after the last sentence: '(Site.com/Name)' or a glued 'Label: Names' byline."""
    pieces: list[Removed] = []
    while True:
        bracket = TRAILING_BRACKET_CREDIT.search(paragraph) if paragraph.endswith(")") else None
        if bracket and ("/" in bracket["credit"] or DOMAIN.search(bracket["credit"])) and _is_name_list(bracket["credit"]):
            pieces.insert(0, Removed(bracket[0].strip(), CREDIT))
            paragraph = paragraph[: bracket.start()].rstrip()
            continue
        glued = _glued_byline(paragraph)
        if glued is not None:
            tail = paragraph[glued:].strip()
            pieces.insert(0, Removed(tail, LINK if URL.search(tail) else CREDIT))
            paragraph = paragraph[:glued].rstrip()
            continue
        return paragraph, pieces


def _glued_byline(paragraph: str) -> int | None:
    """Where a 'Label: Names …' credit glued after the paragraph's last sentence begins, if any."""
    if ":" not in paragraph:
        return None
    ends = [m.end() for m in re.finditer(rf"[.!?…][{re.escape(CLOSERS)}]*(?=\s)", paragraph)]
    if not ends:
        return None
    tail = paragraph[ends[-1] :].strip()
    match = LABEL.match(tail)
    if not match or len(WORD.findall(match["label"])) > 3 or not _is_name_list(match["label"] + " " + match["value"]):
        return None
    if _ends_like_sentence(tail) or not _is_prose(paragraph[: ends[-1]]):
        return None
    return ends[-1]
