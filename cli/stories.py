"""`samestory stories`, `explain` and `calibrate`: story ids for every article,
why two articles share a story or not, and the story threshold tuned on a
labelled sample. All three prepare the corpus as `report` does (site chrome
removed, dates read, near-duplicates found) before clustering."""

from __future__ import annotations

import csv
import sys
from json.encoder import encode_basestring
import time
from typing import Iterator

import click

from cli.options import InputFailure, InputSession, input_options
from cli.story_options import duplicate_option, job_count, jobs_option, story_threshold_option, window_option
from corpus.pipeline import Prepared, ReportSettings, prepare
from corpus.output import atomic_writer
from corpus.read import Record
from corpus.cohesion import COHESION_SHARE
from corpus.crosslingual import FAINT_TERMS, MIN_SHARED_TERMS, shared_weight
from corpus.explain import PairExplanation, explain_pair
from corpus.scaling import LEVEL_MIN_SHARE, LOCAL_ALPHA, LOCAL_K, ONE_TERM_SHARE
from cli.progress import stage_status
from corpus.stage_log import stage_done
from corpus.agreement import bcubed
from corpus.stories import (HandedTerms, SCORE_FLOOR, StoryResult, StorySettings,
                            story_clusters, threshold_sweep)
from corpus.workers import Workers, collect_garbage_seldom, keep_freed_memory

FORMATS = ("jsonl", "csv")


def _read(inputs: InputSession) -> Iterator[Record]:
    """The input's records, read as they are asked for (prepare keeps none of them in memory)."""
    if not inputs.paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("no input: give PATHS or pipe JSON Lines into standard input")
        inputs.paths = ("-",)
    return inputs.records()


# ---- stories ----

@click.command()
@input_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write here (atomically) instead of standard output.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="One line per article: JSON Lines or CSV.")
@story_threshold_option
@window_option
@duplicate_option
@jobs_option
@click.option("--quiet", is_flag=True, help="No progress and no summary on standard error.")
def stories(inputs: InputSession, output, output_format, story_threshold, window, duplicate_threshold, jobs, quiet):
    """Give every article a story id.

    One line per input article, in input order: its id, its story ("s0001",
    numbered by first appearance) and, for a near-duplicate, the id of the
    article kept in its place (copy_of), which is always in the same story.
    """
    started = time.perf_counter()
    keep_freed_memory()
    collect_garbage_seldom()
    with stage_status("samestory stories", not quiet and sys.stderr.isatty()), Workers(job_count(jobs)) as workers:
        prepared = prepare(_read(inputs), ReportSettings(duplicate_threshold=duplicate_threshold), workers,
                           documents=False)
        ids = prepared.ids
        terms = HandedTerms(prepared.terms)          # let go of by clustering once weighed
        dates, copy_of, languages = prepared.dates, prepared.copy_of, prepared.languages
        del prepared                                 # the texts and the spill: clustering needs only the terms
        result = story_clusters(terms, dates, StorySettings(story_threshold, window), copy_of, workers, languages)
    rows = [(ids[i], result.labels[i], ids[k] if k is not None else None) for i, k in enumerate(result.copy_of)]
    with atomic_writer(output) as handle:
        if output_format == "csv":
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["id", "story", "copy_of"])
            writer.writerows((i, s, "" if k is None else k) for i, s, k in rows)
        else:
            handle.writelines(_jsonl_line(i, s, k) for i, s, k in rows)
    stage_done("stories: written")
    if not quiet:
        copies, count = sum(k is not None for k in result.copy_of), len(set(result.labels))
        click.echo(f"samestory stories: {len(rows):,} article{'s' * (len(rows) != 1)} · {count:,} stor{'y' if count == 1 else 'ies'} · "
                   f"{copies:,} near-duplicate{'s' * (copies != 1)} · {inputs.skipped:,} skipped · "
                   f"{time.perf_counter() - started:.1f} s", err=True)


def _jsonl_line(doc_id: str, story: str, copy_of: str | None) -> str:
    """json.dumps({"id": …, "story": …, "copy_of": …}, ensure_ascii=False) and a newline, from
    json's own string encoder (a tenth of the time of dumps' dict: 0.03 s, not 0.3, per 100,000 rows)."""
    kept = "null" if copy_of is None else encode_basestring(copy_of)
    return f'{{"id": {encode_basestring(doc_id)}, "story": {encode_basestring(story)}, "copy_of": {kept}}}\n'


# ---- explain ----

@click.command()
@click.argument("first")
@click.argument("second")
@input_options
@click.option("--in", "in_paths", multiple=True, metavar="PATH",
              help="Input to read (files, folders, globs; repeatable), besides any PATHS.")
