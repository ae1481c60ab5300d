"""Cleaning a stream as the pipeline does, for the tests of cleaning rules:
line counts summed over the batches (pass 1), then each batch cleaned
against them (pass 2)."""

from corpus import clean


def cleaned_in_batches(batches: list[list[str]]) -> tuple[list[clean.Cleaned], clean.LineCounts]:
    """Every batch's cleaned pages, in order, and the summed counts."""
    counts = clean.LineCounts.empty()
    for batch in batches:
        counts = counts + clean.line_key_counts(batch)
    return [page for batch in batches for page in clean.clean_batch(batch, counts.repeated())], counts
