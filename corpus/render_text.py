"""The terminal report: rich renderables (coloured on a terminal, plain text of a
fixed width in files and pipes). A summary first, then the stories `render.select`
picks, each in full."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from corpus.overlap import PairOverlap
from corpus.assemble import DocumentInfo, Report, Story
from corpus.render import (DEFAULT_TOP, excerpt, first_seen_note, headline, languages_note, largest, left_out_note,
                           names_note, pair_languages, plural, select, UNKNOWN)


def terminal(report: Report, show_removed: bool = False, top: int | None = DEFAULT_TOP) -> RenderableType:
    """The report as rich renderables: the summary, then one section per story shown."""
    docs = {d.id: d for d in report.documents}
    selection = select(report, top)
    parts: list[RenderableType] = [Text(headline(report), style="bold")]
    biggest = largest(report)
    if biggest:
        parts.append(Text("Largest stories", style="bold"))
        parts.append(_hanging([(f"{s.id} · {plural(len(s.documents), 'report')}", s.heading) for s in biggest], "bold"))
    if selection.left_out:
        parts.append(Text(left_out_note(selection), style="dim"))
    for story in report.detailed(selection.several):
        parts.extend(_story(story, docs))
    if selection.singles:
        parts.append(Rule(f"[bold]Single-report stories ({len(selection.singles):,})[/]"))
        parts.append(_documents_table([docs[s.documents[0]] for s in selection.singles], selection.singles))
    if selection.left_out:
        parts.append(Rule())
        parts.append(Text(left_out_note(selection), style="dim"))
    if show_removed:
        parts.append(Rule("[bold]Removed as site chrome[/]"))
        for doc in report.documents:
            parts.append(Text(f"{doc.id} ({len(doc.removed)})", style="bold"))
            parts.extend(Text(f"   [{r.reason}] {r.text}", style="dim") for r in doc.removed)
    return Group(*parts)


def _story(story: Story, docs: dict[str, DocumentInfo]) -> list[RenderableType]:
    """One story in full, bounded (`render.excerpt`): its reports, their overlap,
    shared, similar and unique sentences, with a line for each kind left out."""
    found, shown = story.overlap, excerpt(story)
    parts: list[RenderableType] = [
        Rule(f"[bold]{story.id}[/] · {plural(len(story.documents), 'report')} · {escape(story.heading)}"),
        _documents_table([docs[d] for d in shown.reports], languages=bool(languages_note(story))),
    ]
    _more(parts, shown.note("reports"))
    if languages_note(story):
        parts.append(Text(languages_note(story), style="magenta"))
    if shown.pairs:
        parts.append(_overlap_table(shown.pairs))
    if shown.cross_pairs:
        parts.append(_cross_language_table(story, shown.cross_pairs))
    _more(parts, shown.note("pairs"))
    for group in story.duplicate_groups:
        parts.append(
            Text(f"near-duplicates kept as {group.kept}: {', '.join(group.members)} (Jaccard ≥ {group.similarity:.2f})")
        )
    parts.append(Text(f"\nShared sentences ({len(found.shared)})", style="bold cyan"))
    for number, shared, occurrences, more in shown.shared:
        parts.append(Text(f"{number}. similarity {shared.similarity:.0f}{first_seen_note(shared.first_seen, docs)}",
                          style="dim"))
        parts.append(_hanging([(o.document, o.text) for o in occurrences]
                              + [("…", f"{plural(more, 'more occurrence')}")] * (more > 0), "cyan"))
    _more(parts, shown.note("shared"))
    parts.append(Text(f"\nTold in other words ({len(found.similar)})", style="bold yellow"))
    for number, similar in shown.similar:
        parts.append(Text(f"{number}. content-word similarity {similar.similarity:.0f}"
                          f"{first_seen_note(similar.first_seen, docs)}", style="dim"))
        parts.append(_hanging([(o.document, o.text) for o in similar.occurrences], "yellow"))
    _more(parts, shown.note("similar"))
    parts.append(Text(f"\nUnique sentences ({len(found.unique)})", style="bold green"))
    for outlet, by_document in shown.unique:
        parts.append(Text(outlet, style="bold green"))
        for document, texts, more in by_document:
            parts.append(Text("  " + document, style="green"))
            parts.append(_hanging([("•", t) for t in texts] + [("…", f"{more:,} more")] * (more > 0), "green"))
    _more(parts, shown.note("unique"))
    return parts


def _more(parts: list[RenderableType], note: str) -> None:
    """A dim line for what a story's excerpt leaves out, when it leaves something out."""
    if note:
        parts.append(Text(note, style="dim"))


def plain_text(renderable: RenderableType, width: int = 100) -> str:
    """Rich renderables as plain text of a fixed width, for files and pipes
    (no colour, no trailing spaces, the same bytes on every run)."""
    console = Console(width=width, color_system=None, force_terminal=False, highlight=False, emoji=False)
    with console.capture() as captured:
        console.print(renderable)
    return "\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n"


def _hanging(rows: list[tuple[str, str]], style: str) -> Padding:
    """Label-and-text rows whose wrapped lines stay indented under the text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style=style, no_wrap=True)
    grid.add_column(overflow="fold")
    for label, text in rows:
        grid.add_row(label, text)
    return Padding(grid, (0, 0, 0, 3))


def _documents_table(documents: list[DocumentInfo], singles: list[Story] | None = None,
                     languages: bool = False) -> Table:
    """A story's reports (with their languages, for a story of several); for
    single-report stories, with the story id and its heading."""
    table = Table(show_edge=False, pad_edge=False, expand=False)
    for column in ("story",) * (singles is not None) + ("document", "outlet", "date") + ("language",) * languages + (
            ("heading",) if singles is not None else ("title",)):
        table.add_column(column, overflow="fold")
    for number, d in enumerate(documents):
        if singles is not None:
            table.add_row(singles[number].id, d.id, d.outlet or "—", d.date or "—", singles[number].heading or "—")
        else:
            table.add_row(d.id, d.outlet or "—", d.date or "—", *[d.language or UNKNOWN] * languages, d.title or "—")
    return table


def _overlap_table(pairs: list[PairOverlap]) -> Table:
    table = Table(title="How the reports overlap (word shingles)", show_edge=False, pad_edge=False)
    for column in ("a", "b", "Jaccard", "estimate", "a in b", "b in a", "shared sentences"):
        table.add_column(column, justify="left" if column in ("a", "b") else "right")
    for p in pairs:
        table.add_row(
            p.a, p.b, f"{p.jaccard:.3f}", f"{p.jaccard_estimate:.3f}",
            f"{p.containment_ab:.3f}", f"{p.containment_ba:.3f}", str(p.shared_sentences),
        )
    return table


def _cross_language_table(story: Story, pairs: list[PairOverlap]) -> Table:
    """The pairs in different languages, which are not compared by sentence or shingle:
    the names and numbers both carry."""
    table = Table(title="Across languages: names and numbers both carry", show_edge=False, pad_edge=False)
    for column in ("a", "b", "languages", "names and numbers"):
        table.add_column(column, overflow="fold")
    for p in pairs:
        table.add_row(p.a, p.b, pair_languages(story, p), names_note(p))
    return table