@story_threshold_option
@window_option
@duplicate_option
@click.option("--terms", type=click.IntRange(1), default=15, show_default=True, help="Shared terms to list.")
def explain(first, second, inputs: InputSession, in_paths, story_threshold, window, duplicate_threshold, terms):
    """Say why articles FIRST and SECOND (ids) were or were not put in one story.

    Shows the salient terms they share and how much each adds to their score,
    the score against the threshold, whether their dates fall outside the
    window, and the merges that joined their clusters (or the link that was
    too weak to).
    """
    if first == second:
        raise click.UsageError(f"FIRST and SECOND are one id, {first!r}: give two articles")
    inputs.paths = tuple(inputs.paths) + tuple(in_paths)
    prepared = prepare(_read(inputs), ReportSettings(duplicate_threshold=duplicate_threshold), documents=False)
    position = {}
    for index, doc_id in enumerate(prepared.ids):
        position.setdefault(doc_id, index)
    missing = [doc_id for doc_id in (first, second) if doc_id not in position]
    if missing:
        raise InputFailure(f"no article with id {missing[0]!r} in the input")
    result = story_clusters(prepared.terms, prepared.dates, StorySettings(story_threshold, window), prepared.copy_of,
                            languages=prepared.languages)
    explanation = explain_pair(result, position[first], position[second], terms)
    click.echo("\n".join(explanation_lines(explanation, result, prepared)))


def explanation_lines(e: PairExplanation, result: StoryResult, prepared: Prepared) -> list[str]:
    """The explanation as plain text lines."""
    ids = prepared.ids
    lines = [
        f"{ids[e.a]}: story {result.labels[e.a]}",
        f"{ids[e.b]}: story {result.labels[e.b]}",
        f"verdict: {'same story' if e.same_story else 'different stories'}",
    ]
    for doc, compared in ((e.a, e.compared_a), (e.b, e.compared_b)):
        if compared != doc:
            lines.append(f"{ids[doc]} is a near-duplicate of {ids[compared]}: it follows that article's story "
                         f"and is compared through it")
    lines.append(f"languages: {e.languages[0] or 'unknown'} and {e.languages[1] or 'unknown'}")
    if e.cross_language:
        lines.extend(cross_language_lines(e))
    elif abs(e.score - e.cosine) > 1e-9 and e.score > 0:
        lines.append(f"both are short texts: scored {e.score:.3f} with the terms of their best neighbours added "
                     f"(their own cosine {e.cosine:.3f})")
    lines.append(f"score: {e.score:.3f}, {e.scaled_score:.3f} after local "
                 f"scaling; story threshold {e.threshold:.3f} (two clusters merge when the mean scaled score over all "
                 "their cross pairs reaches it)")
    lines.append(local_scaling_line(e))
    if e.days_apart is None:
        lines.append("dates: not both known, so the window does not apply")
    else:
        state = "outside the window: their pair counts as 0" if e.blocked_by_window else "within the window"
        window = "none" if e.window_days is None else f"{e.window_days} days"
        lines.append(f"dates: {e.days_apart:.0f} days apart, window {window}: {state}")
    lines.append(f"shared salient terms ({len(e.shared_terms)} shown): contribution = weight in each (unit vectors)")
    width = max((len(t.term) for t in e.shared_terms), default=4)
    for t in e.shared_terms:
        lines.append(f"  {t.term:<{width}}  {t.contribution:.4f} = {t.weight_a:.3f} x {t.weight_b:.3f}   "
                     f"in {t.document_frequency} articles, capitalised {t.capital_share:.0%}")
    if not e.shared_terms:
        lines.append("  (none)")
    name = lambda doc: ids[doc]  # noqa: E731
    if e.chain:
        lines.append("merges that grew their clusters" + (" until they joined:" if e.same_story else ":"))
        for step, merge in enumerate(e.chain, 1):
            how = (f"as a follow-up beyond the window (mean cosine {merge.score:.3f} with all of the story's reports)"
                   if merge.follow_up else f"at mean {merge.score:.3f}")
            lines.append(f"  {step}. cluster of {name(merge.left)} + cluster of {name(merge.right)} {how} "
                         f"-> {merge.size} articles")
    if not e.same_story and e.link < e.threshold:
        lines.append(f"their clusters ({e.cluster_sizes[0]} and {e.cluster_sizes[1]} articles) are linked by a mean "
                     f"score of {e.link:.3f} over all cross pairs, below the threshold {e.threshold:.3f}")
    elif not e.same_story and e.lead_means and e.link >= COHESION_SHARE * min(e.cohesions):
        across, *within = e.lead_means
        lines.append(f"their clusters ({e.cluster_sizes[0]} and {e.cluster_sizes[1]} articles) are linked by a mean "
                     f"score of {e.link:.3f} over all cross pairs, at the threshold {e.threshold:.3f} or above, but "
                     f"their leads (each report's first terms) are far apart: mean {across:.3f} across, "
                     f"{within[0]:.3f} and {within[1]:.3f} within each: a join of two events told alike was undone, "
                     f"they are two stories")
    elif not e.same_story:
        lines.append(f"their clusters ({e.cluster_sizes[0]} and {e.cluster_sizes[1]} articles) are linked by a mean "
                     f"score of {e.link:.3f} over all cross pairs, at the threshold {e.threshold:.3f} or above, but "
                     f"each is far tighter within itself (mean {e.cohesions[0]:.3f} and {e.cohesions[1]:.3f} over its "
                     f"own pairs): a loose join of two tight groups was undone, they are two stories")
    return lines


