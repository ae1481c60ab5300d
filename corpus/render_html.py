"""The report as one self-contained HTML file for analysts: per story a heatmap of
how much of each report the others contain, a timeline of who ran what first, and
a reader view of every report's text with its shared, similar and unique sentences
in three colours, linked to their twins in the other reports.

Nothing is fetched: the CSS, the script and the graphics (SVG) are inline, and a
Content-Security-Policy allows only them (by hash), so the file works offline and
text from the corpus can never load or run anything; it is escaped everywhere by
Jinja's autoescape and reaches the script only through the page's own elements.

Large reports stay quick to open: the markup of the stories past the first
EAGER_SENTENCES sentences, and of the story index's rows past the first INDEX_ROWS,
is kept packed (gzip, base64) as the text of a <script> element that never runs
(the parser reads it as one string and builds no elements for it), and the page's
script unpacks and puts it in place when a story scrolls near or the index is
filtered. Without script every story's heading still shows. Every text is in the
file once. Rendering only: every figure comes from the `Report`.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources

import jinja2
from markupsafe import Markup

from corpus import render
from corpus.assemble import DocumentInfo, Report, Story, by_size

EAGER_SENTENCES = 2000      # stories are written in place until this many sentences; later ones as templates
INDEX_ROWS = 200            # rows of the story index written in place; the rest are listed by the script
EXCERPT_CHARS = 110
MAX_TICKS = 5               # dates written under the timeline
NAMES_SHOWN = 20            # names and numbers of a cross-language pair listed in its heatmap cell's title
CROSS_COLOURS = ("#efe6f7", "#4b2a66")   # fill and ink of a heatmap cell for reports in two languages
UNKNOWN = "unknown"


@dataclass
class SentenceView:
    """One sentence of a report as the reader shows it; `kind` is None for a sentence
    the overlap does not list (one without words)."""

    text: str
    kind: str | None = None
    anchor: str | None = None
    twins: list[tuple[str, str]] = field(default_factory=list)   # (anchor, label) of the other occurrences


@dataclass(eq=False)
class DocView:
    label: str                       # A, B, ... in date order
    info: DocumentInfo
    paragraphs: list[list[SentenceView]]
    kept: str | None = None          # for a removed near-duplicate: the label of the report kept in its place
    copies: list[DocView] = field(default_factory=list)
    copy_similarity: float = 1.0     # for a kept report: the lowest Jaccard of a copy to it
    kinds: Counter = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return self.info.outlet or UNKNOWN


@dataclass
class Cell:
    """Heatmap cell: how much of row report `a` the column report `b` contains; for two
    reports in different languages (`names` not None), which are not compared by
    n-grams, the names and numbers both carry instead."""

    a: DocView
    b: DocView
    containment: float
    jaccard: float
    fill: str
    ink: str
    names: list[str] | None = None


@dataclass
class GroupRow:
    """A shared or similar sentence in the timeline: where it was first seen, who carries it."""

    kind: str
    anchor: str
    excerpt: str
    first: DocView | None
    carriers: list[DocView]


@dataclass
class StoryView:
    number: int
    story: Story
    languages: str                   # which reports were compared with which, when there are several languages
    cross_language: bool             # whether some pair of reports is in two languages (marked in the heatmap)
    docs: list[DocView]              # every report, in date order (unknown dates last)
    readers: list[DocView]           # the reports kept, with their near-duplicates nested
    heatmap: list[list[Cell | None]]
    timeline: dict
    groups: list[GroupRow]
    search: str
    eager: bool


def html_report(report: Report, version: str) -> str:
    """The report as one HTML document, the same bytes for the same report."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("corpus", "templates"), autoescape=True,
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    environment.filters["packed"] = packed
    style = _asset("report.css")
    script = _asset("report.js")
    policy = (
        "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
        f"style-src '{_sha256(style)}'; script-src '{_sha256(script)}'"
    )
    docs = {d.id: d for d in report.documents}
    views, budget = [], EAGER_SENTENCES
    for number, story in enumerate(report.detailed(by_size(report.stories))):
        view = _story_view(number, story, docs, eager=budget > 0 or number == 0)
        budget -= sum(len(p) for d in view.docs for p in d.paragraphs)
        views.append(view)
    return environment.get_template("report.html.j2").render(
        version=version, policy=policy, style=Markup(style), script=Markup(script), stories=views,
        ngram=report.settings.ngram, scale=[_colour(step / 9)[0] for step in range(10)],
        headline=render.headline(report),
        index_rows=INDEX_ROWS, names_shown=NAMES_SHOWN, lazy=sum(not v.eager for v in views),
    )


