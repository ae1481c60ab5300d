"""Links to other articles ('Label: Another Headline'): on their own line, after a
paragraph's last sentence, or glued into a paragraph with a sentence after them.

A line after a label-only line ("Label:") or titles listed below the body are links by
their place (`mark_related_links`); a 'Label: headline' after a paragraph's last sentence
is cut when its label opens chrome on other pages or the headline is in title case
(`cut_related_link`).

Crawled text often loses the line breaks around a related-article link, so the link
lands inside a paragraph: "… said. Label: Another Headline In Title Case Next sentence
goes on …", or opens one: "Label: Another Headline Next sentence …". Found by shape,
never by a list of phrases: a label of up to three words and a colon, a headline (words
written as headlines are: capitalised, common words too) and then a sentence (a
capitalised first word, then a third of its words or more in lower case). Where the
headline ends is told by how the corpus writes its words: a headline capitalises common
words (words the corpus also writes in lower case), a sentence writes them in lower case
but for its first word; names are capitalised in both. The link is cut out, the
paragraph stays content.
"""
from __future__ import annotations

import re
from itertools import islice
from typing import Callable

from corpus.line_shapes import (
    BOILERPLATE,
    CLOSERS,
    CREDIT,
    LABEL,
    MAX_HEADLINE_WORDS,
    NOT_A_SENTENCE,
    QUOTES,
    RELATED_LINK,
    SENTENCE_BREAK,
    WORD,
    Removed,
    ends_like_sentence,
    is_label_line,
    is_prose,
    is_title_cased,
    label_of,
    line_words,
    mostly_lowercase,
    trailing_fragment,
)

TITLED_HEADLINE_WORDS = 7   # fewer capitalised words after a label may name a source ('Source: Ministry Of Health')

# A label after a sentence end (and closing quotes or brackets), or at the paragraph's start:
# up to three words, the first capitalised, and a colon (or a "|" between spaces).
_LABEL = r"(?P<label>[^\W\d_][\w'’-]*(?: [\w'’-]+){0,2})(?: ?: ?| \| )(?=\S)"   # 'Label:' or 'Label |'
LABEL_INSIDE = re.compile(rf"(?<=[.!?…])[{re.escape(CLOSERS)}]*\s*{_LABEL}")   # a lost space too
LABEL_OPENING = re.compile(rf"^{_LABEL}")
SHAPE_HEADLINE_WORDS = 5      # cased words of a headline told by its shape alone ...
KNOWN_HEADLINE_WORDS = 3      # ... and after a label that opens chrome lines on other pages
MIN_COMMON_CAPITALISED = 2    # a headline capitalises common words (a list of names does not)
MIN_SENTENCE_WORDS = 4        # the sentence after the link
MIN_WORDS_BEFORE = 6          # a link inside a paragraph follows a sentence of the article ('Dr. Name: …' opens a title)
MAX_COMMAS = 1                # a headline has one comma at most (a list of names has more)
# A headline in sentence case, after a label that opens chrome on other pages, has this many words
SENTENCE_CASE_WORDS = range(3, 21)
INNER_SENTENCE_COST = 4       # `_sentence_cost` of a capitalised common word with a word in lower case after it
SENTENCE_END = re.compile(r"[.!?…](?=[\"'”’»)\]]*(?:\s|$))")
OPENERS = "\"'“‘«(["
QUOTE_OPENERS = frozenset("\"“«„")


def cut_glued_links(paragraph: str, seen_lowercase: Callable[[str], bool], label_documents: Callable[[str], int],
                    after_body: bool) -> tuple[str, list[Removed]]:
    """The paragraph without the links glued into it, and the links (`label_documents`: on how
    many documents a case-folded label opens a chrome line). A link opening the paragraph is
    looked for only `after_body` (below a paragraph of the article: at the top of a page,
    'Title: Deck' before the first sentence is the page's own headline), and not when what
    follows it is no sentence and the whole line is a label line (the line is the link)."""
    pieces: list[Removed] = []
    position = 0
    while (match := (LABEL_OPENING.match(paragraph) if after_body and not position else None)
           or LABEL_INSIDE.search(paragraph, position)) is not None:
        position = match.end()
        if not match["label"][0].isupper() or paragraph.startswith(tuple(QUOTE_OPENERS), match.end()) or \
                (match.start() and not _words_at_least(paragraph, match.start(), MIN_WORDS_BEFORE)):
            continue
        known = label_documents(label_of(match["label"] + ":") or "") >= 2
        end = headline_end(paragraph, match.end(), seen_lowercase, KNOWN_HEADLINE_WORDS if known else SHAPE_HEADLINE_WORDS,
                           paragraph[match.start("label") : match.end()].rstrip())
        if end is None and known:
            end = sentence_case_end(paragraph, match.end(), seen_lowercase)
        if end is None or (not match.start() and is_label_line(paragraph) and not is_prose(paragraph[end:])):
            continue   # a line of a link alone, no sentence after it ('Label: KICKER: Headline …'): the line rules name it
        start = match.start("label")
        pieces.append(Removed(paragraph[start:end].strip(), RELATED_LINK))
        paragraph = (paragraph[:start].rstrip() + " " if start else "") + paragraph[end:].lstrip()
        position = match.start()
    return paragraph, pieces


