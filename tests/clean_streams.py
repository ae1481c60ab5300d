"""Cleaning a stream as the pipeline does, for the tests of cleaning rules:
line counts summed over the batches (pass 1), then each batch cleaned
against them with the key hashes its count made (pass 2)."""

from corpus import clean


def cleaned_in_batches(batches: list[list[str]]) -> tuple[list[clean.Cleaned], clean.LineCounts]:
    """Every batch's cleaned pages, in order, and the summed counts."""
    counts, hashed = clean.LineCounts.empty(), []
    for batch in batches:
        batch_counts, key_hashes = clean.counted_keys(batch)
        counts = counts + batch_counts
        hashed.append(key_hashes)
    repeated = counts.repeated()
    return [page for batch, key_hashes in zip(batches, hashed)
            for page in clean.clean_batch(batch, repeated, key_hashes)], counts
