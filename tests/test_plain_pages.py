"""The fast path of cleaning (`corpus.plain_pages`): what it calls plain or unique must be
what the rules would say."""

import random

import numpy as np

from corpus.clean_lines import batch_lines
from corpus.line_keys import key_of
from corpus.plain_pages import DATELINE_REACH, _unique_on_page, lines_opening_dateline, plain_content


def _contained_elsewhere(lines: list[str], index: int) -> bool:
    """The exact question: the line's key equal to another line's, or inside a longer one's."""
    keys = [key_of(line) for line in lines]
    return any(other != index and f" {keys[index]} " in f" {key} " for other, key in enumerate(keys))


def test_unique_on_page_is_never_wrong_when_it_says_unique():
    rng = random.Random(7)
    vocabulary = ["alpha", "beta", "Gamma", "délta", "ÉPSILON", "zeta", "eta", "theta", "iota", "kappa"]
    pages = []
    for _ in range(300):
        lines = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(2, 9))) + "." for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.5:   # a line repeated inside another, with other punctuation
            source = rng.randrange(len(lines))
            lines.append("Said: " + lines[source].rstrip(".").upper() + ", and more words.")
        pages.append("\n".join(lines))
    batch = batch_lines(pages)
    unique = _unique_on_page(batch, np.ones(len(batch.lines), dtype=bool))
    checked = 0
    for p in range(len(pages)):
        a, b = batch.offsets[p], batch.offsets[p + 1]
        for i in range(a, b):
            if _contained_elsewhere(batch.lines[a:b], i - a):
                assert not unique[i], batch.lines[a:b]
                checked += 1
    assert checked > 50
    assert unique.sum() > len(batch.lines) / 4   # and it does find most plain lines


def test_plain_lines_are_left_alone_by_the_rules():
    text = ("Headline of the day\n\nA long paragraph that says what happened in plain words and ends with a stop "
            "as prose does here.\n\nCopyright 2024 Some Site\n\nRead more: Another headline")
    batch = batch_lines([text])
    none = np.zeros(len(batch.lines), dtype=np.int64)
    plain = plain_content(batch, none, none.astype(bool)).plain
    assert plain.tolist() == [False, True, False, False]


def test_lines_opening_dateline_finds_a_spaced_dash_near_the_start_only():
    lines = ["CITY - Text", "x" * 88 + " -", "x" * 89 + " -", "no dash-here", "Grüße – aus Köln", "«Α» — β",
             "", "a —", "-start"]
    expected = [any(line.find(dash, 0, DATELINE_REACH) >= 0 for dash in (" -", " –", " —")) for line in lines]
    assert lines_opening_dateline(lines).tolist() == expected == [True, True, False, False, True, True, False, True, False]
    assert lines_opening_dateline([]).tolist() == []


def _varied_pages(count: int) -> list[str]:
    rng = random.Random(19)
    quote = '"We will rebuild the bridge before the winter comes," the mayor told reporters.'
    pieces = [
        "The council voted on Monday to fund the repairs after the flood damaged the old crossing and closed the road.",
        "Officials gave no cost for the work.", "Prices rose 4.5 percent in May.", "It opened on 12 May 2024.",
        "Traffic was light.", "Read more on our site.", "Copyright 2024 Town Post", "http://town.example/news",
        "Police said the 2 men, aged 31 and 45, were arrested.", "See the plans and/or maps here.", quote,
        f"Work starts next month. {quote} Officials gave no cost.", "Why did the bridge fall?",
        "Sign up for our newsletter to get the latest news from the region every day.", "More: Bridge Plans Unveiled",
        "THE MAYOR SPOKE.", "Residents... waited.", "Its 3 lanes reopen on 5/6/2024.",
        "Follow the Town Post on Google News.", "Jo Park covers the council for the site.",   # prompts with names
        "The council met the Town Post editors.",
    ]
    return ["\n\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(count)]


def _through_the_rules(monkeypatch, pages: list[str]):
    """The pages cleaned with every line asking the rules."""
    from corpus import clean, plain_pages
    original = plain_pages.plain_content

    def nothing_plain(batch, documents, prompts):
        found = original(batch, documents, prompts)
        return plain_pages.PlainLines(*(np.zeros_like(column) for column in found))

    with monkeypatch.context() as patched:
        patched.setattr(clean, "plain_content", nothing_plain)
        return clean.clean_corpus(pages)


def test_the_fast_path_gives_what_the_rules_give(monkeypatch):
    from corpus import clean
    pages = _varied_pages(300)
    assert _through_the_rules(monkeypatch, pages) == clean.clean_corpus(pages)


def test_prompts_below_the_article_are_settled_as_the_rules_settle_them(monkeypatch):
    """Pages whose only lines not plain are marks and the short sentences only the prompt rules
    may claim are assembled without the rules (`settle_prompts`), with what the rules give."""
    from corpus import clean
    towns = ["Kota", "Desa", "Riverton", "Hillside", "Lakeview", "Stonebridge"]
    papers = ["Daily Star", "Morning Ledger", "Evening Post", "Weekly Herald", "City Courier", "Valley Times"]
    people = ["Ann Lee", "Bo Kim", "Jo Park", "Sari Dewi", "Tom Ruiz", "Eva Berg"]
    pages = []
    for k, (town, paper, person) in enumerate(zip(towns, papers, people)):
        body = f"The {town} council voted on Monday to fund the repairs after the flood damaged the old crossing."
        notes = [f"Follow the {paper} on Google News.", f"{person} covers the council for the site.",
                 f"The {town} council met again on Tuesday evening."][: 1 + k % 3]   # the last: a name of the article
        mark = ["Copyright 2024 Town Post", "www.town.example/news"][k % 2]
        pages.append("\n\n".join([body, mark, *notes]))
    seen, rules = [], clean.clean_page
    monkeypatch.setattr(clean, "clean_page", lambda *args: seen.append(args) or rules(*args))
    fast = clean.clean_corpus(pages)
    monkeypatch.undo()
    assert not seen   # no page asked the rules
    # the mark, and the notes below a copyright line unless one holds a name of the article (below a link: none)
    assert [len(c.removed) for c in fast] == [2, 1, 1, 1, 3, 1]
    assert _through_the_rules(monkeypatch, pages) == fast
