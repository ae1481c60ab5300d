"""The Markdown report, a document for people: the same summary and selection of
stories as the terminal report (`corpus.render`)."""

from __future__ import annotations

from corpus.assemble import DocumentInfo, Report, Story
from corpus.render import (DEFAULT_TOP, excerpt, first_seen_note, headline, languages_note, largest, left_out_note,
                           names_note, pair_languages, plural, select, UNKNOWN)


def markdown(report: Report, show_removed: bool = False, top: int | None = DEFAULT_TOP) -> str:
    """The report as a Markdown document."""
    docs = {d.id: d for d in report.documents}
    selection = select(report, top)
    lines = ["# samestory report", "", headline(report), ""]
    biggest = largest(report)
    if biggest:
        lines += ["Largest stories:", ""]
        lines += [f"- {s.id} · {plural(len(s.documents), 'report')} · {md(s.heading)}" for s in biggest]
        lines.append("")
    if selection.left_out:
        lines += [left_out_note(selection), ""]
    for story in report.detailed(selection.several):
        lines += _story(story, docs)
    if selection.singles:
        lines += [f"## Single-report stories ({len(selection.singles):,})", "",
                  "| story | document | outlet | date | heading |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {s.id} | {md(d.id)} | {md(d.outlet or '—')} | {d.date or '—'} | {md(s.heading or '—')} |"
            for s, d in ((s, docs[s.documents[0]]) for s in selection.singles)
        ]
        lines.append("")
    if selection.left_out:
        lines += ["---", "", left_out_note(selection), ""]
    if show_removed:
        lines += ["## Removed as site chrome", ""]
        for doc in report.documents:
            lines.append(f"- **{md(doc.id)}** ({len(doc.removed)})")
            lines += [f"    - [{r.reason}] {md(r.text)}" for r in doc.removed]
    return "\n".join(lines).rstrip("\n") + "\n"


def _story(story: Story, docs: dict[str, DocumentInfo]) -> list[str]:
    """One story in full, bounded (`render.excerpt`), with a line for each kind left out."""
    found, shown = story.overlap, excerpt(story)
    lines = [f"## {story.id}: {md(story.heading)}", "", f"{plural(len(story.documents), 'report')}", ""]
    languages = bool(languages_note(story))
    lines += ["| document | outlet | date |" + " language |" * languages + " title |",
              "| --- | --- | --- |" + " --- |" * languages + " --- |"]
    lines += [
        f"| {md(d.id)} | {md(d.outlet or '—')} | {d.date or '—'} |" + f" {md(d.language or UNKNOWN)} |" * languages
        + f" {md(d.title or '—')} |"
        for d in (docs[i] for i in shown.reports)
    ]
    lines += ["", *_note(shown.note("reports"))]
    if languages_note(story):
        lines += [md(languages_note(story)), ""]
    if shown.pairs:
        lines += [
            "### How the reports overlap",
            "",
            "| a | b | Jaccard | estimate | a in b | b in a | shared sentences |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {md(p.a)} | {md(p.b)} | {p.jaccard:.3f} | {p.jaccard_estimate:.3f} | "
            f"{p.containment_ab:.3f} | {p.containment_ba:.3f} | {p.shared_sentences} |"
            for p in shown.pairs
        ]
        lines.append("")
    if shown.cross_pairs:
        lines += ["### Across languages: names and numbers both carry", "",
                  "| a | b | languages | names and numbers |", "| --- | --- | --- | --- |"]
        lines += [f"| {md(p.a)} | {md(p.b)} | {md(pair_languages(story, p))} | {md(names_note(p))} |"
                  for p in shown.cross_pairs]
        lines.append("")
    lines += _note(shown.note("pairs"))
    for group in story.duplicate_groups:
        lines += [f"Near-duplicates kept as `{group.kept}`: {', '.join(group.members)} (Jaccard ≥ {group.similarity:.2f})", ""]
    lines += [f"### Shared sentences ({len(found.shared)})", ""]
    for number, shared, occurrences, more in shown.shared:
        lines.append(f"{number}. similarity {shared.similarity:.0f}{md(first_seen_note(shared.first_seen, docs))}")
        lines += [f"    - **{md(o.document)}**: {md(o.text)}" for o in occurrences]
        lines += [f"    - … {plural(more, 'more occurrence')}"] * (more > 0)
    lines += ["", *_note(shown.note("shared"))]
    lines += [f"### Told in other words ({len(found.similar)})", ""]
    for number, similar in shown.similar:
        lines.append(f"{number}. content-word similarity {similar.similarity:.0f}"
                     f"{md(first_seen_note(similar.first_seen, docs))}")
        lines += [f"    - **{md(o.document)}**: {md(o.text)}" for o in similar.occurrences]
    lines += ["", *_note(shown.note("similar"))]
    lines += [f"### Unique sentences ({len(found.unique)})", ""]
    for outlet, by_document in shown.unique:
        lines += [f"#### {md(outlet)}", ""]
        for document, texts, more in by_document:
            lines.append(f"- **{md(document)}**")
            lines += [f"    - {md(t)}" for t in texts]
            lines += [f"    - … {more:,} more"] * (more > 0)
        lines.append("")
    lines += _note(shown.note("unique"))
    return lines


def _note(note: str) -> list[str]:
    """A paragraph for what a story's excerpt leaves out, when it leaves something out."""
    return [note, ""] if note else []


def md(text: str) -> str:
    """Escape what would break a Markdown table or list item."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
