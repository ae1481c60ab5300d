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
  unpunctuated phrase that three or more documents carry is boilerplate; so is
  a paragraph holding a web address that another document carries too (a site's
  note that links away), and a line short but for its addresses is a link;
* a sentence repeated inside one document (a caption repeating the lede) is
  kept once, where the body has it;
* on a page that lost its line breaks, an opening that many documents share,
  each going on differently, is chrome glued to the article (`corpus.glued_chrome`);
* parts of content paragraphs are trimmed, never the paragraph: a dateline
  opening one of the first paragraphs ("SITE.COM, CITY --"), a credit in
  brackets after a paragraph's last sentence ("(Site.com/Name)"), a byline
  glued to the last sentence, the headline and its photo credit glued to the
  start of a paragraph.

Everything removed is kept, with its reason, in `Cleaned.removed`.

Lines are compared across a corpus by their key (case-folded words joined by
single spaces). Only lines that may be boilerplate are counted: lines of fewer
than 20 words and longer lines that are not prose (a long prose paragraph is
content however many documents carry it). A stream too large to hold is
cleaned in two passes over the same batches:

    counts = sum((line_key_counts(batch) for batch in batches), LineCounts.empty())
    for batch in batches: clean_batch(batch, counts.repeated())

`clean_batch` then gives exactly what `clean_corpus` gives on the whole stream,
except that a headline echo's photo credit ("Headline Photo: Name First
sentence …") is told from a capitalised first word by the words written in lower
case in the batch, not in the whole stream. Counting one large batch instead of
the stream (`clean_batch(batch, line_key_counts(batch))`, what `clean_corpus`
does) finds only the boilerplate repeated within that batch.