def packed(markup: str) -> Markup:
    """Markup gzipped and base64-encoded, to wait in a <script> element until the page's
    script unpacks it (DecompressionStream): half the bytes to read, and base64's
    letters can never end the element or be read as anything but text."""
    return Markup(base64.b64encode(gzip.compress(markup.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii"))


def _asset(name: str) -> str:
    return resources.files("corpus").joinpath("templates", name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _story_view(number: int, story: Story, docs: dict[str, DocumentInfo], eager: bool) -> StoryView:
    order = sorted(range(len(story.documents)), key=lambda i: (docs[story.documents[i]].date is None,
                                                                docs[story.documents[i]].date or "", i))
    views = {
        story.documents[i]: DocView(_label(rank), docs[story.documents[i]], [])
        for rank, i in enumerate(order)
    }
    dated = [views[story.documents[i]] for i in order]
    _read_sentences(number, story, views)
    readers = _nest_copies(story, views, dated)
    infos = [v.info for v in dated]
    return StoryView(
        number=number, story=story, languages=render.languages_note(story),
        cross_language=any(p.cross_language for p in story.overlap.pairs),
        docs=dated, readers=readers,
        heatmap=_heatmap(story, views, dated),
        timeline=_timeline(dated),
        groups=_groups(story, views),
        search=" ".join([story.id, story.heading, *(d.title or "" for d in infos), *(d.outlet or "" for d in infos),
                         *(d.id for d in infos)]).lower(),
        eager=eager,
    )


def _label(rank: int) -> str:
    """A, B, ..., Z, AA, AB, ...: short names of a story's reports."""
    label = ""
    rank += 1
    while rank:
        rank, rest = divmod(rank - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _read_sentences(number: int, story: Story, views: dict[str, DocView]) -> None:
    """Give every sentence of every report its kind and its twins.

    A sentence is matched, in text order, to the occurrences the overlap lists for its
    report (each listed occurrence to one sentence), so the page's shared and unique
    sentences are exactly the report's."""
    shared_slots: dict[tuple[str, str], list[int]] = defaultdict(list)
    for g, group in enumerate(story.overlap.shared):
        for occurrence in group.occurrences:
            shared_slots[(occurrence.document, occurrence.text)].append(g)
    similar_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p, pair in enumerate(story.overlap.similar):
        for occurrence in pair.occurrences:
            similar_of[(occurrence.document, occurrence.text)].append(p)
    unique_slots = Counter((u.document, u.text) for u in story.overlap.unique)

    shared_members: dict[int, list[tuple[SentenceView, DocView]]] = defaultdict(list)
    first_of: dict[tuple[str, str], SentenceView] = {}
    for doc_id in story.documents:
        view = views[doc_id]
        for p, paragraph in enumerate(story.paragraphs.get(doc_id, [])):
            row = []
            for s, text in enumerate(paragraph):
                key = (doc_id, text)
                sentence = SentenceView(text)
                if shared_slots.get(key):
                    sentence.kind = "shared"
                    shared_members[shared_slots[key].pop(0)].append((sentence, view))
                elif key in similar_of:
                    sentence.kind = "similar"
                elif unique_slots[key]:
                    sentence.kind = "unique"
                    unique_slots[key] -= 1
                if sentence.kind in ("shared", "similar"):
                    sentence.anchor = f"k{number}-{view.label}-{p}-{s}"
                first_of.setdefault(key, sentence)
                view.kinds[sentence.kind] += 1
                row.append(sentence)
            view.paragraphs.append(row)
    for members in shared_members.values():
        for sentence, _ in members:
            sentence.twins = [(other.anchor, doc.label) for other, doc in members if other is not sentence]
    for key, pairs in similar_of.items():
        sentence = first_of.get(key)
        for p in pairs:
            for occurrence in story.overlap.similar[p].occurrences:
                other = first_of.get((occurrence.document, occurrence.text))
                if sentence is not None and other is not None and other is not sentence:
                    sentence.twins.append((other.anchor, views[occurrence.document].label))


def _nest_copies(story: Story, views: dict[str, DocView], dated: list[DocView]) -> list[DocView]:
    """The reports as the reader shows them: near-duplicates inside the report kept in their place."""
    removed = set()
    for group in story.duplicate_groups:
        kept = views[group.kept]
        kept.copy_similarity = group.similarity
        for member in group.members:
            if member != group.kept:
                views[member].kept = kept.label
                kept.copies.append(views[member])
                removed.add(member)
    return [v for v in dated if v.info.id not in removed]


def _heatmap(story: Story, views: dict[str, DocView], dated: list[DocView]) -> list[list[Cell | None]]:
    """Rows and columns in date order; the diagonal is empty."""
    cells: dict[tuple[str, str], Cell] = {}
    for pair in story.overlap.pairs:
        a, b = views[pair.a], views[pair.b]
        if pair.cross_language:
            names = pair.shared_names or []
            cells[(pair.a, pair.b)] = Cell(a, b, pair.containment_ab, pair.jaccard, *CROSS_COLOURS, names)
            cells[(pair.b, pair.a)] = Cell(b, a, pair.containment_ba, pair.jaccard, *CROSS_COLOURS, names)
            continue
        cells[(pair.a, pair.b)] = Cell(a, b, pair.containment_ab, pair.jaccard, *_colour(pair.containment_ab))
        cells[(pair.b, pair.a)] = Cell(b, a, pair.containment_ba, pair.jaccard, *_colour(pair.containment_ba))
    return [[cells.get((row.info.id, column.info.id)) for column in dated] for row in dated]


def _colour(share: float) -> tuple[str, str]:
    """A blue from paper white (nothing contained) to ink blue (all), and a legible text colour on it."""
    light, dark = (244, 246, 251), (23, 52, 120)
    t = max(0.0, min(1.0, share)) ** 0.6        # low shares (a quote, a sentence) still show
    rgb = tuple(round(l + (d - l) * t) for l, d in zip(light, dark))
    return "#%02x%02x%02x" % rgb, "#ffffff" if t > 0.55 else "#1b2333"


def _timeline(dated: list[DocView]) -> dict:
    """Each report's place on a date axis (0-1; None when undated), the axis's days,
    and the reports of the earliest day."""
    days = sorted({datetime.date.fromisoformat(d.info.date) for d in dated if d.info.date})

    def place(day: datetime.date) -> float:
        return round((day - days[0]).days / (days[-1] - days[0]).days, 4) if len(days) > 1 else 0.5

    rows = [(doc, place(datetime.date.fromisoformat(doc.info.date)) if doc.info.date else None) for doc in dated]
    shown = days if len(days) <= MAX_TICKS else [days[round(i * (len(days) - 1) / (MAX_TICKS - 1))] for i in range(MAX_TICKS)]
    return {"rows": rows, "ticks": [(place(day), day.isoformat()) for day in shown],
            "first": [doc for doc in dated if days and doc.info.date == days[0].isoformat()]}


def _groups(story: Story, views: dict[str, DocView]) -> list[GroupRow]:
    """Shared, then similar sentences, each with the earliest dated report carrying it (`first_seen`)."""
    rows = []
    for kind, groups in (("shared", story.overlap.shared), ("similar", story.overlap.similar)):
        for group in groups:
            carriers = list(dict.fromkeys(views[o.document] for o in group.occurrences))
            first = views[group.first_seen] if group.first_seen else None
            shown = next(o for o in group.occurrences if first is None or o.document == first.info.id)
            anchor = _anchor_of(views[shown.document], shown.text)
            text = shown.text if len(shown.text) <= EXCERPT_CHARS else shown.text[: EXCERPT_CHARS - 1].rstrip() + "…"
            rows.append(GroupRow(kind, anchor, text, first, carriers))
    return rows


def _anchor_of(doc: DocView, text: str) -> str:
    return next(s.anchor for p in doc.paragraphs for s in p if s.text == text and s.anchor)
