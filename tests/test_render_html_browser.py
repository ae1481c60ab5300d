"""The HTML report in a real browser (Debian's headless Chromium through Playwright):
no page errors, nothing fetched, the figures and sentences of the JSON report, and
hostile text that stays text. Skipped, with the reason, where Chromium is missing."""

import json
from pathlib import Path

import pytest

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
from conftest import two_event_records
from html_corpus import HOSTILE_SENTENCE, PAYLOADS, hostile_records
from corpus import render, render_html
from corpus.assemble import build_report
from corpus.read import bundled_sample, read_records

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Opened:
    """A report open in a page, with every problem the page had: errors, console errors,
    and any request but the one for the file itself."""

    def __init__(self, browser, html: str, path: Path, viewport=(1400, 1000)):
        path.write_text(html, encoding="utf-8")
        self.problems: list[str] = []
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.url = path.as_uri()
        self.page.route("**/*", self._only_the_file)
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def _only_the_file(self, route):
        if route.request.url.split("#")[0] == self.url:
            route.continue_()
        else:
            self.problems.append(f"request: {route.request.url}")
            route.abort()

    def elements(self, selector: str) -> list[dict]:
        """Text, attributes and whether each matching element is rendered with a size."""
        return self.page.eval_on_selector_all(selector, """els => els.map(e => {
            const box = e.getBoundingClientRect();
            return {text: e.textContent, document: e.dataset.document, id: e.id, twins: e.dataset.twins || "",
                    cls: e.className && e.className.baseVal !== undefined ? e.className.baseVal : e.className,
                    visible: e.checkVisibility() && box.width > 0 && box.height > 0};
        })""")


@pytest.fixture(scope="module")
def sample(browser, tmp_path_factory):
    report = build_report(read_records([bundled_sample()]))
    opened = Opened(browser, render_html.html_report(report, "0"), tmp_path_factory.mktemp("html") / "report.html")
    yield opened, json.loads(render.report_json(report, "0"))
    opened.page.close()


def test_bundled_report_opens_without_errors_or_outside_requests(sample):
    opened, _ = sample
    assert opened.problems == []
    assert opened.page.evaluate("document.querySelectorAll('[data-story]').length") == 1


def test_every_document_id_and_unique_sentence_is_visible(sample):
    opened, payload = sample
    ids = opened.page.inner_text("body")
    for document in payload["documents"]:
        assert document["id"] in ids
        assert opened.page.get_by_text(document["id"], exact=True).first.is_visible()
    shown = opened.elements('[data-kind="unique"]')
    assert all(e["visible"] for e in shown)
    expected = sorted((u["document"], u["text"]) for s in payload["stories"] for u in s["unique_sentences"])
    assert sorted((e["document"], e["text"]) for e in shown) == expected


def test_kind_counts_match_the_json_report(sample):
    opened, payload = sample
    stories = payload["stories"]
    assert len(opened.elements('[data-kind="unique"]')) == sum(len(s["unique_sentences"]) for s in stories)
    assert len(opened.elements('[data-kind="shared"]')) == sum(
        len(g["occurrences"]) for s in stories for g in s["shared_sentences"])


def test_both_agency_quotes_are_visible(sample):
    opened, _ = sample
    shared = opened.elements('[data-kind="shared"]')
    quotes = [e for e in shared if "KCNA" in e["text"] and "menerima undangan tersebut" in e["text"]]
    assert len(quotes) == 2 and all(q["visible"] for q in quotes)
    assert sorted(q["text"][-14:] for q in quotes) == ["” tambah KCNA.", "” ungkap KCNA."]


def test_heatmap_cells_match_the_overlap_table(sample):
    opened, payload = sample
    (story,) = payload["stories"]
    heatmap = opened.page.locator(f'[data-story="{story["id"]}"] [data-heatmap]')
    assert heatmap.is_visible()
    cells = heatmap.locator("[data-cell]").evaluate_all(
        "cells => cells.map(c => [c.dataset.a, c.dataset.b, +c.dataset.containment, +c.dataset.jaccard, c.textContent])")
    n = len(story["documents"])
    assert len(cells) == n * (n - 1)
    by_pair = {(a, b): (containment, jaccard, text) for a, b, containment, jaccard, text in cells}
    for pair in story["overlap"]:
        for a, b, share in ((pair["a"], pair["b"], pair["containment_ab"]), (pair["b"], pair["a"], pair["containment_ba"])):
            containment, jaccard, text = by_pair[(a, b)]
            assert containment == share and jaccard == pair["jaccard"]
            assert text.endswith(f"{share * 100:.0f}") and f"Jaccard {pair['jaccard']:.3f}" in text


