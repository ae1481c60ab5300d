"""What is trimmed off a content paragraph, never the paragraph itself: a dateline opening
it, the headline echoed at its start with its photo credit, and the credits after its last
sentence (in brackets, glued after a slash or a bar, a byline after a label).

Shapes only, as in `corpus.line_shapes`, whose line tests these build on; `corpus.clean_page`
trims the paragraphs it keeps with them.
"""

from __future__ import annotations

import re
from typing import Callable

from corpus.line_shapes import (
    CLOSERS,
    CREDIT,
    DOMAIN,
    EDITOR_INITIALS,
    INLINE_CREDIT,
    LABEL,
    LAST_SENTENCE_END,
    LINK,
    MAX_NOTE_WORDS,
    NOTE_CREDIT_WORDS,
    NUMERIC_DATE,
    REPEATED,
    SENTENCE_END,
    SOURCE_TAG,
    URL,
    WORD,
    Removed,
    ends_like_sentence,
    is_capitalised,
    is_date_line,
    is_label_credit,
    is_labelled_note,
    is_name_list,
    is_prose,
    is_title_cased,
)

# "SITE.CO.ID, CITY --", "WASHINGTON (Agency) -", "City, Site.com –": capitalised words up to a dash.
DASH = re.compile("[-–—]")   # a dateline's dash is within its first 83 characters (spaces collapsed)
ASIDE_DASH = re.compile(r"\s(?:--|[-–—])\s")
DATELINE_ASIDE = 80   # characters after a one-word dateline's dash in which a second dash makes it an aside
DATELINE_PREFIX = re.compile(r"^(?P<prefix>[^\s\"“‘'][^\n]{0,80}?)\s+(?P<dash>--|[-–—])\s+(?=\S)")
TRAILING_BRACKET = re.compile(r"\s*(?:\((?P<credit>[^()]{2,80})\)|\[(?P<square>[^\[\]]{2,80})\])\s*$")
BRACKET_ENDS = (")", "]")
SOURCE_DATE = re.compile(r",|\s[-–—]\s")   # between a source and its date in a tag
SOURCE_NAME_WORDS = 3   # a source named alone in a tag ('(Agency)', '(Kantor Berita Antara)')
DIGIT = re.compile(r"\d")
# " / Label: Names" or " | Label: Names" closing a line (a photo credit glued to its caption).
GLUED_LABEL_CREDIT = re.compile(r"\s+[/|]\s*(?P<credit>[^\W\d_][\w.'’-]*(?:[ \t]+[\w.'’-]+){0,2}[ \t]*:[^:/|]{1,60})$")
GLUED_LABEL_NOTE = re.compile(r"(?:\s+[/|]\s*|[.!?]\s+)(?P<credit>[^\W\d_][\w.'’-]*(?:[ \t]+[\w.'’-]+){0,2}[ \t]*:[^:|]{1,60})$")   # '/' inside too, or after a sentence
# Editors' initials after a sentence, the first maybe a short name: '(ab/cd)', '(site/xyz)'; or one
# lower-case tag alone ('(red)'): a bracket that a sentence never ends with.
BRACKET_NOTE_WORDS = 10   # a note in brackets closing a paragraph: '(Reporting by Name; Editing by Name)'
INITIALS = re.compile(r"^[^\W\d_]{1,12}(?:/[^\W\d_]{1,5})+$|^[^\W\d_A-Z]{2,5}$")


def strip_dateline(paragraph: str) -> str | None:
    """The paragraph without its leading dateline, or None if it has none.

    A dateline is a few capitalised words (and a site's domain) before a dash that
    name a place and an outlet: it has a domain, an all-capitals word with a comma or brackets,
    several all-capitals words, or one all-capitals place before a dash (a short one, when no
    second dash follows soon: an aside); or it is the
    source's name alone in brackets ('(Agency) — …', `is_source_tag`).
    """
    match = DATELINE_PREFIX.match(paragraph) if DASH.search(paragraph, 0, 90) else None
    if not match:
        return None
    prefix = match["prefix"]
    if prefix[0] == "(" and prefix[-1] == ")" and "(" not in prefix[1:] and is_source_tag(prefix[1:-1]):
        rest = paragraph[match.end() :]   # a source's name alone in brackets: '(Agency) — …'
        return rest if is_capitalised(rest) and is_prose(rest) else None
    words = WORD.findall(DOMAIN.sub(" ", re.sub(r"\([^)]*\)", " ", prefix)))   # a site's domain may be lower-case
    if not (words or DOMAIN.search(prefix)) or len(words) > 8 or not all(is_capitalised(w) for w in words):
        return None
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    one_place = len(words) == 1 and len(capitals) == 1 and len(words[0]) >= 3
    long_dash = one_place and match["dash"] in ("--", "—")
    rest = paragraph[match.end() :]
    # one all-capitals place alone before a short dash too ('JAKARTA - …', 'RUSIA – …'), before a
    # sentence's start, when no dash closes it as an aside soon after ('NASA - the agency - said …')
    place_dash = one_place and prefix == words[0] and words[0].isalpha() and is_capitalised(rest) \
        and not ASIDE_DASH.search(rest, 0, DATELINE_ASIDE)
    if not (DOMAIN.search(prefix) or (capitals and re.search(r"[,(]", prefix)) or len(capitals) >= 2 or long_dash
            or place_dash):
        return None
    if not words and not is_capitalised(rest):   # a domain alone opens a dateline only before a sentence's start
        return None
    return rest if is_prose(rest) else None