The speed comes from deciding most lines without looking at them one by one:
`corpus.clean_lines` splits, encodes and measures a whole batch's lines at
once and finds the plain content paragraphs with array operations;
`corpus.line_keys` hashes the keys of the lines whose counts matter, all at
once; `corpus.clean_page` applies the rules to the rest, page by page.
"""
from __future__ import annotations

import functools
from typing import Iterable

import numpy as np

from corpus.clean_lines import BODY_PROMPT_WORDS, CHUNK_TEXTS, BatchLines, LineCounts, addressed_lines, batch_lines
from corpus.glued_chrome import cut_openings, opening_keys
from corpus.bylines import opener_counter, opener_hashes
from corpus.glued_tails import documents_counter, tail_hashes
from corpus.template_notes import frame_hashes, template_notes
from corpus.line_keys import LABEL_SEED, hash_strings
from corpus.clean_page import Cleaned, Page, clean_page, words_seen_lowercase
from corpus.reader_prompts import article_lines, is_foreign_sentence, may_hold_links, may_hold_prompts
from corpus.plain_pages import is_plain_prompt, mark_lines, plain_content, plain_pages, settle_prompts, settle_repeats
from corpus.line_shapes import (
    BOILERPLATE,
    BOILERPLATE_OPENING,
    CAPTION,
    COPYRIGHT,
    CREDIT,
    DATE,
    DATELINE,
    EDITOR_INITIALS,
    HEADLINE,
    INLINE_CREDIT,
    LINK,
    NOT_A_SENTENCE,
    RELATED_LINK,
    REPEATED,
    SHORT_SENTENCE_WORDS,
    SOURCE_TAG,
    TRUNCATED,
    Removed,
)

# The cleaning stage's interface: its functions and results, and the reasons a line is removed.
__all__ = [
    "Cleaned", "LineCounts", "clean_batch", "clean_corpus", "clean_text", "line_key_counts", "BOILERPLATE",
    "BOILERPLATE_OPENING", "CAPTION", "COPYRIGHT", "CREDIT", "DATE", "DATELINE", "EDITOR_INITIALS",
    "HEADLINE", "INLINE_CREDIT", "LINK", "NOT_A_SENTENCE", "RELATED_LINK", "REPEATED", "SHORT_SENTENCE_WORDS",
    "SOURCE_TAG", "TRUNCATED", "Removed",
]


# A line this many pages end with, each after another line, is furniture (a prompt, an author's
# note) when it has this many words (a short closing sentence may be shared content: it is a
# prompt only with chrome right above it, `mark_prompts_below`); so is a short sentence without
# a number, a quotation or names the article's paragraphs use (`is_foreign_sentence`) anywhere
# inside them, each after another line and before another line (an edited copy keeps the
# sentences it shares). Such a sentence that is the last sentence of each page, near its end
# (`BatchLines.ending_sentences`: only chrome below it), is furniture on PLAIN_PROMPT_DOCUMENTS
# pages already, after another line on each (an app prompt of a site the corpus holds two pages
# of; a sentence two reports share has more of the article below it on one of them, or follows
# the same line on both).
PROMPT_DOCUMENTS = 3
PLAIN_PROMPT_DOCUMENTS = 2
PROMPT_WORDS = 10


def clean_corpus(texts: list[str]) -> list[Cleaned]:
    """Clean every document; lines are compared across the whole corpus."""
    chunks = _chunks(texts)
    return _clean_chunks(texts, _count(texts, chunks).repeated(), chunks)


def clean_text(text: str) -> Cleaned:
    """Clean one document on its own (no corpus to compare lines with)."""
    return clean_corpus([text])[0]


def line_key_counts(texts: Iterable[str]) -> LineCounts:
    """The first pass over a stream: how many of these documents carry each counted line
    (and each opening of a first line, `corpus.glued_chrome`)."""
    return counted_keys(list(texts))[0]


def counted_keys(texts: list[str]) -> tuple[LineCounts, list[np.ndarray]]:
    """`line_key_counts`, and the hashes of the line keys made to count them (per chunk of
    lines, 0 for a line not hashed), for `clean_batch` to take again on the same texts."""
    chunks = _chunks(texts)
    return _count(texts, chunks), [chunk.key_hashes for chunk in chunks]


def clean_batch(texts: list[str], counts: LineCounts, key_hashes: list[np.ndarray] | None = None) -> list[Cleaned]:
    """Clean a batch of documents against line counts made over the whole corpus or stream
    (`repeated()`: the openings of first lines that are chrome found); `key_hashes`: what
    `counted_keys` made of the same texts, if kept (the keys are then not hashed again)."""
    return _clean_chunks(texts, counts, key_hashes=key_hashes)


def _chunks(texts: list[str]) -> list[BatchLines]:
    """The lines of consecutive chunks of texts (arrays of one chunk stay small)."""
    return [batch_lines(texts[i : i + CHUNK_TEXTS]) for i in range(0, max(len(texts), 1), CHUNK_TEXTS)]


def _count(texts: list[str], chunks: list[BatchLines]) -> LineCounts:
    """The counts of the lines and of the openings (parents kept only when some opening has one)."""
    openings, parents = opening_keys(texts)
    lines = np.concatenate([chunk.counted_hashes() for chunk in chunks]
                           + [tail_hashes(chunk.texts_of, chunk.words, chunk.last_bytes, chunk.line_pages) for chunk in chunks]
                           + [frame_hashes(chunk) for chunk in chunks] + [opener_hashes(chunk) for chunk in chunks])
    if not parents[:, 0].any():
        return LineCounts.of_hashes(np.concatenate([lines, openings]))
    return LineCounts.of_hashes(np.concatenate([lines, openings]),
                                np.concatenate([np.zeros((len(lines), 2), dtype=np.uint64), parents]))


def _clean_chunks(texts: list[str], counts: LineCounts, chunks: list[BatchLines] | None = None,
                  key_hashes: list[np.ndarray] | None = None) -> list[Cleaned]:
    """Clean the texts (their lines `chunks` when already made, or the hashes of their keys
    `key_hashes`), the chrome glued at the start of a first line cut first (listed first
    among what was removed)."""
    cut = cut_openings(texts, counts.documents_of)
    again = {t // CHUNK_TEXTS for t in cut}   # made for counting: the chunks holding a cut text made again
    if cut:
        texts = [cut[t][0] if t in cut else text for t, text in enumerate(texts)]
        if chunks:
            chunks = [batch_lines(texts[c * CHUNK_TEXTS : (c + 1) * CHUNK_TEXTS]) if c in again else chunk
                      for c, chunk in enumerate(chunks)]
    chunks = chunks or _chunks(texts)
    for c, hashed in enumerate(key_hashes or []):
        if c not in again:
            chunks[c].key_hashes = hashed.copy()
    # only asked when a headline is echoed: the lines are read then
    seen_lowercase = words_seen_lowercase(line for chunk in chunks for line in chunk.lines)
    cleaned = [cleaned for chunk in chunks for cleaned in _clean_lines(chunk, counts, seen_lowercase)]
    for t, (_, opening) in cut.items():
        cleaned[t] = Cleaned(cleaned[t].text, [opening, *cleaned[t].removed])
    return cleaned


def _foreign_sentences(batch: BatchLines, at: np.ndarray) -> np.ndarray:
    """For the lines `at`, whether each is a short sentence without a number, a quotation or
    names its page's paragraphs use (`is_foreign_sentence`)."""
    if not len(at):
        return np.zeros(0, dtype=bool)
    offsets, pages = batch.offsets.tolist(), batch.line_pages[at]
    long_lines = article_lines(batch.key_words)   # each page's paragraphs: long_lines[firsts[p] : firsts[p + 1]]
    firsts = np.searchsorted(long_lines, offsets).tolist()
    return np.array([is_foreign_sentence(text, lambda p=p: "\n".join(batch.texts_of(long_lines[firsts[p] : firsts[p + 1]].tolist())))
                     for text, p in zip(batch.texts_of(at.tolist()), pages.tolist())], dtype=bool)