def test_clicking_a_shared_sentence_highlights_its_twins(sample):
    opened, payload = sample
    group = payload["stories"][0]["shared_sentences"][0]
    first = opened.page.locator('[data-kind="shared"]').first
    first.click()
    lit = opened.elements(".hl")
    others = [o for o in group["occurrences"] if o["text"] != first.text_content() or o["document"] != first.get_attribute("data-document")]
    assert sorted((e["document"], e["text"]) for e in lit) == sorted((o["document"], o["text"]) for o in others)
    assert "hl-self" in first.get_attribute("class")
    opened.page.locator('[data-kind="shared"]').last.press("Enter")      # the keyboard too
    assert sorted(e["document"] for e in opened.elements(".hl")) == [first.get_attribute("data-document")]
    assert opened.problems == []


def test_removed_chrome_shows_behind_its_toggle(sample):
    opened, payload = sample
    removed = next(r for d in payload["documents"] for r in d["removed"])
    line = opened.page.locator(".chrome li", has_text=removed["text"]).first
    assert not line.is_visible()
    opened.page.check("#show-chrome")
    assert line.is_visible()
    opened.page.uncheck("#show-chrome")


def test_the_page_is_not_blank(sample):
    opened, _ = sample
    png = opened.page.screenshot()
    colours = opened.page.evaluate("""async data => {
        const image = new Image();
        image.src = "data:image/png;base64," + data;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.width; canvas.height = image.height;
        const context = canvas.getContext("2d");
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        const seen = new Set();
        for (let i = 0; i < pixels.length; i += 4 * 97) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
        return seen.size;
    }""", __import__("base64").b64encode(png).decode())
    assert colours > 20
    for selector in ("[data-heatmap]", ".reader", "nav.index"):
        box = opened.page.locator(selector).first.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100


def test_hostile_text_is_shown_and_runs_nothing(browser, tmp_path):
    report = build_report(hostile_records())
    opened = Opened(browser, render_html.html_report(report, "0"), tmp_path / "hostile.html")
    page = opened.page
    page.locator('[data-kind="shared"]').first.click()
    page.check("#show-chrome")
    for cell in page.locator("[data-cell]").all()[:3]:
        cell.hover()
    assert page.evaluate("window.pwned") is None
    assert opened.problems == []
    text = page.inner_text("body")
    for payload in PAYLOADS.values():
        assert payload in text
    assert HOSTILE_SENTENCE in [e["text"] for e in opened.elements('[data-kind="shared"]')]
    assert page.evaluate("document.querySelectorAll('img, iframe, [onload], [onerror]').length") == 0
    assert page.evaluate("[...document.querySelectorAll('[href]')].every(a => a.getAttribute('href').startsWith('#'))")


def test_later_stories_render_on_scroll_and_filter(browser, tmp_path, monkeypatch):
    monkeypatch.setattr(render_html, "EAGER_SENTENCES", 1)
    monkeypatch.setattr(render_html, "INDEX_ROWS", 1)
    report = build_report([*read_records([bundled_sample()]), *two_event_records()])
    opened = Opened(browser, render_html.html_report(report, "0"), tmp_path / "lazy.html", viewport=(1200, 400))
    page = opened.page
    assert page.evaluate("document.querySelectorAll('section.lazy').length") == 2
    second, last = page.locator("section.story").nth(1), page.locator("section.story").last
    assert second.locator("[data-kind]").count() == 0 and last.locator("[data-kind]").count() == 0
    page.evaluate("location.hash = '#k1-A-0-0'")       # a link into a story not shown yet
    page.wait_for_selector("#k1-A-0-0")
    assert second.locator('[data-kind="shared"]').count() > 0
    last.scroll_into_view_if_needed()
    page.wait_for_selector("section.lazy", state="detached")
    assert last.locator('[data-kind="unique"]').count() > 0
    assert page.locator("nav.index tbody tr").count() == 1 and page.locator("#list-all").is_visible()
    page.fill("#filter", "vote")
    page.wait_for_selector("script.index-rest", state="detached")
    assert page.locator("nav.index tbody tr").count() == len(report.stories) == 3
    assert page.locator("section.story:visible").count() == 1
    assert page.locator("nav.index tbody tr:visible").count() == 1
    assert opened.problems == []


def test_readable_without_javascript(browser, tmp_path):
    report = build_report(read_records([bundled_sample()]))
    path = tmp_path / "report.html"
    path.write_text(render_html.html_report(report, "0"), encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    payload = json.loads(render.report_json(report, "0"))
    unique = page.locator('[data-kind="unique"]')
    assert unique.count() == sum(len(s["unique_sentences"]) for s in payload["stories"])
    assert all(box is not None and box["width"] > 0 for box in (u.bounding_box() for u in unique.all()[:10]))
    twin = page.locator("a.tw").first
    target = twin.get_attribute("href")
    twin.click()
    assert page.evaluate("location.hash") == target
    assert not page.locator("#filter").is_visible()
    context.close()