def strip_headline_echo(paragraph: str, headline: str, seen_lowercase: Callable[[str], bool]) -> tuple[str, list[Removed]] | None:
    """A paragraph that starts with the headline again (and its photo credit): the rest, and the pieces."""
    head_words = WORD.findall(headline.casefold())
    first = WORD.search(paragraph)
    if not head_words or first is None or first[0].casefold() != head_words[0]:
        return None
    spans = list(WORD.finditer(paragraph))
    if len(spans) <= len(head_words) or [m[0].casefold() for m in spans[: len(head_words)]] != head_words:
        return None
    cut = spans[len(head_words) - 1].end()
    closing = len(headline.rstrip()) - len(headline.rstrip().rstrip(CLOSERS))   # quotes or brackets closing the headline
    while closing and cut < len(paragraph) and paragraph[cut] in CLOSERS:
        cut, closing = cut + 1, closing - 1
    pieces = [Removed(paragraph[:cut].strip(), REPEATED)]
    rest = paragraph[cut:].strip()
    credit = leading_credit(rest, seen_lowercase)
    if credit:
        pieces.append(Removed(rest[: len(credit)].strip(), CREDIT))
        rest = rest[len(credit) :].strip()
    return rest, pieces


def leading_credit(text: str, seen_lowercase: Callable[[str], bool]) -> str | None:
    """'Label: Name' at the start of a text: the label (up to three words), a colon and the
    names after it. A name is a capitalised word the corpus never writes in lower case;
    the text after the credit must start a capitalised sentence."""
    match = re.match(r"^([^\W\d_][\w'’-]*(?: [\w'’-]+){0,2}) ?: ?", text)
    if not match or not all(is_capitalised(w) for w in WORD.findall(match[1])):
        return None
    end = match.end()
    names = 0
    for word in WORD.finditer(text, end):
        gap = text[end : word.start()]
        if gap.strip(" /|,") or not is_capitalised(word[0]) or seen_lowercase(word[0]) or names == 4:
            break
        end, names = word.end(), names + 1
    rest = text[end:].lstrip(" /|,")
    if names == 0 or not rest or not is_capitalised(rest[0]) or not is_prose(rest):
        return None
    return text[:end]


def strip_trailing_credits(paragraph: str, notes: bool = False, chrome_label: bool = False) -> tuple[str, list[Removed]]:
    """Remove credits after the last sentence: '(Site.com/Name)', '(Photo: Name)', '(Agency, 5 Dec
    2021)', '(abc/de)', a glued 'Label: Names' byline, ' / Photo: Name', and with `notes` (a
    paragraph the page goes on after: no sentence the excerpt cut short) 'Source: AGENCY/ab';
    with `chrome_label` (the label of what follows the last sentence opens chrome lines on other
    pages) a label in sentence case before names too ('Photo credit: Agency')."""
    pieces: list[Removed] = []
    while True:
        bracket = TRAILING_BRACKET.search(paragraph) if paragraph.endswith(BRACKET_ENDS) else None
        after_sentence = bool(bracket) and bracket.start() > 0 and paragraph[bracket.start() - 1] in SENTENCE_END
        # square brackets also tag a headline ('Headline [Video]'): credits only after a sentence
        reason = bracket and bracket.start() > 0 and (after_sentence or bracket["credit"] is not None) \
            and bracket_credit(bracketed(bracket), after_sentence, closing=True)
        if reason:
            pieces.insert(0, Removed(bracket[0].strip(), reason))
            paragraph = paragraph[: bracket.start()].rstrip()
            continue
        glued = GLUED_LABEL_CREDIT.search(paragraph) if ":" in paragraph else None
        if glued and glued.start() > 0 and is_label_credit(glued["credit"]):
            pieces.insert(0, Removed(glued[0].strip(), INLINE_CREDIT))
            paragraph = paragraph[: glued.start()].rstrip()
            continue
        byline = _glued_byline(paragraph, notes, chrome_label)
        if byline is not None:
            tail = paragraph[byline:].strip()
            pieces.insert(0, Removed(tail, LINK if URL.search(tail) else CREDIT))
            paragraph = paragraph[:byline].rstrip()
            continue
        return paragraph, pieces


def bracketed(match: re.Match) -> str:
    """What a match of TRAILING_BRACKET (or of a bracket inside a line) holds, in round or square brackets."""
    return match["credit"] if match["credit"] is not None else match["square"]


