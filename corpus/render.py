"""Render a `Report`: as rich renderables for the terminal, as JSON for scripts,
as Markdown for people. Nothing here computes; it only arranges."""

from __future__ import annotations

import json
from dataclasses import asdict
from itertools import groupby
from typing import Iterator

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from corpus.pipeline import DocumentInfo, Report, Story

UNKNOWN = "unknown"


def report_json(report: Report, version: str) -> str:
    """The report as a JSON document (keys in a fixed order, ends with a newline)."""
    payload = {
        "samestory": {"version": version, "settings": asdict(report.settings)},
        "documents": [
            {
                "id": d.id,
                "outlet": d.outlet,
                "title": d.title,
                "date": d.date,
                "source": d.source,
                "removed": [asdict(r) for r in d.removed],
            }
            for d in report.documents
        ],
        "duplicate_groups": [asdict(g) for g in report.duplicate_groups],
        "stories": [_story_json(s) for s in report.stories],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _story_json(story: Story) -> dict:
    return {
        "id": story.id,
        "documents": story.documents,
        "duplicate_groups": [asdict(g) for g in story.duplicate_groups],
        "overlap": [asdict(p) for p in story.overlap.pairs],
        "shared_sentences": [asdict(s) for s in story.overlap.shared],
        "similar_sentences": [asdict(s) for s in story.overlap.similar],
        "unique_sentences": [asdict(u) for u in story.overlap.unique],
    }


def _headline(report: Report) -> str:
    n_docs, n_stories, n_groups = len(report.documents), len(report.stories), len(report.duplicate_groups)
    return (
        f"{n_docs} document{'s' * (n_docs != 1)} · {n_stories} stor{'ies' if n_stories != 1 else 'y'}"
        f" · {n_groups} near-duplicate group{'s' * (n_groups != 1)}"
    )


def _story_title(story: Story, docs: dict[str, DocumentInfo]) -> str:
    titles = [docs[d].title for d in story.documents if docs[d].title]
    return titles[0] if titles else ""


def _first_seen(first: str | None, docs: dict[str, DocumentInfo]) -> str:
    """The "first seen in ID (outlet, date)" note of a sentence group, empty when no report has a date."""
    if first is None:
        return ""
    doc = docs[first]
    return f" · first seen in {first} ({', '.join(x for x in (doc.outlet, doc.date) if x)})"


def _by_size(report: Report) -> tuple[list[Story], list[Story]]:
    """Stories of several reports, largest first (ties in story order), and the
    single-report ones, which are listed, not shown in full."""
    several = sorted((s for s in report.stories if len(s.documents) > 1), key=lambda s: -len(s.documents))
    return several, [s for s in report.stories if len(s.documents) == 1]


def _unique_by_outlet(story: Story) -> Iterator[tuple[str, Iterator[tuple[str, list[str]]]]]:
    """Unique sentences as (outlet, [(document, [texts])]), outlets in the order given."""
    for outlet, by_outlet in groupby(story.overlap.unique, key=lambda u: u.outlet or UNKNOWN):
        yield outlet, (
            (document, [u.text for u in items]) for document, items in groupby(by_outlet, key=lambda u: u.document)
        )


def terminal(report: Report, show_removed: bool = False) -> RenderableType:
    """The report as rich renderables, one section per story."""
    docs = {d.id: d for d in report.documents}
    parts: list[RenderableType] = [Text(_headline(report), style="bold")]
    several, singles = _by_size(report) if len(report.stories) > 1 else (report.stories, [])
    for story in several:
        count = len(story.documents)
        parts.append(Rule(f"[bold]{story.id}[/] · {count} report{'s' * (count != 1)} · {escape(_story_title(story, docs))}"))
        parts.append(_documents_table([docs[d] for d in story.documents]))
        if len(story.documents) > 1:
            parts.append(_overlap_table(story))
        for group in story.duplicate_groups:
            parts.append(
                Text(f"near-duplicates kept as {group.kept}: {', '.join(group.members)} (Jaccard ≥ {group.similarity:.2f})")
            )
        parts.append(Text(f"\nShared sentences ({len(story.overlap.shared)})", style="bold cyan"))
        for number, shared in enumerate(story.overlap.shared, 1):
            parts.append(Text(f"{number}. similarity {shared.similarity:.0f}{_first_seen(shared.first_seen, docs)}",
                              style="dim"))
            parts.append(_hanging([(o.document, o.text) for o in shared.occurrences], "cyan"))
        parts.append(Text(f"\nTold in other words ({len(story.overlap.similar)})", style="bold yellow"))
        for number, similar in enumerate(story.overlap.similar, 1):
            parts.append(Text(f"{number}. content-word similarity {similar.similarity:.0f}"
                              f"{_first_seen(similar.first_seen, docs)}", style="dim"))
            parts.append(_hanging([(o.document, o.text) for o in similar.occurrences], "yellow"))
        parts.append(Text(f"\nUnique sentences ({len(story.overlap.unique)})", style="bold green"))
        for outlet, by_document in _unique_by_outlet(story):
            parts.append(Text(outlet, style="bold green"))
            for document, texts in by_document:
                parts.append(Text("  " + document, style="green"))
                parts.append(_hanging([("•", t) for t in texts], "green"))
    if singles:
        parts.append(Rule(f"[bold]Single-report stories ({len(singles)})[/]"))
        parts.append(_documents_table([docs[s.documents[0]] for s in singles], [s.id for s in singles]))
    if show_removed:
        parts.append(Rule("[bold]Removed as site chrome[/]"))
        for doc in report.documents:
            parts.append(Text(f"{doc.id} ({len(doc.removed)})", style="bold"))
            parts.extend(Text(f"   [{r.reason}] {r.text}", style="dim") for r in doc.removed)
    return Group(*parts)


def plain_text(renderable: RenderableType, width: int = 100) -> str:
    """Rich renderables as plain text of a fixed width, for files and pipes
    (no colour, no trailing spaces, the same bytes on every run)."""
    console = Console(width=width, color_system=None, force_terminal=False, highlight=False, emoji=False)
    with console.capture() as captured:
        console.print(renderable)
    return "\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n"


def _hanging(rows: list[tuple[str, str]], style: str) -> Table:
    """Label-and-text rows whose wrapped lines stay indented under the text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style=style, no_wrap=True)
    grid.add_column(overflow="fold")
    for label, text in rows:
        grid.add_row(label, text)
    return Padding(grid, (0, 0, 0, 3))


def _documents_table(documents: list[DocumentInfo], story_ids: list[str] | None = None) -> Table:
    table = Table(show_edge=False, pad_edge=False, expand=False)
    for column in ("story",) * (story_ids is not None) + ("document", "outlet", "date", "title"):
        table.add_column(column, overflow="fold")
    for number, d in enumerate(documents):
        story = (story_ids[number],) if story_ids is not None else ()
        table.add_row(*story, d.id, d.outlet or "—", d.date or "—", d.title or "—")
    return table


def _overlap_table(story: Story) -> Table:
    table = Table(title="How the reports overlap (word shingles)", show_edge=False, pad_edge=False)
    for column in ("a", "b", "Jaccard", "estimate", "a in b", "b in a", "shared sentences"):
        table.add_column(column, justify="left" if column in ("a", "b") else "right")
    for p in story.overlap.pairs:
        table.add_row(
            p.a, p.b, f"{p.jaccard:.3f}", f"{p.jaccard_estimate:.3f}",
            f"{p.containment_ab:.3f}", f"{p.containment_ba:.3f}", str(p.shared_sentences),
        )
    return table


def markdown(report: Report, show_removed: bool = False) -> str:
    """The report as a Markdown document."""
    docs = {d.id: d for d in report.documents}
    lines = ["# samestory report", "", _headline(report), ""]
    several, singles = _by_size(report) if len(report.stories) > 1 else (report.stories, [])
    for story in several:
        lines += [f"## {story.id}: {_md(_story_title(story, docs))}", ""]
        lines += ["| document | outlet | date | title |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {_md(d.id)} | {_md(d.outlet or '—')} | {d.date or '—'} | {_md(d.title or '—')} |"
            for d in (docs[i] for i in story.documents)
        ]
        lines.append("")
        if len(story.documents) > 1:
            lines += [
                "### How the reports overlap",
                "",
                "| a | b | Jaccard | estimate | a in b | b in a | shared sentences |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
            ]
            lines += [
                f"| {_md(p.a)} | {_md(p.b)} | {p.jaccard:.3f} | {p.jaccard_estimate:.3f} | "
                f"{p.containment_ab:.3f} | {p.containment_ba:.3f} | {p.shared_sentences} |"
                for p in story.overlap.pairs
            ]
            lines.append("")
        for group in story.duplicate_groups:
            lines += [f"Near-duplicates kept as `{group.kept}`: {', '.join(group.members)} (Jaccard ≥ {group.similarity:.2f})", ""]
        lines += [f"### Shared sentences ({len(story.overlap.shared)})", ""]
        for number, shared in enumerate(story.overlap.shared, 1):
            lines.append(f"{number}. similarity {shared.similarity:.0f}{_md(_first_seen(shared.first_seen, docs))}")
            lines += [f"    - **{_md(o.document)}**: {_md(o.text)}" for o in shared.occurrences]
        lines += ["", f"### Told in other words ({len(story.overlap.similar)})", ""]
        for number, similar in enumerate(story.overlap.similar, 1):
            lines.append(f"{number}. content-word similarity {similar.similarity:.0f}"
                         f"{_md(_first_seen(similar.first_seen, docs))}")
            lines += [f"    - **{_md(o.document)}**: {_md(o.text)}" for o in similar.occurrences]
        lines += ["", f"### Unique sentences ({len(story.overlap.unique)})", ""]
        for outlet, by_document in _unique_by_outlet(story):
            lines += [f"#### {_md(outlet)}", ""]
            for document, texts in by_document:
                lines.append(f"- **{_md(document)}**")
                lines += [f"    - {_md(t)}" for t in texts]
            lines.append("")
    if singles:
        lines += [f"## Single-report stories ({len(singles)})", "",
                  "| story | document | outlet | date | title |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {s.id} | {_md(d.id)} | {_md(d.outlet or '—')} | {d.date or '—'} | {_md(d.title or '—')} |"
            for s, d in ((s, docs[s.documents[0]]) for s in singles)
        ]
        lines.append("")
    if show_removed:
        lines += ["## Removed as site chrome", ""]
        for doc in report.documents:
            lines.append(f"- **{_md(doc.id)}** ({len(doc.removed)})")
            lines += [f"    - [{r.reason}] {_md(r.text)}" for r in doc.removed]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    """Escape what would break a Markdown table or list item."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