def _words_at_least(text: str, end: int, count: int) -> bool:
    """Whether text[:end] holds `count` words or more (the first ones looked for, not all counted)."""
    return sum(1 for _ in islice(WORD.finditer(text, 0, end), count)) == count


def headline_end(text: str, start: int, seen_lowercase: Callable[[str], bool], min_words: int,
                 label: str = "") -> int | None:
    """Where a headline that starts at `start` ends, if a sentence follows it: where the same
    `label` starts again (links listed one after another), else the first of the splits with
    the fewest words written against their kind (2 for each word in lower case in the
    headline but a small word between two capitalised ones, and the sentence's
    `_sentence_cost`: a name opening the sentence stays with it, and so may a headline's
    last word); if that split leaves no headline before it, there is none. The words before it must be a headline:
    `min_words` cased words or more, at most a third of them in lower case, and common words
    among the capitalised ones (names alone are no headline). None if there is none."""
    # a full stop ends the candidates: before it, 'Label: a sentence.' is no link (a headline may ask or exclaim)
    stop = next((end.start() for end in SENTENCE_END.finditer(text, start) if text[end.start()] not in "?!"), len(text))
    words = []
    for word in WORD.finditer(text, start, stop):
        if len(words) > MAX_HEADLINE_WORDS:
            break
        words.append(word)
    best = None   # (cost, where the sentence starts, the headline's cased words, lower-case ones, common capitalised ones)
    lower_before = against = common_capitalised = cased = 0
    for k, word in enumerate(words):
        first = word[0][0]
        if text.count(",", start, word.start()) > MAX_COMMAS or (k and first.islower() and words[k - 1][0][0].islower()):
            break   # a list, or two words in lower case: a sentence has begun
        if k and first.isupper() and _opens_sentence(text, words[k - 1].end(), word.start()):
            if label and text.startswith(label, word.start()):
                best = (0, word.start(), cased, lower_before, common_capitalised)   # the next link of a list glued together
                break
            cost = _sentence_cost(text, word.start(), seen_lowercase)
            if cost is not None and (best is None or 2 * against + cost < best[0]):
                best = (2 * against + cost, word.start(), cased, lower_before, common_capitalised)
            if QUOTE_OPENERS.intersection(text[words[k - 1].end() : word.start()]):
                break   # a quotation opens a sentence: the headline ended before it at the latest
        if first.islower():
            lower_before += 1
            against += not _between_capitals(text, words, k)
            cased += 1
        elif first.isupper():
            cased += 1
            common_capitalised += seen_lowercase(word[0])
    if best is None:
        return None
    _, at, cased, lower, common = best
    if cased < min_words or common < MIN_COMMON_CAPITALISED or 3 * lower > cased:
        return None   # a short or sentence-case opening, or names: the words after the label are no headline
    return _before_opener(text, at)


def sentence_case_end(text: str, start: int, seen_lowercase: Callable[[str], bool]) -> int | None:
    """Where a headline in sentence case that starts at `start` ends, if a sentence follows it
    ('Council approves new road plan after debate Residents said …'): at the first common
    word (one the corpus also writes in lower case) written capitalised after a word in
    lower case or a number, when a sentence starts there in which no other common word
    written capitalised is followed by a word in lower case (as a sentence's first word is:
    'the Interior Ministry had approved' is one sentence; titles before names may follow it)
    and SENTENCE_CASE_WORDS words stand before it. Asked only after a label that opens chrome
    on other pages: inside an article's sentence such a word is a name, and the next one
    capitalised after a word in lower case is the only place looked at (besides such a word after
    a name that follows a word in lower case: the headline may end with a place's name)."""
    stop = next((end.start() for end in SENTENCE_END.finditer(text, start) if text[end.start()] not in "?!"), len(text))
    words = list(islice(WORD.finditer(text, start, stop), SENTENCE_CASE_WORDS.stop))
    for k in range(1, len(words)):
        word, before = words[k][0], words[k - 1][0]
        if not (word[0].isupper() and seen_lowercase(word)):
            continue
        # after a name that follows a word in lower case ('… à Villeurbanne Les travaux …'): one more place to look at
        after_name = k > 1 and before[0].isupper() and not seen_lowercase(before) and words[k - 2][0][0].islower()
        if not (before[0].islower() or before[0].isdigit() or after_name):
            continue
        if k in SENTENCE_CASE_WORDS and _opens_sentence(text, words[k - 1].end(), words[k].start()):
            cost = _sentence_cost(text, words[k].start(), seen_lowercase)
            if cost is not None and cost < INNER_SENTENCE_COST:
                return _before_opener(text, words[k].start())
        if not after_name:
            return None
    return None


