"""The shape of one line of a news page: prose or not, date, credit, label, list item
(what is trimmed off a content paragraph is in `corpus.paragraph_trims`).

Structure only, never a list of phrases: the same tests hold for any language
written with spaces between words. `corpus.clean` decides with them which lines
of a page are content.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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
RELATED_LINK = "related link"                # a headline after a label that opens chrome on other pages
INLINE_CREDIT = "credit in a line"           # "(Photo: Name)" or "… / Photo: Name" at the end of a line
SOURCE_TAG = "source tag"                    # "(Agency, 5 Dec 2021)" after the last sentence
EDITOR_INITIALS = "editors' initials"        # "(abc/de)" after the last sentence
CAPTION = "photo caption"                    # a short line above a "Photo:" label line and its credit
BOILERPLATE_OPENING = "boilerplate glued to content"   # an opening many first lines share, each going on differently
ALWAYS_CHROME = frozenset({COPYRIGHT, LINK})   # removed even when nothing else would be left

MIN_SENTENCE_WORDS = 3       # fewer words than this is never a sentence on its own line
LONG_LINE_WORDS = 10         # an unpunctuated line this long may still be prose
SHORT_SENTENCE_WORDS = 6     # a punctuated line this short that other documents carry is boilerplate
MAX_HEADLINE_WORDS = 30
CAPTION_WORDS = 15   # a caption is a short line
MAX_CHROME_WORDS = 20        # copyright, link and date lines are short
MAX_LINK_LINE_WORDS = 60     # ... a link line's web addresses, whose parts are no words, making it longer
NOTE_CREDIT_WORDS = 2        # 'Label: a note' this short is no headline: a credit ('Photo: file photo')

WORD = re.compile(r"\w+")
SPACES = re.compile(r"[^\S\n]+")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
CLOSERS = "\"'”’»)]"
QUOTES = tuple("\"'“‘«„")
TERMINAL_MARKS = frozenset(".!?…。！？।؟")
SENTENCE_BREAK = re.compile(rf"[.!?…。！？।][{re.escape(CLOSERS)}]*\s+[\"'“‘«(]*(\w)")
URL = re.compile(r"https?://|www\.\w", re.IGNORECASE)
ADDRESS = re.compile(r"(?:https?://|www\.\w)\S*", re.IGNORECASE)   # a web address up to the next space
COPYRIGHT_MARK = re.compile(r"©|(?:\(c\)|\bcopyright\b)\s*(?:19|20)\d\d", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d")
NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2}(?!\d))")
DAY_NUMBER = re.compile(r"(?<![\d:.])(?:[1-9]|[12]\d|3[01])(?![\d:%]|[.,]\d)")
# 'Label: value', or 'Label | value' (a pipe between spaces marks a label as a colon does, 'Also Read | Headline',
# before nothing or a headline-long value of three words or more without another pipe: 'App Store | Play Store' is no label)
LABEL = re.compile(r"^(?P<label>[^\W\d_][\w.'’-]*(?:[ \t]+[\w.'’-]+){0,2})"
                   r"(?:[ \t]*:|[ \t]+\|(?![^|]*\|)(?=[ \t]*$|\W*\w+\W+\w+\W+\w))[ \t]*(?P<value>.*)$")
LIST_ITEM = re.compile(r"^(?:[-•*–·▪]|\d{1,2}[.)])\s+\S")
DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b")
_ASCII_BYTES = bytes(range(0x80))
# Words' first bytes: l lower-case and u upper-case ASCII letters, x a non-ASCII character
# (a letter: separators are replaced first), d digits and "_", " " separators.
_CASE_MASK = bytes(
    ord("x") if b >= 0x80 else ord("l") if chr(b).islower() else ord("u") if chr(b).isupper()
    else ord("d") if chr(b).isalnum() or b == 0x5F else ord(" ")
    for b in range(256)
)
MAX_NOTE_WORDS = 6   # a label's value in a bracketed note ('(Photo: dok. Agency)') is short
SENTENCE_END = frozenset(".!?…" + CLOSERS)
LAST_SENTENCE_END = re.compile(rf"(?s:.*)[.!?…][{re.escape(CLOSERS)}]*(?=\s)")   # match().end(): after the last one
LABEL_COLON = re.compile(r"[^\W\d_][ \t]*:(?!\d)")   # a label's colon (not a time's: '10:30')


@dataclass
class Removed:
    """A piece of a document that is not content, and why."""

    text: str
    reason: str


@functools.lru_cache(maxsize=4096)
def line_words(line: str) -> tuple[str, ...]:
    """The words of a line (asked for again and again while one document is classified)."""
    return tuple(WORD.findall(line))


def words_outside_addresses(line: str) -> int:
    """The words of a line but for those inside its web addresses ('https://site.com/2023/09/11/title'
    is no eight words): what tells a short line of links from a paragraph."""
    return len(WORD.findall(ADDRESS.sub(" ", line)))


def ends_like_sentence(text: str) -> bool:
    """Sentence punctuation at the end, before any closing quotes or brackets."""
    return text.rstrip().rstrip(CLOSERS)[-1:] in TERMINAL_MARKS


def is_capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit()


def cased(words: list[str]) -> list[str]:
    return [w for w in words if w[0].isupper() or w[0].islower()]


def lowercase_share(words: list[str]) -> float:
    """The share of cased words that start in lower case (1.0 in scripts without case)."""
    with_case = cased(words)
    return sum(w[0].islower() for w in with_case) / len(with_case) if with_case else 1.0


def is_glued_link(fragment: str) -> bool:
    """A 'Label: words' fragment after a paragraph's last sentence shaped like a link or a
    credit: a label line whose words are not a quotation ('He said: "…'), reported speech."""
    match = LABEL.match(fragment)
    return bool(match) and not match["value"].startswith(QUOTES) and is_label_line(fragment)


def is_title_cased(text: str) -> bool:
    """Written as headlines are: three or more cased words, at most a third of them in lower
    case (function words), where a sentence has most of its words in lower case."""
    with_case = cased(line_words(text))
    return len(with_case) >= 3 and 3 * sum(w[0].islower() for w in with_case) <= len(with_case)


def is_punctuated(line: str, n_words: int | None = None) -> bool:
    """A line that ends like a sentence and is not shouted in capitals (`n_words`: its word
    count, when known)."""
    n_words = len(line_words(line)) if n_words is None else n_words
    if n_words < MIN_SENTENCE_WORDS or not ends_like_sentence(line):
        return False
    return n_words >= LONG_LINE_WORDS or not line.isupper()


def ends_after_sentence(text: str) -> bool:
    """A paragraph-long sentence (or more) followed by a shorter tail that ends no sentence ('…
    said. (Photo: screenshot)', '… said. Reporting by Name'): a paragraph, not a title (a
    short line so closed may be a credit: 'Correspondent reporting from City. (TV)')."""
    last = LAST_SENTENCE_END.match(text)
    if not last:
        return False
    body, tail = text[: last.end()], text[last.end() :]
    words = len(line_words(body))
    return words >= LONG_LINE_WORDS and len(line_words(tail)) < words and is_punctuated(body)


def is_prose(line: str, n_words: int | None = None) -> bool:
    """Punctuated, or long and mostly lower case (a paragraph whose last stop was lost)."""
    n_words = len(line_words(line)) if n_words is None else n_words
    if is_punctuated(line, n_words):
        return True
    if n_words < LONG_LINE_WORDS:
        return False
    return mostly_lowercase(line) or any(m[1][0].isupper() for m in SENTENCE_BREAK.finditer(line))


def mostly_lowercase(line: str) -> bool:
    """`lowercase_share(line_words(line)) >= 0.5`, counted on bytes: the words' first characters
    are told apart by a translate table, and only words that start with a non-ASCII letter
    are looked at one by one, when they could tip the balance."""
    data = line.encode("utf-8", "surrogatepass")
    if not line.isascii():
        for char in set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")):
            if not (char.isalnum() or char == "_"):
                data = data.replace(char.encode("utf-8", "surrogatepass"), b" ")
    starts = b" " + data.translate(_CASE_MASK)
    lower, upper, other = starts.count(b" l"), starts.count(b" u"), starts.count(b" x")
    if 2 * lower >= lower + upper + other:
        return True
    if 2 * (lower + other) < lower + upper + other:
        return False
    return lowercase_share(line_words(line)) >= 0.5


def is_date_line(line: str, n_words: int | None = None) -> bool:
    """A short line that states a date: a numeric date, or a year with a day number (`n_words`:
    its word count, when known)."""
    if n_words is not None and n_words > MAX_CHROME_WORDS // 2:
        return False
    words = line_words(line)
    if len(words) > MAX_CHROME_WORDS // 2 or (is_punctuated(line) and lowercase_share(words) > 0.5):
        return False
    return bool(NUMERIC_DATE.search(line) or (YEAR.search(line) and DAY_NUMBER.search(YEAR.sub(" ", line))))


def is_name_list(text: str) -> bool:
    """Proper names only: every word capitalised (names, agencies, roles, site domains in a credit)."""
    words = WORD.findall(DOMAIN.sub(" ", text))
    return len(words) <= 12 and all(is_capitalised(w) for w in words) and bool(cased(words) or not words)


def is_credit(line: str) -> bool:
    """'Label: Proper Names' (bylines, photo and source credits), a label with a note too short
    for a headline ('Photo: file photo', 'Foto: dok. Agency') or an all-capitals agency credit."""
    match = LABEL.match(line)
    if match and len(match["label"]) <= 30 and (is_name_list(match["value"]) or (
            len(WORD.findall(match["value"])) <= NOTE_CREDIT_WORDS and is_labelled_note(line))):
        return True
    return line.isupper() and len(line_words(line)) <= 8 and bool(re.search(r"[/|]", line)) and not ends_like_sentence(line)


def has_labels(line: str) -> bool:
    """Two labels or more on the line ('Reporter: Name | Editor: Name'): a byline, not a title."""
    return len(LABEL_COLON.findall(line)) >= 2


def is_label_line(line: str) -> bool:
    """'Label: words', headline-long, without a sentence after it: a related link, a heading, a prompt."""
    match = LABEL.match(line)
    if not match or len(line_words(line)) > MAX_HEADLINE_WORDS:
        return False
    return not ends_like_sentence(line) and not SENTENCE_BREAK.search(match["value"])


def is_list_item(line: str) -> bool:
    """A bulleted or numbered line of running words (a list inside an article)."""
    if not LIST_ITEM.match(line):
        return False
    words = line_words(line)
    return len(words) >= MIN_SENTENCE_WORDS and lowercase_share(words) >= 0.5


def is_labelled_note(text: str) -> bool:
    """'Label: a few words', no sentence: a label of at most three words, the first capitalised
    (or one word in lower case: '(photo: file photo)', '(foto: dok. pribadi)'), and at most
    MAX_NOTE_WORDS words after it, one of them in lower case (names alone are a
    credit, `is_label_credit`), that do not end like a sentence."""
    match = LABEL.match(text.strip())
    label = WORD.findall(match["label"]) if match else []
    if not label or len(label) > 3 or not (match["label"][0].isupper() or len(label) == 1):
        return False
    words = WORD.findall(match["value"])
    return 0 < len(words) <= MAX_NOTE_WORDS and any(w[0].islower() for w in words) and not ends_like_sentence(match["value"])


def is_label_credit(text: str) -> bool:
    """'Label: Proper Names' with a label of at most three capitalised words, or of two the
    first capitalised ('Photo credit: Name', 'Foto oleh: Name')."""
    match = LABEL.match(text)
    label = WORD.findall(match["label"]) if match else []
    if not match or not match["value"].strip() or len(label) > 3:
        return False
    return (is_name_list(match["label"]) or (len(label) == 2 and label[0][0].isupper())) and is_name_list(match["value"])


def label_of(line: str) -> str | None:
    """The case-folded words of the label of a 'Label: …' line (up to three words), if it has one."""
    match = LABEL.match(line)
    if not match:
        return None
    words = WORD.findall(match["label"].casefold())
    return " ".join(words) if 0 < len(words) <= 3 else None


def trailing_fragment(paragraph: str) -> str:
    """What follows the paragraph's last sentence end ("" when nothing does); a full stop
    inside brackets that close after it ('(Photo: dok. Agency)') ends no sentence."""
    last = LAST_SENTENCE_END.match(paragraph)
    if last and paragraph.count(")", last.end()) > paragraph.count("(", last.end()):
        last = LAST_SENTENCE_END.match(paragraph, 0, paragraph.rfind("(", 0, last.end()) + 1)
    return paragraph[last.end() :].strip() if last else ""
