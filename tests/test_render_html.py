"""The HTML report without a browser: one file, escaped, the same sentences as the JSON report."""

import base64
import gzip
import hashlib
import json
import re
from collections import Counter
from html.parser import HTMLParser


from conftest import mixed_language_report, two_event_records
from html_corpus import PAYLOADS, hostile_records
from corpus import render, render_html
from corpus.assemble import build_report
from corpus.read import bundled_sample, read_records


class Elements(HTMLParser):
    """Every start tag's attributes, and the text of every <style> and <script>."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.raw: dict[str, list[str]] = {"style": [], "script": []}
        self._open = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in self.raw else None

    def handle_data(self, data):
        if self._open:
            self.raw[self._open].append(data)
            self._open = None

    def with_attr(self, name: str) -> list[dict]:
        return [attrs for _, attrs in self.tags if name in attrs]


def unpacked(html: str) -> list[str]:
    """The markup of every packed <script> of a page."""
    return [gzip.decompress(base64.b64decode(text)).decode()
            for text in re.findall(r'<script type="application/gzip" class="[a-z-]+">([^<]*)</script>', html)]


def sample_report():
    return build_report(read_records([bundled_sample()]))


def test_one_file_whose_policy_allows_only_its_own_style_and_script():
    html = render_html.html_report(sample_report(), "0")
    page = Elements(html)
    policy = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "img-src data:" in policy
    for kind in ("style", "script"):
        (text,) = page.raw[kind]
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in policy
    assert [t for t, a in page.tags if t == "script" and "src" in a] == []
    assert not [a for a in page.with_attr("href") if not a["href"].startswith("#")]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert not [a for _, a in page.tags for name in a if name.startswith("on")]


def test_sentence_kinds_are_exactly_the_json_reports():
    for report in (sample_report(), build_report(two_event_records())):
        payload = json.loads(render.report_json(report, "0"))
        page = Elements(render_html.html_report(report, "0"))
        kinds = Counter(a["data-kind"] for a in page.with_attr("data-kind"))
        stories = payload["stories"]
        assert kinds["unique"] == sum(len(s["unique_sentences"]) for s in stories)
        assert kinds["shared"] == sum(len(g["occurrences"]) for s in stories for g in s["shared_sentences"])
        assert kinds["similar"] >= len({(o["document"], o["text"]) for s in stories for g in s["similar_sentences"]
                                        for o in g["occurrences"]}) - kinds["shared"]
        assert len(page.with_attr("data-story")) == len(stories)
        assert {a["data-document"] for a in page.with_attr("data-kind")} <= {d["id"] for d in payload["documents"]}


def test_near_duplicates_nest_inside_the_kept_report():
    html = render_html.html_report(build_report(two_event_records()), "0")
    copies = html.split('<details class="copies">', 1)[1].split("</details>", 1)[0]
    assert "kept as" in copies and 'data-document="flood-a-repost"' in copies
    assert 'data-document="flood-a"' not in copies


def test_hostile_text_is_escaped_everywhere(monkeypatch):
    html = render_html.html_report(build_report(hostile_records()), "0")
    for payload in PAYLOADS.values():
        if "<" in payload:
            assert payload not in html
    page = Elements(html)
    assert len(page.raw["script"]) == 1 and "pwned" not in page.raw["script"][0]
    monkeypatch.setattr(render_html, "EAGER_SENTENCES", 0)
    both = build_report(hostile_records() + two_event_records())
    lazy = render_html.html_report(both, "0")
    for payload in PAYLOADS.values():
        if "<" in payload:
            assert payload not in lazy
    assert len(Elements(lazy).raw["script"]) == len(both.stories) > 1     # one per later story and the page's own
    for markup in unpacked(lazy):
        for payload in PAYLOADS.values():
            if "<" in payload:
                assert payload not in markup
        assert not [a for _, a in Elements(markup).tags for name in a if name.startswith("on")]
    assert not [a for _, a in page.tags for name in a if name.startswith("on")]
    assert [t for t, _ in page.tags].count("img") == 0
    assert not [a for a in page.with_attr("href") if not a["href"].startswith("#")]
    assert {a["data-document"] for a in page.with_attr("data-kind")} == {
        PAYLOADS["id_script"], PAYLOADS["id_attr"], PAYLOADS["id_js"]}


def test_later_stories_wait_in_templates_and_every_text_is_written_once(monkeypatch):
    monkeypatch.setattr(render_html, "EAGER_SENTENCES", 1)
    report = build_report(two_event_records())
    html = render_html.html_report(report, "0")
    assert html.count('<script type="application/gzip" class="story-body">') == len(report.stories) - 1
    whole = html + "".join(unpacked(html))
    for story in report.stories:
        sentences = Counter(s for paragraphs in story.paragraphs.values() for p in paragraphs for s in p)
        for unique in story.overlap.unique:
            assert whole.count(unique.text) == sentences[unique.text]


def test_first_seen_is_the_earliest_dated_carrier():
    report = build_report(hostile_records())
    story = render_html._story_view(0, report.stories[0], {d.id: d for d in report.documents}, eager=True)
    hostile = [g for g in story.groups if g.excerpt.startswith("Readers saw")]
    assert hostile and hostile[0].first.info.id == PAYLOADS["id_attr"]      # dated a day before the other
    assert [d.info.date for d in story.docs] == ["2024-03-01", "2024-03-02", None]


def test_the_same_report_gives_the_same_bytes():
    assert render_html.html_report(sample_report(), "0") == render_html.html_report(sample_report(), "0")


def test_its_headline_is_the_other_formats_with_multi_report_stories():
    report = sample_report()
    html = render_html.html_report(report, "0")
    assert f'<p class="headline">{render.headline(report)}</p>' in html
    assert "1 multi-report story" in render.headline(report)


def test_labels_run_past_z():
    assert [render_html._label(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


def test_packed_markup_is_base64_of_gzip():
    markup = "<p>Told &lt;script&gt; once</p>"
    text = render_html.packed(markup)
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", text)
    assert gzip.decompress(base64.b64decode(text)).decode() == markup


def test_a_sentence_the_overlap_does_not_list_is_shown_without_a_kind():
    report = build_report(two_event_records())
    vote = next(s for s in report.stories if s.documents == ["vote"])
    vote.paragraphs["vote"].append(["* * *"])         # no words: in no list of the overlap
    page = Elements(render_html.html_report(report, "0"))
    kinds = Counter(a.get("data-kind") for t, a in page.tags if t == "span" and ("data-kind" in a or a.get("class") == "plain"))
    assert kinds[None] == 1
    assert kinds["unique"] == sum(len(s.overlap.unique) for s in report.stories)


def test_pairs_in_two_languages_are_marked_in_the_heatmap_with_the_names_both_carry():
    html = render_html.html_report(mixed_language_report(), "0")
    cells = re.findall(r'<g data-cell data-cross-language data-a="([^"]+)" data-b="([^"]+)"[^>]*'
                       r'data-shared-names="(\d+)"[^>]*><title>([^<]*)</title>.*?>≠(\d+)</text>', html)
    assert sorted((a, b) for a, b, *_ in cells) == [("flood-a", "flood-b"), ("flood-b", "flood-a")]
    for _, _, count, title, shown in cells:
        assert count == shown and int(count) >= 5
        assert "(en) and" in title or "(xx) and" in title
        assert "two languages, not compared by word n-grams" in title and "Creek, 2,400, Tessa" in title
    same = re.findall(r'<g data-cell data-a="flood-a" data-b="flood-a-repost"[^>]*><title>([^<]*)</title>', html)
    assert len(same) == 1 and "word 5-grams" in same[0] and "Jaccard" in same[0]
    assert "not compared by word n-grams; N names and numbers both carry" in html
    assert "<th>language</th>" in html and "<td>xx</td>" in html and "<td>unknown</td>" in html
    one_language = render_html.html_report(build_report(two_event_records()), "0")
    assert "data-cross-language" not in one_language and "<th>language</th>" not in one_language