def _between_capitals(text: str, words: list[re.Match], k: int) -> bool:
    """Whether word k stands between two capitalised words with spaces only around it (a
    headline's small word: 'Rise in Prices', 'Naik di Pasar')."""
    if not 0 < k < len(words) - 1 or not (words[k - 1][0][0].isupper() and words[k + 1][0][0].isupper()):
        return False
    return text[words[k - 1].end() : words[k].start()].isspace() and text[words[k].end() : words[k + 1].start()].isspace()


def _opens_sentence(text: str, gap_start: int, gap_end: int) -> bool:
    """Whether the gap between two words may hold a sentence's start: spaces, after a question
    or exclamation mark that ends the headline, and opening quotes or brackets."""
    gap = text[gap_start:gap_end].lstrip("?!" + CLOSERS)
    return gap[:1].isspace() and not gap.strip(" " + OPENERS)


def _before_opener(text: str, at: int) -> int:
    """Where the sentence starting with the word at `at` begins (opening quotes included)."""
    while at > 0 and text[at - 1] in OPENERS:
        at -= 1
    return at


def _sentence_cost(text: str, start: int, seen_lowercase: Callable[[str], bool]) -> int | None:
    """How much a sentence starting at `start` reads as a headline's end, from the common
    words it capitalises after its first word: 1 for one among the capitalised words that
    open it (a name made of common words), INNER_SENTENCE_COST for one followed by a lower-case
    word (the start of a sentence: 'After that, the …'), 2 for the others (titles before names);
    None if it reads as no sentence (fewer than MIN_SENTENCE_WORDS words, or fewer than a
    third of its cased words in lower case: an article's sentence may be crowded with names,
    'Diketahui, kereta itu berangkat dari Halim, Jakarta Timur ke Tegalluar, Padalarang …')."""
    stop = SENTENCE_END.search(text, start)
    words = WORD.findall(text, start, stop.end() if stop else len(text))
    cased = [w for w in words if w[0].isupper() or w[0].islower()]
    lower = [w[0].islower() for w in cased]
    if len(words) < MIN_SENTENCE_WORDS or 3 * sum(lower) < len(cased):
        return None
    opening = lower.index(True)
    cost = 0
    for i in range(1, len(cased)):
        if not lower[i] and seen_lowercase(cased[i]):
            cost += INNER_SENTENCE_COST if i + 1 < len(cased) and lower[i + 1] else 1 if i < opening else 2
    return cost


def is_headline_after_label(line: str) -> bool:
    """'Label: text', headline-long, with text after the label that is no sentence ending in a
    full stop ('Update: The council said on Monday … .' is content; a headline may ask or exclaim)."""
    match = LABEL.match(line)
    if not (match and match["value"].strip()) or len(line_words(line)) > MAX_HEADLINE_WORDS:
        return False
    return not (match["value"].rstrip(CLOSERS).endswith(".") and mostly_lowercase(match["value"]))


def is_common_words_headline(line: str, seen_lowercase: Callable[[str], bool]) -> bool:
    """'Label: text' of TITLED_HEADLINE_WORDS words or more, most of which the corpus writes in
    lower case: a headline even in title case, where a credit's capitalised words are names
    ('Editor: Name, Name') or a short name of an institution ('Source: Ministry Of Health')."""
    match = LABEL.match(line)
    words = line_words(match["value"]) if match else []
    return len(words) >= TITLED_HEADLINE_WORDS and 2 * sum(map(seen_lowercase, words)) > len(words)


def is_linked_headline(text: str, punctuated: bool) -> bool:
    """'Label: A Headline In Title Case', not a list of names (one comma at most), without a
    full stop after it (a question or an exclamation may end a headline): a link to another
    article by its shape alone, found on one page (`punctuated`: the text ends like a sentence)."""
    if punctuated and not text.rstrip(CLOSERS).endswith(("?", "!")):
        return False
    match = LABEL.match(text)
    if not match:
        return False
    return match["value"].count(",") <= 1 and is_title_cased(match["value"])