def cross_language_lines(e: PairExplanation) -> list[str]:
    """How a pair in two languages was scored on the terms both languages use."""
    c = e.cross_language
    lines = [f"cross-language pair: their cosine {c.cosine:.3f} counts only the corpus's {c.bridge_terms} bridge terms "
             f"(found in documents of two languages: names, places, numbers, acronyms, loanwords); they share "
             f"{c.shared_bridge_terms} of them (listed below)"]
    if c.shared_with_partners > c.shared_bridge_terms:
        lines.append(f"  {c.shared_with_partners} counting the reports of each one's language at the threshold with it")
    if c.cosine < SCORE_FLOOR:
        lines.append(f"  too faint to count (a cosine under {SCORE_FLOOR:g}): the pair scores 0")
    else:
        weight = float(shared_weight(c.shared_with_partners, c.alone))
        curve = (f"((shared - {FAINT_TERMS}) / {MIN_SHARED_TERMS - FAINT_TERMS})^3, as neither has a report of its "
                 "own language at the threshold" if c.alone else f"(shared / {MIN_SHARED_TERMS})^2")
        faint = f" x {weight:.3f} (fewer than {MIN_SHARED_TERMS} shared bridge terms: {curve})" if weight < 1 else ""
        lines.append(f"  score = {c.scale:.3f} (the corpus's scale: same-language pairs' cosine per unit of their bridge "
                     f"cosine) x {c.bridge_cosine:.3f} (cosine of their bridge terms alone){faint} = {e.score:.3f}; "
                     "local scaling may lower it, never lift it")
    return lines


def local_scaling_line(e: PairExplanation) -> str:
    """How the two articles' neighbourhoods turned their cosine into the scaled score."""
    if e.score < SCORE_FLOOR:
        return f"local scaling: a cosine under {SCORE_FLOOR:g} is not kept, so the pair counts as 0"
    counted = [max(level, LEVEL_MIN_SHARE * e.typical_level) for level in e.levels]
    return (f"local scaling: neighbourhood levels {e.levels[0]:.3f} and {e.levels[1]:.3f} (each article's {LOCAL_K} "
            f"best scores / {LOCAL_K}, counted as at least {LEVEL_MIN_SHARE * e.typical_level:.3f}), median level "
            f"{e.typical_level:.3f}: scaled = cosine x ({e.typical_level:.3f} / sqrt({counted[0]:.3f} x "
            f"{counted[1]:.3f}))^{LOCAL_ALPHA:g}"
            + (f"; not lifted, as one shared term holds {ONE_TERM_SHARE:.0%} or more of the cosine" if e.one_term
               else ""))


# ---- calibrate ----

@click.command()
@input_options
@click.option("--story-field", default="story", show_default=True, help="Field holding each article's true story.")
@click.option("--from", "lowest", type=click.FloatRange(0.0, 1.0, min_open=True), default=0.05, show_default=True,
              help="Lowest threshold tried.")
@click.option("--to", "highest", type=click.FloatRange(0.0, 1.0), default=0.40, show_default=True,
              help="Highest threshold tried.")
@click.option("--step", type=click.FloatRange(0.001, 1.0), default=0.01, show_default=True, help="Step between thresholds.")
@window_option
@duplicate_option
def calibrate(inputs: InputSession, story_field, lowest, highest, step, window, duplicate_threshold):
    """Sweep the story threshold on a labelled sample (PATHS: JSON Lines or CSV
    with a story field) and print B-cubed precision, recall and F1 per value,
    and the best one."""
    records = list(_read(inputs))
    if not records:
        raise InputFailure("no articles in the input: calibrate needs a labelled sample")
    gold = []
    for record in records:
        label = record.fields.get(story_field)
        if label in (None, ""):
            where = record.source if record.line is None else f"{record.source}:{record.line}"
            raise InputFailure(f"{where}: record {record.id!r} has no {story_field!r} field")
        gold.append(str(label))
    if highest < lowest:
        raise click.BadParameter("--to must not be below --from", param_hint="--to")
    thresholds = [round(lowest + i * step, 6) for i in range(int((highest - lowest) / step + 1e-9) + 1)]
    prepared = prepare(records, ReportSettings(duplicate_threshold=duplicate_threshold), documents=False)
    rows = []
    for threshold, result in threshold_sweep(prepared.terms, thresholds, prepared.dates, window, prepared.copy_of,
                                             prepared.languages):
        rows.append((threshold, len(set(result.labels)), *bcubed(result.labels, gold)))
    best = max(rows, key=lambda row: (row[4], -abs(row[0] - StorySettings.threshold)))
    click.echo(f"{len(records)} articles, {len(set(gold))} labelled stories")
    click.echo(f"{'threshold':>9}  {'stories':>7}  {'precision':>9}  {'recall':>6}  {'F1':>6}")
    for row in rows:
        mark = "  <- best" if row is best else ""
        click.echo(f"{row[0]:>9.3f}  {row[1]:>7}  {row[2]:>9.4f}  {row[3]:>6.4f}  {row[4]:>6.4f}{mark}")
    click.echo(f"best: --story-threshold {best[0]:g} (B-cubed F1 {best[4]:.4f}; default {StorySettings.threshold:g})")