def _clean_lines(batch: BatchLines, counts: LineCounts, seen_lowercase) -> list[Cleaned]:
    """Clean the pages of one chunk. A page whose lines are all plain content, but for
    copyright and link lines (chrome whatever the page around them) and prompts that no
    other rule can claim, is assembled at once (a dateline trimmed); every other page goes
    through the rules."""
    labels = np.where(batch.labelled, counts.documents_of(batch.label_hashes), 0)
    # 1 for a 'Label: …' fragment after the last sentence whose label opens chrome on no other page
    tail_labels = np.where(batch.tail_label_hashes > 0, np.maximum(counts.documents_of(batch.tail_label_hashes), 1), 0)
    # How many documents carry a line is asked only where it can change what is kept: short
    # lines, lines a page ends with (prompts), and the lines the rules judge.
    documents = np.zeros(len(batch.lines), dtype=np.int64)
    tail = batch.in_context & batch.near_end & (batch.key_words >= PROMPT_WORDS)
    closing = batch.in_context & batch.near_end & (batch.key_words > SHORT_SENTENCE_WORDS) & (batch.key_words < PROMPT_WORDS)
    body = batch.in_context & ~batch.near_end & batch.plain_end & (batch.key_words >= BODY_PROMPT_WORDS[0]) \
        & (batch.key_words <= BODY_PROMPT_WORDS[1])
    at = np.flatnonzero(body)
    body[at[~batch.few_capitals(at, BODY_PROMPT_WORDS[1])]] = False   # a number: no prompt (names: `is_foreign_sentence`)
    asked = np.flatnonzero(batch.counted & ((batch.key_words <= SHORT_SENTENCE_WORDS) | tail | body | closing))
    documents[asked] = counts.documents_of(batch.keys_hashed(asked))
    ending = np.flatnonzero((tail | body | closing) & (documents >= PLAIN_PROMPT_DOCUMENTS))
    # on fewer pages: a sentence without a name, a number or a quotation, the last of each page
    two = ending[documents[ending] < PROMPT_DOCUMENTS]
    if len(two):
        two = two[batch.ending_sentences[two]]
        two = two[counts.documents_of(batch.end_hashes(two)) >= PLAIN_PROMPT_DOCUMENTS] if len(two) else two
        ending = ending[(documents[ending] >= PROMPT_DOCUMENTS) | np.isin(ending, two[_foreign_sentences(batch, two)])]
    prompts = np.zeros(len(batch.lines), dtype=bool)
    prompts[ending] = 2 * counts.documents_of(batch.context_hashes(ending)) < documents[ending]
    between = ending[body[ending] & prompts[ending]]   # inside the page: after other lines and before others too
    prompts[between] = 2 * counts.documents_of(batch.following_hashes(between)) < documents[between]
    inside = between[prompts[between]]   # a line inside the page: a prompt only when shaped like one
    prompts[inside[~_foreign_sentences(batch, inside)]] = False
    closings = prompts & closing   # short: a prompt only below chrome (the rules tell)
    closings |= template_notes(batch, counts.documents_of)   # so is a note filled in page by page
    prompts &= ~closing
    plain, unique, repeats, shared = plain_content(batch, documents, prompts)
    repeats &= ~closings   # a closing prompt the rules may claim below chrome: not settled as a repeat alone
    links = may_hold_links(batch, plain)
    held = may_hold_prompts(batch, plain) & ~links & ~closings   # only the prompt rules may claim them
    plain &= ~held & ~links & ~closings
    linked = addressed_lines(batch)   # a long line with a web address that other pages carry too: a note linking away
    linked = linked[counts.documents_of(batch.keys_hashed(linked)) >= 2] if len(linked) else linked
    plain[linked] = False
    judged = np.flatnonzero(batch.counted & ~plain & (documents == 0))
    documents[judged] = counts.documents_of(batch.keys_hashed(judged))
    lines = batch.lines
    marks = mark_lines(batch, ~plain)
    marks.update(dict.fromkeys(linked.tolist(), LINK))
    words, key_words = batch.words.tolist(), batch.key_words.tolist()
    for i in np.flatnonzero(prompts & unique).tolist():   # words found nowhere else on the page: not "repeated"
        if is_plain_prompt(lines[i], words[i], key_words[i]):
            marks[i] = BOILERPLATE
    for i in np.flatnonzero(shared).tolist():
        marks[i] = BOILERPLATE
    offsets = batch.offsets.tolist()

    @functools.cache
    def page(p: int) -> Page:
        """Page p with the per-line facts its rules read (as lists, made when first asked)."""
        a, b = offsets[p], offsets[p + 1]
        return Page(lines[a:b], *[column[a:b] for column in columns()])

    @functools.cache
    def columns() -> list[list]:
        return [column.tolist() for column in (batch.words, batch.key_words, plain, unique, documents, labels,
                                               tail_labels, prompts, closings)]

    @functools.cache
    def label_documents(label: str) -> int:
        return int(counts.documents_of(hash_strings([label], LABEL_SEED))[0]) if label else 0

    tail_documents = functools.cache(documents_counter(counts.documents_of))
    opener_documents = functools.cache(opener_counter(counts.documents_of))
    settle_repeats(batch, plain, marks, repeats, page)
    settle_prompts(batch, plain, marks, held, page)
    cleaned = plain_pages(batch, plain, marks)
    for p in [p for p, cleaned_page in enumerate(cleaned) if cleaned_page is None]:
        cleaned[p] = clean_page(page(p), seen_lowercase, label_documents, tail_documents, opener_documents)
    return cleaned