def cut_related_link(paragraph: str, label_repeated: bool, page_labels: frozenset[str] = frozenset()) -> tuple[str, list[Removed]]:
    """A 'Label: headline' glued after the paragraph's last sentence, its label one that opens
    chrome on other pages (`label_repeated`) or a label line of the same page (`page_labels`,
    `label_line_labels`), or the headline written in title case: the paragraph without it,
    and the link."""
    tail = trailing_fragment(paragraph)
    if not tail or not is_headline_after_label(tail) or len(tail) == len(paragraph) or LABEL.match(tail)["value"].startswith(QUOTES):
        return paragraph, []
    punctuated = ends_like_sentence(tail)
    if punctuated and not tail.rstrip(CLOSERS).endswith(("?", "!")):
        return paragraph, []   # a sentence after a label ('Update: … .'), not a headline
    if not label_repeated and label_of(tail) not in page_labels and not is_linked_headline(tail, punctuated):
        return paragraph, []
    return paragraph[: len(paragraph) - len(tail)].rstrip(), [Removed(tail, RELATED_LINK)]


def opens_links(lines: list[str], i: int) -> bool:
    """Whether line i is 'Label: …' with a label that the page also puts before other lines or
    after a paragraph's last sentence: a link's label ('Read more: …' at the top and below it),
    not a title's ('Profile: Name' opens the page alone)."""
    label = label_of(lines[i]) if ":" in lines[i] or "|" in lines[i] else None
    return bool(label) and any(label in (label_of(line), label_of(trailing_fragment(line)))
                               for j, line in enumerate(lines) if j != i and (":" in line or "|" in line))


def label_line_labels(lines: list[str]) -> frozenset[str]:
    """The labels that open 'Label: words' lines without a sentence below a page's first line
    (its title): a label the page also glues after a paragraph's last sentence is a link's
    label there ('Read more: headline' on a line of its own and after the last sentence),
    where a corpus has the page alone to show it."""
    return frozenset(label_of(line) for line in lines[1:] if (":" in line or "|" in line) and is_label_line(line)) - {None}


def mark_related_links(lines: list[str], reasons: list[str | None], key_words: list[int], labels: list[int],
                        ruled: list[int]) -> None:
    """Headlines that a page lists as links to other articles, found by what surrounds them: the
    line after a label-only line ("Label:") whose label opens chrome on two or more pages (on
    one page, when the line is a headline in title case; a line with a full stop at its end or a
    sentence break inside is a sentence, which the label, a share button's, may stand above), and
    titles listed one by one after bullet-only lines ("-") below the last paragraph of the body.
    A line below the label judged not a sentence (or found on other pages) is the link too
    when it is headline-long (`_is_headline_long`), and the label-only line above a link is a
    link's label, not a credit's. (`ruled`: the lines the rules judged, the only ones with a reason yet.)"""
    after_label = [
        i + 1 for i in ruled
        if i + 1 < len(lines) and reasons[i] is not None and lines[i].endswith(":") and LABEL.match(lines[i])
        and (labels[i] >= 2 or _is_headline_shaped(lines[i + 1]))
    ]
    entries = [i + 1 for i in range(len(lines) - 1) if key_words[i] == 0 and len(lines[i]) <= 2 and key_words[i + 1]] \
        if 0 in key_words else []
    listed = []
    if len(entries) >= 2:
        body = [i for i, reason in enumerate(reasons) if reason is None and i not in entries]
        listed = entries if not body or body[-1] < entries[0] else []
    for i in after_label:   # a headline, not a sentence: no full stop at its end, no sentence break inside
        if reasons[i] in (None, NOT_A_SENTENCE, BOILERPLATE) and len(line_words(lines[i])) <= MAX_HEADLINE_WORDS \
                and not lines[i].rstrip(CLOSERS).endswith(".") and not SENTENCE_BREAK.search(lines[i]) \
                and (reasons[i] is None or _is_headline_long(lines[i])):
            if reasons[i] != BOILERPLATE:
                reasons[i] = RELATED_LINK
            if reasons[i - 1] == CREDIT:   # the label-only line above it is a link's, not a credit's
                reasons[i - 1] = RELATED_LINK
    for i in listed:
        if reasons[i] is None and len(line_words(lines[i])) <= MAX_HEADLINE_WORDS:
            reasons[i] = RELATED_LINK


def _is_headline_long(line: str) -> bool:
    """Words enough for a headline, not a credit's names below its label ('Foto:' / 'Name Name'):
    SHAPE_HEADLINE_WORDS words with one in lower case, or TITLED_HEADLINE_WORDS in any case."""
    words = line_words(line)
    return len(words) >= TITLED_HEADLINE_WORDS or (len(words) >= SHAPE_HEADLINE_WORDS and any(w[0].islower() for w in words))


def _is_headline_shaped(line: str) -> bool:
    """Title case, with no full stop at the end (a question or an exclamation may end it)."""
    return is_title_cased(line) and not line.rstrip(CLOSERS).endswith((".", "…"))
