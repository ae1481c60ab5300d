"""Page furniture left in a report: the sentences of `samestory report --format json`
(unique to a report, or shared) shaped like site chrome, printed with their shape and
counted per shape, for a person to read (a shape is a hint, not a verdict).

    python -m benchmarks.furniture_audit REPORT.json [--shared]

Issue 14 asks that no page furniture (links to other articles, credits, captions,
prompts, source and date tags, bylines, copyright) be left among a report's unique
sentences; this lists the candidates to hand-check. Shapes only, as the cleaning rules
see them (`corpus.line_shapes`), no phrases of any language:

  label    'Label: …' opening the sentence: a link, a credit, a prompt
  bracket  a bracket holding 'Label: …', a credit or a source tag ('(Agency, 5 Dec 2021)')
  slash    '… / Label: Names' or an agency in capitals with a slash ('AGENCY/Name')
  mark     a copyright mark or a web address
  date     a date or a time standing alone
  phrase   no sentence end and at most six words
  shouted  written in capitals
"""
from __future__ import annotations

import argparse
import collections
import json
import re

from corpus.inline_credits import SLASH_CREDIT
from corpus.line_shapes import (COPYRIGHT_MARK, LABEL, QUOTES, SENTENCE_END, URL, ends_like_sentence, is_date_line,
                                line_words)
from corpus.paragraph_trims import bracket_credit

BRACKET = re.compile(r"[(\[]([^()\[\]]{2,80})[)\]]")
SLASHED_LABEL = re.compile(r"\s[/|]\s*[^\W\d_]+(?: [^\W\d_]+){0,2} ?: ?\S")
DIGIT = re.compile(r"\d")
PHRASE_WORDS = 6


def shapes(sentence: str) -> list[str]:
    """The chrome shapes a sentence has (none for a plain sentence)."""
    text = sentence.strip()
    words = line_words(text)
    found = []
    label = LABEL.match(text)
    if label and len(line_words(label["label"])) <= 3 and not DIGIT.search(label["label"]) and label["value"].strip() \
            and not label["value"].startswith(QUOTES):   # 'He said: "…"' is reported speech
        found.append("label")
    if any(bracket_credit(match[1], _after_sentence(text, match.start())) for match in BRACKET.finditer(text)):
        found.append("bracket")
    if SLASHED_LABEL.search(text) or any(SLASH_CREDIT.match(word) for word in text.split()[1:]):
        found.append("slash")
    if COPYRIGHT_MARK.search(text) or URL.search(text):
        found.append("mark")
    if is_date_line(text.strip("()[] ")):
        found.append("date")
    if words and len(words) <= PHRASE_WORDS and not ends_like_sentence(text):
        found.append("phrase")
    if sum(ch.isalpha() for ch in text) >= 8 and text.isupper():
        found.append("shouted")
    return found


def _after_sentence(text: str, start: int) -> bool:
    """Whether a bracket at `start` opens the sentence or follows a sentence end (where a source
    tag stands; a name in brackets inside a sentence is content: '… Agency (ABC) said')."""
    before = text[:start].rstrip()
    return not before or before[-1] in SENTENCE_END


def candidates(report: dict, shared: bool) -> list[tuple[str, str, list[str]]]:
    """(document, sentence, shapes) of every unique (and with `shared`, every shared) sentence with a shape."""
    found = []
    for story in report["stories"]:
        sentences = [(u["document"], u["text"]) for u in story["unique_sentences"]]
        if shared:
            sentences += [(o["document"], o["text"]) for group in story["shared_sentences"] for o in group["occurrences"]]
        found += [(document, text, kinds) for document, text in sentences if (kinds := shapes(text))]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report")
    parser.add_argument("--shared", action="store_true", help="also the shared sentences")
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as file:
        report = json.load(file)
    found = candidates(report, args.shared)
    for document, text, kinds in found:
        print(f"{','.join(kinds)}\t{document}\t{text}")
    total = sum(len(story["unique_sentences"]) for story in report["stories"])
    counts = collections.Counter(kind for _, _, kinds in found for kind in kinds)
    print(f"{len(found)} candidates among {total} unique sentences: "
          + ", ".join(f"{kind} {n}" for kind, n in counts.most_common()))


if __name__ == "__main__":
    main()