def ends_with_label_note(line: str) -> bool:
    """'… (Label: a note)', '… / Label: a note' or '… . Label: a note' closing a line (a label of up
    to three words, a note of up to MAX_NOTE_WORDS words): a picture's credit, which a caption
    ends with and a title does not ('Firefighters at the scene (Photo: dok. Agency)', '… / Image:
    Site/Name')."""
    bracket = TRAILING_BRACKET.search(line) if line.endswith(BRACKET_ENDS) else None
    glued = None if bracket else GLUED_LABEL_NOTE.search(line)
    note = LABEL.match(bracketed(bracket).strip()) if bracket else glued and LABEL.match(glued["credit"])
    return bool(note) and 0 < len(WORD.findall(note["value"])) <= MAX_NOTE_WORDS and len(WORD.findall(note["label"])) <= 3


def bracket_credit(credit: str, after_sentence: bool, closing: bool = False) -> str | None:
    """The kind of credit a bracket closing a line holds, if it is one: after a sentence, also a
    short note after a label ('(Photo: dok. Agency)', '[Source: screenshot]'), a source tag
    with its date (the source's names, or a name in title case: '(Government of Kota, 5 Dec
    2021)'), editors' initials; `closing` the paragraph, also a note (`is_bracket_note`)."""
    if after_sentence and ("/" in NUMERIC_DATE.sub(" ", credit) or DOMAIN.search(credit)) and is_name_list(credit):
        return CREDIT   # 'AGENCY/Name', not the slashes of a date: '(Agency, 5/12/2023)' is a source tag
    if is_label_credit(credit) or (after_sentence and is_labelled_note(credit)):
        return INLINE_CREDIT
    if not after_sentence:
        return None
    if INITIALS.match(credit):
        return EDITOR_INITIALS
    if is_source_tag(credit):
        return SOURCE_TAG
    return CREDIT if closing and is_bracket_note(credit) else None


def is_bracket_note(text: str) -> bool:
    """A note in brackets after a paragraph's last sentence, itself no sentence: a capital, at
    most BRACKET_NOTE_WORDS words, no digit, no sentence end ('(With inputs from agencies)', '(Dengan
    tambahan laporan kantor berita)'); an aside in brackets ends with its sentence's mark."""
    words = WORD.findall(text)
    return 0 < len(words) <= BRACKET_NOTE_WORDS and words[0][0].isupper() and not DIGIT.search(text) \
        and not ends_like_sentence(text)


def is_source_tag(text: str) -> bool:
    """A source's name and the date of its report ('Agency, 5 Dec 2021', 'Agency – 5 Dec 2021',
    'agency, 12.08.2023', 'AGENCY 5 Dec 2021': the source's names, a name in title case or one
    word before a date, with or
    without a comma or a dash between them), or the source's name alone, one to three
    capitalised words without a digit ('Agency', 'AGENCY'): a sentence does not end so."""
    source, date = (SOURCE_DATE.split(text, 1) + [""])[:2]
    if date:
        names = is_name_list(source) or is_title_cased(source) or len(source.split()) == 1   # 'agency, 12.08.2023'
        return bool(source.strip()) and names and is_date_line(date.strip())
    words = text.split()
    if len(words) <= SOURCE_NAME_WORDS:
        return bool(words) and not DIGIT.search(text) and is_name_list(text) and not ends_like_sentence(text)
    start = next((i for i, word in enumerate(words) if DIGIT.search(word)), 0)
    return 0 < start <= SOURCE_NAME_WORDS and is_name_list(" ".join(words[:start])) and is_date_line(" ".join(words[start:]))


def _glued_byline(paragraph: str, notes: bool, chrome_label: bool = False) -> int | None:
    """Where a 'Label: Names …' credit (or a short note after a capitalised label, 'Source:
    AGENCY/ab'; with `chrome_label`, names or a short note after a label that opens chrome lines
    elsewhere and starts with a capital, 'Photo credit: Agency', 'Photo credit: dpa') glued after
    the paragraph's last sentence begins, if any; with `notes`, a note whose abbreviation's full
    stop looks like a sentence's end too ('… kata dia. Foto: dok. Agency')."""
    if ":" not in paragraph:
        return None
    last = LAST_SENTENCE_END.match(paragraph)
    if not last:
        return None
    end = last.end()
    tail = paragraph[end:].strip()
    match = LABEL.match(tail)
    glued = None if match or not notes else GLUED_LABEL_NOTE.search(paragraph)
    if glued and paragraph[glued.start()] in ".!?":   # a full stop inside the note ('Foto: dok. Agency'): after the one before
        end, tail = glued.start() + 1, glued["credit"].strip()
        match = LABEL.match(tail)
    if not match or len(WORD.findall(match["label"])) > 3:
        return None
    value = WORD.findall(match["value"])   # with `chrome_label`: names, or a note too short for a headline
    names = is_name_list(match["label"] + " " + match["value"]) or (chrome_label and match["label"][0].isupper() and bool(value) and (
        is_name_list(match["value"]) or (len(value) <= NOTE_CREDIT_WORDS and is_labelled_note(tail))))
    if not names and not (notes and is_name_list(match["label"]) and is_labelled_note(tail)):   # 'Source: AGENCY/ab'
        return None
    if ends_like_sentence(tail) or not is_prose(paragraph[:end]):
        return None
    return end
